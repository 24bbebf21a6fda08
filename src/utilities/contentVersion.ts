import { randomUUID } from 'node:crypto'

import type { Payload, PayloadRequest } from 'payload'

/**
 * The content version: a value that changes with every write to published content, kept in the
 * database (Payload's key-value collection) so every server instance sees the same one. Answers
 * cached under one version are never served under another, and its time is the Last-Modified of
 * every answer. It is written in the same transaction as the change it records, so a reader who
 * sees the new version also sees the new content.
 */
export const CONTENT_VERSION_KEY = 'greenroom:content-version'

const KV_COLLECTION = 'payload-kv'

export type ContentVersion = {
  /** Random, not a counter: two concurrent writers must never record the same value. */
  version: string
  /** ISO time of the change. */
  changedAt: string
}

const isContentVersion = (value: unknown): value is ContentVersion =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as ContentVersion).version === 'string' &&
  typeof (value as ContentVersion).changedAt === 'string'

/** Records a change; pass the write's `req` so it commits (or rolls back) with the write. */
export const recordContentChange = async (payload: Payload, req?: Partial<PayloadRequest>): Promise<ContentVersion> => {
  const data: ContentVersion = { version: randomUUID(), changedAt: new Date().toISOString() }
  await payload.db.upsert({
    collection: KV_COLLECTION,
    data: { key: CONTENT_VERSION_KEY, data },
    req: req ?? {},
    select: { key: true },
    where: { key: { equals: CONTENT_VERSION_KEY } },
  })
  return data
}

type RawReaders = {
  client?: { execute: (statement: { sql: string; args: unknown[] }) => Promise<{ rows: { data?: unknown }[] }> }
  pool?: { query: (sql: string, args: unknown[]) => Promise<{ rows: { data?: unknown }[] }> }
}

/**
 * One row by its unique key, asked of the database directly: the version is read for every
 * anonymous API request, and Payload's query builder costs ten times the query itself there.
 */
const readRawVersionData = async (payload: Payload): Promise<{ found: boolean; data?: unknown }> => {
  const { client, pool } = payload.db as unknown as RawReaders
  if (payload.db.name === 'sqlite' && client) {
    const { rows } = await client.execute({
      sql: 'SELECT data FROM payload_kv WHERE key = ?',
      args: [CONTENT_VERSION_KEY],
    })
    return { found: true, data: typeof rows[0]?.data === 'string' ? JSON.parse(rows[0].data) : undefined }
  }
  if (payload.db.name === 'postgres' && pool) {
    const { rows } = await pool.query('SELECT data FROM payload_kv WHERE key = $1', [CONTENT_VERSION_KEY])
    return { found: true, data: rows[0]?.data }
  }
  return { found: false }
}

export const readContentVersion = async (payload: Payload): Promise<ContentVersion | null> => {
  const raw = await readRawVersionData(payload)
  if (raw.found) return isContentVersion(raw.data) ? raw.data : null
  // MongoDB and any other adapter: through Payload.
  const doc = await payload.db.findOne<{ id: number | string; data?: unknown }>({
    collection: KV_COLLECTION,
    req: {},
    select: { data: true },
    where: { key: { equals: CONTENT_VERSION_KEY } },
  })
  return isContentVersion(doc?.data) ? doc.data : null
}

/** A database that has never recorded a change gets its first version, so every instance agrees on one. */
export const ensureContentVersion = async (payload: Payload): Promise<ContentVersion> =>
  (await readContentVersion(payload)) ?? recordContentChange(payload)

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
