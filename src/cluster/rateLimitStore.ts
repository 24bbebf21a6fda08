import type { ClientRateLimitInfo, Options, Store } from 'express-rate-limit'
import { MemoryStore } from 'express-rate-limit'
import { RedisStore } from 'rate-limit-redis'

import type { SharedRedis } from './redis'

/**
 * express-rate-limit's Redis store (`rate-limit-redis`), so every instance counts into the same
 * window, with this process's own MemoryStore beside it for while Redis is away: a request is then
 * counted here, never refused or failed for want of Redis. Each time Redis is ready again the Redis
 * store is set up anew (it loads its script then).
 */
export class SharedRateLimitStore implements Store {
  readonly localKeys = false
  private readonly memory = new MemoryStore()
  private shared: RedisStore | undefined
  private options: Options | undefined

  constructor(
    private readonly redis: SharedRedis,
    readonly prefix: string,
  ) {
    redis.onReady(() => void this.connect())
  }

  private async connect() {
    if (!this.options) return
    const store = new RedisStore({
      prefix: `${this.redis.settings.prefix}rl:${this.prefix}:`,
      sendCommand: (command: string, ...args: string[]) => this.redis.client.call(command, ...args) as never,
    })
    try {
      await store.init(this.options)
      this.shared = store
    } catch {
      // Away again: the next ready sets it up.
    }
  }

  init(options: Options) {
    this.options = options
    this.memory.init(options)
    void this.connect()
  }

  async increment(key: string): Promise<ClientRateLimitInfo> {
    if (this.shared && this.redis.isUp()) {
      try {
        return await this.shared.increment(key)
      } catch {
        // Counted here instead; the outage is logged by the connection.
      }
    }
    return this.memory.increment(key)
  }

  async decrement(key: string) {
    if (this.shared && this.redis.isUp()) await this.shared.decrement(key).catch(() => undefined)
    else await this.memory.decrement(key)
  }

  async resetKey(key: string) {
    await Promise.all([this.memory.resetKey(key), this.shared && this.redis.isUp() ? this.shared.resetKey(key).catch(() => undefined) : undefined])
  }
}
