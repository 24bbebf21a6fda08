import crypto from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'

import type { CollectionSlug, GlobalSlug, Payload, SanitizedCollectionConfig, SanitizedGlobalConfig } from 'payload'
import mimeTypes from 'mime-types'

import { restartChangeLog } from '../changes/contentVersion'
import type { MediaStorage } from '../media/storage'
import type { DocumentID, Reference, ReferenceVisitor } from '../utilities/documentReferences'
import { referencedCollections, visitDocumentReferences, visitGlobalReferences, visitVersionReferences } from '../utilities/documentReferences'
import { EXCLUDED_COLLECTIONS, backedUpDocuments, backupCollections, backupGlobals, uploadStorage } from './content'
import { readJsonl } from './jsonl'
import type { DataFileEntry, Manifest } from './manifest'
import { BackupError, readManifest, secretFingerprint, sha256File } from './manifest'
import type { ProgressListener } from './progress'
import type { VersionRow } from './target'
import { openRestoreTarget } from './target'

type Data = Record<string, unknown>

export type ImportOptions = {
  onProgress?: ProgressListener
  /** Warnings that do not stop the import (references to documents missing from the backup, no transaction). */
  onWarning?: (message: string) => void
  /** Restore although the target's PAYLOAD_SECRET differs from the source's: API keys and sessions stop working. */
  allowNewSecret?: boolean
  /**
   * `auto` keeps every id when source and target use the same id type (SQLite ↔ PostgreSQL, MongoDB ↔
   * MongoDB) and gives every document a new one otherwise. `renumber` always does: the tests use it
   * to exercise the SQL ↔ MongoDB path on SQL databases.
   */
  ids?: 'auto' | 'renumber'
}

export type ImportSummary = {
  documents: number
  mediaFiles: number
  /** Collections whose documents got new ids (SQL ↔ MongoDB). */
  renumbered: string[]
  /** References to documents the backup does not contain, left out because the target could not hold them. */
  droppedReferences: number
  transactional: boolean
  seconds: number
}

/** What validation learnt: the manifest, and every document id per collection, in file order. */
export type ValidatedBackup = {
  dir: string
  manifest: Manifest
  documentIDs: Map<string, { id: DocumentID; createdAt?: string }[]>
}

const isData = (value: unknown): value is Data => typeof value === 'object' && value !== null && !Array.isArray(value)
const isID = (value: unknown): value is DocumentID => typeof value === 'number' || (typeof value === 'string' && value !== '')

const list = (problems: string[]) =>
  problems
    .slice(0, 25)
    .map((problem) => `  - ${problem}`)
    .concat(problems.length > 25 ? [`  - … and ${problems.length - 25} more`] : [])
    .join('\n')

/**
 * Checks a backup directory against the running config before anything is written: the manifest,
 * every file it lists (present, same checksum, same number of documents, every line JSON), that
 * each collection and global still exists, that media files would not overwrite different files,
 * and that the target uses the PAYLOAD_SECRET the API keys were encrypted with.
 */
export const validateBackup = async (payload: Payload, dir: string, { allowNewSecret = false }: Pick<ImportOptions, 'allowNewSecret'> = {}): Promise<ValidatedBackup> => {
  const root = path.resolve(dir)
  const manifest = readManifest(root)
  const problems: string[] = []

  const collections = new Map<string, SanitizedCollectionConfig>(backupCollections(payload).map((collection) => [collection.slug, collection]))
  const globals = new Map<string, SanitizedGlobalConfig>(backupGlobals(payload).map((global) => [global.slug, global]))
  for (const { kind, slug, path: relative } of manifest.files) {
    const known =
      kind === 'collection' ? collections.has(slug)
      : kind === 'versions' ? Boolean(collections.get(slug)?.versions)
      : kind === 'global' ? globals.has(slug)
      : Boolean(globals.get(slug)?.versions)
    if (known) continue
    const noun = kind === 'global' || kind === 'global-versions' ? 'global' : 'collection'
    problems.push(
      EXCLUDED_COLLECTIONS.includes(slug)
        ? `${relative}: "${slug}" is Payload's own bookkeeping, which a restore never writes`
        : `${relative}: this Greenroom has no ${noun} "${slug}"${kind.endsWith('versions') ? ' with versions' : ''}`,
    )
  }
  for (const { collection, path: relative } of manifest.media) {
    if (!collections.get(collection)?.upload) problems.push(`${relative}: this Greenroom has no upload collection "${collection}"`)
  }

  if (!allowNewSecret && manifest.secretFingerprint !== secretFingerprint(payload.secret)) {
    problems.push(
      'the backup was made with a different PAYLOAD_SECRET: API keys are stored encrypted with it and sessions are ' +
        'signed with it. Set PAYLOAD_SECRET to the source server\'s secret, or pass --new-secret to restore anyway ' +
        '(users then create new API keys and sign in again; passwords keep working).',
    )
  }
  if (problems.length) throw new BackupError(`Refusing to import ${root}:\n${list(problems)}`)

  const documentIDs = new Map<string, { id: DocumentID; createdAt?: string }[]>()
  for (const entry of manifest.files) {
    const file = path.join(root, entry.path)
    if (!fs.existsSync(file)) {
      problems.push(`${entry.path} is missing`)
      continue
    }
    const ids: { id: DocumentID; createdAt?: string }[] = []
    const seen = new Set<string>()
    try {
      const read = await readJsonl(file, (value, line) => {
        if (!isData(value)) throw new Error(`line ${line} is not a JSON object`)
        if (entry.kind === 'global') return
        if (!isID(value.id)) throw new Error(`line ${line} has no id`)
        if (seen.has(String(value.id))) throw new Error(`line ${line} repeats id ${value.id}`)
        seen.add(String(value.id))
        if (entry.kind === 'versions' && !isData(value.version)) throw new Error(`line ${line} is not a version (no "version" object)`)
        if (entry.kind === 'collection') ids.push({ id: value.id, createdAt: typeof value.createdAt === 'string' ? value.createdAt : undefined })
      })
      if (read.sha256 !== entry.sha256 || read.bytes !== entry.bytes) problems.push(`${entry.path} does not match its checksum (damaged or changed since the export)`)
      else if (read.count !== entry.count) problems.push(`${entry.path} has ${read.count} documents; the manifest says ${entry.count}`)
      else if (entry.kind === 'global' && read.count > 1) problems.push(`${entry.path} has ${read.count} documents; a global has at most one`)
    } catch (error) {
      problems.push(`${entry.path}: ${(error as Error).message}`)
    }
    if (entry.kind === 'collection') documentIDs.set(entry.slug, ids)
  }

  for (const entry of manifest.media) {
    const file = path.join(root, entry.path)
    if (!fs.existsSync(file)) {
      problems.push(`${entry.path} is missing`)
      continue
    }
    const { sha256, bytes } = await sha256File(file)
    if (sha256 !== entry.sha256 || bytes !== entry.bytes) {
      problems.push(`${entry.path} does not match its checksum (damaged or changed since the export)`)
      continue
    }
    const name = path.basename(entry.path)
    const existing = await uploadStorage(collections.get(entry.collection)!)!.localFile(name)
    if (existing && (await sha256File(existing)).sha256 !== sha256) {
      problems.push(`${name} already exists in media with different content; restore into an empty media folder (MEDIA_DIR) or bucket (S3_BUCKET)`)
    }
  }

  if (problems.length) throw new BackupError(`Refusing to import ${root}:\n${list(problems)}`)
  return { dir: root, manifest, documentIDs }
}

/** What the target database already holds, per collection, versions and global; empty when it holds nothing. */
export const describeContents = async (payload: Payload): Promise<string[]> => {
  const found: string[] = []
  for (const { slug, versions } of backupCollections(payload)) {
    const collection = slug as CollectionSlug
    const { totalDocs } = await payload.db.count({ collection, where: backedUpDocuments(slug) })
    if (totalDocs) found.push(`${slug} (${totalDocs})`)
    if (versions) {
      const { totalDocs: versionCount } = await payload.db.countVersions({ collection })
      if (versionCount) found.push(`${slug} versions (${versionCount})`)
    }
  }
  for (const { slug, versions } of backupGlobals(payload)) {
    const doc = (await payload.db.findGlobal({ slug: slug as GlobalSlug })) as Data | null
    if (doc && (doc.id !== undefined || doc.createdAt !== undefined)) found.push(`global ${slug}`)
    if (versions) {
      const { totalDocs } = await payload.db.countGlobalVersions({ global: slug as GlobalSlug })
      if (totalDocs) found.push(`global ${slug} versions (${totalDocs})`)
    }
  }
  return found
}

const assertEmpty = async (payload: Payload) => {
  const found = await describeContents(payload)
  if (found.length) {
    throw new BackupError(
      `Refusing to import: the target database is not empty. It holds ${found.join(', ')}.\n` +
        'Import restores into an empty database only: point DATABASE_URI at a new database (or a new SQLite file) and run it again.',
    )
  }
}

/**
 * Collections ordered so that the collections they point at come first: for NOT NULL foreign keys
 * on SQL they must, for the others it saves rewriting documents in a second pass. Cycles (pages ↔
 * forms) are broken at a nullable reference.
 */
const restoreOrder = (payload: Payload, slugs: CollectionSlug[]): CollectionSlug[] => {
  const references = new Map(
    slugs.map((slug) => {
      const { config } = payload.collections[slug]
      return [slug, referencedCollections(config.fields, Boolean(config.versions?.drafts))] as const
    }),
  )
  const order = (follow: (slug: CollectionSlug) => Iterable<string>) => {
    const ordered: CollectionSlug[] = []
    const visiting = new Set<CollectionSlug>()
    const visit = (slug: CollectionSlug) => {
      if (ordered.includes(slug) || visiting.has(slug) || !references.has(slug)) return
      visiting.add(slug)
      for (const target of follow(slug)) visit(target as CollectionSlug)
      visiting.delete(slug)
      ordered.push(slug)
    }
    slugs.forEach(visit)
    return ordered
  }
  const notNull = (slug: CollectionSlug) => [...references.get(slug)!.notNull] as CollectionSlug[]
  const preferred = order((slug) => [...notNull(slug), ...references.get(slug)!.nullable])
  const keepsNotNull = preferred.every((slug, index) =>
    notNull(slug).every((target) => target === slug || !references.has(target) || preferred.indexOf(target) < index),
  )
  // Where breaking a cycle put a collection before one it cannot do without, only those count.
  return keepsNotNull ? preferred : order(notNull)
}

/** A MongoDB ObjectId made from a document's creation time, so new ids sort as the old ones did. */
const objectIdFactory = () => {
  const random = crypto.randomBytes(5)
  let counter = crypto.randomInt(0xffffff)
  return (createdAt?: string) => {
    const seconds = Math.floor((Date.parse(createdAt ?? '') || Date.now()) / 1000)
    const bytes = Buffer.alloc(12)
    bytes.writeUInt32BE(seconds >>> 0, 0)
    random.copy(bytes, 4)
    counter = (counter + 1) % 0x1000000
    bytes.writeUIntBE(counter, 9, 3)
    return bytes.toString('hex')
  }
}

/**
 * Old id → id in the target, per collection. Ids are kept when the target stores the same id type;
 * otherwise SQL targets number each collection 1, 2, 3… in the backup's order and MongoDB targets
 * get fresh ObjectIds.
 */
const planIDs = (payload: Payload, backup: ValidatedBackup, ids: ImportOptions['ids']) => {
  const targetType = payload.db.defaultIDType
  const newObjectId = objectIdFactory()
  const plan = new Map<string, Map<string, DocumentID>>()
  const renumbered: string[] = []
  for (const [collection, documents] of backup.documentIDs) {
    const keep = Boolean(payload.collections[collection as CollectionSlug].customIDType) || (ids !== 'renumber' && backup.manifest.source.idType === targetType)
    if (!keep) renumbered.push(collection)
    plan.set(
      collection,
      new Map(documents.map(({ id, createdAt }, index) => [String(id), keep ? id : targetType === 'number' ? index + 1 : newObjectId(createdAt)])),
    )
  }
  return {
    renumbered,
    resolve: (reference: Reference) => plan.get(reference.collection)?.get(String(reference.id)),
    isRenumbered: (collection: string) => renumbered.includes(collection),
  }
}

/**
 * Restores a backup directory into the empty database `payload` is connected to, ids and references
 * intact, in one transaction where the database has one. Validates everything first: a bad or
 * partial directory, or a database that is not empty, is refused before anything is written.
 */
export const importBackup = async (payload: Payload, dir: string, options: ImportOptions = {}): Promise<ImportSummary> => {
  const started = Date.now()
  const { onProgress, onWarning = () => {} } = options
  const backup = await validateBackup(payload, dir, options)
  await assertEmpty(payload)
  const ids = planIDs(payload, backup, options.ids)

  const { manifest } = backup
  const total = manifest.files.reduce((sum, file) => sum + file.count, 0) + manifest.media.length
  let done = 0
  const progress = (item: string) => onProgress?.({ done, total, item })

  const target = await openRestoreTarget(payload)
  if (!target.transactional) {
    onWarning(
      'The database offers no transaction (MongoDB needs a replica set for one), so a failed import leaves what it ' +
        'wrote so far: empty the database before trying again.',
    )
  }

  let dropped = 0
  const resolve: ReferenceVisitor = (reference, foreignKey) => {
    const next = ids.resolve(reference)
    if (next !== undefined) {
      // Job input stores ids as strings (Payload coerces them back); keep that.
      return typeof reference.id === 'string' && typeof next === 'number' && !foreignKey ? String(next) : next
    }
    if (!foreignKey) return undefined
    if (target.enforcesReferences || ids.isRenumbered(reference.collection)) {
      dropped += 1
      return undefined
    }
    return reference.id
  }

  let position = ''
  const read = async (entry: DataFileEntry, onDocument: (doc: Data) => Promise<void>) => {
    const summary = await readJsonl(path.join(backup.dir, entry.path), async (value, line) => {
      position = `${entry.path}, line ${line}`
      await onDocument(value as Data)
      done += 1
      progress(entry.path)
    })
    if (summary.sha256 !== entry.sha256) throw new BackupError(`${entry.path} changed while it was being imported.`)
  }
  const filesOf = (kind: DataFileEntry['kind']) => manifest.files.filter((file) => file.kind === kind)

  const copied: { storage: MediaStorage; name: string }[] = []
  try {
    // 1. Documents. On SQL a reference to a document not written yet (a later post among related
    //    posts, a category's own breadcrumb) would break its foreign key: such documents go in
    //    without it first and are rewritten whole once every document is in.
    const written = new Set<string>()
    const deferred: { collection: CollectionSlug; id: DocumentID; doc: Data }[] = []
    const collectionFiles = new Map(filesOf('collection').map((file) => [file.slug as CollectionSlug, file]))
    for (const collection of restoreOrder(payload, [...collectionFiles.keys()])) {
      await read(collectionFiles.get(collection)!, async (doc) => {
        const id = ids.resolve({ collection, id: doc.id as DocumentID })!
        visitDocumentReferences(payload, collection, doc, resolve)
        let first = doc
        if (target.enforcesReferences) {
          let postponed = false
          first = structuredClone(doc)
          visitDocumentReferences(payload, collection, first, (reference, foreignKey) => {
            if (!foreignKey || written.has(`${reference.collection}:${reference.id}`)) return reference.id
            postponed = true
            return undefined
          })
          if (postponed) deferred.push({ collection, id, doc })
        }
        await target.createDocument(collection, id, first)
        written.add(`${collection}:${id}`)
      })
    }
    for (const { collection, id, doc } of deferred) await target.updateDocument(collection, id, doc)

    // 2. Versions and globals: everything they point at is in place now.
    for (const entry of filesOf('versions')) {
      let next = 0
      await read(entry, async (row) => {
        visitVersionReferences(payload, entry.slug, row, resolve)
        const id = target.keepsVersionIDs ? (ids.isRenumbered(entry.slug) ? ++next : (row.id as DocumentID)) : undefined
        await target.createVersion(entry.slug as CollectionSlug, id, row as VersionRow)
      })
    }
    const keepGlobalIDs = manifest.source.idType === payload.db.defaultIDType && options.ids !== 'renumber'
    for (const entry of filesOf('global')) {
      await read(entry, async (doc) => {
        visitGlobalReferences(payload, entry.slug, doc, resolve)
        if (!keepGlobalIDs) delete doc.id
        await target.createGlobal(entry.slug as GlobalSlug, doc)
      })
    }
    for (const entry of filesOf('global-versions')) {
      let next = 0
      await read(entry, async (row) => {
        if (isData(row.version)) visitGlobalReferences(payload, entry.slug, row.version, resolve)
        const id = target.keepsVersionIDs ? (keepGlobalIDs ? (row.id as DocumentID) : ++next) : undefined
        await target.createGlobalVersion(entry.slug as GlobalSlug, id, row as VersionRow)
      })
    }
    position = 'the last step (id sequences, version flags)'
    await target.finish()

    // 3. Media files, last before the commit, so a failure removes what this run copied.
    for (const entry of manifest.media) {
      position = entry.path
      const storage = uploadStorage(payload.collections[entry.collection as CollectionSlug].config)!
      const name = path.basename(entry.path)
      if (!(await storage.localFile(name))) {
        copied.push({ storage, name })
        await storage.write(name, await fs.promises.readFile(path.join(backup.dir, entry.path)), mimeTypes.lookup(name) || 'application/octet-stream')
      }
      done += 1
      progress(entry.path)
    }

    await target.commit()
    // Servers already running on this database must not keep answering from what it held before, and
    // sync cursors from the old database must start from scratch (the change log is not backed up).
    const log = await restartChangeLog(payload)
    // Build hooks count what they delivered in positions of the old log: they go on from the new one.
    await payload.db.updateMany({
      collection: 'build-hooks',
      where: { id: { exists: true } },
      data: { deliveredThrough: log.position },
      req: {},
    })
  } catch (error) {
    await target.rollback().catch(() => {})
    for (const { storage, name } of copied) await storage.remove(name).catch(() => undefined)
    const outcome = target.transactional
      ? 'Everything it wrote was rolled back; the database is empty again.'
      : 'The database has no transactions: empty it before trying again.'
    throw new BackupError(`Import failed at ${position || 'the start'}: ${(error as Error).message}\n${outcome}`, { cause: error })
  }

  if (dropped) onWarning(`${dropped} references named documents that are not in the backup; they were left out.`)
  return {
    documents: done - manifest.media.length,
    mediaFiles: manifest.media.length,
    renumbered: ids.renumbered,
    droppedReferences: dropped,
    transactional: target.transactional,
    seconds: (Date.now() - started) / 1000,
  }
}
