import crypto from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { pipeline } from 'node:stream/promises'

import type { DatabaseKind } from '../db/databaseAdapter'

/**
 * A backup directory:
 *
 *   manifest.json                    written last: a directory without one is an unfinished export
 *   collections/<slug>.jsonl         one document per line, as the database adapter stores it
 *   versions/<slug>.jsonl            versions and drafts of collections with `versions`
 *   globals/<slug>.jsonl             zero or one line
 *   global-versions/<slug>.jsonl     versions of globals with `versions`
 *   media/<collection>/<filename>    the upload files, resized images included
 */
export const BACKUP_FORMAT = 'greenroom-backup'
export const FORMAT_VERSION = 1
export const MANIFEST_FILE = 'manifest.json'

export type DataFileKind = 'collection' | 'versions' | 'global' | 'global-versions'

const KIND_DIRECTORIES: Record<DataFileKind, string> = {
  collection: 'collections',
  versions: 'versions',
  global: 'globals',
  'global-versions': 'global-versions',
}

export type DataFileEntry = {
  kind: DataFileKind
  slug: string
  /** Relative to the backup directory, always `<kind directory>/<slug>.jsonl`. */
  path: string
  /** Lines, one document each. */
  count: number
  bytes: number
  sha256: string
}

export type MediaFileEntry = {
  /** The upload collection the file belongs to. */
  collection: string
  /** Relative to the backup directory, always `media/<collection>/<filename>`. */
  path: string
  bytes: number
  sha256: string
}

export type Manifest = {
  format: typeof BACKUP_FORMAT
  formatVersion: number
  createdAt: string
  greenroomVersion: string
  payloadVersion: string
  source: {
    database: DatabaseKind
    /** Payload's id type on the source: numbers on SQL databases, ObjectId strings on MongoDB. */
    idType: 'number' | 'text'
  }
  /**
   * An HMAC of a constant under the source's PAYLOAD_SECRET: API keys are stored encrypted with
   * that secret, so import checks the target uses the same one without the secret leaving the server.
   */
  secretFingerprint: string
  files: DataFileEntry[]
  media: MediaFileEntry[]
  /** Files that documents name but that were not in the media folder when the export ran. */
  missingMedia: string[]
}

/** A refusal or failure with a message meant for the person running the command; no stack trace needed. */
export class BackupError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options)
    this.name = 'BackupError'
  }
}

export const dataFilePath = (kind: DataFileKind, slug: string): string => `${KIND_DIRECTORIES[kind]}/${slug}.jsonl`

export const mediaFilePath = (collection: string, filename: string): string => `media/${collection}/${filename}`

/** A file name Payload could have written: no directories, nothing hidden behind `..`. */
export const isPlainFilename = (name: string): boolean =>
  name.length > 0 && name === path.basename(name) && name !== '.' && name !== '..' && !name.includes('\\')

export const secretFingerprint = (secret: string): string =>
  crypto.createHmac('sha256', secret).update(BACKUP_FORMAT).digest('hex').slice(0, 16)

export const sha256File = async (file: string): Promise<{ sha256: string; bytes: number }> => {
  const hash = crypto.createHash('sha256')
  let bytes = 0
  await pipeline(fs.createReadStream(file), async function* (chunks: AsyncIterable<Buffer>) {
    for await (const chunk of chunks) {
      hash.update(chunk)
      bytes += chunk.length
    }
  })
  return { sha256: hash.digest('hex'), bytes }
}

/** Copies a file and returns the checksum of what was read, so each byte is read once. */
export const copyWithChecksum = async (from: string, to: string): Promise<{ sha256: string; bytes: number }> => {
  const hash = crypto.createHash('sha256')
  let bytes = 0
  await pipeline(
    fs.createReadStream(from),
    async function* (chunks: AsyncIterable<Buffer>) {
      for await (const chunk of chunks) {
        hash.update(chunk)
        bytes += chunk.length
        yield chunk
      }
    },
    fs.createWriteStream(to, { flags: 'wx' }),
  )
  return { sha256: hash.digest('hex'), bytes }
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

const isCount = (value: unknown): value is number => Number.isInteger(value) && (value as number) >= 0
const isSha256 = (value: unknown): value is string => typeof value === 'string' && /^[0-9a-f]{64}$/.test(value)

/**
 * Reads manifest.json and checks its shape: the format, a version this code understands, and file
 * entries whose paths stay inside the backup directory. Says everything that is wrong at once.
 */
export const readManifest = (dir: string): Manifest => {
  const file = path.join(dir, MANIFEST_FILE)
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) throw new BackupError(`${dir} is not a directory.`)
  if (!fs.existsSync(file)) {
    throw new BackupError(
      `${dir} has no ${MANIFEST_FILE}: it is not a Greenroom backup, or the export that wrote it did not finish.`,
    )
  }
  let raw: unknown
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'))
  } catch (error) {
    throw new BackupError(`${file} is not readable JSON: ${(error as Error).message}`)
  }
  if (!isRecord(raw) || raw.format !== BACKUP_FORMAT) {
    throw new BackupError(`${file} is not a Greenroom backup manifest (its "format" is not "${BACKUP_FORMAT}").`)
  }
  if (!Number.isInteger(raw.formatVersion) || (raw.formatVersion as number) < 1) {
    throw new BackupError(`${file} has no valid formatVersion.`)
  }
  if ((raw.formatVersion as number) > FORMAT_VERSION) {
    throw new BackupError(
      `${dir} was written in backup format ${raw.formatVersion as number} by Greenroom ${String(raw.greenroomVersion)}; ` +
        `this Greenroom reads format ${FORMAT_VERSION}. Import it with that Greenroom version or newer.`,
    )
  }

  const problems: string[] = []
  const source = isRecord(raw.source) ? raw.source : {}
  if (!['sqlite', 'postgres', 'mongodb'].includes(source.database as string)) problems.push('source.database is missing or unknown')
  if (source.idType !== 'number' && source.idType !== 'text') problems.push('source.idType is missing or unknown')
  if (typeof raw.secretFingerprint !== 'string') problems.push('secretFingerprint is missing')
  if (!Array.isArray(raw.files)) problems.push('"files" is not a list')
  if (!Array.isArray(raw.media)) problems.push('"media" is not a list')

  const seen = new Set<string>()
  const checkEntries = (list: unknown, noun: string, isValid: (entry: Record<string, unknown>) => boolean) => {
    for (const entry of Array.isArray(list) ? list : []) {
      const label = isRecord(entry) && typeof entry.path === 'string' ? entry.path : JSON.stringify(entry)
      if (!isRecord(entry) || !isValid(entry) || !isCount(entry.bytes) || !isSha256(entry.sha256)) {
        problems.push(`${noun} entry ${label} is malformed`)
      } else if (seen.has(label)) {
        problems.push(`${label} is listed twice`)
      }
      seen.add(label)
    }
  }
  checkEntries(
    raw.files,
    'file',
    (entry) =>
      Object.hasOwn(KIND_DIRECTORIES, String(entry.kind)) &&
      typeof entry.slug === 'string' &&
      entry.path === dataFilePath(entry.kind as DataFileKind, entry.slug) &&
      isCount(entry.count),
  )
  checkEntries(raw.media, 'media', (entry) => {
    const filename = typeof entry.path === 'string' ? entry.path.split('/').slice(2).join('/') : ''
    return typeof entry.collection === 'string' && isPlainFilename(filename) && entry.path === mediaFilePath(entry.collection, filename)
  })
  if (problems.length) throw new BackupError(`${file} is damaged:\n  - ${problems.join('\n  - ')}`)
  return { missingMedia: [], ...raw } as unknown as Manifest
}

export const writeManifest = (dir: string, manifest: Manifest): void => {
  fs.writeFileSync(path.join(dir, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`)
}
