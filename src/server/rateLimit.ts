import type { Request as ExpressRequest, RequestHandler } from 'express'
import { ipKeyGenerator, rateLimit } from 'express-rate-limit'

import { wholeNumberFromEnv } from '../env'
import type { Reader } from './readers'
import { readerOf } from './readers'

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

type Limited = ExpressRequest & { rateLimit?: { resetTime?: Date; limit: number } }

/**
 * Rate limits on the API: anonymous clients per IP address (a /64 for IPv6), API keys per key,
 * sessions per IP with a higher limit. Over the limit: 429 with Retry-After and a message; every
 * answer carries the IETF RateLimit headers. Counts live in this process: behind a load balancer
 * with N instances a client gets up to N times the limit.
 */
export const apiRateLimit = (settings: RateLimitSettings, cookiePrefix: string): RequestHandler => {
  const readerFor = (req: ExpressRequest) => readerOf(req, cookiePrefix)
  const limitFor = (reader: Reader) =>
    reader.kind === 'apiKey' ? settings.perApiKey : reader.kind === 'session' ? settings.perSession : settings.perIp

  return rateLimit({
    windowMs: settings.windowSeconds * 1000,
    limit: (req) => limitFor(readerFor(req)),
    skip: (req) => limitFor(readerFor(req)) === 0,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    keyGenerator: (req) => {
      const reader = readerFor(req)
      const ip = ipKeyGenerator(req.ip ?? 'unknown')
      return reader.kind === 'apiKey' ? `key:${reader.key}` : `${reader.kind}:${ip}`
    },
    handler: (req, res) => {
      const resetTime = (req as Limited).rateLimit?.resetTime
      const retryAfter = Math.max(
        1,
        Math.ceil(((resetTime?.getTime() ?? Date.now() + settings.windowSeconds * 1000) - Date.now()) / 1000),
      )
      const who = readerFor(req).kind === 'apiKey' ? 'this API key' : 'your address'
      res
        .status(429)
        .set('Retry-After', String(retryAfter))
        .set('Cache-Control', 'no-store')
        .json({
          errors: [{ message: `Too many requests from ${who}. Try again in ${retryAfter} seconds.` }],
        })
    },
  })
}
