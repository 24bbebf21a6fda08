import { Redis } from 'ioredis'

import { ConfigurationError } from '../env'

export type RedisSettings = {
  url: string
  /** Put before every key and channel, so deployments can share one Redis. */
  prefix: string
}

type Logger = { info: (message: string) => void; warn: (details: object, message: string) => void }

/** REDIS_URL turns shared state on (README, Several instances); REDIS_KEY_PREFIX defaults to `greenroom:`. */
export const redisSettingsFromEnv = (env: Record<string, string | undefined> = process.env): RedisSettings | undefined => {
  const url = env.REDIS_URL?.trim()
  if (!url) return undefined
  if (!/^rediss?:\/\//.test(url)) throw new ConfigurationError(`REDIS_URL must be a redis:// or rediss:// URL; it is "${url}".`)
  return { url, prefix: env.REDIS_KEY_PREFIX?.trim() || 'greenroom:' }
}

/** A command that gets no answer in this long counts as Redis being away: no request waits longer on it. */
const COMMAND_TIMEOUT_MS = 500

export type SharedRedis = {
  settings: RedisSettings
  /** For commands: they fail at once while Redis is away (no queue), and callers fall back. */
  client: Redis
  /** A second connection for subscriptions (a subscribed connection takes no other commands). */
  subscriber: Redis
  /** Whether the command connection is ready now. */
  isUp: () => boolean
  /** Called each time the command connection is (again) ready. */
  onReady: (listener: () => void) => void
  close: () => Promise<void>
}

const options = {
  enableOfflineQueue: false,
  maxRetriesPerRequest: 1,
  commandTimeout: COMMAND_TIMEOUT_MS,
  connectTimeout: 2000,
  // Reconnects forever, at most every two seconds: Redis coming back is noticed without a restart.
  retryStrategy: (attempt: number) => Math.min(attempt * 200, 2000),
}

/**
 * The connections to Redis, which every feature shares. Redis going away is logged once (and its
 * return once); meanwhile each feature does what one instance does without Redis.
 */
export const connectRedis = (settings: RedisSettings, logger: Logger): SharedRedis => {
  const client = new Redis(settings.url, options)
  const subscriber = new Redis(settings.url, { ...options, commandTimeout: undefined })
  let up = false
  let away = false
  const listeners: (() => void)[] = []
  client.on('ready', () => {
    up = true
    if (away) logger.info('Redis is back: rate limits and content changes are shared by every instance again')
    away = false
    for (const listener of listeners) listener()
  })
  const lost = (error?: Error) => {
    up = false
    if (away) return
    away = true
    logger.warn(
      { err: error },
      'Redis is unreachable: until it is back, rate limits are counted per instance and response stores check the database for changes',
    )
  }
  client.on('error', lost)
  client.on('close', () => lost())
  // Errors of the subscription connection are the same outage, logged through the command connection.
  subscriber.on('error', () => {})
  return {
    settings,
    client,
    subscriber,
    isUp: () => up,
    onReady: (listener) => {
      listeners.push(listener)
      if (up) listener()
    },
    close: async () => {
      away = true
      client.disconnect()
      subscriber.disconnect()
    },
  }
}
