import type { CollectionSlug, Payload, Where } from 'payload'
import { createLocalReq } from 'payload'

import { coalesceReads, readContentVersion } from '../changes/contentVersion'
import { LRUCache } from 'lru-cache'

/** A stored file of a media document: the original or one of its resized images. */
export type MediaFile = {
  docId: number | string
  mimeType: string | null
  /** The uploaded file itself, not one of its resized images: only it takes transform parameters. */
  original: boolean
  focalX: number | null
  focalY: number | null
  /** The document's last write: bytes change only with it (src/media/storage). */
  updatedAt: string | null
}

type UploadDoc = {
  id: number | string
  filename?: string | null
  mimeType?: string | null
  focalX?: number | null
  focalY?: number | null
  updatedAt?: string | null
  sizes?: Record<string, { filename?: string | null; mimeType?: string | null } | null | undefined> | null
}

/** How long a looked-up file is trusted without asking the database whether content changed since. */
const VERSION_CHECK_MS = 1000

/**
 * Which document a stored file belongs to, and whether the public may read it: a file is served only
 * when it is the original or a resized image of a document that access control lets an anonymous
 * reader read (the collection's own read access as the reader policy bounds it, src/readerPolicy),
 * asked through Payload's Local API, so the answer is the one `GET /api/<collection>/<id>` would give.
 * A file no document names (left behind, copied in by hand) is nobody's.
 *
 * Answers, found or not, are kept per file name under the content version
 * (src/changes/contentVersion.ts), which every write a reader could see advances on any server
 * instance. The version itself is read at most once a second, shared by all requests: a media
 * request otherwise costs no query at all (a lookup took 3-27 ms on SQLite and PostgreSQL with a thousand
 * media documents, test/integration/mediaLookup.test.ts), and a change on any instance is seen
 * within a second. The route asks only for names that are files on disk, so made-up names cost a
 * stat, not a query.
 */
export const createMediaLookup = (payload: Payload, collection: CollectionSlug) => {
  const config = payload.collections[collection]?.config
  const upload = config && typeof config.upload === 'object' ? config.upload : undefined
  if (!upload) throw new Error(`"${collection}" is not an upload collection.`)
  const sizeNames = (upload.imageSizes ?? []).map(({ name }) => name)

  const readVersion = coalesceReads(() => readContentVersion(payload).catch(() => null))
  let checked: { at: number; version: Promise<string | undefined> } | undefined
  const currentVersion = () => {
    if (!checked || Date.now() - checked.at > VERSION_CHECK_MS) {
      checked = { at: Date.now(), version: readVersion().then((read) => read?.version) }
    }
    return checked.version
  }

  const known = new LRUCache<string, { version: string; file: MediaFile | null }>({ max: 20_000 })

  const naming = (filename: string): Where => ({
    or: [{ filename: { equals: filename } }, ...sizeNames.map((name) => ({ [`sizes.${name}.filename`]: { equals: filename } }))],
  })

  const fileOf = (doc: UploadDoc, filename: string): MediaFile | undefined => {
    const focus = { focalX: doc.focalX ?? null, focalY: doc.focalY ?? null, updatedAt: doc.updatedAt ?? null }
    if (doc.filename === filename) return { docId: doc.id, mimeType: doc.mimeType ?? null, original: true, ...focus }
    for (const size of Object.values(doc.sizes ?? {})) {
      if (size?.filename === filename) return { docId: doc.id, mimeType: size.mimeType ?? null, original: false, ...focus }
    }
    return undefined
  }

  const find = async (filename: string, asThePublic: boolean): Promise<MediaFile | undefined> => {
    const { docs } = await payload.find({
      collection,
      where: naming(filename),
      depth: 0,
      limit: 1,
      pagination: false,
      draft: false,
      overrideAccess: !asThePublic,
      // No user: access control and the reader policy answer as for an anonymous reader.
      req: asThePublic ? await createLocalReq({}, payload) : undefined,
      select: { filename: true, mimeType: true, focalX: true, focalY: true, updatedAt: true, sizes: Object.fromEntries(sizeNames.map((name) => [name, { filename: true, mimeType: true }])) } as never,
    })
    const doc = docs[0] as UploadDoc | undefined
    return doc && fileOf(doc, filename)
  }

  return {
    /** The file named `filename` if the public may read its document; undefined otherwise. */
    publicFile: async (filename: string): Promise<MediaFile | undefined> => {
      const version = await currentVersion()
      const kept = known.get(filename)
      if (kept && version !== undefined && kept.version === version) return kept.file ?? undefined
      const file = await find(filename, true)
      if (version !== undefined) known.set(filename, { version, file: file ?? null })
      return file
    },
    /** Whether any document names the file, whoever may read it. */
    anyDocumentNames: async (filename: string) => (await find(filename, false)) !== undefined,
  }
}

export type MediaLookup = ReturnType<typeof createMediaLookup>
