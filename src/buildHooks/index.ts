import type { Config } from 'payload'

import { BuildDeliveries, BuildHooks } from './collections'
import { sweepNowAndThen } from './recovery'
import { buildHooksCronFromEnv, buildHookSettingsFromEnv } from './settings'
import { DELIVERY_QUEUE, deliverBuildHookTask } from './task'

export { queueBuildHooks } from './queue'

/**
 * Build hooks: a collection of hooks, a collection of their deliveries, the task that delivers
 * and a runner for its queue every few seconds (BUILD_HOOKS_CRON). The change-log subscriber that
 * queues deliveries is `queueBuildHooks` (./queue.ts), passed to the content-changes plugin.
 */
export const buildHooksPlugin =
  () =>
  (config: Config): Config => {
    const autoRun = config.jobs?.autoRun
    if (typeof autoRun === 'function') throw new Error('buildHooksPlugin expects jobs.autoRun as a list')
    const shouldAutoRun = config.jobs?.shouldAutoRun
    const settings = buildHookSettingsFromEnv()
    return {
      ...config,
      collections: [...(config.collections ?? []), BuildHooks, BuildDeliveries],
      jobs: {
        ...config.jobs,
        tasks: [...(config.jobs?.tasks ?? []), deliverBuildHookTask],
        autoRun: [...(autoRun ?? []), { cron: buildHooksCronFromEnv(), queue: DELIVERY_QUEUE, limit: 10 }],
        // Two servers can run the same job (see ./claim.ts). Payload deletes a job when it completes,
        // and the other server's update of the job then throws inside a transaction Payload never
        // rolls back (updateJobs in payload/dist/queues/utilities/updateJob.js): every such race
        // kept a pooled connection until the pool was empty and requests answered 503. Completed
        // jobs are kept instead, and removed an hour later (./recovery.ts).
        deleteJobOnComplete: false,
        // Every runner's tick is also when a server looks, now and then, for deliveries a dead
        // server left behind (./recovery.ts): whoever runs jobs also repairs them.
        shouldAutoRun: async (payload) => {
          const run = shouldAutoRun ? await shouldAutoRun(payload) : true
          if (run) await sweepNowAndThen(payload, settings)
          return run
        },
      },
    }
  }
