import fs from 'node:fs'
import path from 'node:path'

import { BackupError } from '../backup/manifest'

export const SITE_EXPORT_FORMAT = 'greenroom-site-export'
export const SITE_EXPORT_VERSION = 1
/** Written last: a folder with it (and without the marker) holds a finished export. */
export const MANIFEST_FILE = '.greenroom-export.json'
/** Written first and removed last: a folder with it holds an export that did not finish. */
export const PARTIAL_MARKER = '.greenroom-export.partial'

export type ContentFormat = 'json' | 'markdown'
export type MediaMode = 'copy' | 'link'

export type FileEntry = { sha256: string; bytes: number }
/** A copied media file also remembers the source's size and mtime, so an unchanged source is not read again. */
export type MediaEntry = FileEntry & { sourceMtimeMs: number }

/**
 * What one exported document (`posts:12`, `global:header`) put into the folder: its files (every
 * locale), what it shows of other documents (`media:3`, `categories:1`, `posts:7`, `users:2`: when
 * one of those changes, the document is read again), and the media files its content names.
 */
export type DocumentEntry = { files: string[]; refs: string[]; media: string[] }

export type SiteExportManifest = {
  format: typeof SITE_EXPORT_FORMAT
  formatVersion: number
  contentFormat: ContentFormat
  media: MediaMode
  /** The /api/sync delta cursor at which this export's content was read. */
  cursor: string
  files: Record<string, FileEntry>
  mediaFiles: Record<string, MediaEntry>
  documents: Record<string, DocumentEntry>
}

/** A refusal meant for the person running the command (printed without a stack, exit code 1). */
export class SiteExportError extends BackupError {
  constructor(message: string) {
    super(message)
    this.name = 'SiteExportError'
  }
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

/** A path the manifest may name: relative, inside the folder, forward slashes. */
export const isInsideFolder = (relative: string): boolean =>
  typeof relative === 'string' &&
  relative.length > 0 &&
  !relative.startsWith('/') &&
  !relative.includes('\\') &&
  relative.split('/').every((part) => part !== '' && part !== '.' && part !== '..')

export const readManifest = (dir: string): SiteExportManifest => {
  const file = path.join(dir, MANIFEST_FILE)
  let raw: unknown
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'))
  } catch (error) {
    throw new SiteExportError(`${file} is not readable JSON (${(error as Error).message}); export into a new folder, or pass --clean to start this one over.`)
  }
  if (!isRecord(raw) || raw.format !== SITE_EXPORT_FORMAT) throw new SiteExportError(`${file} is not a Greenroom site export manifest.`)
  if (raw.formatVersion !== SITE_EXPORT_VERSION) {
    throw new SiteExportError(`${dir} was written in site-export format ${String(raw.formatVersion)}; this Greenroom writes ${SITE_EXPORT_VERSION}: pass --clean to start it over.`)
  }
  const lists = [raw.files, raw.mediaFiles, raw.documents]
  const pathsOk =
    lists.every(isRecord) &&
    [...Object.keys(raw.files as object), ...Object.keys(raw.mediaFiles as object)].every(isInsideFolder) &&
    Object.values(raw.documents as object).every((entry) => isRecord(entry) && Array.isArray(entry.files) && entry.files.every(isInsideFolder))
  if (!pathsOk || (raw.contentFormat !== 'json' && raw.contentFormat !== 'markdown') || (raw.media !== 'copy' && raw.media !== 'link') || typeof raw.cursor !== 'string') {
    throw new SiteExportError(`${file} is damaged; pass --clean to start the export over.`)
  }
  return raw as unknown as SiteExportManifest
}

/** Keys in sorted order, so the same content gives the same bytes whatever order a run met it in. */
export const sortedKeys = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.map(sortedKeys)
  if (!isRecord(value)) return value
  const sorted: Record<string, unknown> = {}
  for (const key of Object.keys(value).sort()) sorted[key] = sortedKeys(value[key])
  return sorted
}

export const manifestText = (manifest: SiteExportManifest): string => `${JSON.stringify(sortedKeys(manifest), null, 1)}\n`
