import { randomUUID } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'

import type { CollectionBeforeDeleteHook, CollectionBeforeOperationHook, CollectionSlug, Payload, PayloadRequest } from 'payload'

import { afterTransaction } from '../db/afterTransaction'
import { mediaDirectory } from './directory'
import { removeTransforms } from './transforms'

/**
 * Payload unlinks a media document's files (the original and every size) while the delete, or the
 * update that replaces the file, is still in its transaction; a write that then fails and rolls
 * back would leave a document naming files that are gone. And it knows nothing of the transforms
 * Greenroom stores for the original (src/media/transforms.ts).
 *
 * So before Payload unlinks them, each file is hard-linked into `<media>/.deleting/<token>/` with a
 * manifest. When the transaction commits, the links and the original's transforms are removed:
 * nothing the document made is left. When it rolls back, the files are linked back where they were.
 * A process that dies in between leaves the folder to `settleInterruptedDeletions` at the next start.
 */

type UploadDoc = { id: number | string; filename?: string | null; sizes?: Record<string, { filename?: string | null } | null> | null }
type Manifest = { collection: string; id: number | string; files: string[]; at: string }

export const deletingDirectory = (mediaDir = mediaDirectory) => path.join(mediaDir, '.deleting')

const filesOf = (doc: UploadDoc) =>
  [doc.filename, ...Object.values(doc.sizes ?? {}).map((size) => size?.filename)].filter(
    (name): name is string => typeof name === 'string' && name !== '' && name === path.basename(name),
  )

const exists = (file: string) =>
  fs.promises.stat(file).then(
    () => true,
    () => false,
  )

/**
 * The held bytes back under their names, over whatever is there now (a re-crop writes new bytes under
 * the same names), each in one rename, so a reader gets the old file or the new, never neither.
 */
const putBack = async (held: string, files: string[], mediaDir: string) => {
  for (const name of files) {
    const kept = path.join(held, name)
    if (!(await exists(kept))) continue
    const temporary = path.join(mediaDir, `.${name}.${randomUUID()}.restoring`)
    await fs.promises.link(kept, temporary)
    await fs.promises.rename(temporary, path.join(mediaDir, name))
  }
}

const holdFiles = async (req: PayloadRequest, collection: CollectionSlug, doc: UploadDoc, mediaDir: string) => {
  const files = filesOf(doc)
  if (!files.length) return
  const held = path.join(deletingDirectory(mediaDir), randomUUID())
  await fs.promises.mkdir(held, { recursive: true })
  const manifest: Manifest = { collection, id: doc.id, files, at: new Date().toISOString() }
  await fs.promises.writeFile(path.join(held, 'manifest.json'), JSON.stringify(manifest))
  for (const name of files) {
    await fs.promises.link(path.join(mediaDir, name), path.join(held, name)).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') throw error
    })
  }
  await afterTransaction(req, {
    committed: async () => {
      if (doc.filename) await removeTransforms(mediaDir, doc.filename)
      await fs.promises.rm(held, { recursive: true, force: true })
    },
    rolledBack: async () => {
      await putBack(held, files, mediaDir)
      await fs.promises.rm(held, { recursive: true, force: true })
    },
  })
}

const storedDoc = (req: PayloadRequest, collection: CollectionSlug, id: number | string) =>
  req.payload.findByID({ collection, id, depth: 0, overrideAccess: true, req, disableErrors: true, trash: true }) as Promise<UploadDoc | null>

/** Deleting a document: its files are held until the delete commits. */
export const holdFilesOfDeletedDocument: CollectionBeforeDeleteHook = async ({ collection, id, req }) => {
  const doc = await storedDoc(req, collection.slug as CollectionSlug, id)
  if (doc) await holdFiles(req, collection.slug as CollectionSlug, doc, mediaDirectory)
}

/**
 * Replacing a document's file (an upload onto it, a re-crop): Payload unlinks the old files before
 * any update hook runs, so they are held here, before the operation. A regeneration
 * (src/media/regenerate.ts) keeps its names and does its own bookkeeping.
 */
export const holdFilesOfReplacedUpload: CollectionBeforeOperationHook<'media'> = async ({ args, collection, operation, req }) => {
  if (operation !== 'update' || req.context?.regeneratingMedia) return args
  const id = (args as { id?: number | string }).id
  const replacing = Boolean(req.file) || Boolean((req.query as { uploadEdits?: unknown } | undefined)?.uploadEdits)
  if (id === undefined || !replacing) return args
  const doc = await storedDoc(req, collection.slug as CollectionSlug, id)
  if (doc) await holdFiles(req, collection.slug as CollectionSlug, doc, mediaDirectory)
  return args
}

/** Older than any transaction runs: what a process that died mid-write left behind. */
const ABANDONED_AFTER_MS = 10 * 60 * 1000

/**
 * At start: held files whose write never settled. When the document still names them (the write
 * rolled back, or never committed), they go back; otherwise (it committed), they and the transforms go.
 */
export const settleInterruptedDeletions = async (payload: Payload, mediaDir = mediaDirectory, now = Date.now()) => {
  const root = deletingDirectory(mediaDir)
  const entries = await fs.promises.readdir(root).catch(() => [] as string[])
  for (const entry of entries) {
    const held = path.join(root, entry)
    const manifest = await fs.promises
      .readFile(path.join(held, 'manifest.json'), 'utf8')
      .then((text) => JSON.parse(text) as Manifest)
      .catch(() => undefined)
    if (manifest && now - Date.parse(manifest.at) < ABANDONED_AFTER_MS) continue
    if (manifest) {
      const doc = (await payload
        .findByID({ collection: manifest.collection as CollectionSlug, id: manifest.id, depth: 0, overrideAccess: true, disableErrors: true, trash: true })
        .catch(() => null)) as UploadDoc | null
      const stillNamed = doc ? filesOf(doc) : []
      const missing = []
      for (const name of manifest.files) if (stillNamed.includes(name) && !(await exists(path.join(mediaDir, name)))) missing.push(name)
      await putBack(held, missing, mediaDir)
      if (manifest.files[0] && !stillNamed.includes(manifest.files[0])) await removeTransforms(mediaDir, manifest.files[0])
    }
    await fs.promises.rm(held, { recursive: true, force: true })
  }
}
