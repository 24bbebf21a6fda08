import type { Config } from 'payload'

import { BuildDeliveries, BuildHooks } from './collections'
import { buildHooksCronFromEnv } from './settings'
import { DELIVERY_QUEUE, deliverBuildHookTask } from './task'

/**
 * Build hooks: a collection of hooks, a collection of their deliveries, the task that delivers
 * and the runner that picks deliveries up every few seconds. The change-log subscriber that
 * queues deliveries is `queueBuildHooks` (./queue.ts), passed to the content-changes plugin.
 */
export const buildHooksPlugin =
  () =>
  (config: Config): Config => {
    const autoRun = config.jobs?.autoRun
    if (typeof autoRun === 'function') throw new Error('buildHooksPlugin expects jobs.autoRun as a list')
    return {
      ...config,
      collections: [...(config.collections ?? []), BuildHooks, BuildDeliveries],
      jobs: {
        ...config.jobs,
        tasks: [...(config.jobs?.tasks ?? []), deliverBuildHookTask],
        autoRun: [...(autoRun ?? []), { cron: buildHooksCronFromEnv(), queue: DELIVERY_QUEUE, limit: 10 }],
      },
    }
  }
