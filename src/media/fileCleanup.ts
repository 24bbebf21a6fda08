import type { CollectionBeforeDeleteHook, CollectionBeforeOperationHook, CollectionSlug, Payload, PayloadRequest } from 'payload'

import { afterTransaction } from '../db/afterTransaction'
import type { MediaStorage } from './storage'
import { mediaStorage } from './storage'
import { isPlainFilename } from './storage/types'
import { removeTransforms } from './transforms'

/**
 * Payload removes a media document's files (the original and every size) while the delete, or the
 * update that replaces the file, is still in its transaction: from the media folder itself, or from
 * the bucket through `@payloadcms/storage-s3`. A write that then fails and rolls back would leave a
 * document naming files that are gone. And it knows nothing of the transforms Greenroom stores for
 * the original (src/media/transforms.ts).
 *
 * So before Payload removes them, each file is set aside (src/media/storage: hard links in
 * `<media>/.deleting/<token>/`, or server-side copies under `.greenroom/held/<token>/` in the bucket)
 * with a manifest. When the transaction commits, the copies and the original's transforms are
 * removed: nothing the document made is left. When it rolls back, the files are put back where they
 * were. A process that dies in between leaves them to `settleInterruptedDeletions` at the next start.
 */

type UploadDoc = { id: number | string; filename?: string | null; sizes?: Record<string, { filename?: string | null } | null | undefined> | null }

const filesOf = (doc: UploadDoc) =>
  [doc.filename, ...Object.values(doc.sizes ?? {}).map((size) => size?.filename)].filter(
    (name): name is string => typeof name === 'string' && isPlainFilename(name),
  )

export const holdFiles = async (req: PayloadRequest, collection: CollectionSlug, doc: UploadDoc, storage: MediaStorage) => {
  const files = filesOf(doc)
  if (!files.length) return
  const held = await storage.hold(files, { collection, id: doc.id, files, at: new Date().toISOString() })
  await afterTransaction(req, {
    committed: async () => {
      if (doc.filename) await removeTransforms(storage.directory, doc.filename)
      await storage.dropLocalCopies(files)
      await held.release()
    },
    rolledBack: async () => {
      await held.putBack()
      await held.release()
    },
  })
}

const storedDoc = (req: PayloadRequest, collection: CollectionSlug, id: number | string) =>
  req.payload.findByID({ collection, id, depth: 0, overrideAccess: true, req, disableErrors: true, trash: true }) as Promise<UploadDoc | null>

/** Deleting a document: its files are held until the delete commits. */
export const holdFilesOfDeletedDocument: CollectionBeforeDeleteHook = async ({ collection, id, req }) => {
  const doc = await storedDoc(req, collection.slug as CollectionSlug, id)
  if (doc) await holdFiles(req, collection.slug as CollectionSlug, doc, mediaStorage())
}

/**
 * Replacing a document's file (an upload onto it, a re-crop): Payload removes or overwrites the old
 * files before any update hook runs, so they are held here, before the operation. A regeneration
 * (src/media/regenerate.ts) keeps its names and does its own bookkeeping.
 */
export const holdFilesOfReplacedUpload: CollectionBeforeOperationHook<'media'> = async ({ args, collection, operation, req }) => {
  if (operation !== 'update' || req.context?.regeneratingMedia) return args
  const id = (args as { id?: number | string }).id
  const replacing = Boolean(req.file) || Boolean((req.query as { uploadEdits?: unknown } | undefined)?.uploadEdits)
  if (id === undefined || !replacing) return args
  const doc = await storedDoc(req, collection.slug as CollectionSlug, id)
  if (doc) await holdFiles(req, collection.slug as CollectionSlug, doc, mediaStorage())
  return args
}

/** Older than any transaction runs: what a process that died mid-write left behind. */
const ABANDONED_AFTER_MS = 10 * 60 * 1000

/**
 * At start: held files whose write never settled. The document tells how it ended: gone (the delete
 * committed), written after the files were held (the write committed: files it still names go back
 * only if missing), or not written since (the write never committed: every held file goes back, over
 * bytes a re-crop or a regeneration may have written under the same names). The held copies go.
 */
export const settleInterruptedDeletions = async (payload: Payload, storage: MediaStorage = mediaStorage(), now = Date.now()) => {
  for (const held of await storage.heldWrites()) {
    const { manifest } = held
    if (manifest && now - Date.parse(manifest.at) < ABANDONED_AFTER_MS) continue
    if (manifest) {
      const doc = (await payload
        .findByID({ collection: manifest.collection as CollectionSlug, id: manifest.id, depth: 0, overrideAccess: true, disableErrors: true, trash: true })
        .catch(() => null)) as (UploadDoc & { updatedAt?: string | null }) | null
      const committed = !doc || !doc.updatedAt || Date.parse(doc.updatedAt) >= Date.parse(manifest.at)
      const stillNamed = doc ? filesOf(doc) : []
      if (committed) {
        const missing = []
        for (const name of manifest.files) if (stillNamed.includes(name) && !(await storage.versionOf(name))) missing.push(name)
        await held.putBack(missing)
      } else {
        await held.putBack()
      }
      if (manifest.files[0] && !stillNamed.includes(manifest.files[0])) await removeTransforms(storage.directory, manifest.files[0])
    }
    await held.release()
  }
}
