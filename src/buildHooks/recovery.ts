import type { Payload } from 'payload'

import { takeBackAbandonedDeliveries } from './claim'
import { BUILD_DELIVERIES } from './collections'
import { queueDeliveryJob } from './deliver'
import type { BuildHookSettings } from './settings'
import { DELIVER_TASK } from './names'

/** How long a completed job is kept (Payload's deletion on completion is off: see ./index.ts). */
const KEEP_COMPLETED_JOBS_MS = 60 * 60_000

/** How often each server looks for deliveries that a dead server left behind. */
const SWEEP_EVERY_MS = 30_000
/** A delivery whose due time passed this long ago without being taken has lost its job. */
const OVERDUE_MS = 60_000

let lastSweep = 0

/**
 * Removes completed jobs after an hour, and puts back what a server that died (`kill -9`, a crash, a lost container) left half done, so every
 * burst is still delivered:
 * - Payload marks a job `processing` when a runner takes it and never lets go of it if that runner
 *   dies: such a job is never run again. A delivery job processing for longer than any attempt can
 *   take is released, to be run again (its claim keeps it from delivering twice);
 * - a delivery whose lease ran out while `delivering` is set to be retried now (the receiver may
 *   have had it: its webhook-id is the same, so it can drop the repeat);
 * - a delivery due for over a minute, with no older delivery of its hook ahead of it, gets a job
 *   (a second job for one delivery is harmless: only one claims it).
 */
export const recoverAbandonedDeliveries = async (payload: Payload, settings: BuildHookSettings, now = new Date()) => {
  await payload.db.deleteMany({
    collection: 'payload-jobs',
    where: { completedAt: { less_than: new Date(now.getTime() - KEEP_COMPLETED_JOBS_MS).toISOString() } },
    req: {},
  })
  const staleBefore = new Date(now.getTime() - settings.timeoutMs - 2 * 60_000)
  await payload.db.updateMany({
    collection: 'payload-jobs',
    where: {
      and: [
        { taskSlug: { equals: DELIVER_TASK } },
        { processing: { equals: true } },
        { completedAt: { exists: false } },
        { updatedAt: { less_than: staleBefore.toISOString() } },
      ],
    },
    data: { processing: false },
    req: {},
    returning: false,
  })

  for (const id of await takeBackAbandonedDeliveries(payload, now)) {
    payload.logger.warn({ msg: `Build delivery ${id} was abandoned while delivering; it will be sent again` })
    await queueDeliveryJob(payload, id, now)
  }

  const overdue = await payload.find({
    collection: BUILD_DELIVERIES,
    where: {
      and: [{ status: { in: ['queued', 'retrying'] } }, { nextAttemptAt: { less_than: new Date(now.getTime() - OVERDUE_MS).toISOString() } }],
    },
    depth: 0,
    limit: 100,
    overrideAccess: true,
    select: { hook: true },
  })
  for (const delivery of overdue.docs) {
    const ahead = await payload.count({
      collection: BUILD_DELIVERIES,
      where: { hook: { equals: delivery.hook }, id: { less_than: delivery.id }, status: { in: ['delivering', 'retrying'] } },
      overrideAccess: true,
    })
    if (ahead.totalDocs === 0) await queueDeliveryJob(payload, delivery.id, now)
  }
}

/** At most once per SWEEP_EVERY_MS per process, from the job runner's tick; a failure is logged, not thrown. */
export const sweepNowAndThen = async (payload: Payload, settings: BuildHookSettings) => {
  const now = Date.now()
  if (now - lastSweep < SWEEP_EVERY_MS) return
  lastSweep = now
  try {
    await recoverAbandonedDeliveries(payload, settings)
  } catch (error) {
    payload.logger.error({ err: error, msg: 'Looking for abandoned build deliveries failed' })
  }
}
