import fs from 'node:fs'
import path from 'node:path'

import type { Payload } from 'payload'
import { createLocalReq } from 'payload'

import { readChangesAfter } from '../changes/changeLog'
import { mediaBaseUrl } from '../collections/Media/hooks/absoluteUrls'
import { urlSchemeFor } from '../urls'
import { publicLocalRequest } from '../readerPolicy/enforce'
import { uploadStorage } from '../backup/content'
import { isPlainFilename } from '../media/storage/types'
import type { ProgressListener } from '../backup/progress'
import type { LogState, SyncReader } from '../sync/changes'
import { CursorGone, assertServable, findPublished, findPublishedGlobal, readLogState } from '../sync/changes'
import { MalformedCursor, decodeCursor, encodeCursor, idCheckFor } from '../sync/cursor'
import type { DeltaCursor } from '../sync/cursor'
import { readFullPage } from '../sync/fullSync'
import type { SyncParameters } from '../sync/parameters'
import { documentFile, globalFile, jsonText, mediaFolder, redirectFiles, withoutBlockIds } from './layout'
import type { ContentFormat, DocumentEntry, FileEntry, MediaEntry, MediaMode, SiteExportManifest } from './manifest'
import { MANIFEST_FILE, PARTIAL_MARKER, SITE_EXPORT_FORMAT, SITE_EXPORT_VERSION, SiteExportError, manifestText } from './manifest'
import { mediaUrls } from './media'
import { exportRedirects, netlifyRedirects, redirectMap } from '../redirects'
import { referencesOf } from './refs'
import type { Target } from './target'
import { ExportWriter } from './writer'

export type SiteExportOptions = {
  format: ContentFormat
  media: MediaMode
  /** Read everything even when the previous export's cursor could carry on from where it was. */
  full?: boolean
  onProgress?: ProgressListener
}

export type SiteExportSummary = {
  mode: 'full' | 'delta'
  /** Why a run that could have been a delta read everything. */
  fullBecause?: string
  documents: number
  /** Documents read again in this run (all of them in a full run). */
  documentsRead: number
  files: number
  written: number
  unchanged: number
  removed: number
  bytesWritten: number
  totalBytes: number
  manifestWritten: boolean
  missingMedia: string[]
  seconds: number
}

/**
 * Posts are what a site has thousands of: a second run reads only those the change log says changed,
 * and those that show something that changed. Pages (their archive blocks list the newest posts, so
 * any post change may change them), categories, globals and redirects are few and read on every run.
 */
const BY_DELTA = ['posts']
const READ_EVERY_RUN = ['pages', 'categories']
const GLOBALS = ['header', 'footer', 'site-settings']
const PAGE_SIZE = 250

type Doc = Record<string, any>
type Pending = { files: Set<string>; refs: Set<string>; media: Set<string> }

const keyOf = (collection: string, id: unknown) => `${collection}:${String(id)}`

export const exportSite = async (payload: Payload, target: Target, options: SiteExportOptions): Promise<SiteExportSummary> => {
  const started = Date.now()
  const { dir, previous, resumingPartial } = target
  const { format, media, onProgress } = options

  // The first write: it proves the folder writable, and marks it unfinished until the manifest is in.
  try {
    fs.mkdirSync(dir, { recursive: false })
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw new SiteExportError(`Cannot create ${dir}: ${(error as Error).message}`)
  }
  try {
    fs.writeFileSync(path.join(dir, PARTIAL_MARKER), 'An export into this folder started and has not finished.\n')
  } catch (error) {
    throw new SiteExportError(`Cannot write into ${dir}: ${(error as Error).message}`)
  }

  const log = await readLogState(payload)
  const baseReq = await createLocalReq({}, payload)
  const scheme = await urlSchemeFor(baseReq)
  const urls = mediaUrls({ mode: media, mediaBase: mediaBaseUrl(), serverUrl: scheme.serverUrl, siteUrl: scheme.siteUrl, folder: mediaFolder(format) })
  const readerFor = async (locale: string, collections: string[], globals: string[]): Promise<SyncReader> => {
    const params: SyncParameters = {
      collections,
      globals,
      cursor: null,
      limit: PAGE_SIZE,
      depth: 1,
      locale,
      fallbackLocale: undefined,
      select: undefined,
    }
    return { req: await publicLocalRequest(baseReq, { locale }), params }
  }

  // Full or delta: a delta needs a finished export of the same kind and a cursor this log still serves.
  let fullBecause: string | undefined
  let changedKeys: Set<string> | undefined
  if (!previous) fullBecause = 'no previous export'
  else if (resumingPartial) fullBecause = 'the previous run did not finish'
  else if (options.full) fullBecause = '--full'
  else if (previous.media !== media) fullBecause = `--media changed from ${previous.media} to ${media}`
  else {
    try {
      const cursor = decodeCursor(previous.cursor, idCheckFor(payload.db.defaultIDType, payload.db.name))
      assertServable(cursor, log)
      changedKeys = await changesSince(payload, cursor as DeltaCursor, log)
      // The site's base URL is in every permalink and media path.
      if (changedKeys.has('global:site-settings')) {
        fullBecause = 'site settings changed'
        changedKeys = undefined
      }
    } catch (error) {
      if (!(error instanceof CursorGone) && !(error instanceof MalformedCursor)) throw error
      fullBecause = 'the change log no longer serves the previous cursor (a restore, or compaction)'
    }
  }
  const mode = changedKeys ? 'delta' : 'full'

  const writer = new ExportWriter(dir, previous?.files ?? {}, resumingPartial)
  const files: Record<string, FileEntry> = mode === 'delta' ? { ...previous!.files } : {}
  const documents: Record<string, DocumentEntry> = mode === 'delta' ? { ...previous!.documents } : {}
  const pending = new Map<string, Pending>()
  const pendingFor = (key: string) => {
    let entry = pending.get(key)
    if (!entry) pending.set(key, (entry = { files: new Set(), refs: new Set(), media: new Set() }))
    return entry
  }

  // Progress: documents (per locale) read, then media files.
  let done = 0
  let total = 0
  const progress = (item: string) => onProgress?.({ done, total: Math.max(total, done), item })

  const exportDocument = (collection: string, raw: Doc, locale: string) => {
    const entry = pendingFor(keyOf(collection, raw.id))
    const doc = withoutBlockIds(urls.rewrite(raw, entry.media))
    const file = documentFile(collection, doc, { scheme, locale, format })
    files[file.path] = writer.write(file.path, file.content)
    entry.files.add(file.path)
    for (const ref of referencesOf(collection, raw)) entry.refs.add(ref)
    done += 1
    progress(file.path)
  }
  const exportGlobal = (slug: string, raw: Doc, locale: string) => {
    const entry = pendingFor(`global:${slug}`)
    const file = globalFile(slug, withoutBlockIds(urls.rewrite(raw, entry.media)), { scheme, locale, format })
    files[file.path] = writer.write(file.path, file.content)
    entry.files.add(file.path)
  }

  // Every published document of these collections, and the globals, through the full sync's pages.
  const readAll = async (collections: string[], locale: string) => {
    const reader = await readerFor(locale, collections, GLOBALS)
    let cursor = null
    for (;;) {
      const page = await readFullPage(reader, log, cursor)
      for (const change of page.changes) {
        if ('global' in change) exportGlobal(change.global, change.doc, locale)
        else if (change.op === 'upsert') exportDocument(change.collection, change.doc, locale)
      }
      if (!page.hasMore) return
      cursor = decodeCursor(page.nextCursor, () => true)
      if (cursor.mode !== 'full') return
    }
  }

  const everyRun = mode === 'full' ? [...BY_DELTA, ...READ_EVERY_RUN] : READ_EVERY_RUN
  const countReq = await publicLocalRequest(baseReq)
  for (const collection of everyRun) {
    total += (await payload.count({ collection: collection as never, overrideAccess: false, req: countReq })).totalDocs * scheme.locales.length
  }

  let toRead: (number | string)[] = []
  if (mode === 'delta') {
    // What changed, and what shows something that changed.
    const wanted = new Set<string>()
    for (const key of changedKeys!) if (BY_DELTA.some((collection) => key.startsWith(`${collection}:`))) wanted.add(key)
    for (const [key, entry] of Object.entries(documents)) {
      if (BY_DELTA.some((collection) => key.startsWith(`${collection}:`)) && entry.refs.some((ref) => changedKeys!.has(ref))) wanted.add(key)
    }
    const numeric = payload.db.defaultIDType === 'number'
    toRead = [...wanted].map((key) => key.slice(key.indexOf(':') + 1)).map((id) => (numeric ? Number(id) : id))
    total += toRead.length * scheme.locales.length
  }

  for (const locale of scheme.locales) {
    await readAll(everyRun, locale)
    if (mode === 'delta') {
      const reader = await readerFor(locale, BY_DELTA, [])
      for (let start = 0; start < toRead.length; start += PAGE_SIZE) {
        const ids = toRead.slice(start, start + PAGE_SIZE)
        for (const doc of await findPublished(reader, 'posts', { id: { in: ids } }, ids.length)) exportDocument('posts', doc, locale)
      }
    }
  }

  // Redirects: one list, written whole.
  {
    // The same lists as GET /api/redirects/export/{json,netlify}: automatic and hand-made redirects,
    // chains followed to their end, none ending at a document the public cannot read.
    const redirectReq = await publicLocalRequest(baseReq)
    const redirects = await exportRedirects(redirectReq)
    const names = redirectFiles(format)
    const entry = pendingFor('site:redirects')
    files[names.json] = writer.write(names.json, jsonText(await redirectMap(redirectReq)))
    files[names.netlify] = writer.write(names.netlify, netlifyRedirects(redirects))
    entry.files.add(names.json).add(names.netlify)
  }

  // Documents that are gone: in a full run, every one not read; in a delta, those asked for and not
  // found (unpublished or deleted), and any of the every-run collections not read.
  const read = new Set(pending.keys())
  const askedFor = new Set(toRead.map((id) => keyOf('posts', id)))
  const gone = Object.keys(mode === 'full' ? (previous?.documents ?? {}) : documents).filter((key) => {
    if (read.has(key)) return false
    if (mode === 'full') return true
    const collection = key.slice(0, key.indexOf(':'))
    return READ_EVERY_RUN.includes(collection) || collection === 'global' || askedFor.has(key)
  })
  const stale = (key: string, keep: Set<string>) => {
    for (const file of (previous?.documents[key]?.files ?? [])) {
      if (!keep.has(file) && fs.existsSync(path.join(dir, file))) {
        writer.remove(file)
        delete files[file]
      }
    }
  }
  for (const key of gone) {
    stale(key, new Set())
    delete documents[key]
  }
  for (const [key, entry] of pending) {
    // A renamed slug leaves its old files behind unless they are removed here.
    stale(key, entry.files)
    documents[key] = { files: [...entry.files].sort(), refs: [...entry.refs].sort(), media: [...entry.media].sort() }
  }

  // Media files the exported documents show.
  const mediaFiles: Record<string, MediaEntry> = {}
  const missingMedia: string[] = []
  if (media === 'copy') {
    const needed = new Set<string>()
    for (const entry of Object.values(documents)) for (const name of entry.media) needed.add(name)
    const storage = uploadStorage(payload.collections.media.config)!
    total = done + needed.size
    for (const name of [...needed].sort()) {
      const relative = `${mediaFolder(format)}/${name}`
      const from = isPlainFilename(name) ? await storage.localFile(name).catch(() => undefined) : undefined
      let stat: fs.Stats
      try {
        if (!from) throw new Error('missing')
        stat = fs.statSync(from)
      } catch {
        missingMedia.push(name)
        continue
      }
      const known = previous?.mediaFiles[relative]
      if (known && !resumingPartial && known.bytes === stat.size && known.sourceMtimeMs === stat.mtimeMs && fs.existsSync(path.join(dir, relative))) {
        mediaFiles[relative] = known
        writer.countUnchanged()
      } else {
        mediaFiles[relative] = { ...(await writer.copy(relative, from)), sourceMtimeMs: stat.mtimeMs }
      }
      done += 1
      progress(relative)
    }
  }
  for (const relative of Object.keys(previous?.mediaFiles ?? {})) {
    if (!mediaFiles[relative]) writer.remove(relative)
  }

  const manifest: SiteExportManifest = {
    format: SITE_EXPORT_FORMAT,
    formatVersion: SITE_EXPORT_VERSION,
    contentFormat: format,
    media,
    cursor: encodeCursor({ mode: 'delta', epoch: log.epoch, position: log.head }),
    files,
    mediaFiles,
    documents,
  }
  // Last: the manifest says the folder is whole; unchanged, it is not written again.
  const text = manifestText(manifest)
  const manifestFile = path.join(dir, MANIFEST_FILE)
  const manifestWritten = !fs.existsSync(manifestFile) || fs.readFileSync(manifestFile, 'utf8') !== text
  if (manifestWritten) {
    fs.writeFileSync(`${manifestFile}.${process.pid}.tmp`, text)
    fs.renameSync(`${manifestFile}.${process.pid}.tmp`, manifestFile)
  }
  fs.rmSync(path.join(dir, PARTIAL_MARKER))

  const allFiles = [...Object.values(files), ...Object.values(mediaFiles)]
  return {
    mode,
    fullBecause,
    documents: Object.keys(documents).filter((key) => !key.startsWith('global:') && !key.startsWith('site:')).length,
    documentsRead: [...pending.keys()].filter((key) => !key.startsWith('global:') && !key.startsWith('site:')).length,
    files: allFiles.length,
    ...writer.counts,
    totalBytes: allFiles.reduce((sum, entry) => sum + entry.bytes, 0),
    manifestWritten,
    missingMedia,
    seconds: (Date.now() - started) / 1000,
  }
}

/** The change-log keys (`posts:12`, `media:3`, `global:header`) of every change after the cursor, up to the head read at the start. */
const changesSince = async (payload: Payload, cursor: DeltaCursor, log: LogState): Promise<Set<string>> => {
  const keys = new Set<string>()
  let after = cursor.position
  while (after < log.head) {
    const changes = await readChangesAfter(payload, after, 1000)
    if (changes.length === 0) break
    for (const change of changes) {
      if (change.position > log.head) return keys
      keys.add(change.globalSlug ? `global:${change.globalSlug}` : `${change.collectionSlug}:${change.documentId}`)
    }
    after = changes[changes.length - 1].position
  }
  return keys
}
