import type { CollectionSlug, Payload } from 'payload'
import { Gauge } from 'prom-client'

import { BUILD_DELIVERIES, DELIVERY_STATUSES } from '../buildHooks/collections'
import { registry } from './registry'

/** Asked of the database at most this often, however often /metrics is scraped. */
const FRESH_FOR_MS = 5000

/**
 * The jobs queue and the build-hook deliveries as the database holds them, counted when /metrics is
 * scraped: they are shared by every instance, so each reports the same totals (use `max` across
 * instances, not `sum`).
 */
export const watchQueues = (payload: Payload) => {
  let counted: Promise<void> | undefined
  let countedAt = 0
  const count = (collection: string, where: Record<string, unknown>) =>
    payload.count({ collection: collection as CollectionSlug, where: where as never, overrideAccess: true }).then(({ totalDocs }) => totalDocs)

  const jobs = new Gauge({
    name: 'greenroom_jobs',
    help: 'Jobs in the queue by state: queued (waiting), running, failed (gave up), retrying (failed at least once, will run again). Shared by all instances.',
    labelNames: ['state'] as const,
    registers: [registry],
  })
  const deliveries = new Gauge({
    name: 'greenroom_build_deliveries',
    help: 'Build-hook deliveries by status. Shared by all instances.',
    labelNames: ['status'] as const,
    registers: [registry],
  })

  const refresh = async () => {
    const notDone = { completedAt: { exists: false } }
    const [queued, running, failed, retrying, ...byStatus] = await Promise.all([
      count('payload-jobs', { and: [notDone, { processing: { not_equals: true } }, { hasError: { not_equals: true } }, { totalTried: { equals: 0 } }] }),
      count('payload-jobs', { processing: { equals: true } }),
      count('payload-jobs', { hasError: { equals: true } }),
      count('payload-jobs', { and: [notDone, { hasError: { not_equals: true } }, { totalTried: { greater_than: 0 } }] }),
      ...DELIVERY_STATUSES.map((status) => count(BUILD_DELIVERIES, { status: { equals: status } })),
    ])
    jobs.set({ state: 'queued' }, queued)
    jobs.set({ state: 'running' }, running)
    jobs.set({ state: 'failed' }, failed)
    jobs.set({ state: 'retrying' }, retrying)
    DELIVERY_STATUSES.forEach((status, k) => deliveries.set({ status }, byStatus[k]))
  }

  /** Brings the gauges up to date (shared by scrapes within FRESH_FOR_MS). */
  return () => {
    if (!counted || Date.now() - countedAt > FRESH_FOR_MS) {
      countedAt = Date.now()
      counted = refresh().catch((error: unknown) => {
        countedAt = 0
        payload.logger.warn({ err: error }, 'the queue metrics could not be counted')
      })
    }
    return counted
  }
}
