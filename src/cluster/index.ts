import type { Store } from 'express-rate-limit'
import type { Payload } from 'payload'

import { shareContentVersions } from './contentPush'
import { SharedRateLimitStore } from './rateLimitStore'
import { shareRecentWrites } from './recentWrites'
import { connectRedis, redisSettingsFromEnv } from './redis'

export type Cluster = {
  /** Rate-limit stores every instance shares; undefined without Redis (each process counts its own). */
  rateLimitStoreFor?: (name: string) => Store
  close: () => Promise<void>
}

/**
 * What an instance shares with the others when REDIS_URL is set: rate-limit counts, pushed content
 * changes, and (with read replicas) when it last wrote. Without it, or while Redis is away, the instance works as a single one does.
 */
export const joinCluster = (payload: Payload, env: Record<string, string | undefined> = process.env): Cluster => {
  const settings = redisSettingsFromEnv(env)
  if (!settings) return { close: async () => {} }
  const redis = connectRedis(settings, {
    info: (message) => payload.logger.info(message),
    warn: (details, message) => payload.logger.warn(details, message),
  })
  shareContentVersions(payload, redis)
  shareRecentWrites(payload, redis)
  return {
    rateLimitStoreFor: (name) => new SharedRateLimitStore(redis, name),
    close: () => redis.close(),
  }
}
