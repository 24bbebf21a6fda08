import type { Payload } from 'payload'

type PgPool = { end: () => Promise<void>; ended?: boolean; _clients?: { release?: () => void }[] }
type OpenConnections = { pool?: PgPool; client?: { close: () => void; closed?: boolean } }

/**
 * Payload's destroy() stops its crons and resets the adapter but leaves the PostgreSQL pool and
 * the SQLite client open: a stopping server would hold its connections until the process dies.
 */
export const closePayload = async (payload: Payload): Promise<void> => {
  await payload.destroy()
  const db = payload.db as unknown as OpenConnections
  if (db.pool && !db.pool.ended) {
    const ended = db.pool.end()
    // The PostgreSQL adapter keeps one client checked out for the life of the pool (it listens
    // for connection resets on it) and never gives it back; end() would wait for it forever.
    for (const client of [...(db.pool._clients ?? [])]) {
      try {
        client.release?.()
      } catch {
        // already back in the pool, which end() is closing
      }
    }
    await ended
  }
  if (db.client && !db.client.closed) db.client.close()
}
