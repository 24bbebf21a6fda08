import { encodeCursor } from '../sync/cursor'
import type { Preset } from './collections'

/** A change as a hook carries it: the change log's row without who made it (that stays in the CMS). */
export type CarriedChange = {
  position: number
  collection?: string
  id?: string
  global?: string
  event: string
  locales: string[]
  changedAt: string
}

export type Burst = {
  hook: { id: number | string; name: string; preset: Preset; url: string; githubToken?: string | null; githubEventType?: string | null }
  from: number
  to: number
  /** The change log's epoch: with a position it makes a sync cursor. */
  epoch: string
  changes: CarriedChange[]
}

/**
 * Sync cursors for the burst: `since` fetches exactly its changes from /api/sync (with the hook's
 * collections), `cursor` is where a build that applied them goes on from.
 */
const syncCursors = (burst: Burst) => ({
  since: encodeCursor({ mode: 'delta', epoch: burst.epoch, position: burst.from }),
  cursor: encodeCursor({ mode: 'delta', epoch: burst.epoch, position: burst.to }),
})

export type OutgoingRequest = { url: string; headers: Record<string, string>; body: string }

/** GitHub refuses a client_payload with more than 10 top-level keys, and large ones; a build reads the rest from /api/sync. */
const GITHUB_MAX_CHANGES = 50

/** The body of a generic hook, and of Netlify's (which hands it to the build as INCOMING_HOOK_BODY). */
export const genericBody = (burst: Burst, timestamp: Date) => ({
  type: 'content.changed',
  timestamp: timestamp.toISOString(),
  data: {
    hook: { id: burst.hook.id, name: burst.hook.name },
    from: burst.from,
    to: burst.to,
    ...syncCursors(burst),
    changes: burst.changes,
  },
})

/**
 * What to send for each preset. Netlify, Vercel and Cloudflare Pages build hooks take a POST to
 * their URL and start a build whatever the body; GitHub's repository_dispatch needs its own body
 * and a token. Every request is signed the same way (see ./deliver.ts).
 */
export const buildRequest = (burst: Burst, timestamp: Date): OutgoingRequest => {
  const { hook } = burst
  const json = { 'content-type': 'application/json' }
  switch (hook.preset) {
    case 'github-dispatch': {
      const truncated = burst.changes.length > GITHUB_MAX_CHANGES
      return {
        url: hook.url,
        headers: {
          ...json,
          accept: 'application/vnd.github+json',
          'x-github-api-version': '2022-11-28',
          ...(hook.githubToken ? { authorization: `Bearer ${hook.githubToken}` } : {}),
        },
        body: JSON.stringify({
          event_type: hook.githubEventType || 'greenroom-content-changed',
          client_payload: {
            hook: hook.name,
            from: burst.from,
            to: burst.to,
            ...syncCursors(burst),
            changeCount: burst.changes.length,
            changes: burst.changes.slice(0, GITHUB_MAX_CHANGES),
            truncated,
          },
        }),
      }
    }
    case 'netlify': {
      // Netlify shows trigger_title in its deploy list.
      const url = new URL(hook.url)
      if (!url.searchParams.has('trigger_title')) {
        url.searchParams.set('trigger_title', `Greenroom: ${burst.changes.length} change${burst.changes.length === 1 ? '' : 's'} (to ${burst.to})`)
      }
      return { url: url.toString(), headers: json, body: JSON.stringify(genericBody(burst, timestamp)) }
    }
    case 'vercel':
    case 'cloudflare-pages':
    case 'generic':
    default:
      return { url: hook.url, headers: json, body: JSON.stringify(genericBody(burst, timestamp)) }
  }
}
