import type { DeployState } from './collection'

/** A deploy's report, whichever host sent it, as the endpoint stores it. */
export type DeployReport = {
  provider: 'generic' | 'netlify' | 'vercel'
  state: DeployState
  url?: string
  deployId?: string
  position?: number
  error?: string
}

/** What a report's body is not, said to the sender as a 400. */
export class ReportNotUnderstood extends Error {}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

const text = (value: unknown, max: number): string | undefined =>
  typeof value === 'string' && value.trim() !== '' ? value.trim().slice(0, max) : undefined

/** Hosts send bare host names (Vercel's `url`) as well as full URLs. */
const deployUrl = (value: unknown): string | undefined => {
  const raw = text(value, 2048)
  if (!raw) return undefined
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(raw) ? raw : `https://${raw}`
  try {
    const url = new URL(withScheme)
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.toString() : undefined
  } catch {
    return undefined
  }
}

const position = (value: unknown): number | undefined => {
  if (value === undefined || value === null || value === '') return undefined
  const number = typeof value === 'string' ? Number(value) : value
  if (typeof number !== 'number' || !Number.isSafeInteger(number) || number < 0) {
    throw new ReportNotUnderstood('`position` is the change-log position the deploy includes: a whole number from 0.')
  }
  return number
}

const GENERIC_STATES = new Set<DeployState>(['building', 'live', 'failed'])

/** Netlify's deploy notification `state`s; others (`new`, `enqueued`, `uploading`…) are a build under way. */
const NETLIFY_STATES: Record<string, DeployState> = { ready: 'live', error: 'failed' }
const NETLIFY_UNDER_WAY = new Set(['new', 'enqueued', 'building', 'uploading', 'uploaded', 'preparing', 'prepared', 'processing', 'processed'])

const VERCEL_TYPES: Record<string, DeployState> = {
  'deployment.created': 'building',
  'deployment.succeeded': 'live',
  'deployment.ready': 'live',
  'deployment.promoted': 'live',
  'deployment.error': 'failed',
  'deployment.canceled': 'failed',
}

const genericReport = (body: Record<string, unknown>): DeployReport => {
  if (!GENERIC_STATES.has(body.state as DeployState)) {
    throw new ReportNotUnderstood('`state` is one of building, live, failed.')
  }
  return {
    provider: 'generic',
    state: body.state as DeployState,
    url: deployUrl(body.url),
    deployId: text(body.deployId, 200),
    position: position(body.position),
    error: text(body.error, 2000),
  }
}

/** https://docs.netlify.com/site-deploys/deploy-notifications/ (outgoing webhook: the deploy object). */
const netlifyReport = (body: Record<string, unknown>): DeployReport => {
  const raw = String(body.state)
  const state = NETLIFY_STATES[raw] ?? (NETLIFY_UNDER_WAY.has(raw) ? 'building' : undefined)
  if (!state) throw new ReportNotUnderstood(`A Netlify deploy in state "${raw}" is not one Greenroom knows.`)
  return {
    provider: 'netlify',
    state,
    url: deployUrl(body.deploy_ssl_url ?? body.ssl_url ?? body.deploy_url ?? body.url),
    deployId: text(body.id, 200),
    error: state === 'failed' ? text(body.error_message, 2000) ?? 'The deploy failed.' : undefined,
  }
}

/** https://vercel.com/docs/webhooks/webhooks-api (deployment.* events). */
const vercelReport = (body: Record<string, unknown>): DeployReport => {
  const state = VERCEL_TYPES[String(body.type)]
  if (!state) throw new ReportNotUnderstood(`The Vercel event "${String(body.type)}" is not a deployment's state.`)
  const payload = isObject(body.payload) ? body.payload : {}
  const deployment = isObject(payload.deployment) ? payload.deployment : {}
  return {
    provider: 'vercel',
    state,
    url: deployUrl(deployment.url ?? payload.url),
    deployId: text(deployment.id ?? payload.deploymentId, 200),
    error: state === 'failed' ? text(deployment.errorMessage ?? payload.errorMessage, 2000) ?? `Vercel reported ${String(body.type)}.` : undefined,
  }
}

/**
 * Reads a deploy's report: Greenroom's own body (`state` building/live/failed), Netlify's deploy
 * notification (the deploy object: `state`, `id`, `ssl_url`…) or Vercel's webhook (`type`
 * deployment.*, `payload.deployment`). Anything else is not understood.
 */
export const readDeployReport = (body: unknown): DeployReport => {
  if (!isObject(body)) throw new ReportNotUnderstood('The body is a JSON object.')
  if (typeof body.type === 'string' && body.type.startsWith('deployment.')) return vercelReport(body)
  if (typeof body.state === 'string' && GENERIC_STATES.has(body.state as DeployState) && !('site_id' in body)) {
    return genericReport(body)
  }
  if (typeof body.state === 'string' && ('site_id' in body || 'deploy_ssl_url' in body || 'ssl_url' in body || 'build_id' in body)) {
    return netlifyReport(body)
  }
  if ('state' in body) return genericReport(body)
  throw new ReportNotUnderstood(
    'Not a deploy report: send { "state": "building" | "live" | "failed", "url"?, "position"?, "deployId"?, "error"? }, ' +
      "Netlify's deploy notification or Vercel's deployment webhook.",
  )
}
