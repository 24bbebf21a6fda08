import type { IncomingMessage, ServerResponse } from 'node:http'

import type { RequestHandler } from 'express'
import type { Options } from 'express-rate-limit'
import { MemoryStore, ipKeyGenerator } from 'express-rate-limit'

import { wholeNumberFromEnv } from '../env'
import type { Client } from './proxyTrust'
import type { Reader, Readers } from './readers'

export type RateLimitSettings = {
  windowSeconds: number
  /** Requests per window; 0 means no limit for that kind of client. */
  perIp: number
  perApiKey: number
  /** Editors' browsers (the admin panel makes many requests), per IP. */
  perSession: number
}

export const rateLimitSettingsFromEnv = (env: Record<string, string | undefined>): RateLimitSettings => ({
  windowSeconds: wholeNumberFromEnv(env, 'RATE_LIMIT_WINDOW_SECONDS', 60, 1),
  perIp: wholeNumberFromEnv(env, 'RATE_LIMIT_PER_IP', 600, 0),
  perApiKey: wholeNumberFromEnv(env, 'RATE_LIMIT_PER_API_KEY', 6000, 0),
  perSession: wholeNumberFromEnv(env, 'RATE_LIMIT_PER_SESSION', 3000, 0),
})

export type RateLimitVerdict = {
  /** The IETF RateLimit and RateLimit-Policy headers (draft 8), sent with every answer. */
  headers: [string, string][]
  refused?: { retryAfterSeconds: number; message: string }
}

type Bucket = 'ip' | 'apiKey' | 'session'

const POLICY_NAMES: Record<Bucket, string> = {
  ip: 'per-ip',
  apiKey: 'per-api-key',
  session: 'per-session',
}

/**
 * Credentials count as what Payload's authentication found them to be; when Payload found nobody
 * (or could not tell), they count against their address like any anonymous request. Otherwise a
 * made-up API key or session cookie per request would each get a fresh bucket of its own.
 */
const bucketOf = (reader: Reader): Bucket => {
  if (reader.kind === 'anonymous') return 'ip'
  if (reader.verified === 'apiKey') return 'apiKey'
  if (reader.verified === 'editor') return 'session'
  return 'ip'
}

export type RateLimiter = ReturnType<typeof createRateLimiter>

/**
 * Rate limits on the API: anonymous clients per IP address (a /56 for IPv6), API keys per key,
 * sessions per IP with a higher limit, in fixed windows counted by express-rate-limit's store.
 * Both ways into the API count through here: the lane that answers stored reads before express and
 * the express middleware, and a request is counted once however far it goes. Counts live in this
 * process: behind a load balancer with N instances a client gets up to N times the limit.
 */
export const createRateLimiter = (settings: RateLimitSettings, readers: Readers) => {
  const windowMs = settings.windowSeconds * 1000
  const store = new MemoryStore()
  store.init({ windowMs } as Options)
  const verdicts = new WeakMap<IncomingMessage, Promise<RateLimitVerdict | undefined>>()

  const limitFor = (bucket: Bucket) =>
    bucket === 'apiKey' ? settings.perApiKey : bucket === 'session' ? settings.perSession : settings.perIp

  const count = async (req: IncomingMessage, address: string): Promise<RateLimitVerdict | undefined> => {
    const reader = await readers.verify(req)
    const bucket = bucketOf(reader)
    const limit = limitFor(bucket)
    if (limit === 0) return undefined
    const key =
      bucket === 'apiKey' && reader.kind === 'credentialed' ? `key:${reader.fingerprint}` : `${bucket}:${ipKeyGenerator(address)}`
    const { totalHits, resetTime } = await store.increment(key)
    const resetSeconds = Math.max(0, Math.ceil(((resetTime?.getTime() ?? Date.now() + windowMs) - Date.now()) / 1000))
    const policy = `"${POLICY_NAMES[bucket]}"`
    const verdict: RateLimitVerdict = {
      headers: [
        ['RateLimit', `${policy}; r=${Math.max(limit - totalHits, 0)}; t=${resetSeconds}`],
        ['RateLimit-Policy', `${policy}; q=${limit}; w=${settings.windowSeconds}`],
      ],
    }
    if (totalHits > limit) {
      const retryAfterSeconds = Math.max(1, resetSeconds)
      const who = bucket === 'apiKey' ? 'this API key' : 'your address'
      verdict.refused = {
        retryAfterSeconds,
        message: `Too many requests from ${who}. Try again in ${retryAfterSeconds} seconds.`,
      }
    }
    return verdict
  }

  return {
    /** Counts the request, once however often it is asked; undefined when its kind of client has no limit. */
    admit: (req: IncomingMessage, address: string): Promise<RateLimitVerdict | undefined> => {
      let verdict = verdicts.get(req)
      if (!verdict) verdicts.set(req, (verdict = count(req, address)))
      return verdict
    },
    close: () => store.shutdown(),
  }
}

/** Sets the verdict's headers; true when the request was refused and its 429 has been sent. */
export const applyRateLimitVerdict = (res: ServerResponse, verdict: RateLimitVerdict | undefined): boolean => {
  if (!verdict) return false
  for (const [name, value] of verdict.headers) res.setHeader(name, value)
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
