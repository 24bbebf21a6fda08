import path from 'node:path'

import type { Payload, SanitizedCollectionConfig, SanitizedGlobalConfig, Where } from 'payload'

import type { DatabaseKind } from '../db/databaseAdapter'
import { CONTENT_VERSION_KEY } from '../changes/contentVersion'
import type { MediaStorage } from '../media/storage'
import { mediaStorage } from '../media/storage'
import { diskStorage } from '../media/storage/disk'

/**
 * Payload's own collections that a backup leaves out: the target database applies its own
 * migrations, and document locks belong to editing sessions on the old server (they expire after
 * a few minutes anyway), and the change log with the build deliveries and deploys that point into
 * it: their positions describe the database they were written in (an import starts a new log). Everything else is content or state that must survive: users with their
 * password hashes and sessions, scheduled-publish jobs, admin preferences, the plugins' collections.
 */
export const EXCLUDED_COLLECTIONS: readonly string[] = [
  'payload-migrations',
  'payload-locked-documents',
  'content-changes',
  'build-deliveries',
  'build-deploys',
]

export const backupCollections = (payload: Payload): SanitizedCollectionConfig[] =>
  payload.config.collections.filter(({ slug }) => !EXCLUDED_COLLECTIONS.includes(slug))

/**
 * The documents of a collection a backup holds. The content version (a key-value entry every
 * server writes at start, see src/changes/contentVersion.ts) belongs to the database it
 * describes: it is neither exported nor counted as content, and an import records a new one.
 */
export const backedUpDocuments = (slug: string): Where | undefined =>
  slug === 'payload-kv' ? { key: { not_equals: CONTENT_VERSION_KEY } } : undefined

export const backupGlobals = (payload: Payload): SanitizedGlobalConfig[] => payload.config.globals

export const databaseKind = (payload: Payload): DatabaseKind => {
  const name = payload.db.name
  if (name === 'sqlite' || name === 'postgres') return name
  if (name === 'mongoose') return 'mongodb'
  throw new Error(`Backups do not support the "${name}" database adapter.`)
}

/**
 * Where an upload collection keeps its files: media through src/media/storage (the media folder or a
 * bucket), any other upload collection in its own folder; undefined for collections without uploads.
 */
export const uploadStorage = (collection: SanitizedCollectionConfig): MediaStorage | undefined => {
  if (!collection.upload) return undefined
  if (collection.slug === 'media') return mediaStorage()
  const staticDir = typeof collection.upload === 'object' ? collection.upload.staticDir : undefined
  return diskStorage(path.resolve(staticDir || collection.slug))
}

/** The file names an upload document stores: the original and every resized image. */
export const uploadFilenames = (doc: Record<string, unknown>): string[] => {
  const names = typeof doc.filename === 'string' ? [doc.filename] : []
  const sizes = doc.sizes && typeof doc.sizes === 'object' ? Object.values(doc.sizes as Record<string, unknown>) : []
  for (const size of sizes) {
    const filename = (size as { filename?: unknown } | null)?.filename
    if (typeof filename === 'string' && filename) names.push(filename)
  }
  return [...new Set(names)]
}
