import { createHash } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'

import type { CollectionSlug, Payload, PayloadRequest } from 'payload'
import { commitTransaction, createLocalReq, initTransaction, killTransaction } from 'payload'

import type { ProgressListener } from '../backup/progress'
import { mediaDirectory } from './directory'
import { holdFiles } from './fileCleanup'
import { fileVersionOf } from './fileVersion'
import type { MediaStorage } from './storage'
import { mediaStorage } from './storage'
import { rerenderTransforms, transformsDirectory } from './transforms'

/**
 * `npm run media:regenerate`: makes every media document's resized images (and what hooks derive
 * from the upload, such as placeholders) again from its stored original, after the image sizes or
 * their formats changed.
 *
 * Payload makes the images, through its own update with the original's bytes as the upload, so a
 * regenerated document is exactly what a new upload of the same file would be. Payload writes the
 * files of an update where the collection's `staticDir` says, in place and before the transaction
 * commits; a reader could then see a half-written image, and a failed update would leave the new
 * images beside a document that names the old ones. So the run points `staticDir` at a staging
 * folder of its own, and Greenroom puts the staged images in place:
 *
 * 1. a journal names the document's files before and after;
 * 2. each new image is renamed over its old one (a rename is atomic: a reader gets the old bytes or
 *    the new), the old one kept aside;
 * 3. the transaction commits, and a marker file says so;
 * 4. the images kept aside, and old images no longer named, are removed.
 *
 * The original is read, never written: Payload's copy of it lands in the staging folder and is thrown
 * away. An interrupted run leaves a journal; the next run settles it first (undoing step 2 when the
 * commit did not happen) and then goes on after the last document it finished, as long as the image
 * sizes are still the ones it started with.
 *
 * With media in a bucket (src/media/storage), Payload's S3 adapter writes the new images over the old
 * objects before the commit, with nothing to stage them in; there the document's files are copied
 * aside first (src/media/fileCleanup.ts), put back if the update fails, and dropped once it commits
 * (a crash in between is settled at the next start, from the document's updatedAt).
 */

type SizeFile = { filename?: string | null }
type MediaDoc = {
  id: number | string
  filename?: string | null
  mimeType?: string | null
  filesize?: number | null
  focalX?: number | null
  focalY?: number | null
  sizes?: Record<string, SizeFile | null | undefined> | null
}

type RunState = { fingerprint: string; lastId: number | string | null; done: number; startedAt: string }

type Journal = {
  id: number | string
  /** Files of the document before: removed after the commit unless still named. */
  before: string[]
  /** Files renamed into the media folder: kept when the commit happened, removed otherwise. */
  placed: string[]
  /** Files of the media folder moved aside into `aside/` before a new file took their name. */
  aside: string[]
}

export type RegenerateSummary = {
  regenerated: number
  skipped: { id: number | string; reason: string }[]
  resumedAfter: number | string | null
  seconds: number
}

export type RegenerateOptions = {
  collection?: CollectionSlug
  /** Start from the first document even when an earlier run with the same sizes was interrupted. */
  restart?: boolean
  onProgress?: ProgressListener
  /** Stops after the document in hand (for tests of an interrupted run, and for Ctrl-C). */
  signal?: AbortSignal
  /** Called after each document is settled (tests interrupt a run here). */
  afterDocument?: (id: number | string) => void | Promise<void>
}

const BATCH = 50

export const regenerateDirectories = (mediaDir = mediaDirectory) => {
  const root = path.join(mediaDir, '.regenerate')
  return {
    root,
    state: path.join(root, 'state.json'),
    work: path.join(root, 'work'),
    journal: path.join(root, 'work', 'journal.json'),
    committed: path.join(root, 'work', 'committed'),
    staging: path.join(root, 'work', 'staging'),
    aside: path.join(root, 'work', 'aside'),
  }
}

const writeJsonAtomically = async (file: string, value: unknown) => {
  const temporary = `${file}.${process.pid}.tmp`
  await fs.promises.writeFile(temporary, JSON.stringify(value))
  await fs.promises.rename(temporary, file)
}

const readJson = async <T>(file: string): Promise<T | undefined> => {
  try {
    return JSON.parse(await fs.promises.readFile(file, 'utf8')) as T
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw error
  }
}

const exists = (file: string) =>
  fs.promises.stat(file).then(
    () => true,
    () => false,
  )

const removeQuietly = (file: string) => fs.promises.rm(file, { force: true })

const filesOf = (doc: MediaDoc): string[] =>
  [doc.filename, ...Object.values(doc.sizes ?? {}).map((size) => size?.filename)].filter(
    (name): name is string => typeof name === 'string' && name !== '',
  )

/** What the images are made from: a run resumes only while this is unchanged. */
export const sizesFingerprint = (payload: Payload, collection: CollectionSlug): string => {
  const upload = payload.collections[collection].config.upload
  const { imageSizes, formatOptions, resizeOptions, trimOptions, withMetadata } = typeof upload === 'object' ? upload : ({} as never)
  return createHash('sha256')
    .update(JSON.stringify({ imageSizes, formatOptions, resizeOptions, trimOptions, withMetadata: typeof withMetadata === 'function' ? 'fn' : withMetadata }))
    .digest('hex')
    .slice(0, 16)
}

/**
 * Finishes what an interrupted run left: with the commit done, the old files go; without it, the
 * old files come back and the new ones go, so the folder matches the document the database holds.
 */
const settleJournal = async (mediaDir: string) => {
  const dirs = regenerateDirectories(mediaDir)
  const journal = await readJson<Journal>(dirs.journal)
  if (journal) {
    if (await exists(dirs.committed)) {
      await removeStale(mediaDir, journal)
    } else {
      for (const name of journal.placed) {
        if (journal.aside.includes(name) && (await exists(path.join(dirs.aside, name)))) {
          await fs.promises.rename(path.join(dirs.aside, name), path.join(mediaDir, name))
        } else if (!journal.before.includes(name)) {
          await removeQuietly(path.join(mediaDir, name))
        }
      }
    }
  }
  await fs.promises.rm(dirs.work, { recursive: true, force: true })
}

/** After the commit: files the document named before and names no more. */
const removeStale = async (mediaDir: string, journal: Journal) => {
  const kept = new Set(journal.placed)
  const original = journal.before[0]
  for (const name of journal.before) {
    if (name !== original && !kept.has(name)) await removeQuietly(path.join(mediaDir, name))
  }
}

/**
 * Hands the stored original back to Payload as a new upload of the same document, which makes every
 * image size again. Payload keeps the focal point it is told about in the request; the stored one is
 * what the editor chose, and the crops are made around it.
 */
const uploadOriginalAgain = async (
  payload: Payload,
  req: PayloadRequest,
  collection: CollectionSlug,
  doc: MediaDoc & { filename: string },
  bytes: Buffer,
): Promise<MediaDoc> => {
  if (typeof doc.focalX === 'number' && typeof doc.focalY === 'number') {
    req.query = { ...req.query, uploadEdits: { focalPoint: { x: doc.focalX, y: doc.focalY } } }
  }
  const updated = (await payload.update({
    collection,
    id: doc.id,
    data: {},
    file: { data: bytes, mimetype: doc.mimeType ?? 'application/octet-stream', name: doc.filename, size: bytes.length },
    overwriteExistingFiles: true,
    overrideAccess: true,
    depth: 0,
    req,
  })) as MediaDoc
  if (updated.filename !== doc.filename) {
    throw new Error(`Payload named the regenerated original ${updated.filename}, not ${doc.filename}; nothing was changed.`)
  }
  return updated
}

const regenerateInBucket = async (
  payload: Payload,
  collection: CollectionSlug,
  id: number | string,
  storage: MediaStorage,
): Promise<string | undefined> => {
  const req = (await createLocalReq({ context: { regeneratingMedia: true } }, payload)) as PayloadRequest
  const started = await initTransaction(req)
  try {
    const doc = (await payload.findByID({ collection, id, depth: 0, overrideAccess: true, req, disableErrors: true })) as MediaDoc | null
    if (!doc) return 'deleted meanwhile'
    if (!doc.filename) return 'has no file'
    const bytes = await storage.read(doc.filename)
    if (!bytes) return `its original ${doc.filename} is missing from the bucket`
    await holdFiles(req, collection, doc, storage)
    await uploadOriginalAgain(payload, req, collection, { ...doc, filename: doc.filename }, bytes)
    if (started) await commitTransaction(req)
    return undefined
  } catch (error) {
    if (started) await killTransaction(req)
    throw error
  }
}

const regenerateDocument = async (
  payload: Payload,
  collection: CollectionSlug,
  id: number | string,
  mediaDir: string,
): Promise<string | undefined> => {
  const storage = mediaStorage()
  if (storage.kind !== 'disk') return regenerateInBucket(payload, collection, id, storage)
  const dirs = regenerateDirectories(mediaDir)
  const upload = payload.collections[collection].config.upload
  if (typeof upload !== 'object') throw new Error(`"${collection}" is not an upload collection.`)

  const req = (await createLocalReq({ context: { regeneratingMedia: true } }, payload)) as PayloadRequest
  const started = await initTransaction(req)
  let committed = false
  try {
    // Read inside the transaction: an editor replacing the file meanwhile is not overwritten with
    // images of the file they replaced.
    const doc = (await payload.findByID({ collection, id, depth: 0, overrideAccess: true, req, disableErrors: true })) as MediaDoc | null
    if (!doc) return 'deleted meanwhile'
    if (!doc.filename) return 'has no file'
    const originalPath = path.join(mediaDir, doc.filename)
    let bytes: Buffer
    try {
      bytes = await fs.promises.readFile(originalPath)
    } catch {
      return `its original ${doc.filename} is missing from the media folder`
    }

    await fs.promises.mkdir(dirs.staging, { recursive: true })
    await fs.promises.mkdir(dirs.aside, { recursive: true })
    const staticDir = upload.staticDir
    upload.staticDir = dirs.staging
    let updated: MediaDoc
    try {
      updated = await uploadOriginalAgain(payload, req, collection, { ...doc, filename: doc.filename }, bytes)
    } finally {
      upload.staticDir = staticDir
    }

    const journal: Journal = { id, before: filesOf(doc), placed: filesOf(updated).slice(1), aside: [] }
    await writeJsonAtomically(dirs.journal, journal)
    for (const name of journal.placed) {
      const live = path.join(mediaDir, name)
      if (await exists(live)) {
        await fs.promises.link(live, path.join(dirs.aside, name)).catch(async (error: NodeJS.ErrnoException) => {
          if (error.code !== 'EEXIST') throw error
        })
        journal.aside.push(name)
        await writeJsonAtomically(dirs.journal, journal)
      }
      // Over the old file in one step: a reader gets the old bytes or the new, never a part.
      await fs.promises.rename(path.join(dirs.staging, name), live)
    }
    if (started) await commitTransaction(req)
    committed = true
    await fs.promises.writeFile(dirs.committed, '')
    await removeStale(mediaDir, journal)
    await fs.promises.rm(dirs.work, { recursive: true, force: true })
    // The stored transforms of the original, rendered again with today's settings; those of older
    // versions of its bytes are no use to anyone.
    const { version } = await fileVersionOf(originalPath)
    const transformFolder = transformsDirectory(mediaDir, doc.filename)
    for (const entry of await fs.promises.readdir(transformFolder).catch(() => [] as string[])) {
      if (entry !== version) await fs.promises.rm(path.join(transformFolder, entry), { recursive: true, force: true })
    }
    await rerenderTransforms(mediaDir, { filename: doc.filename, version, path: originalPath, focus: { focalX: doc.focalX, focalY: doc.focalY } })
    return undefined
  } catch (error) {
    if (!committed) {
      if (started) await killTransaction(req)
      await settleJournal(mediaDir)
    }
    throw error
  }
}

/** Regenerates the images of every document of an upload collection (default `media`); see above. */
export const regenerateMedia = async (payload: Payload, options: RegenerateOptions = {}): Promise<RegenerateSummary> => {
  const collection = options.collection ?? ('media' as CollectionSlug)
  const started = Date.now()
  const mediaDir = mediaDirectory
  const dirs = regenerateDirectories(mediaDir)
  await fs.promises.mkdir(dirs.root, { recursive: true })
  await settleJournal(mediaDir)

  const fingerprint = sizesFingerprint(payload, collection)
  const previous = options.restart ? undefined : await readJson<RunState>(dirs.state)
  const resuming = previous && previous.fingerprint === fingerprint
  const state: RunState = resuming ? previous : { fingerprint, lastId: null, done: 0, startedAt: new Date().toISOString() }
  const resumedAfter = resuming ? state.lastId : null
  await writeJsonAtomically(dirs.state, state)

  const total = (await payload.count({ collection, overrideAccess: true })).totalDocs
  const skipped: RegenerateSummary['skipped'] = []
  let regenerated = 0
  options.onProgress?.({ done: state.done, total, item: '' })

  for (;;) {
    const { docs } = await payload.find({
      collection,
      where: state.lastId === null ? {} : { id: { greater_than: state.lastId } },
      sort: 'id',
      limit: BATCH,
      depth: 0,
      overrideAccess: true,
      select: { filename: true } as never,
    })
    if (!docs.length) break
    for (const { id, filename } of docs as MediaDoc[]) {
      if (options.signal?.aborted) return { regenerated, skipped, resumedAfter, seconds: (Date.now() - started) / 1000 }
      const reason = await regenerateDocument(payload, collection, id, mediaDir)
      if (reason) {
        skipped.push({ id, reason })
      } else {
        regenerated += 1
      }
      state.lastId = id
      state.done += 1
      await writeJsonAtomically(dirs.state, state)
      options.onProgress?.({ done: Math.min(state.done, total), total, item: filename ?? String(id) })
      await options.afterDocument?.(id)
    }
  }
  // A finished run leaves nothing to resume: the next one starts from the first document.
  await fs.promises.rm(dirs.root, { recursive: true, force: true })
  return { regenerated, skipped, resumedAfter, seconds: (Date.now() - started) / 1000 }
}
