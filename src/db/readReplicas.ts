import type { Payload } from 'payload'

import { ConfigurationError } from '../env'

export type ReadReplicaSettings = {
  /** Connection strings of PostgreSQL read replicas (streaming standbys of DATABASE_URI's server). */
  uris: string[]
  /** How long after a write reads go to the primary: the replication lag the deployment allows for. */
  afterWriteMs: number
}

/**
 * DATABASE_READ_REPLICAS (comma-separated postgres:// URIs) and DATABASE_READ_REPLICA_AFTER_WRITE_MS
 * (default 2000), for Payload's `readReplicas` on PostgreSQL (README, Read replicas).
 */
export const readReplicaSettingsFromEnv = (
  env: Record<string, string | undefined>,
  primaryKind: string,
): ReadReplicaSettings | undefined => {
  const uris = (env.DATABASE_READ_REPLICAS ?? '')
    .split(',')
    .map((uri) => uri.trim())
    .filter(Boolean)
  if (uris.length === 0) return undefined
  if (primaryKind !== 'postgres') {
    throw new ConfigurationError('DATABASE_READ_REPLICAS works with PostgreSQL only: DATABASE_URI must be a postgres:// URI.')
  }
  for (const uri of uris) {
    if (!/^postgres(ql)?:\/\//.test(uri)) {
      throw new ConfigurationError('DATABASE_READ_REPLICAS must list postgres:// URIs, separated by commas.')
    }
  }
  const raw = env.DATABASE_READ_REPLICA_AFTER_WRITE_MS?.trim()
  const afterWriteMs = raw ? Number(raw) : 2000
  if (!Number.isInteger(afterWriteMs) || afterWriteMs < 0) {
    throw new ConfigurationError(`DATABASE_READ_REPLICA_AFTER_WRITE_MS must be a whole number of milliseconds; it is "${raw}".`)
  }
  return { uris, afterWriteMs }
}

type ReplicaPool = { end: () => Promise<void>; ended?: boolean; on: (event: 'error', listener: (error: Error) => void) => void }

/**
 * The fields of Payload's PostgreSQL adapter this module works with: Payload routes a read to the
 * primary while `Date.now() - lastWriteTimestamp < readReplicasAfterWriteInterval`, and sets
 * `lastWriteTimestamp` after every write it makes (@payloadcms/drizzle, readAfterWrite.js).
 */
type ReplicatedAdapter = {
  primaryDrizzle?: unknown
  drizzle?: { $replicas?: { $client?: ReplicaPool }[] }
  lastWriteTimestamp?: number
  readReplicasAfterWriteInterval?: number
}

type Routing = { replicaPools: ReplicaPool[]; writeListeners: Set<() => void>; quietlySet: (at: number) => void }
const routings = new WeakMap<object, Routing>()

const routingOf = (payload: Payload) => routings.get(payload.db as object)

/**
 * Called once the adapter connected. Payload only knows about writes made by its own process; every
 * write here is also handed to `onLocalWrite` listeners (src/cluster/recentWrites.ts tells the other
 * instances), so that an editor's save through one instance and the reload through another both read
 * the primary. Replica pools get the same idle-connection error handling as the primary's.
 */
export const routeReadsAfterWrites = (adapter: object, logger: Payload['logger']): void => {
  const db = adapter as ReplicatedAdapter
  if (!db.primaryDrizzle || routings.has(adapter)) return
  const replicaPools = (db.drizzle?.$replicas ?? []).flatMap((replica) => (replica.$client ? [replica.$client] : []))
  for (const pool of replicaPools) {
    pool.on('error', (error) => logger.warn({ err: error }, 'A PostgreSQL read replica closed an idle connection'))
  }
  let lastWrite = db.lastWriteTimestamp
  const writeListeners = new Set<() => void>()
  Object.defineProperty(adapter, 'lastWriteTimestamp', {
    configurable: true,
    enumerable: true,
    get: () => lastWrite,
    set: (at: number) => {
      // Never earlier than a window another instance's announcement asked for (readPrimaryAfterWriteElsewhere).
      lastWrite = Math.max(lastWrite ?? 0, at)
      for (const listener of writeListeners) listener()
    },
  })
  routings.set(adapter, {
    replicaPools,
    writeListeners,
    quietlySet: (at) => void (lastWrite = Math.max(lastWrite ?? 0, at)),
  })
}

export const hasReadReplicas = (payload: Payload): boolean => routingOf(payload) !== undefined

export const readReplicaWindowMs = (payload: Payload): number =>
  (payload.db as unknown as ReplicatedAdapter).readReplicasAfterWriteInterval ?? 0

/** Listens to every write this process makes (nothing happens without read replicas). Returns the unsubscribe. */
export const onLocalWrite = (payload: Payload, listener: () => void): (() => void) => {
  const routing = routingOf(payload)
  routing?.writeListeners.add(listener)
  return () => void routing?.writeListeners.delete(listener)
}

/**
 * A write this process did not make (another instance's, or one this process learned of through a
 * newer content version): reads go to the primary for the window from now, as after a write here, and
 * for `extraMs` more when the news also stands for writes still to come (src/cluster/recentWrites.ts).
 */
export const readPrimaryAfterWriteElsewhere = (payload: Payload, extraMs = 0): void => {
  routingOf(payload)?.quietlySet(Date.now() + extraMs)
}

/** Payload's destroy() forgets the replicas without closing their pools (src/db/closePayload.ts). */
export const closeReplicaPools = async (adapter: object): Promise<void> => {
  const routing = routings.get(adapter)
  if (!routing) return
  routings.delete(adapter)
  await Promise.all(routing.replicaPools.filter((pool) => !pool.ended).map((pool) => endPool(pool)))
}

type CheckedOut = { _clients?: { release?: () => void }[] }

/**
 * Payload keeps one client of each pool checked out for the life of the pool (it listens for
 * connection resets on it) and never gives it back; end() would wait for it forever.
 */
export const endPool = async (pool: { end: () => Promise<void> } & CheckedOut): Promise<void> => {
  const ended = pool.end()
  for (const client of [...(pool._clients ?? [])]) {
    try {
      client.release?.()
    } catch {
      // already back in the pool, which end() is closing
    }
  }
  await ended
}
