import type { Payload } from 'payload'

import { closeReplicaPools, endPool } from './readReplicas'

type PgPool = { end: () => Promise<void>; ended?: boolean; _clients?: { release?: () => void }[] }
type OpenConnections = { pool?: PgPool; client?: { close: () => void; closed?: boolean } }

/**
 * Payload's destroy() stops its crons and resets the adapter but leaves the PostgreSQL pool and
 * the SQLite client open: a stopping server would hold its connections until the process dies.
 */
export const closePayload = async (payload: Payload): Promise<void> => {
  await payload.destroy()
  const db = payload.db as unknown as OpenConnections
  if (db.pool && !db.pool.ended) await endPool(db.pool)
  await closeReplicaPools(db)
  if (db.client && !db.client.closed) db.client.close()
}
