// The throw-away database of one bench run: an SQLite file in the run's temporary folder, or a new
// database on the PostgreSQL server that BENCH_POSTGRES_URI (or TEST_POSTGRES_URI) names.
import crypto from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'

import pg from 'pg'

import { redactUri } from '../src/db/databaseAdapter'

export type BenchDatabaseKind = 'sqlite' | 'postgres'
export const BENCH_DATABASES: readonly BenchDatabaseKind[] = ['sqlite', 'postgres']

export type BenchDatabase = {
  kind: BenchDatabaseKind
  /** DATABASE_URI for the Payload processes. */
  uri: string
  /** Where it is, password hidden. */
  description: string
  /**
   * Brings the freshly seeded database to the state a production database settles in before the
   * reads are measured. PostgreSQL: VACUUM (ANALYZE), which autovacuum would do after a bulk
   * load (planner statistics, visibility map for index-only scans). SQLite: nothing; Payload never
   * runs ANALYZE there, so the planner works without statistics, as in production.
   */
  prepareForReads: () => Promise<{ step: string; ms: number }>
  /** Bytes on disk: the database file and its WAL, or pg_database_size. */
  sizeBytes: () => Promise<number | null>
  /** Removes the database (PostgreSQL); the SQLite file goes with the run's folder. */
  drop: () => Promise<void>
}

export class BenchSetupError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'BenchSetupError'
  }
}

/** The PostgreSQL server to create bench databases on. */
export const postgresServerUri = (): string => {
  const uri = process.env.BENCH_POSTGRES_URI || process.env.TEST_POSTGRES_URI
  if (!uri) {
    throw new BenchSetupError(
      'The PostgreSQL bench needs a server: set BENCH_POSTGRES_URI (or TEST_POSTGRES_URI) to postgres://user@host:port/db, ' +
        'for example the one `scripts/services.sh start` prints. Each run creates a database of its own on it and drops it afterwards.',
    )
  }
  return uri
}

/** One connection for a piece of work, closed after it whatever happens. */
export const withClient = async <T>(uri: string, work: (client: pg.Client) => Promise<T>): Promise<T> => {
  const client = new pg.Client({ connectionString: uri })
  await client.connect()
  try {
    return await work(client)
  } finally {
    await client.end()
  }
}

const elapsedMs = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e6

const fileSize = (file: string) => (fs.existsSync(file) ? fs.statSync(file).size : 0)

const sqliteDatabase = (dir: string): BenchDatabase => {
  const file = path.join(dir, 'bench.db')
  return {
    kind: 'sqlite',
    uri: `file:${file}`,
    description: `SQLite file ${file}`,
    prepareForReads: async () => ({ step: 'none here (the server gathers the SQLite planner statistics itself at start-up: src/db/plannerStatistics.ts)', ms: 0 }),
    sizeBytes: async () => fileSize(file) + fileSize(`${file}-wal`),
    drop: async () => undefined,
  }
}

/** `template`: a kept seeded database (bench/seedCache.ts) to copy instead of starting empty. */
const createPostgresDatabase = async (postCount: number, template?: string): Promise<BenchDatabase> => {
  const serverUri = postgresServerUri()
  const name = `greenroom_bench_${postCount}_${process.pid}_${crypto.randomBytes(3).toString('hex')}`
  try {
    await withClient(serverUri, (client) => client.query(`CREATE DATABASE "${name}"${template ? ` TEMPLATE "${template}"` : ''}`))
  } catch (error) {
    throw new BenchSetupError(
      `Could not create a database on ${redactUri(serverUri)}: ${error instanceof Error ? error.message : String(error)}`,
    )
  }
  const url = new URL(serverUri)
  url.pathname = `/${name}`
  const uri = url.toString()
  return {
    kind: 'postgres',
    uri,
    description: `PostgreSQL database "${name}" on ${redactUri(serverUri)}`,
    prepareForReads: async () => {
      const start = process.hrtime.bigint()
      await withClient(uri, (client) => client.query('VACUUM (ANALYZE)'))
      return { step: 'VACUUM (ANALYZE) of the whole database', ms: elapsedMs(start) }
    },
    sizeBytes: async () =>
      withClient(uri, async (client) => Number((await client.query('SELECT pg_database_size(current_database()) AS size')).rows[0].size)),
    drop: async () => {
      // FORCE: a server that was killed may have left connections behind.
      await withClient(serverUri, (client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`))
    },
  }
}

export const createBenchDatabase = (
  kind: BenchDatabaseKind,
  dir: string,
  postCount: number,
  template?: string,
): Promise<BenchDatabase> => (kind === 'sqlite' ? Promise.resolve(sqliteDatabase(dir)) : createPostgresDatabase(postCount, template))
