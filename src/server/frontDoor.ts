import type { IncomingMessage, ServerResponse } from 'node:http'

import type { RequestHandler } from 'express'
import type { Payload } from 'payload'

import type { Client } from './proxyTrust'
import type { RateLimiter } from './rateLimit'
import { applyRateLimitVerdict } from './rateLimit'
import { requestContext } from './requestContext'
import { createRequestObserver } from './requestLogger'
import { securityHeadersFor } from './securityHeaders'

export type FrontDoor = ReturnType<typeof createFrontDoor>

/**
 * What every answer gets, whoever makes it: the stored-answer lane in front of express
 * (src/server/cache/storedAnswerLane.ts) and express itself both go through here, so that the
 * security headers, the request's log line and the API's rate limit cannot differ between an answer
 * from the store and one from Payload.
 */
export const createFrontDoor = ({
  limiter,
  client,
  logger,
  routeOf,
}: {
  limiter: RateLimiter
  client: Client
  logger: Payload['logger']
  /** The route template of a path, for metrics (src/metrics/routes.ts). */
  routeOf: (path: string) => string
}) => {
  const observe = createRequestObserver(logger, routeOf)
  /** Security headers for the path, a request id, and one log line and its metrics once the answer is sent. */
  const greet = (req: IncomingMessage, res: ServerResponse, path: string, https: boolean, arrived?: bigint) => {
    const headers = securityHeadersFor(path, https)
    for (let k = 0; k < headers.length; k++) res.setHeader(headers[k][0], headers[k][1])
    observe(req, res, path, arrived)
  }

  /** Counts the request against its client's limit; false once it was refused and its 429 sent. */
  const admit = (req: IncomingMessage, res: ServerResponse): Promise<boolean> =>
    limiter.admit(req, client.addressOf(req)).then((verdict) => !applyRateLimitVerdict(res, verdict))

  /** Express middleware: `greet`, with express's own reading of the path and scheme. */
  const greeting: RequestHandler = (req, res, next) => {
    greet(req, res, req.path, req.secure)
    // What is logged while express and Payload serve it names the request.
    requestContext.run({ id: String(req.id) }, next)
  }

  /** Express middleware: `admit`, for API requests the lane passed on (counted once however often asked). */
  const admission: RequestHandler = (req, res, next) => {
    admit(req, res).then((admitted) => {
      if (admitted) next()
    }, next)
  }

  return { greet, admit, greeting, admission, isHttps: client.isHttps }
}
