import type { Payload, PayloadRequest } from 'payload'

import { BUILD_DELIVERIES, BUILD_HOOKS } from '../buildHooks/collections'
import type { BuildDelivery, BuildDeploy, BuildHook } from '../payload-types'
import { CHANGE_LOG } from '../changes/changeLog'
import { BUILD_DEPLOYS } from './collection'

/**
 * Where a document's last published change is on its way to the site, per build hook:
 * - pending: not sent yet (the hook's debounce window, or a call being retried);
 * - sent: the hook was called and no deploy has reported back yet;
 * - building: a deploy that includes it is building;
 * - live: a live deploy includes it;
 * - failed: the call was given up, the hook is off, or the deploy that includes it failed.
 */
export type BuildState = 'pending' | 'sent' | 'building' | 'live' | 'failed'

export type HookBuildStatus = {
  hook: { id: number | string; name: string }
  state: BuildState
  /** One sentence for the editor. */
  detail: string
  /** The deploy's URL when one reported. */
  url?: string | null
  /** When the state was reached (the report, or the call). */
  at?: string | null
}

export type DocumentBuildStatus = {
  /** The document's last change in the log. */
  change: { position: number; event: string; changedAt: string }
  hooks: HookBuildStatus[]
}

const WAITING = ['queued', 'delivering', 'retrying']

type Reader = { payload: Payload; req?: PayloadRequest }

const lastChangeOf = async ({ payload, req }: Reader, collectionSlug: string, id: number | string) => {
  const found = await payload.find({
    collection: CHANGE_LOG,
    where: { and: [{ collectionSlug: { equals: collectionSlug } }, { documentId: { equals: String(id) } }] },
    sort: '-position',
    limit: 1,
    depth: 0,
    overrideAccess: true,
    req,
  })
  return found.docs[0]
}

/**
 * The state of one hook for a change at `position` (which the hook watches). A deploy that reports
 * it includes the change decides first (a CI step may build from its own schedule, or report before
 * the hook's call is marked delivered); then the hook's calls; then a deploy that failed.
 */
export const hookBuildStatus = async ({ payload, req }: Reader, hook: BuildHook, position: number): Promise<HookBuildStatus> => {
  const base = { hook: { id: hook.id, name: hook.name } }
  const deploys = (
    await payload.find({
      collection: BUILD_DEPLOYS,
      where: { and: [{ hook: { equals: hook.id } }, { position: { greater_than_equal: position } }] },
      sort: '-reportedAt',
      limit: 20,
      depth: 0,
      overrideAccess: true,
      req,
    })
  ).docs as BuildDeploy[]
  // The site serves the last live deploy: a later one that fails does not take the change off it.
  const live = deploys.find((deploy) => deploy.state === 'live')
  if (live) return { ...base, state: 'live', detail: 'Live on the site.', url: live.url, at: live.reportedAt }
  const newest = deploys[0]
  if (newest?.state === 'building') {
    return { ...base, state: 'building', detail: 'A deploy with this change is building.', url: newest.url, at: newest.reportedAt }
  }
  if (position > (hook.deliveredThrough ?? 0)) {
    const [latest] = (
      await payload.find({
        collection: BUILD_DELIVERIES,
        where: { hook: { equals: hook.id } },
        sort: '-createdAt',
        limit: 1,
        depth: 0,
        overrideAccess: true,
        select: { status: true, nextAttemptAt: true, attempts: true, updatedAt: true },
        req,
      })
    ).docs as BuildDelivery[]
    if (latest && WAITING.includes(latest.status)) {
      return {
        ...base,
        state: 'pending',
        detail:
          latest.status === 'retrying'
            ? `Waiting: the build hook did not answer well (${describeAttempt(latest)}); retrying.`
            : "Waiting to be sent to the build (the hook's debounce window).",
        at: latest.nextAttemptAt ?? null,
      }
    }
    if (!hook.enabled) {
      return { ...base, state: 'failed', detail: `The build hook is turned off${hook.disabledReason ? `: ${hook.disabledReason}` : '.'}`, at: hook.disabledAt ?? null }
    }
    if (latest && (latest.status === 'failed' || latest.status === 'disabled')) {
      return { ...base, state: 'failed', detail: `The build hook call failed (${describeAttempt(latest)}).`, at: latest.updatedAt }
    }
    return { ...base, state: 'pending', detail: 'Not sent to the build yet.' }
  }
  if (newest?.state === 'failed') {
    return { ...base, state: 'failed', detail: `The deploy failed${newest.error ? `: ${newest.error}` : '.'}`, url: newest.url, at: newest.reportedAt }
  }
  return { ...base, state: 'sent', detail: 'Sent to the build; no deploy has reported back yet.' }
}

const describeAttempt = (delivery: Pick<BuildDelivery, 'attempts'>) => {
  const last = delivery.attempts?.at(-1)
  if (!last) return 'no answer'
  return last.responseCode ? `answered ${last.responseCode}` : (last.error ?? 'no answer')
}

/**
 * Where a post's or page's last change is on its way to the site, for each build hook that
 * watches its collection; undefined when the change log has nothing of it (never published).
 */
export const documentBuildStatus = async (
  reader: Reader,
  collectionSlug: string,
  id: number | string,
): Promise<DocumentBuildStatus | undefined> => {
  const change = await lastChangeOf(reader, collectionSlug, id)
  if (!change) return undefined
  const hooks = (
    await reader.payload.find({
      collection: BUILD_HOOKS,
      where: { collections: { in: [collectionSlug] } },
      sort: 'name',
      pagination: false,
      depth: 0,
      overrideAccess: true,
      req: reader.req,
    })
  ).docs as BuildHook[]
  return {
    change: { position: change.position, event: change.event, changedAt: change.changedAt },
    hooks: await Promise.all(hooks.map((hook) => hookBuildStatus(reader, hook, change.position))),
  }
}
