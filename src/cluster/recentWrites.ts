import type { Payload } from 'payload'

import { hasReadReplicas, onLocalWrite, readPrimaryAfterWriteElsewhere, readReplicaWindowMs } from '../db/readReplicas'
import type { SharedRedis } from './redis'

/**
 * With read replicas, Payload reads from the primary for a while after each write its own process made
 * (DATABASE_READ_REPLICA_AFTER_WRITE_MS), so that a save followed by a read sees the save. Behind a load
 * balancer the read often reaches another instance: each instance tells the others of its writes over
 * Redis pub/sub, and they read from the primary for the same window. Under a stream of writes an
 * instance publishes at most four times per window (the last write of a burst always goes out), so the
 * window the others keep open covers every write.
 */
export const shareRecentWrites = (payload: Payload, redis: SharedRedis): void => {
  if (!hasReadReplicas(payload)) return
  const channel = `${redis.settings.prefix}wrote`
  const spacingMs = Math.max(50, Math.floor(readReplicaWindowMs(payload) / 4))
  const me = `${process.pid}:${Math.random().toString(36).slice(2)}`
  let lastSentAt = 0
  let trailing: NodeJS.Timeout | undefined

  const send = () => {
    lastSentAt = Date.now()
    void redis.client.publish(channel, me).catch(() => undefined)
  }
  onLocalWrite(payload, () => {
    const sinceLast = Date.now() - lastSentAt
    if (sinceLast >= spacingMs) return send()
    trailing ??= setTimeout(() => {
      trailing = undefined
      send()
    }, spacingMs - sinceLast)
    trailing.unref()
  })

  redis.subscriber.on('ready', () => void redis.subscriber.subscribe(channel).catch(() => undefined))
  redis.subscriber.on('message', (from: string, sender: string) => {
    if (from === channel && sender !== me) readPrimaryAfterWriteElsewhere(payload)
  })
}
