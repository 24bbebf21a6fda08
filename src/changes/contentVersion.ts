import { AsyncLocalStorage } from 'node:async_hooks'
import { randomUUID } from 'node:crypto'

import type { Payload, PayloadRequest } from 'payload'

import { hasRawSql, runRawSql } from '../db/rawSql'
import { readPrimaryAfterWriteElsewhere } from '../db/readReplicas'
import { firstRowReaderOf } from '../db/sqliteTransactions'

/**
 * The content version: the change log's last position (src/changes/changeLog.ts), kept in one row
 * of Payload's key-value collection so every server instance sees the same one. Every API read
 * reads it, and when it moved the change feed reads the rows after the last position it knew and
 * retires what they touch (src/changes/changeFeed.ts); its time is the Last-Modified of every answer.
 *
 * The row is also what puts changes in commit order. Every recorded change advances it with one
 * atomic update inside the write's own transaction, and that update holds the row until the
 * transaction ends: a second writer waits for the first to commit (PostgreSQL row lock; SQLite
 * has one writer at a time anyway). So positions are handed out in the order writes commit, and a
 * reader that has seen position N can never later find a smaller one appear.
 */
export const CONTENT_VERSION_KEY = 'greenroom:content-version'

const KV_COLLECTION = 'payload-kv'

export type ContentVersion = {
  /** `<epoch>.<position>`: unique to this database, so a validator from another one never matches. */
  version: string
  /** ISO time of the change. */
  changedAt: string
  /** The change log's last position; 0 before the first change. */
  position: number
  /** Random, set once per database (and again after a restore): which log the positions belong to. */
  epoch: string
  /** The oldest position a sync cursor may still start from; older ones must sync from scratch. */
  retainedFrom: number
}

const isContentVersion = (value: unknown): value is ContentVersion =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as ContentVersion).version === 'string' &&
  typeof (value as ContentVersion).changedAt === 'string'

/** Whether `candidate` is after `known`: a later position of the same log, or another log (a restore). */
export const isNewerContentVersion = (candidate: ContentVersion, known: ContentVersion | undefined): boolean =>
  !known || candidate.epoch !== known.epoch || candidate.position > known.position

/** Rows written before the change log have no position: they count as position 0 of their own epoch. */
const normalized = (value: unknown): ContentVersion | null => {
  if (!isContentVersion(value)) return null
  const position = Number((value as Partial<ContentVersion>).position ?? 0)
  const epoch = String((value as Partial<ContentVersion>).epoch ?? value.version)
  return {
    version: `${epoch}.${position}`,
    changedAt: value.changedAt,
    position,
    epoch,
    retainedFrom: Number((value as Partial<ContentVersion>).retainedFrom ?? 0),
  }
}

type DrizzleLike = {
  all?: (query: unknown) => Promise<Record<string, unknown>[]>
  execute?: (query: unknown) => Promise<{ rows: Record<string, unknown>[] }>
}
type SqlTag = (strings: TemplateStringsArray, ...values: unknown[]) => unknown
type DrizzleAdapter = { sessions: Record<string, { db: DrizzleLike }>; drizzle: DrizzleLike }
type MongoAdapter = {
  sessions: Record<string, unknown>
  collections: Record<
    string,
    { findOneAndUpdate: (filter: object, update: object, options: object) => Promise<{ data?: unknown } | null> }
  >
}

/** The connection of the request's transaction, as Payload's own queries use it. */
const connectionOf = async (payload: Payload, req?: Partial<PayloadRequest>) => {
  const adapter = payload.db as unknown as DrizzleAdapter & MongoAdapter
  const id = req?.transactionID ? await req.transactionID : undefined
  return { adapter, session: id !== undefined ? adapter.sessions[String(id)] : undefined }
}

const sqlTag = async (payload: Payload): Promise<SqlTag> =>
  payload.db.name === 'postgres'
    ? ((await import('@payloadcms/db-postgres')).sql as unknown as SqlTag)
    : ((await import('@payloadcms/db-sqlite')).sql as unknown as SqlTag)

/**
 * Applies `change` to the stored row in one statement and returns the row as stored. Pass the
 * write's `req`: the update then commits or rolls back with the write, and holds the row until it
 * does.
 */
const updateVersionRow = async (
  payload: Payload,
  req: Partial<PayloadRequest> | undefined,
  change: { advance: boolean; retainFrom?: 'head' | number; newEpoch?: boolean },
): Promise<ContentVersion> => {
  const now = new Date().toISOString()
  const { adapter, session } = await connectionOf(payload, req)
  const step = change.advance ? 1 : 0
  const freshEpoch = randomUUID()
  const fresh = JSON.stringify({ epoch: freshEpoch, position: step, changedAt: now, version: `${freshEpoch}.${step}`, retainedFrom: 0 })

  if (payload.db.name === 'sqlite' || payload.db.name === 'postgres') {
    const sql = await sqlTag(payload)
    const db = (session as { db: DrizzleLike } | undefined)?.db ?? adapter.drizzle
    const epoch = change.newEpoch ? randomUUID() : null
    if (payload.db.name === 'sqlite') {
      // libsql binds JavaScript numbers as reals: without the cast, position 9 would read "9.0" in the version.
      const position = sql`CAST(coalesce(json_extract(payload_kv.data, '$.position'), 0) + ${step} AS INTEGER)`
      const retainedFrom =
        change.retainFrom === 'head'
          ? position
          : change.retainFrom !== undefined
            ? sql`max(coalesce(json_extract(payload_kv.data, '$.retainedFrom'), 0), ${change.retainFrom})`
            : sql`coalesce(json_extract(payload_kv.data, '$.retainedFrom'), 0)`
      const epochNow = sql`coalesce(${epoch}, json_extract(payload_kv.data, '$.epoch'), json_extract(payload_kv.data, '$.version'))`
      const rows = await db.all!(sql`
        INSERT INTO payload_kv (key, data) VALUES (${CONTENT_VERSION_KEY}, ${fresh})
        ON CONFLICT (key) DO UPDATE SET data = json_object(
          'epoch', ${epochNow},
          'position', ${position},
          'changedAt', ${change.advance ? now : sql`json_extract(payload_kv.data, '$.changedAt')`},
          'version', ${epochNow} || '.' || (${position}),
          'retainedFrom', ${retainedFrom})
        RETURNING data`)
      const data = rows[0]?.data
      return normalized(typeof data === 'string' ? JSON.parse(data) : data)!
    }
    const position = sql`coalesce((payload_kv.data->>'position')::bigint, 0) + ${step}`
    const retainedFrom =
      change.retainFrom === 'head'
        ? position
        : change.retainFrom !== undefined
          ? sql`greatest(coalesce((payload_kv.data->>'retainedFrom')::bigint, 0), ${change.retainFrom})`
          : sql`coalesce((payload_kv.data->>'retainedFrom')::bigint, 0)`
    const epochNow = sql`coalesce(${epoch}::text, payload_kv.data->>'epoch', payload_kv.data->>'version')`
    const { rows } = await db.execute!(sql`
      INSERT INTO payload_kv (key, data) VALUES (${CONTENT_VERSION_KEY}, ${fresh}::jsonb)
      ON CONFLICT (key) DO UPDATE SET data = jsonb_build_object(
        'epoch', ${epochNow},
        'position', ${position},
        'changedAt', ${change.advance ? now : sql`payload_kv.data->>'changedAt'`}::text,
        'version', ${epochNow} || '.' || (${position})::text,
        'retainedFrom', ${retainedFrom})
      RETURNING data`)
    return normalized(rows[0]?.data)!
  }

  if (payload.db.name === 'mongoose') {
    // MongoDB cannot make a second transaction wait for the first: a concurrent writer's transaction
    // fails with a write conflict on this document (as it did on the version before the change log),
    // so positions still follow commit order. See README, "Where MongoDB and the SQL databases differ".
    const position = { $add: [{ $ifNull: ['$data.position', 0] }, step] }
    const stored = await adapter.collections[KV_COLLECTION]!.findOneAndUpdate(
      { key: CONTENT_VERSION_KEY },
      [
        {
          $set: {
            key: CONTENT_VERSION_KEY,
            'data.epoch': change.newEpoch ? randomUUID() : { $ifNull: ['$data.epoch', '$data.version', randomUUID()] },
            'data.position': position,
            'data.changedAt': change.advance ? now : { $ifNull: ['$data.changedAt', now] },
            'data.retainedFrom':
              change.retainFrom === 'head'
                ? position
                : change.retainFrom !== undefined
                  ? { $max: [{ $ifNull: ['$data.retainedFrom', 0] }, change.retainFrom] }
                  : { $ifNull: ['$data.retainedFrom', 0] },
          },
        },
        { $set: { 'data.version': { $concat: ['$data.epoch', '.', { $toString: '$data.position' }] } } },
      ],
      { upsert: true, returnDocument: 'after', session, lean: true },
    )
    return normalized(stored?.data)!
  }
  throw new Error(`The change log does not support the "${payload.db.name}" database adapter.`)
}

/** Takes the next position for a change; pass the write's `req` so it commits (or rolls back) with the write. */
export const advanceContentVersion = (payload: Payload, req?: Partial<PayloadRequest>): Promise<ContentVersion> =>
  updateVersionRow(payload, req, { advance: true })

/** Cursors before `position` can no longer be served: the log no longer holds what they would need. */
export const retainChangesFrom = (payload: Payload, position: number, req?: Partial<PayloadRequest>) =>
  updateVersionRow(payload, req, { advance: false, retainFrom: position })

/**
 * After a restore the database holds other content under a log that does not describe it: a new
 * epoch changes every validator, and every sync cursor must start from scratch.
 */
export const restartChangeLog = (payload: Payload, req?: Partial<PayloadRequest>) =>
  updateVersionRow(payload, req, { advance: true, retainFrom: 'head', newEpoch: true })

const VERSION_SQL = 'SELECT data FROM payload_kv WHERE key = ?'
/** PostgreSQL parses and plans a named statement once per connection of the pool, not at every read. */
const VERSION_STATEMENT = {
  name: 'greenroom-content-version',
  text: 'SELECT data FROM payload_kv WHERE key = $1',
  values: [CONTENT_VERSION_KEY],
}

type Drivers = {
  client?: Parameters<typeof firstRowReaderOf>[0]
  pool?: { query: (statement: typeof VERSION_STATEMENT) => Promise<{ rows: Record<string, unknown>[] }> }
}

/**
 * The version row, asked of the database directly: it is read for every anonymous API request, and
 * Payload's query builder costs ten times the query itself there. On SQLite, one prepared statement on
 * a connection of its own (sqliteTransactions.ts: each read a new snapshot); on PostgreSQL, a named one.
 */
const readRawVersionData = async (payload: Payload): Promise<unknown> => {
  const { client, pool } = payload.db as unknown as Drivers
  const firstRow = payload.db.name === 'sqlite' && client ? firstRowReaderOf(client) : undefined
  if (firstRow) return firstRow(VERSION_SQL, [CONTENT_VERSION_KEY])?.[0]
  if (payload.db.name === 'postgres' && pool) return (await pool.query(VERSION_STATEMENT)).rows[0]?.data
  const [row] = await runRawSql(payload, VERSION_SQL, [CONTENT_VERSION_KEY])
  return row?.data
}

/** The row's JSON text on SQLite changes only with a write: the same text is not parsed again. */
let lastText: { text: string; version: ContentVersion | null } | undefined
const versionOfRow = (data: unknown): ContentVersion | null => {
  // Parsed jsonb on PostgreSQL.
  if (typeof data !== 'string') return normalized(data)
  if (lastText?.text !== data) lastText = { text: data, version: normalized(JSON.parse(data)) }
  return lastText.version
}

export const readContentVersion = async (payload: Payload): Promise<ContentVersion | null> => {
  if (hasRawSql(payload)) return versionOfRow(await readRawVersionData(payload))
  // MongoDB and any other adapter: through Payload.
  const doc = await payload.db.findOne<{ id: number | string; data?: unknown }>({
    collection: KV_COLLECTION,
    req: {},
    select: { data: true },
    where: { key: { equals: CONTENT_VERSION_KEY } },
  })
  return normalized(doc?.data)
}

/** A database that has never recorded a change gets its row at position 0, so every instance agrees on one. */
export const ensureContentVersion = async (payload: Payload): Promise<ContentVersion> =>
  (await readContentVersion(payload)) ?? updateVersionRow(payload, undefined, { advance: false })

/**
 * Shares one read among concurrent callers without ever handing a caller a read that started before
 * it asked. A read starts on the next turn of the event loop (setImmediate), so every request whose
 * bytes arrived in the same turn shares it, even when the driver answers synchronously (libsql);
 * a caller who arrives while a read runs waits for the next one. Under load that is one query per
 * turn instead of one per request, and no caller can miss a change committed before it arrived.
 */
export const coalesceReads = <T>(read: () => Promise<T>): (() => Promise<T>) => {
  let running: Promise<void> | undefined
  let gathering: Promise<T> | undefined
  const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve))
  const begin = () => {
    // From here on, new callers gather for the read after this one.
    gathering = undefined
    const current = read()
    const settled: Promise<void> = current.then(
      () => {
        if (running === settled) running = undefined
      },
      () => {
        if (running === settled) running = undefined
      },
    )
    running = settled
    return current
  }
  return () => {
    gathering ??= (running ? running.then(nextTurn) : nextTurn()).then(begin)
    return gathering
  }
}

/** The version the HTTP layer caught the change feed up to for the request being served (see `withRequestVersion`). */
const requestVersions = new AsyncLocalStorage<{ payload: Payload; version: ContentVersion }>()

/**
 * Runs a request's render knowing the content version its request read and caught the change feed up
 * to before it looked in the response store (src/server/cache/httpCache.ts). The caches the render goes
 * through (populated documents, counts) take that version instead of reading it again in each later
 * turn: what they hold is then as fresh as the request's own arrival, which is all a reader can ask of
 * an answer, and an answer a change made during the render could touch is still kept out of the store
 * (its render started before the change: the race guard of dependentCache.ts).
 */
export const withRequestVersion = <T>(payload: Payload, version: ContentVersion, render: () => T): T =>
  requestVersions.run({ payload, version }, render)

const versionReaders = new WeakMap<Payload, () => Promise<ContentVersion | null>>()

/**
 * What other instances say about the content version, pushed to this one (src/cluster/contentPush.ts):
 * `current` answers only while it can vouch for what it heard (subscribed, and checked against the
 * database lately); `learned` hears each database read; `announce` tells the others of a commit here.
 */
export type ContentVersionSource = {
  current: () => ContentVersion | undefined
  learned: (version: ContentVersion) => void
  announce: (version: ContentVersion) => Promise<void>
}
const versionSources = new WeakMap<Payload, ContentVersionSource>()

export const useContentVersionSource = (payload: Payload, source: ContentVersionSource) => {
  versionSources.set(payload, source)
}

/** After the write `req` belongs to commits, tells the other instances (when a source is installed) what it advanced to. */
export const announceContentVersion = async (payload: Payload, version: ContentVersion): Promise<void> => {
  await versionSources.get(payload)?.announce(version)
}

/**
 * The process's one shared reader of the content version for a Payload instance: the response store,
 * the count cache and the populated-document cache all catch the change feed up from it, so that
 * requests arriving in the same turn cost one query between them, not one per cache. Inside a request
 * the HTTP layer already caught up (`withRequestVersion`), it answers with that request's version.
 */
export const contentVersionReaderFor = (payload: Payload): (() => Promise<ContentVersion | null>) => {
  let reader = versionReaders.get(payload)
  if (!reader) {
    // The version is read from the primary, the content from a read replica when there is one: a
    // replica may not have replayed the change yet, and what a render reads from it would be stored
    // under the new version. A version that moved starts the read-after-write window, as a write here does.
    let lastSeen: ContentVersion | undefined
    const seen = (version: ContentVersion) => {
      // A database read that started before a push can answer an older position: not a move.
      if (isNewerContentVersion(version, lastSeen)) {
        if (lastSeen) readPrimaryAfterWriteElsewhere(payload)
        lastSeen = version
      }
      return version
    }
    const read = coalesceReads(async () => {
      const version = await readContentVersion(payload).catch(() => null)
      if (!version) return version
      versionSources.get(payload)?.learned(version)
      return seen(version)
    })
    // A push arrives on Redis's socket and a reader's request on its own, so a request sent after the
    // writer answered can be handled in the same turn as the push that preceded it, before it. Read on the
    // next turn (coalesceReads: setImmediate runs after the poll phase), the pushed version includes every
    // push Redis had handed out before the request arrived; the requests of one turn share that wait.
    const pushedAfterThisTurn = coalesceReads(async () => versionSources.get(payload)?.current())
    reader = () => {
      const request = requestVersions.getStore()
      if (request?.payload === payload) return Promise.resolve(request.version)
      // With changes pushed between instances, the database is asked only now and then.
      if (!versionSources.get(payload)?.current()) return read()
      return pushedAfterThisTurn().then((pushed) => (pushed ? seen(pushed) : read()))
    }
    versionReaders.set(payload, reader)
  }
  return reader
}
