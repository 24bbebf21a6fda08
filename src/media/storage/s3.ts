import { createHash, randomUUID } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { pipeline } from 'node:stream/promises'
import type { Readable } from 'node:stream'

import { S3 } from '@aws-sdk/client-s3'
import { LRUCache } from 'lru-cache'

import type { ObjectStorageSettings } from './settings'
import type { HeldFiles, HoldManifest, MediaStorage } from './types'

/** Greenroom's own objects in the bucket; Payload's file names never start with a dot. */
const HELD_PREFIX = '.greenroom/held/'

type Head = { etag: string; size: number }

const isMissing = (error: unknown) => {
  const { name, $metadata } = error as { name?: string; $metadata?: { httpStatusCode?: number } }
  return name === 'NotFound' || name === 'NoSuchKey' || $metadata?.httpStatusCode === 404
}
const isChanged = (error: unknown) => (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 412

const exists = (file: string) =>
  fs.promises.stat(file).then(
    () => true,
    () => false,
  )

/**
 * Media in an S3-compatible bucket, named as `@payloadcms/storage-s3` stores them (the file name is
 * the key). Each instance serves from a copy on its own disk (`<MEDIA_DIR>/.objects/<name>/<version>`),
 * fetched once per version of the bytes: the version is the object's ETag, asked once per version of
 * its document (a HEAD), so serving a file costs no request to the bucket once this instance has it.
 */
export const s3Storage = (settings: ObjectStorageSettings, cacheDir: string): MediaStorage => {
  const client = new S3(settings.client)
  const Bucket = settings.bucket
  // Only found objects are kept: a document is read (and its URLs versioned) before Payload's adapter
  // uploads its files, so "missing" may turn true under the same stamp.
  const heads = new LRUCache<string, Head>({ max: 20_000 })
  const downloads = new Map<string, Promise<string | undefined>>()

  const headOf = async (filename: string, stamp?: string | null): Promise<Head | undefined> => {
    const key = stamp ? `${filename}\n${stamp}` : undefined
    const kept = key ? heads.get(key) : undefined
    if (kept) return kept
    try {
      const answer = await client.headObject({ Bucket, Key: filename })
      const head = { etag: answer.ETag ?? '', size: answer.ContentLength ?? 0 }
      if (key) heads.set(key, head)
      return head
    } catch (error) {
      if (!isMissing(error)) throw error
      return undefined
    }
  }

  // The ETag is the bytes' MD5 for a plain upload, and a digest of the parts' for a multipart one:
  // either way other bytes give another tag.
  const versionOfHead = (head: Head) => createHash('sha256').update(head.etag).digest('hex').slice(0, 16)

  const download = async (filename: string, head: Head, target: string): Promise<string | undefined> => {
    const folder = path.dirname(target)
    await fs.promises.mkdir(folder, { recursive: true })
    const temporary = path.join(folder, `.${randomUUID()}.downloading`)
    try {
      // If-Match: bytes other than the version asked for (replaced meanwhile) are not kept under its name.
      const answer = await client.getObject({ Bucket, Key: filename, IfMatch: head.etag })
      await pipeline(answer.Body as Readable, fs.createWriteStream(temporary))
      await fs.promises.rename(temporary, target)
    } catch (error) {
      await fs.promises.rm(temporary, { force: true })
      if (isMissing(error) || isChanged(error)) return undefined
      throw error
    }
    // Older versions of the same file are no use any more.
    for (const entry of await fs.promises.readdir(folder)) {
      if (entry !== path.basename(target) && !entry.startsWith('.')) await fs.promises.rm(path.join(folder, entry), { force: true })
    }
    return target
  }

  const localFile = async (filename: string, stamp?: string | null, retry = true): Promise<string | undefined> => {
    const head = await headOf(filename, stamp)
    if (!head) return undefined
    const target = path.join(cacheDir, '.objects', filename, versionOfHead(head))
    if (await exists(target)) return target
    let pending = downloads.get(target)
    if (!pending) {
      pending = download(filename, head, target).finally(() => downloads.delete(target))
      downloads.set(target, pending)
    }
    const found = await pending
    if (found || !retry) return found
    // Replaced or removed since the HEAD that was kept: ask again.
    if (stamp) heads.delete(`${filename}\n${stamp}`)
    return localFile(filename, undefined, false)
  }

  const copy = async (from: string, to: string) => {
    try {
      await client.copyObject({ Bucket, Key: to, CopySource: encodeURI(`${Bucket}/${from}`) })
      return true
    } catch (error) {
      if (isMissing(error)) return false
      throw error
    }
  }

  const heldFiles = (folder: string, files: string[]): HeldFiles => ({
    putBack: async (names = files) => {
      for (const name of names) await copy(`${folder}${name}`, name)
    },
    release: async () => {
      const Objects = [...files.map((name) => ({ Key: `${folder}${name}` })), { Key: `${folder}manifest.json` }]
      await client.deleteObjects({ Bucket, Delete: { Objects, Quiet: true } })
    },
  })

  return {
    kind: 's3',
    directory: cacheDir,
    versionOf: async (filename, stamp) => {
      const head = await headOf(filename, stamp)
      return head && versionOfHead(head)
    },
    localFile: (filename, stamp) => localFile(filename, stamp),
    read: async (filename) => {
      try {
        const answer = await client.getObject({ Bucket, Key: filename })
        return Buffer.from(await answer.Body!.transformToByteArray())
      } catch (error) {
        if (isMissing(error)) return undefined
        throw error
      }
    },
    write: async (filename, bytes, contentType) => {
      await client.putObject({ Bucket, Key: filename, Body: bytes, ContentType: contentType })
    },
    remove: async (filename) => {
      await client.deleteObject({ Bucket, Key: filename })
    },
    // Server-side copies under `.greenroom/held/<token>/`: the bucket copies, nothing crosses the network.
    hold: async (files: string[], manifest: HoldManifest) => {
      const folder = `${HELD_PREFIX}${randomUUID()}/`
      await client.putObject({ Bucket, Key: `${folder}manifest.json`, Body: JSON.stringify(manifest), ContentType: 'application/json' })
      const copied: string[] = []
      for (const name of files) if (await copy(name, `${folder}${name}`)) copied.push(name)
      return heldFiles(folder, copied)
    },
    dropLocalCopies: async (files) => {
      for (const name of files) await fs.promises.rm(path.join(cacheDir, '.objects', name), { recursive: true, force: true })
    },
    heldWrites: async () => {
      const byFolder = new Map<string, string[]>()
      let ContinuationToken: string | undefined
      do {
        const page = await client.listObjectsV2({ Bucket, Prefix: HELD_PREFIX, ContinuationToken })
        for (const { Key } of page.Contents ?? []) {
          if (!Key) continue
          const folder = Key.slice(0, Key.indexOf('/', HELD_PREFIX.length) + 1)
          const name = Key.slice(folder.length)
          if (!byFolder.has(folder)) byFolder.set(folder, [])
          if (name !== 'manifest.json') byFolder.get(folder)!.push(name)
        }
        ContinuationToken = page.IsTruncated ? page.NextContinuationToken : undefined
      } while (ContinuationToken)
      return Promise.all(
        [...byFolder].map(async ([folder, files]) => {
          const manifest = await client
            .getObject({ Bucket, Key: `${folder}manifest.json` })
            .then(async (answer) => JSON.parse(await answer.Body!.transformToString()) as HoldManifest)
            .catch(() => undefined)
          return { manifest, ...heldFiles(folder, files) }
        }),
      )
    },
  }
}
