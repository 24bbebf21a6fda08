import type { Payload } from 'payload'

import type { ContentVersion } from '../changes/contentVersion'
import { isNewerContentVersion, useContentVersionSource } from '../changes/contentVersion'
import type { SharedRedis } from './redis'

/**
 * How long a version heard by push is trusted without asking the database: a push lost on the way
 * (Redis restarting, a writer dying between its commit and its publish) is made good within this.
 */
const RECHECK_MS = 1000

/**
 * Content changes pushed between instances over Redis pub/sub. Each commit that advances the content
 * version is published by the instance that made it (src/changes/changeLog.ts), and every instance
 * adopts what it hears at once, so their response stores drop stale answers within a push, and the
 * database is asked for the version about once a second instead of once per event-loop turn. While
 * the subscription is down (Redis away) nothing is vouched for, and every read asks the database, as
 * a single instance does.
 */
export const shareContentVersions = (payload: Payload, redis: SharedRedis): void => {
  const channel = `${redis.settings.prefix}content-version`
  let latest: ContentVersion | undefined
  let checkedAt = 0
  let listening = false

  const adopt = (version: ContentVersion) => {
    if (isNewerContentVersion(version, latest)) latest = version
  }
  redis.subscriber.on('ready', () => {
    // Whatever was published while the subscription was down is missed: the next read asks the database.
    checkedAt = 0
    redis.subscriber.subscribe(channel).then(
      () => void (listening = true),
      () => void (listening = false),
    )
  })
  redis.subscriber.on('close', () => void (listening = false))
  redis.subscriber.on('message', (from: string, text: string) => {
    if (from !== channel) return
    try {
      adopt(JSON.parse(text) as ContentVersion)
    } catch {
      // Not ours: ignored.
    }
  })

  useContentVersionSource(payload, {
    current: () => (listening && latest && Date.now() - checkedAt < RECHECK_MS ? latest : undefined),
    learned: (version) => {
      // The database is the truth, except that a push may already be ahead of a read that started earlier.
      if (!latest || version.epoch !== latest.epoch || version.position >= latest.position) latest = version
      checkedAt = Date.now()
    },
    // Awaited by the commit (src/changes/changeLog.ts): once the writer has its answer, Redis has handed
    // the change to every subscribed instance. A publish that fails (Redis away) costs nothing more:
    // the others find the change in the database within RECHECK_MS.
    announce: async (version) => {
      adopt(version)
      await redis.client.publish(channel, JSON.stringify(version)).catch(() => undefined)
    },
  })
}
