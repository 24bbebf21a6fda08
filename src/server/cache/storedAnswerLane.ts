import type { RequestListener } from 'node:http'

import type { Payload } from 'payload'

import type { HttpCache } from './httpCache'
import type { Client } from '../proxyTrust'
import type { RateLimiter } from '../rateLimit'
import { applyRateLimitVerdict } from '../rateLimit'
import { logWhenFinished } from '../requestLogger'
import { securityHeadersFor } from '../securityHeaders'

type LaneParts = {
  apiRoute: string
  /** Paths outside the API answered through the same store (the sitemap, feeds: src/siteOutputs/). */
  isStoredPath?: (path: string) => boolean
  /** API paths whose answers are never stored (files): passed on without a look at the store. */
  passOnPrefixes?: string[]
  cache: HttpCache
  limiter: RateLimiter
  client: Client
  logger: Payload['logger']
}

/**
 * The hot path of every site, in front of express: an API read whose answer the response store
 * holds (once the change feed caught up with the database's current content version) is answered here, with everything express
 * would have added (security headers, the rate limit, the request log line) and nothing it would
 * have spent (routing, middleware, request and response decoration). A revalidation answered 304
 * or a stored list then costs about what Node's own HTTP parsing does. Everything else, including
 * every read the store does not hold, is passed on to express untouched; the content-version read
 * and the rate-limit count made here are reused there, not repeated.
 */
export const storedAnswerLane =
  ({ apiRoute, isStoredPath = () => false, passOnPrefixes = [], cache, limiter, client, logger }: LaneParts) =>
  (passOn: RequestListener): RequestListener =>
  (req, res) => {
    const arrived = process.hrtime.bigint()
    const url = req.url ?? ''
    if (
      (req.method !== 'GET' && req.method !== 'HEAD') ||
      !(url.startsWith(`${apiRoute}/`) || isStoredPath(url.split('?', 1)[0])) ||
      passOnPrefixes.some((prefix) => url.startsWith(prefix))
    ) {
      passOn(req, res)
      return
    }
    cache
      .storedAnswerFor(req)
      .then(async (stored) => {
        if (!stored) return passOn(req, res)
        logWhenFinished(logger, req, res, arrived)
        for (const [name, value] of securityHeadersFor(url.split('?', 1)[0], client.isHttps(req))) {
          res.setHeader(name, value)
        }
        if (applyRateLimitVerdict(res, await limiter.admit(req, client.addressOf(req)))) return
        stored.send(res)
      })
      .catch((error: unknown) => {
        logger.error({ err: error, url }, 'the stored-answer lane failed; passing the request on')
        if (!res.headersSent) passOn(req, res)
        else res.destroy()
      })
  }
