import crypto from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'

import { jest } from '@jest/globals'
import type { CollectionSlug, Payload } from 'payload'

import { backedUpDocuments } from '../../src/backup/content'
import type * as ExportModule from '../../src/backup/export'
import type * as ImportModule from '../../src/backup/import'
import type { TestDatabaseKind } from './database'
import { createTestDatabase, testDatabaseKind } from './database'

/** A Payload instance on a database of its own, with the backup functions of its own module registry. */
export type OpenedPayload = {
  payload: Payload
  databaseUri: string
  mediaDir: string
  exportBackup: typeof ExportModule.exportBackup
  importBackup: typeof ImportModule.importBackup
  validateBackup: typeof ImportModule.validateBackup
  describeContents: typeof ImportModule.describeContents
}

export const tempDir = (name: string): string => {
  const dir = path.join(os.tmpdir(), 'greenroom-tests', `${name}-${process.pid}-${crypto.randomBytes(3).toString('hex')}`)
  fs.mkdirSync(dir, { recursive: true })
  return dir
}

/** A new database: an SQLite file in `dir`, or a new database on the server of that kind (see test/helpers/database.ts). */
export const newDatabaseUri = async (dir: string, name: string, kind: TestDatabaseKind = testDatabaseKind()): Promise<string> => {
  if (kind === 'sqlite') return `file:${path.join(dir, `${name}.db`)}`
  const suiteKind = process.env.TEST_DATABASE
  process.env.TEST_DATABASE = kind
  try {
    return (await createTestDatabase())!
  } finally {
    if (suiteKind === undefined) delete process.env.TEST_DATABASE
    else process.env.TEST_DATABASE = suiteKind
  }
}

/**
 * Payload's config picks its database adapter and media folder when it is evaluated, once per module
 * registry; a test that needs several databases evaluates it again in an isolated registry for each,
 * and keys getPayload's cache by database. The schema comes from the committed migrations, as in
 * initPayload. Close what this returns with closePayload.
 */
export const openPayload = async (databaseUri: string, mediaDir: string): Promise<OpenedPayload> => {
  const saved = { DATABASE_URI: process.env.DATABASE_URI, MEDIA_DIR: process.env.MEDIA_DIR }
  process.env.DATABASE_URI = databaseUri
  process.env.MEDIA_DIR = mediaDir
  try {
    let opened: OpenedPayload | undefined
    await jest.isolateModulesAsync(async () => {
      // One at a time: jest's ESM loader fails to link modules that parallel imports share.
      // Awaited here: the config loads its database adapter while it resolves, and getPayload returns a cached
      // instance without awaiting it, which would leave that loading to run outside the isolated registry.
      const config = await (await import('@payload-config')).default
      const { getPayload } = await import('payload')
      const sqlite = await import('../../src/migrations/sqlite')
      const postgres = await import('../../src/migrations/postgres')
      const exporter = await import('../../src/backup/export')
      const importer = await import('../../src/backup/import')
      const payload = await getPayload({ config, key: databaseUri })
      const migrations = { sqlite: sqlite.migrations, postgres: postgres.migrations }[payload.db.name as string]
      if (migrations) await payload.db.migrate({ migrations: migrations as never })
      opened = {
        payload,
        databaseUri,
        mediaDir,
        exportBackup: exporter.exportBackup,
        importBackup: importer.importBackup,
        validateBackup: importer.validateBackup,
        describeContents: importer.describeContents,
      }
    })
    return opened!
  } finally {
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key]
      else process.env[key] = value
    }
  }
}

export type BackupFiles = Record<string, Record<string, unknown>[]>

/** Every data file of a backup directory, parsed: { 'collections/posts.jsonl': [...] }. */
export const readBackupFiles = (dir: string): BackupFiles => {
  const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as { files: { path: string }[] }
  return Object.fromEntries(
    manifest.files.map(({ path: relative }) => [
      relative,
      fs
        .readFileSync(path.join(dir, relative), 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as Record<string, unknown>),
    ]),
  )
}

export const sha256 = (file: string): string => crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex')

/** A manifest edit that keeps the directory otherwise valid: recomputes a file's checksum and size. */
export const rewriteBackupFile = (dir: string, relative: string, edit: (text: string) => string): void => {
  const file = path.join(dir, relative)
  fs.writeFileSync(file, edit(fs.readFileSync(file, 'utf8')))
  const manifestFile = path.join(dir, 'manifest.json')
  const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8'))
  const entry = [...manifest.files, ...manifest.media].find((candidate: { path: string }) => candidate.path === relative)
  entry.sha256 = sha256(file)
  entry.bytes = fs.statSync(file).size
  fs.writeFileSync(manifestFile, JSON.stringify(manifest, null, 2))
}

export const copyDir = (from: string, to: string): string => {
  fs.cpSync(from, to, { recursive: true })
  return to
}

/** An admin of that database, for reads that readers may not make (drafts). */
export const someAdmin = async (payload: Payload) => {
  const { docs } = await payload.find({ collection: 'users', where: { role: { equals: 'admin' } }, limit: 1, depth: 0, overrideAccess: true })
  return { ...docs[0], collection: 'users' as const }
}

/**
 * Plain copies of objects and arrays: the two databases' adapters give some values other prototypes, which deep
 * equality would count though they hold the same data.
 */
const asPlainData = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.map(asPlainData)
  if (!value || typeof value !== 'object') return value
  return Object.fromEntries(Object.entries(value).map(([key, child]) => [key, asPlainData(child)]))
}

/**
 * Every document the Local API returns (depth 0, hidden fields shown): the collections, the
 * versions, what an editor sees with drafts, and the globals. What a restore must reproduce.
 */
export const readEverything = async (payload: Payload, collections: string[], globals: string[]) => {
  const user = await someAdmin(payload)
  const result: Record<string, unknown> = {}
  for (const slug of collections) {
    const collection = slug as CollectionSlug
    const options = { collection, depth: 0, overrideAccess: true, pagination: false, showHiddenFields: true, sort: 'id', user } as const
    // The content version describes its own database and is not part of a backup.
    result[slug] = (await payload.find({ ...options, where: backedUpDocuments(slug) })).docs
    if (payload.collections[collection].config.versions) {
      result[`${slug} versions`] = (await payload.findVersions(options)).docs
      result[`${slug} drafts`] = (await payload.find({ ...options, draft: true })).docs
    }
  }
  for (const slug of globals) {
    result[`global ${slug}`] = await payload.findGlobal({ slug: slug as never, depth: 0, overrideAccess: true, showHiddenFields: true, user })
  }
  return asPlainData(result)
}
