import { randomUUID } from 'node:crypto'

import type { Payload, PayloadRequest } from 'payload'
import { commitTransaction, createLocalReq, initTransaction, killTransaction } from 'payload'

import type { RecordedChange } from '../changes/changeLog'
import { readChangesAfter, readHeadPosition } from '../changes/changeLog'
import { readContentVersion } from '../changes/contentVersion'
import type { BuildDelivery, BuildHook } from '../payload-types'
import { claimDelivery } from './claim'
import { BUILD_DELIVERIES, BUILD_HOOKS, type Preset } from './collections'
import { buildRequest, type CarriedChange } from './presets'
import { sendSigned } from './send'
import type { BuildHookSettings } from './settings'
import { DELIVER_TASK, DELIVERY_QUEUE } from './names'

type Id = number | string

/** The most changes one call carries; more are sent by a follow-up call right after. */
export const MAX_CHANGES_PER_DELIVERY = 1000
const READ_PAGE = 500

/** Whether a change is one the hook was told to watch. */
export const hookWatches = (hook: Pick<BuildHook, 'collections' | 'globals'>, change: Pick<RecordedChange, 'collectionSlug' | 'globalSlug'>) =>
  change.globalSlug
    ? (hook.globals ?? []).includes(change.globalSlug as never)
    : Boolean(change.collectionSlug) && (hook.collections ?? []).includes(change.collectionSlug as never)

export const carried = (change: RecordedChange): CarriedChange => ({
  position: change.position,
  ...(change.collectionSlug ? { collection: change.collectionSlug, id: change.documentId } : {}),
  ...(change.globalSlug ? { global: change.globalSlug } : {}),
  event: change.event,
  locales: change.locales,
  changedAt: change.changedAt,
})

/** The changes after `from` that the hook watches, up to the head or MAX_CHANGES_PER_DELIVERY of them. */
const collectBurst = async (payload: Payload, hook: BuildHook, delivered: number) => {
  const head = await readHeadPosition(payload)
  // A hook that delivered past the head saw another log: the database was restored from a backup,
  // and the log began again. Everything in the new log is news to it.
  const from = delivered > head ? 0 : delivered
  const changes: CarriedChange[] = []
  let to = from
  while (to < head && changes.length < MAX_CHANGES_PER_DELIVERY) {
    const page = await readChangesAfter(payload, to, READ_PAGE)
    if (page.length === 0) break
    for (const change of page) {
      if (change.position > head) break
      if (hookWatches(hook, change)) {
        changes.push(carried(change))
        if (changes.length === MAX_CHANGES_PER_DELIVERY) {
          to = change.position
          break
        }
      }
      to = change.position
    }
  }
  return { from, to, head, changes }
}

/** Queues the delivery task for a delivery; with `req`, in that request's transaction. */
export const queueDeliveryJob = (payload: Payload, delivery: Id, waitUntil: Date, req?: PayloadRequest) =>
  payload.jobs.queue({ task: DELIVER_TASK, queue: DELIVERY_QUEUE, input: { delivery: String(delivery) }, waitUntil, req } as never)

/** A new waiting delivery of a hook, with its job (the subscriber, follow-ups and retries). */
export const createQueuedDelivery = async (payload: Payload, hook: Id, nextAttemptAt: Date, req?: PayloadRequest) => {
  const delivery = await payload.create({
    collection: BUILD_DELIVERIES,
    data: { hook: hook as number, status: 'queued', webhookId: `msg_${randomUUID()}`, nextAttemptAt: nextAttemptAt.toISOString() },
    depth: 0,
    overrideAccess: true,
    req,
  })
  await queueDeliveryJob(payload, delivery.id, nextAttemptAt, req)
  return delivery
}

/** Runs writes in one transaction of their own (after the HTTP call, never around it). */
const inTransaction = async (payload: Payload, work: (req: PayloadRequest) => Promise<void>) => {
  const req = await createLocalReq({}, payload)
  const started = await initTransaction(req)
  try {
    await work(req)
    if (started) await commitTransaction(req)
  } catch (error) {
    if (started) await killTransaction(req)
    throw error
  }
}

/** A hook's queued delivery that waited for this one may go now. */
const wakeNextDelivery = async (payload: Payload, hook: Id, req: PayloadRequest) => {
  const next = await payload.find({
    collection: BUILD_DELIVERIES,
    where: { hook: { equals: hook }, status: { equals: 'queued' } },
    depth: 0,
    limit: 1,
    overrideAccess: true,
    req,
    select: { nextAttemptAt: true },
  })
  const waiting = next.docs[0]
  if (!waiting) return
  const due = waiting.nextAttemptAt ? new Date(waiting.nextAttemptAt) : new Date()
  await queueDeliveryJob(payload, waiting.id, due, req)
}

/** Exponential backoff: the first wait, doubled after each failed attempt. */
export const retryDelayMs = (failedAttempts: number, settings: BuildHookSettings) =>
  settings.firstRetryMs * 2 ** Math.max(0, failedAttempts - 1)

export type DeliveryOutcome = 'not-claimed' | 'delivered' | 'nothing-to-deliver' | 'retrying' | 'failed' | 'disabled'

/**
 * Delivers one burst: claims it (./claim.ts), fixes what it carries on the first attempt (from the
 * hook's last delivered position to the head), sends it signed, and records the attempt. A 2xx
 * moves the hook's `deliveredThrough`; a 410 turns the hook off; anything else is retried with
 * exponential backoff until `retryForMs` after the first attempt, then the burst has failed (and
 * the next burst carries its changes again, since `deliveredThrough` did not move).
 */
export const deliver = async (payload: Payload, id: Id, settings: BuildHookSettings): Promise<DeliveryOutcome> => {
  const now = new Date()
  // The lease outlives any attempt: a server that still holds it after that has died.
  const leaseUntil = new Date(now.getTime() + settings.timeoutMs + 60_000)
  if (!(await claimDelivery(payload, id, now, leaseUntil))) {
    // Another server has it or delivered it, it is not due yet (a second job for it), or an older
    // delivery of its hook goes first (which queues this one when it is done).
    const current = await payload.findByID({ collection: BUILD_DELIVERIES, id, depth: 0, overrideAccess: true, disableErrors: true, select: { status: true } })
    payload.logger.info({ msg: `Build delivery ${id} not claimed: it is ${current?.status ?? 'gone'}` })
    return 'not-claimed'
  }

  const delivery = (await payload.findByID({ collection: BUILD_DELIVERIES, id, depth: 0, overrideAccess: true })) as BuildDelivery
  const hookId = typeof delivery.hook === 'object' ? delivery.hook.id : delivery.hook
  const hook = (await payload.findByID({ collection: BUILD_HOOKS, id: hookId, depth: 0, overrideAccess: true, disableErrors: true })) as BuildHook | null

  if (!hook || !hook.enabled) {
    await inTransaction(payload, async (req) => {
      await payload.update({ collection: BUILD_DELIVERIES, id, data: { status: 'disabled', leaseUntil: null }, depth: 0, overrideAccess: true, req })
    })
    return 'disabled'
  }

  let { fromPosition: from, toPosition: to, changes } = delivery as { fromPosition?: number | null; toPosition?: number | null; changes?: unknown }
  let head: number | undefined
  if (from == null || to == null) {
    // First attempt: the burst is fixed now and kept for every retry (its webhook-id names it).
    const burst = await collectBurst(payload, hook, hook.deliveredThrough ?? 0)
    from = burst.from
    to = burst.to
    head = burst.head
    changes = burst.changes
    await payload.update({
      collection: BUILD_DELIVERIES,
      id,
      data: { fromPosition: from, toPosition: to, changes: burst.changes, changeCount: burst.changes.length },
      depth: 0,
      overrideAccess: true,
    })
  }
  const carriedChanges = (changes ?? []) as CarriedChange[]

  if (carriedChanges.length === 0) {
    // What started this burst went out with the one before it: nothing to announce.
    await inTransaction(payload, async (req) => {
      await payload.update({
        collection: BUILD_DELIVERIES,
        id,
        data: { status: 'delivered', leaseUntil: null, nextAttemptAt: null },
        depth: 0,
        overrideAccess: true,
        req,
      })
      await advanceHook(payload, hook, to as number, req)
      await wakeNextDelivery(payload, hookId, req)
    })
    return 'nothing-to-deliver'
  }

  const attemptAt = new Date()
  const epoch = (await readContentVersion(payload))?.epoch ?? ''
  const request = buildRequest(
    {
      epoch,
      hook: { id: hook.id, name: hook.name, preset: hook.preset as Preset, url: hook.url, githubToken: hook.githubToken, githubEventType: hook.githubEventType },
      from,
      to,
      changes: carriedChanges,
    },
    attemptAt,
  )
  const result = await sendSigned(
    request,
    { secret: hook.secret as string, webhookId: delivery.webhookId, timestamp: attemptAt },
    { timeoutMs: settings.timeoutMs, allowPrivateTargets: settings.allowPrivateTargets },
  )
  const attempts = [
    ...(delivery.attempts ?? []).map(({ at, responseCode, durationMs, error }) => ({ at, responseCode, durationMs, error })),
    { at: attemptAt.toISOString(), responseCode: result.responseCode, durationMs: result.durationMs, error: result.error },
  ]
  const firstAttemptAt = new Date(attempts[0].at)
  const ok = result.responseCode !== null && result.responseCode >= 200 && result.responseCode < 300

  let outcome: DeliveryOutcome
  await inTransaction(payload, async (req) => {
    const update = (data: Partial<BuildDelivery>) =>
      payload.update({ collection: BUILD_DELIVERIES, id, data: { attempts, leaseUntil: null, ...data }, depth: 0, overrideAccess: true, req })
    if (ok) {
      outcome = 'delivered'
      await update({ status: 'delivered', deliveredAt: new Date().toISOString(), nextAttemptAt: null })
      await advanceHook(payload, hook, to as number, req)
      // More than one call's worth of changes: the rest goes right away.
      if (head !== undefined && (to as number) < head) await createQueuedDelivery(payload, hook.id, new Date(), req)
      else await wakeNextDelivery(payload, hookId, req)
    } else if (result.responseCode === 410) {
      // 410 Gone: the receiver says this hook no longer exists (Standard Webhooks, and most hosts).
      outcome = 'disabled'
      await update({ status: 'disabled', nextAttemptAt: null })
      await updateHookRow(payload, hook.id, { enabled: false, disabledReason: `The target answered 410 Gone on ${attemptAt.toISOString()}`, disabledAt: new Date().toISOString() }, req)
      await payload.update({
        collection: BUILD_DELIVERIES,
        where: { hook: { equals: hook.id }, status: { equals: 'queued' } },
        data: { status: 'disabled', nextAttemptAt: null },
        depth: 0,
        overrideAccess: true,
        req,
      })
    } else {
      const nextAttemptAt = new Date(Date.now() + retryDelayMs(attempts.length, settings))
      if (nextAttemptAt.getTime() - firstAttemptAt.getTime() > settings.retryForMs) {
        outcome = 'failed'
        await update({ status: 'failed', nextAttemptAt: null })
        await wakeNextDelivery(payload, hookId, req)
      } else {
        outcome = 'retrying'
        await update({ status: 'retrying', nextAttemptAt: nextAttemptAt.toISOString() })
        await queueDeliveryJob(payload, id, nextAttemptAt, req)
      }
    }
  })
  if (!ok) payload.logger.warn({ msg: `Build hook "${hook.name}" (${hook.id}): ${result.error}`, outcome: outcome! })
  return outcome!
}

/** Records how far the hook has been told; a hook's deliveries go one at a time, in order (./claim.ts). */
const advanceHook = async (payload: Payload, hook: BuildHook, to: number, req: PayloadRequest) => {
  if (to === hook.deliveredThrough) return
  await updateHookRow(payload, hook.id, { deliveredThrough: to }, req)
}

/**
 * The server's own bookkeeping on a hook, straight to the database: through payload.update the
 * whole hook would be validated again, target lookup included, on every delivery.
 */
const updateHookRow = (payload: Payload, id: Id, data: Partial<BuildHook>, req: PayloadRequest) =>
  payload.db.updateOne({ collection: BUILD_HOOKS, id, data, req, returning: false })
