import fs from 'node:fs'
import path from 'node:path'

import type { Client } from '@libsql/client'
import type { DatabaseAdapterObj } from 'payload'

import { claimJobsOnce } from '../jobs/claimJobsOnce'
import { withTransactionSettlements } from './afterTransaction'
import { cacheCounts } from './countCache'
import { measureDatabase } from '../metrics/database'
import { type ReadReplicaSettings, readReplicaSettingsFromEnv, routeReadsAfterWrites } from './readReplicas'

export type DatabaseKind = 'sqlite' | 'postgres' | 'mongodb'

export type DatabaseTarget = {
  kind: DatabaseKind
  /** The URI handed to the driver (for SQLite, a `file:` URL with an absolute path). */
  uri: string
}

/**
 * Production (`npm start`) and development (`npm run dev`) default to separate files: development
 * pushes schema changes straight into its database, production applies committed migrations, and
 * Payload refuses to mix the two on one database.
 */
export const defaultDatabaseUri = (nodeEnv = process.env.NODE_ENV): string =>
  nodeEnv === 'production' ? 'file:./data/greenroom.db' : 'file:./data/greenroom-dev.db'

export class DatabaseUriError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'DatabaseUriError'
  }
}

const SUPPORTED =
  'Use file:./data/greenroom.db (SQLite, the default), postgres://user:pass@host:5432/db (PostgreSQL) ' +
  'or mongodb://host:27017/db / mongodb+srv://… (MongoDB).'

/** Hides the password when a URI has to appear in a message or a log. */
export const redactUri = (uri: string): string => uri.replace(/\/\/([^:/@]+):([^@]+)@/, '//$1:***@')

/**
 * Reads DATABASE_URI: unset or `file:` means the embedded SQLite file, `postgres(ql)://` PostgreSQL,
 * `mongodb(+srv)://` MongoDB. Anything else stops start-up with a message that says what would work.
 */
export const parseDatabaseUri = (raw: string | undefined, cwd = process.cwd()): DatabaseTarget => {
  const uri = raw?.trim() || defaultDatabaseUri()
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(uri)?.[1]?.toLowerCase()

  if (scheme === 'file') {
    const filePath = uri.slice('file:'.length).replace(/^\/\/(?=\/)/, '')
    if (!filePath || filePath.endsWith('/')) {
      throw new DatabaseUriError(`DATABASE_URI "${uri}" names no SQLite file. ${SUPPORTED}`)
    }
    return { kind: 'sqlite', uri: `file:${path.resolve(cwd, filePath)}` }
  }
  if (scheme === 'postgres' || scheme === 'postgresql') {
    assertParsable(uri)
    return { kind: 'postgres', uri }
  }
  if (scheme === 'mongodb' || scheme === 'mongodb+srv') {
    assertParsable(uri)
    return { kind: 'mongodb', uri }
  }
  throw new DatabaseUriError(
    scheme
      ? `DATABASE_URI uses "${scheme}:", which Greenroom does not support. ${SUPPORTED}`
      : `DATABASE_URI "${redactUri(uri)}" is not a URI. ${SUPPORTED}`,
  )
}

const assertParsable = (uri: string) => {
  let host = ''
  try {
    host = new URL(uri).host
  } catch {
    throw new DatabaseUriError(`DATABASE_URI "${redactUri(uri)}" is not a valid URI. ${SUPPORTED}`)
  }
  if (!host) throw new DatabaseUriError(`DATABASE_URI "${redactUri(uri)}" names no host. ${SUPPORTED}`)
}

const SQLITE_BUSY_TIMEOUT_MS = 5000

type ConnectedAdapter = {
  client?: Client
  pool?: PgPoolEvents
  payload: { logger: { warn: (obj: object, msg: string) => void } }
}
type PgPoolEvents = { on: (event: 'error', listener: (error: Error) => void) => void }

/** Runs `setup` on Payload's adapter instance each time it has connected to its database. */
const afterConnect = (
  adapter: DatabaseAdapterObj,
  setup: (connected: ConnectedAdapter) => void,
): DatabaseAdapterObj => ({
  ...adapter,
  init: (args) => {
    const instance = adapter.init(args)
    const connect = instance.connect
    if (connect) {
      instance.connect = async function connectThenSetUp(this: typeof instance, options) {
        await connect.call(this, options)
        setup(this as unknown as ConnectedAdapter)
      }
    }
    return instance
  },
})

/**
 * pg's pool re-emits the error of an idle connection that the server closed (a restart, a
 * failover) as an 'error' event, and an 'error' event nobody listens to ends the process. A lost
 * idle connection is not fatal: the pool opens a new one for the next query, and /readyz reports
 * the outage meanwhile.
 */
const logIdleConnectionErrors = ({ pool, payload }: ConnectedAdapter) => {
  pool?.on('error', (error) => payload.logger.warn({ err: error }, 'PostgreSQL closed an idle connection'))
}

type SchemaHookArgs = {
  schema: { tables: Record<string, any> }
  extendTable: (args: { table: any; extraConfig: (table: any) => Record<string, unknown> }) => void
}

/**
 * A read loads a document's child rows by parent alone (`WHERE _parent_id = ?` / `WHERE parent_id = ?`),
 * and Payload indexes none of these tables that way:
 * - each `_locales` table has one index, unique on (_locale, _parent_id): SQLite scanned the whole
 *   table once per document read (the post list of 10 took ~7 times as long with 1,000 posts);
 * - each `_texts` and `_numbers` table (hasMany text and number fields) has one on (order, parent_id),
 *   which both databases read whole per document: with 100,000 posts (one `linkTargets` row each) the
 *   list of 10 spent 21 ms in PostgreSQL on it, and the cost grew with the table.
 * An index on the parent column serves all of them on both databases.
 */
const indexChildRowsByParent =
  (index: (name: string) => { on: (column: any) => unknown }) =>
  ({ schema, extendTable }: SchemaHookArgs) => {
    for (const [name, table] of Object.entries(schema.tables)) {
      const column = name.endsWith('_locales')
        ? '_parentID'
        : /_(texts|numbers)$/.test(name) && table.parent
          ? 'parent'
          : undefined
      if (!column) continue
      const indexName = `${name}_parent_id_idx`
      extendTable({ table, extraConfig: (columns) => ({ [indexName]: index(indexName).on(columns[column]) }) })
    }
    return schema
  }

type IndexBuilder = (name: string) => { on: (...columns: any[]) => unknown }

/** A column of a Drizzle table by its SQL name (Payload's keys differ: `parent_id` is `parent`). */
const columnNamed = (columns: Record<string, any>, name: string) => {
  const column = Object.values(columns).find((candidate) => candidate?.name === name)
  if (!column) throw new Error(`No column ${name} in the schema`)
  return column
}

/**
 * A reader's category list (`where[categories][in]=ID`) makes Payload run `select distinct posts.id …
 * left join posts_rels … order by published_at desc, created_at desc limit 10`, then a grouped count.
 * With 100,000 posts (10,000 per category) and only Payload's indexes, both databases read every post
 * of the category: SQLite took the category's 10,000 rows from posts_rels and sorted them (36 ms), and
 * PostgreSQL sorted or aggregated all matches, or walked posts in parallel workers (30-70 ms).
 * - posts_rels (categories_id, parent_id, path) answers "is post P in category C" from the index alone,
 *   so both walk the newest posts and stop after ten (0.2-0.6 ms); and it gives the count its members
 *   in parent order without reading the table.
 * - PostgreSQL streams DISTINCT … ORDER BY … LIMIT only from an index in exactly that order (the distinct
 *   id last, ascending, NULLS FIRST as `desc` sorts): (_status, published_at desc, created_at desc, id).
 *   Without it the planner chose a parallel walk whose workers' start-up alone took 20-50 ms, or sorted
 *   every match. SQLite needs none: it reads Payload's (_status, publishedAt, createdAt, deletedAt)
 *   backwards and drops duplicates as they come.
 */
const indexReaderLists =
  (index: IndexBuilder, streamDistinct?: (column: any) => any) =>
  ({ schema, extendTable }: SchemaHookArgs) => {
    const rels = schema.tables.posts_rels
    if (rels) {
      const name = 'posts_rels_categories_parent_idx'
      extendTable({
        table: rels,
        extraConfig: (columns) => ({
          [name]: index(name).on(...['categories_id', 'parent_id', 'path'].map((column) => columnNamed(columns, column))),
        }),
      })
    }
    const posts = schema.tables.posts
    if (posts && streamDistinct) {
      const name = 'posts_status_newest_idx'
      extendTable({
        table: posts,
        extraConfig: (columns) => ({
          [name]: index(name).on(
            columnNamed(columns, '_status'),
            streamDistinct(columnNamed(columns, 'published_at')),
            streamDistinct(columnNamed(columns, 'created_at')),
            columnNamed(columns, 'id'),
          ),
        }),
      })
    }
    return schema
  }

/**
 * The Payload adapter for a target, with each database's migrations in its own folder. Only the one
 * adapter the target needs is loaded (with its driver and migrations): the three together took about
 * 0.3 s of CPU of every start.
 */
const adapterFor = async (target: DatabaseTarget, replicas?: ReadReplicaSettings): Promise<DatabaseAdapterObj> => {
  switch (target.kind) {
    case 'sqlite': {
      // One after the other: jest's ESM loader fails to link modules that parallel imports share.
      const { sqliteAdapter } = await import('@payloadcms/db-sqlite')
      const { index: sqliteIndex } = await import('@payloadcms/db-sqlite/drizzle/sqlite-core')
      const { migrations: sqliteMigrations } = await import('../migrations/sqlite')
      const { reusePreparedStatements } = await import('./libsqlStatementCache')
      const { poolSqliteTransactions } = await import('./sqliteTransactions')
      const { keepPlannerStatistics } = await import('./plannerStatistics')
      const filePath = target.uri.slice('file:'.length)
      fs.mkdirSync(path.dirname(filePath), { recursive: true })
      reusePreparedStatements()
      return afterConnect(
        cacheCounts(sqliteAdapter({
          client: { url: target.uri },
          migrationDir: path.resolve('src/migrations/sqlite'),
          prodMigrations: sqliteMigrations,
          // Tests build their databases from the committed migrations, as production does, so a
          // migration that no longer matches the config fails the suite instead of hiding behind a push.
          push: process.env.NODE_ENV !== 'test',
          afterSchemaInit: [indexChildRowsByParent(sqliteIndex) as never, indexReaderLists(sqliteIndex as IndexBuilder) as never],
          // WAL lets readers go on while a write is in progress; wait 5 s for a lock before SQLITE_BUSY.
          wal: true,
          busyTimeout: SQLITE_BUSY_TIMEOUT_MS,
          // Each write (with its hooks) is one transaction, so a failing hook leaves nothing half-written.
          transactionOptions: {},
        })),
        ({ client, payload }) => {
          if (!client) return
          poolSqliteTransactions(client, filePath, SQLITE_BUSY_TIMEOUT_MS)
          keepPlannerStatistics(client, payload.logger)
        },
      )
    }
    case 'postgres': {
      const { postgresAdapter } = await import('@payloadcms/db-postgres')
      const { index: pgIndex } = await import('@payloadcms/db-postgres/drizzle/pg-core')
      const { migrations: postgresMigrations } = await import('../migrations/postgres')
      return afterConnect(
        cacheCounts(postgresAdapter({
          pool: {
            connectionString: target.uri,
            max: Number(process.env.DATABASE_POOL_MAX || 10),
            // pg waits forever for a connection by default; an unreachable server should fail a
            // request (503) in seconds, not hang it. The same limit covers waiting for a free client
            // of the pool, so it leaves room for a burst of writes queueing behind `max` transactions.
            connectionTimeoutMillis: 15_000,
          },
          ...(replicas && { readReplicas: replicas.uris, readReplicasAfterWriteInterval: replicas.afterWriteMs }),
          migrationDir: path.resolve('src/migrations/postgres'),
          prodMigrations: postgresMigrations,
          push: process.env.NODE_ENV !== 'test',
          afterSchemaInit: [
            indexChildRowsByParent(pgIndex) as never,
            indexReaderLists(pgIndex as IndexBuilder, (column) => column.desc().nullsFirst()) as never,
          ],
        })),
        (connected) => {
          logIdleConnectionErrors(connected)
          routeReadsAfterWrites(connected, connected.payload.logger as never)
        },
      )
    }
    case 'mongodb':
      return (await import('@payloadcms/db-mongodb')).mongooseAdapter({ url: target.uri })
  }
}

/**
 * Every adapter tells src/db/afterTransaction.ts when a transaction commits or rolls back, and has
 * its operations timed for /metrics (the work after a commit is not the database's, so it is outside).
 */
export const createDatabaseAdapter = async (
  target: DatabaseTarget,
  env: Record<string, string | undefined> = process.env,
): Promise<DatabaseAdapterObj> =>
  claimJobsOnce(withTransactionSettlements(measureDatabase(await adapterFor(target, readReplicaSettingsFromEnv(env, target.kind)))))
