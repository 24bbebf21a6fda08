import type { Payload } from 'payload'

import { hasReadReplicas, onLocalWrite, readPrimaryAfterWriteElsewhere, readReplicaWindowMs } from '../db/readReplicas'
import type { SharedRedis } from './redis'

/**
 * How far apart an instance's write announcements may be: a quarter of the window (at least 50 ms), so
 * under a stream of writes each instance publishes at most four times per window.
 */
export const writeAnnouncementSpacingMs = (windowMs: number): number => Math.max(50, Math.floor(windowMs / 4))

/**
 * With read replicas, Payload reads from the primary for a while after each write its own process made
 * (DATABASE_READ_REPLICA_AFTER_WRITE_MS), so that a save followed by a read sees the save. Behind a load
 * balancer the read often reaches another instance: each instance tells the others of its writes over
 * Redis pub/sub, and they read from the primary for the window.
 *
 * A write is announced as it happens, unless an announcement went out less than the spacing before it;
 * each announcement therefore keeps the others on the primary for the window plus the spacing, which
 * covers every write the sender makes before its next one. No write waits for a timer to be announced:
 * a deferred announcement could reach the others after the writer had answered, and a reload sent then
 * would read the replica.
 */
export const shareRecentWrites = (payload: Payload, redis: SharedRedis): void => {
  if (!hasReadReplicas(payload)) return
  const channel = `${redis.settings.prefix}wrote`
  const spacingMs = writeAnnouncementSpacingMs(readReplicaWindowMs(payload))
  const me = `${process.pid}:${Math.random().toString(36).slice(2)}`
  let lastSentAt = -Infinity

  onLocalWrite(payload, () => {
    const now = Date.now()
    if (now - lastSentAt < spacingMs) return
    lastSentAt = now
    void redis.client.publish(channel, me).catch(() => undefined)
  })

  redis.subscriber.on('ready', () => void redis.subscriber.subscribe(channel).catch(() => undefined))
  redis.subscriber.on('message', (from: string, sender: string) => {
    if (from === channel && sender !== me) readPrimaryAfterWriteElsewhere(payload, spacingMs)
  })
}
