import { createHash } from 'node:crypto'
import type { Stats } from 'node:fs'
import fs from 'node:fs'

import { LRUCache } from 'lru-cache'

/** What a file's bytes are, as far as caches care: its strong ETag and the short version media URLs carry (`?v=`). */
export type FileVersion = {
  /** A strong entity tag: the SHA-256 of the bytes. */
  etag: string
  /** The first 16 hex digits of the same digest, for `?v=` on media URLs. */
  version: string
  /** The stat the digest was taken under; a file whose stat differs now has not been hashed. */
  signature: string
  size: number
  mtime: Date
}

/**
 * Which bytes a file held when it was hashed. Payload never rewrites a stored file in place except to
 * overwrite a resized image of the same name (re-cropping), and every write replaces the inode or
 * changes size or mtime, so a file with the same signature holds the same bytes.
 */
export const signatureOf = (stat: Stats) => `${stat.dev}:${stat.ino}:${stat.size}:${stat.mtimeMs}`

/**
 * Content hashes, not `send`'s weak size-mtime tag: `If-Range` needs a strong validator (RFC 9110
 * 13.1.5), and a tag made of size and mtime alone would call two different images with the same size,
 * written in the same millisecond (a delete and re-upload under the same name), equal. The hash is
 * taken once per signature and kept for the most recently used files, so a request costs one stat.
 */
const hashes = new LRUCache<string, FileVersion>({ max: 20_000 })
const hashing = new Map<string, Promise<FileVersion>>()

const digestOf = (filePath: string): Promise<Buffer> =>
  new Promise((resolve, reject) => {
    const hash = createHash('sha256')
    fs.createReadStream(filePath)
      .on('error', reject)
      .on('data', (chunk) => hash.update(chunk))
      .on('end', () => resolve(hash.digest()))
  })

const hash = async (filePath: string, stat: Stats): Promise<FileVersion> => {
  const digest = await digestOf(filePath)
  // A file replaced while it was read: its digest belongs to neither version, so it is taken again.
  const after = await fs.promises.stat(filePath)
  if (signatureOf(after) !== signatureOf(stat)) return hash(filePath, after)
  return {
    etag: `"${digest.toString('base64url')}"`,
    version: digest.subarray(0, 8).toString('hex'),
    signature: signatureOf(stat),
    size: stat.size,
    mtime: stat.mtime,
  }
}

/** The version of the file at `filePath` as it is now; rejects like `fs.stat` when there is none. */
export const fileVersionOf = async (filePath: string): Promise<FileVersion> => {
  const stat = await fs.promises.stat(filePath)
  if (!stat.isFile()) throw Object.assign(new Error(`${filePath} is not a file`), { code: 'ENOENT' })
  const key = `${filePath}\n${signatureOf(stat)}`
  const known = hashes.get(key)
  if (known) return known
  let pending = hashing.get(key)
  if (!pending) {
    pending = hash(filePath, stat)
      .then((version) => {
        hashes.set(`${filePath}\n${version.signature}`, version)
        return version
      })
      .finally(() => hashing.delete(key))
    hashing.set(key, pending)
  }
  return pending
}
