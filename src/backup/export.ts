import fs from 'node:fs'
import path from 'node:path'

import type { CollectionSlug, GlobalSlug, Payload, PayloadRequest } from 'payload'
import { createLocalReq } from 'payload'

import { backedUpDocuments, backupCollections, backupGlobals, databaseKind, uploadFilenames, uploadStorage } from './content'
import { JsonlWriter } from './jsonl'
import type { DataFileEntry, DataFileKind, Manifest, MediaFileEntry } from './manifest'
import {
  BACKUP_FORMAT,
  BackupError,
  FORMAT_VERSION,
  copyWithChecksum,
  dataFilePath,
  isPlainFilename,
  mediaFilePath,
  secretFingerprint,
  writeManifest,
} from './manifest'
import type { ProgressListener } from './progress'

export type ExportOptions = { onProgress?: ProgressListener }

export type ExportSummary = { manifest: Manifest; documents: number; mediaFiles: number; seconds: number }

const PAGE_SIZE = 250

type Page = { docs: Record<string, unknown>[]; hasNextPage: boolean }

const packageVersion = (file: string) => {
  try {
    return String(JSON.parse(fs.readFileSync(path.resolve(file), 'utf8')).version)
  } catch {
    return 'unknown'
  }
}

/**
 * PostgreSQL exports read from one snapshot, so a backup taken while editors work is consistent.
 * SQLite would have to lock out writers for the whole export (Payload's SQLite transactions are
 * write transactions), and MongoDB needs a replica set: they read without one.
 */
const openSnapshot = async (payload: Payload): Promise<{ req: PayloadRequest; close: () => Promise<void> }> => {
  const req = await createLocalReq({}, payload)
  if (databaseKind(payload) !== 'postgres') return { req, close: async () => {} }
  const id = await payload.db.beginTransaction({ isolationLevel: 'repeatable read', accessMode: 'read only' })
  req.transactionID = id ?? undefined
  return { req, close: async () => (id ? payload.db.commitTransaction(id) : undefined) }
}

/**
 * Writes every collection (but payload-migrations and payload-locked-documents), the versions of
 * collections and globals that keep them, every global and the upload files into `outDir`, which
 * must be new or empty. Reads through the database adapter: documents exactly as stored, hidden
 * fields (password hashes, encrypted API keys) included, no hooks.
 */
export const exportBackup = async (payload: Payload, outDir: string, { onProgress }: ExportOptions = {}): Promise<ExportSummary> => {
  const started = Date.now()
  const dir = path.resolve(outDir)
  if (fs.existsSync(dir) && (!fs.statSync(dir).isDirectory() || fs.readdirSync(dir).length > 0)) {
    throw new BackupError(`${dir} already exists and is not an empty directory; export into a new one.`)
  }
  fs.mkdirSync(dir, { recursive: true })

  const collections = backupCollections(payload)
  const globals = backupGlobals(payload)
  const { req, close } = await openSnapshot(payload)
  try {
    let total = 0
    for (const { slug, versions } of collections) {
      total += (await payload.db.count({ collection: slug, req, where: backedUpDocuments(slug) })).totalDocs
      if (versions) total += (await payload.db.countVersions({ collection: slug, req })).totalDocs
    }
    for (const { slug, versions } of globals) {
      total += 1
      if (versions) total += (await payload.db.countGlobalVersions({ global: slug, req })).totalDocs
    }
    let done = 0
    const progress = (item: string) => onProgress?.({ done, total: Math.max(total, done), item })

    const files: DataFileEntry[] = []
    const writeFile = async (kind: DataFileKind, slug: string, fill: (write: (doc: unknown) => Promise<void>) => Promise<void>) => {
      const relative = dataFilePath(kind, slug)
      fs.mkdirSync(path.join(dir, path.dirname(relative)), { recursive: true })
      const writer = new JsonlWriter(path.join(dir, relative))
      await fill(async (doc) => {
        await writer.write(doc)
        done += 1
        progress(relative)
      })
      files.push({ kind, slug, path: relative, ...(await writer.close()) })
    }
    const eachPage = async (read: (page: number) => Promise<Page>, write: (doc: unknown) => Promise<void>) => {
      for (let page = 1; ; page += 1) {
        const result = await read(page)
        for (const doc of result.docs) await write(doc)
        if (!result.hasNextPage || result.docs.length === 0) return
      }
    }

    const uploads = new Map<string, Set<string>>()
    for (const collection of collections) {
      const slug = collection.slug as CollectionSlug
      const filenames = collection.upload ? new Set<string>() : undefined
      if (filenames) uploads.set(slug, filenames)
      await writeFile('collection', slug, (write) =>
        eachPage(
          (page) =>
            payload.db.find({ collection: slug, limit: PAGE_SIZE, page, pagination: true, req, sort: 'id', where: backedUpDocuments(slug) }) as Promise<Page>,
          async (doc) => {
            if (filenames) for (const name of uploadFilenames(doc as Record<string, unknown>)) filenames.add(name)
            await write(doc)
          },
        ),
      )
      if (collection.versions) {
        await writeFile('versions', slug, (write) =>
          eachPage(
            (page) => payload.db.findVersions({ collection: slug, limit: PAGE_SIZE, page, pagination: true, req, sort: 'id' }) as Promise<Page>,
            write,
          ),
        )
      }
    }
    for (const global of globals) {
      const slug = global.slug as GlobalSlug
      await writeFile('global', slug, async (write) => {
        const doc = (await payload.db.findGlobal({ slug, req })) as Record<string, unknown> | null
        // A global nobody has saved yet has no row: an empty file.
        if (doc && Object.keys(doc).some((key) => key !== 'globalType')) await write(doc)
        else done += 1
      })
      if (global.versions) {
        await writeFile('global-versions', slug, (write) =>
          eachPage(
            (page) => payload.db.findGlobalVersions({ global: slug, limit: PAGE_SIZE, page, pagination: true, req, sort: 'id' }) as Promise<Page>,
            write,
          ),
        )
      }
    }

    const media: MediaFileEntry[] = []
    const missingMedia: string[] = []
    const mediaTotal = [...uploads.values()].reduce((sum, names) => sum + names.size, 0)
    total = done + mediaTotal
    for (const [collection, filenames] of uploads) {
      const storage = uploadStorage(payload.collections[collection as CollectionSlug].config)!
      fs.mkdirSync(path.join(dir, 'media', collection), { recursive: true })
      for (const filename of [...filenames].sort()) {
        done += 1
        const source = isPlainFilename(filename) ? await storage.localFile(filename) : undefined
        if (!source) {
          missingMedia.push(`${collection}/${filename}`)
          continue
        }
        const relative = mediaFilePath(collection, filename)
        media.push({ collection, path: relative, ...(await copyWithChecksum(source, path.join(dir, relative))) })
        progress(relative)
      }
    }

    const manifest: Manifest = {
      format: BACKUP_FORMAT,
      formatVersion: FORMAT_VERSION,
      createdAt: new Date().toISOString(),
      greenroomVersion: packageVersion('package.json'),
      payloadVersion: packageVersion('node_modules/payload/package.json'),
      source: { database: databaseKind(payload), idType: payload.db.defaultIDType },
      secretFingerprint: secretFingerprint(payload.secret),
      files,
      media,
      missingMedia,
    }
    // Last: a directory with a manifest is a finished export.
    writeManifest(dir, manifest)
    return {
      manifest,
      documents: files.reduce((sum, file) => sum + file.count, 0),
      mediaFiles: media.length,
      seconds: (Date.now() - started) / 1000,
    }
  } finally {
    await close()
  }
}
