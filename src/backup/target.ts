import type { DrizzleAdapter } from '@payloadcms/drizzle'
import { upsertRow } from '@payloadcms/drizzle'
import type { CollectionSlug, FlattenedField, GlobalSlug, Payload, PayloadRequest } from 'payload'
import { buildVersionCollectionFields, buildVersionGlobalFields, createLocalReq } from 'payload'

import type { DatabaseKind } from '../db/databaseAdapter'
import { databaseKind } from './content'
import type { DocumentID } from '../utilities/documentReferences'

type Data = Record<string, unknown>

/** A version row as the adapters read it: the versioned document under `version`. */
export type VersionRow = Data & { id: DocumentID; parent?: DocumentID | null; version: Data }

/**
 * Writes a restore straight through the database adapter, below the Local API: no access control,
 * no validation, no hooks (slugs, publishedAt, excerpts, authors, search sync stay as they were),
 * hidden fields (password hashes, API keys) written as they are. One transaction where the database
 * has them.
 */
export type RestoreTarget = {
  kind: DatabaseKind
  /**
   * SQL databases enforce relationship columns as foreign keys, checked row by row: a document can
   * only name documents that are already in. MongoDB takes references in any order.
   */
  enforcesReferences: boolean
  /** Whether an id given here is kept for versions (SQL) or the database assigns one (MongoDB). */
  keepsVersionIDs: boolean
  /** False when the database cannot roll back (MongoDB without a replica set). */
  transactional: boolean
  createDocument(collection: CollectionSlug, id: DocumentID, doc: Data): Promise<void>
  /** Rewrites a whole document: the second pass that adds references to rows written after it. */
  updateDocument(collection: CollectionSlug, id: DocumentID, doc: Data): Promise<void>
  createVersion(collection: CollectionSlug, id: DocumentID | undefined, row: VersionRow): Promise<void>
  createGlobal(slug: GlobalSlug, doc: Data): Promise<void>
  createGlobalVersion(slug: GlobalSlug, id: DocumentID | undefined, row: VersionRow): Promise<void>
  /** Work after the last row: PostgreSQL's id sequences, MongoDB's `latest` flags. */
  finish(): Promise<void>
  commit(): Promise<void>
  rollback(): Promise<void>
}

type Transaction = {
  req: PayloadRequest
  /** null when the database has none (MongoDB without a replica set). */
  id: number | string | null
  end: Pick<RestoreTarget, 'transactional' | 'commit' | 'rollback'>
}

const openTransaction = async (payload: Payload): Promise<Transaction> => {
  const id = await payload.db.beginTransaction()
  const req = await createLocalReq({}, payload)
  req.transactionID = id ?? undefined
  return {
    req,
    id,
    end: {
      transactional: id !== null,
      commit: async () => (id !== null ? payload.db.commitTransaction(id) : undefined),
      rollback: async () => (id !== null ? payload.db.rollbackTransaction(id) : undefined),
    },
  }
}

const without = (data: Data, ...keys: string[]): Data => {
  const copy = { ...data }
  for (const key of keys) delete copy[key]
  return copy
}

/** Collection documents go through the adapter's create and updateOne on every database, with their own id. */
const documentWrites = (payload: Payload, req: PayloadRequest): Pick<RestoreTarget, 'createDocument' | 'updateDocument'> => ({
  async createDocument(collection, id, doc) {
    await payload.db.create({ collection, customID: id, data: without(doc, 'id'), req, returning: false })
  },
  async updateDocument(collection, id, doc) {
    await payload.db.updateOne({ collection, id, data: without(doc, 'id'), req, returning: false })
  },
})

const versionFieldsOf = (row: VersionRow): Data => ({
  autosave: row.autosave ?? false,
  createdAt: row.createdAt,
  latest: row.latest ?? false,
  parent: row.parent,
  publishedLocale: row.publishedLocale,
  snapshot: row.snapshot,
  updatedAt: row.updatedAt,
  version: row.version,
})

/** Payload's table names: the slug in snake case (see @payloadcms/drizzle createTableName). */
const snakeCase = (slug: string) =>
  slug
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/[\W_]+/g, '_')
    .toLowerCase()

/**
 * SQLite and PostgreSQL. Versions and globals go through the row writer (`upsertRow`) that the
 * adapter's createVersion and createGlobal use, not through those two: they pick a new version id,
 * recompute `latest` and stamp `createdAt` with the current time, and a restore keeps all three.
 */
const drizzleTarget = async (payload: Payload, kind: 'sqlite' | 'postgres'): Promise<RestoreTarget> => {
  const adapter = payload.db as unknown as DrizzleAdapter
  const { req, id: transactionID, end } = await openTransaction(payload)
  const db = () => (transactionID !== null ? adapter.sessions[transactionID]?.db : undefined) ?? adapter.drizzle

  const table = (name: string) => {
    const tableName = adapter.tableNameMap.get(name)
    if (!tableName || !adapter.tables[tableName]) throw new Error(`No table for ${name} in the ${kind} schema.`)
    return tableName
  }
  const writeRow = async (tableName: string, fields: FlattenedField[], data: Data, id: DocumentID | undefined, owner: { collectionSlug?: string; globalSlug?: string }) => {
    await upsertRow({ adapter, db: db(), data, fields, operation: 'create', req, tableName, customID: id, ignoreResult: 'idOnly', ...owner })
  }

  return {
    ...end,
    kind,
    enforcesReferences: true,
    keepsVersionIDs: true,
    ...documentWrites(payload, req),
    async createVersion(collection, id, row) {
      const config = payload.collections[collection].config
      const fields = buildVersionCollectionFields(payload.config, config, true)
      await writeRow(table(`_${snakeCase(config.slug)}${adapter.versionsSuffix}`), fields, versionFieldsOf(row), id, { collectionSlug: collection })
    },
    async createGlobal(slug, doc) {
      const config = payload.config.globals.find((global) => global.slug === slug)!
      await writeRow(table(snakeCase(slug)), config.flattenedFields, without(doc, 'id', 'globalType'), doc.id as DocumentID | undefined, { globalSlug: slug })
    },
    async createGlobalVersion(slug, id, row) {
      const config = payload.config.globals.find((global) => global.slug === slug)!
      const fields = buildVersionGlobalFields(payload.config, config, true)
      await writeRow(table(`_${snakeCase(slug)}${adapter.versionsSuffix}`), fields, without(versionFieldsOf(row), 'parent'), id, { globalSlug: slug })
    },
    async finish() {
      if (kind !== 'postgres') return // SQLite hands out max(id) + 1 by itself
      // Rows came in with their own ids, so every serial sequence still stands at 1: move each
      // past the largest id, or the next document created would collide.
      const schema = ((adapter as unknown as { schemaName?: string }).schemaName || 'public').replace(/'/g, "''")
      await adapter.execute({
        db: db(),
        raw: `DO $$
DECLARE t record;
BEGIN
  FOR t IN
    SELECT c.table_schema, c.table_name FROM information_schema.columns c
    WHERE c.table_schema = '${schema}' AND c.column_name = 'id' AND c.column_default LIKE 'nextval(%'
  LOOP
    EXECUTE format(
      'SELECT setval(pg_get_serial_sequence(%L, ''id''), COALESCE((SELECT max(id) FROM %I.%I), 0) + 1, false)',
      format('%I.%I', t.table_schema, t.table_name), t.table_schema, t.table_name);
  END LOOP;
END $$;`,
      })
    },
  }
}

/**
 * MongoDB, through the adapter's public writes only. Documents keep their ids (ObjectIds); the
 * adapter gives versions new ids and marks the newest of each document `latest` as it goes, so
 * `finish` puts the exported `latest` flags back. Without a replica set there is no transaction.
 */
const mongoTarget = async (payload: Payload): Promise<RestoreTarget> => {
  const { req, end } = await openTransaction(payload)
  const latestFlags: { collection?: CollectionSlug; global?: GlobalSlug; id: DocumentID; latest: boolean }[] = []

  return {
    ...end,
    kind: 'mongodb',
    enforcesReferences: false,
    keepsVersionIDs: false,
    ...documentWrites(payload, req),
    async createVersion(collection, _id, row) {
      const created = await payload.db.createVersion({
        autosave: Boolean(row.autosave),
        collectionSlug: collection,
        createdAt: String(row.createdAt),
        parent: row.parent as DocumentID,
        publishedLocale: row.publishedLocale as string | undefined,
        req,
        updatedAt: String(row.updatedAt),
        versionData: row.version,
      })
      latestFlags.push({ collection, id: created.id, latest: Boolean(row.latest) })
    },
    async createGlobal(slug, doc) {
      await payload.db.createGlobal({ slug, data: without(doc, 'id', 'globalType'), req, returning: false })
    },
    async createGlobalVersion(slug, _id, row) {
      const created = await payload.db.createGlobalVersion({
        autosave: Boolean(row.autosave),
        createdAt: String(row.createdAt),
        globalSlug: slug,
        publishedLocale: row.publishedLocale as string | undefined,
        req,
        updatedAt: String(row.updatedAt),
        versionData: row.version,
      })
      latestFlags.push({ global: slug, id: created.id, latest: Boolean(row.latest) })
    },
    async finish() {
      for (const { collection, global, id, latest } of latestFlags) {
        // A partial update: MongoDB sets just this field; updatedAt null keeps the version's own.
        const versionData = { latest, updatedAt: null } as never
        if (collection) await payload.db.updateVersion({ collection, id, versionData, req, returning: false })
        if (global) await payload.db.updateGlobalVersion({ global, id, versionData, req, returning: false })
      }
    },
  }
}

export const openRestoreTarget = async (payload: Payload): Promise<RestoreTarget> => {
  const kind = databaseKind(payload)
  return kind === 'mongodb' ? mongoTarget(payload) : drizzleTarget(payload, kind)
}
