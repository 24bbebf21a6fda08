import type { IncomingMessage, ServerResponse } from 'node:http'

import type { RequestHandler } from 'express'
import type { Options } from 'express-rate-limit'
import { MemoryStore, ipKeyGenerator } from 'express-rate-limit'

import { wholeNumberFromEnv } from '../env'
import { formSubmissionsIn } from './formSubmissionCount'
import type { Client } from './proxyTrust'
import type { Reader } from './readers'
import { readerOf } from './readers'

export type RateLimitSettings = {
  windowSeconds: number
  /** Requests per window; 0 means no limit for that kind of client. */
  perIp: number
  perApiKey: number
  /** Editors' browsers (the admin panel makes many requests), per IP. */
  perSession: number
  /** Form submissions (REST and GraphQL) per IP, whoever sends them, on top of the limits above. */
  perFormSubmission: number
}

export const rateLimitSettingsFromEnv = (env: Record<string, string | undefined>): RateLimitSettings => ({
  windowSeconds: wholeNumberFromEnv(env, 'RATE_LIMIT_WINDOW_SECONDS', 60, 1),
  perIp: wholeNumberFromEnv(env, 'RATE_LIMIT_PER_IP', 600, 0),
  perApiKey: wholeNumberFromEnv(env, 'RATE_LIMIT_PER_API_KEY', 6000, 0),
  perSession: wholeNumberFromEnv(env, 'RATE_LIMIT_PER_SESSION', 3000, 0),
  perFormSubmission: wholeNumberFromEnv(env, 'RATE_LIMIT_FORM_SUBMISSIONS', 10, 0),
})

export type RateLimitVerdict = {
  /** The IETF RateLimit and RateLimit-Policy headers (draft 8), sent with every answer. */
  headers: [string, string][]
  refused?: { retryAfterSeconds: number; message: string }
}

const POLICY_NAMES: Record<Reader['kind'], string> = {
  anonymous: 'per-ip',
  apiKey: 'per-api-key',
  session: 'per-session',
}

export type RateLimiter = ReturnType<typeof createRateLimiter>

/**
 * Rate limits on the API: anonymous clients per IP address (a /56 for IPv6), API keys per key,
 * sessions per IP with a higher limit, in fixed windows counted by express-rate-limit's store.
 * Both ways into the API count through here: the lane that answers stored reads before express and
 * the express middleware, and a request is counted once however far it goes. Counts live in this
 * process: behind a load balancer with N instances a client gets up to N times the limit.
 */
export const createRateLimiter = (settings: RateLimitSettings, cookiePrefix: string) => {
  const windowMs = settings.windowSeconds * 1000
  const store = new MemoryStore()
  store.init({ windowMs } as Options)
  // Form submissions write to the database and may send mail: they have a small limit of their own.
  const formStore = new MemoryStore()
  formStore.init({ windowMs } as Options)
  const verdicts = new WeakMap<IncomingMessage, Promise<RateLimitVerdict | undefined>>()

  const limitFor = (reader: Reader) =>
    reader.kind === 'apiKey' ? settings.perApiKey : reader.kind === 'session' ? settings.perSession : settings.perIp

  const count = async (req: IncomingMessage, address: string): Promise<RateLimitVerdict | undefined> => {
    const reader = readerOf(req, cookiePrefix)
    const limit = limitFor(reader)
    if (limit === 0) return undefined
    const key = reader.kind === 'apiKey' ? `key:${reader.key}` : `${reader.kind}:${ipKeyGenerator(address)}`
    const { totalHits, resetTime } = await store.increment(key)
    const resetSeconds = Math.max(0, Math.ceil(((resetTime?.getTime() ?? Date.now() + windowMs) - Date.now()) / 1000))
    const policy = `"${POLICY_NAMES[reader.kind]}"`
    const verdict: RateLimitVerdict = {
      headers: [
        ['RateLimit', `${policy}; r=${Math.max(limit - totalHits, 0)}; t=${resetSeconds}`],
        ['RateLimit-Policy', `${policy}; q=${limit}; w=${settings.windowSeconds}`],
      ],
    }
    if (totalHits > limit) {
      const retryAfterSeconds = Math.max(1, resetSeconds)
      const who = reader.kind === 'apiKey' ? 'this API key' : 'your address'
      verdict.refused = {
        retryAfterSeconds,
        message: `Too many requests from ${who}. Try again in ${retryAfterSeconds} seconds.`,
      }
    }
    return verdict
  }

  const countFormSubmissions = async (address: string, submissions: number): Promise<RateLimitVerdict | undefined> => {
    const limit = settings.perFormSubmission
    if (limit === 0 || submissions === 0) return undefined
    const key = ipKeyGenerator(address)
    let hits = { totalHits: 0, resetTime: undefined as Date | undefined }
    for (let k = 0; k < submissions; k++) hits = await formStore.increment(key)
    const resetSeconds = Math.max(0, Math.ceil(((hits.resetTime?.getTime() ?? Date.now() + windowMs) - Date.now()) / 1000))
    const policy = '"form-submissions"'
    const verdict: RateLimitVerdict = {
      headers: [
        ['RateLimit', `${policy}; r=${Math.max(limit - hits.totalHits, 0)}; t=${resetSeconds}`],
        ['RateLimit-Policy', `${policy}; q=${limit}; w=${settings.windowSeconds}`],
      ],
    }
    if (hits.totalHits > limit) {
      const retryAfterSeconds = Math.max(1, resetSeconds)
      verdict.refused = {
        retryAfterSeconds,
        message: `Too many form submissions from your address (at most ${limit} per ${settings.windowSeconds} seconds). Try again in ${retryAfterSeconds} seconds.`,
      }
    }
    return verdict
  }

  return {
    /**
     * Counts form submissions from the client's address, `submissions` of them (a GraphQL request
     * can carry several); undefined when there is no limit.
     */
    admitFormSubmissions: countFormSubmissions,
    /** Counts the request, once however often it is asked; undefined when its kind of client has no limit. */
    admit: (req: IncomingMessage, address: string): Promise<RateLimitVerdict | undefined> => {
      let verdict = verdicts.get(req)
      if (!verdict) verdicts.set(req, (verdict = count(req, address)))
      return verdict
    },
    close: () => {
      store.shutdown()
      formStore.shutdown()
    },
  }
}

/** Sets the verdict's headers; true when the request was refused and its 429 has been sent. */
export const applyRateLimitVerdict = (res: ServerResponse, verdict: RateLimitVerdict | undefined): boolean => {
  if (!verdict) return false
  for (const [name, value] of verdict.headers) {
    // A request under two policies (every request's, and form submissions') names both: the
    // headers are lists of policies.
    const earlier = res.getHeader(name)
    res.setHeader(name, earlier ? `${String(earlier)}, ${value}` : value)
  }
  if (!verdict.refused) return false
  const body = JSON.stringify({
    errors: [{ message: verdict.refused.message }],
  })
  res.statusCode = 429
  res.setHeader('Retry-After', String(verdict.refused.retryAfterSeconds))
  res.setHeader('Cache-Control', 'no-store')
  res.setHeader('Content-Type', 'application/json; charset=utf-8')
  res.setHeader('Content-Length', Buffer.byteLength(body))
  res.end(body)
  return true
}

/** The limiter as express middleware, for API requests the stored-answer lane passed on. */
export const apiRateLimit =
  (limiter: RateLimiter, client: Client): RequestHandler =>
  (req, res, next) => {
    limiter.admit(req, client.addressOf(req)).then((verdict) => {
      if (!applyRateLimitVerdict(res, verdict)) next()
    }, next)
  }

/**
 * The form-submission limit as express middleware, after the body has been read (a GraphQL
 * request is counted by the createFormSubmission fields in it).
 */
export const formSubmissionRateLimit =
  (limiter: RateLimiter, client: Client, routes: { collection: string; graphql: string }): RequestHandler =>
  (req, res, next) => {
    const submissions = formSubmissionsIn(req, routes)
    if (submissions === 0) return next()
    limiter.admitFormSubmissions(client.addressOf(req), submissions).then((verdict) => {
      if (!applyRateLimitVerdict(res, verdict)) next()
    }, next)
  }
