import type { ChangeSubscriber } from '../changes/changeLog'
import type { BuildHook } from '../payload-types'
import { BUILD_DELIVERIES, BUILD_HOOKS } from './collections'
import { createQueuedDelivery, hookWatches } from './deliver'

/**
 * Queues a delivery for every enabled hook that watches the change, inside the write's own
 * transaction (the change log calls it with the write's `req`): a write that rolls back queues
 * nothing, and a delivery never runs before its change has committed.
 *
 * A hook with a delivery still waiting to start gets nothing new: that delivery reads every change
 * up to the head when it starts, so a burst within the debounce window becomes one call. The
 * window opens with the burst's first change; its delivery is due when the window closes.
 *
 * Writers are serialized by the change log's position counter before subscribers run, so two
 * concurrent writes cannot both find no waiting delivery and queue two.
 */
export const queueBuildHooks: ChangeSubscriber = async (change, req) => {
  const { payload } = req
  const hooks = await payload.find({
    collection: BUILD_HOOKS,
    where: { enabled: { equals: true } },
    depth: 0,
    pagination: false,
    overrideAccess: true,
    req,
    select: { collections: true, globals: true, debounceSeconds: true },
  })
  for (const hook of hooks.docs as Pick<BuildHook, 'id' | 'collections' | 'globals' | 'debounceSeconds'>[]) {
    if (!hookWatches(hook, change)) continue
    const waiting = await payload.count({
      collection: BUILD_DELIVERIES,
      where: { hook: { equals: hook.id }, status: { equals: 'queued' } },
      overrideAccess: true,
      req,
    })
    if (waiting.totalDocs > 0) continue
    await createQueuedDelivery(payload, hook.id, new Date(Date.now() + (hook.debounceSeconds ?? 30) * 1000), req)
  }
}
