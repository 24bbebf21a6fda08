import type { IncomingMessage, ServerResponse } from 'node:http'

import type { Payload } from 'payload'
import { pinoHttp } from 'pino-http'

import { httpDuration, httpRequests, responseStore } from '../metrics/registry'
import { NAMES_ITS_REQUEST, requestIdFrom } from './requestContext'

const QUIET_PATHS = new Set(['/healthz', '/readyz', '/metrics'])

const isQuiet = (url: string) => {
  const path = url.split('?', 1)[0]
  return QUIET_PATHS.has(path) || path.startsWith('/_next/')
}

/**
 * A credential in the query string (a build hook's deploy token: `?token=`, for hosts whose webhooks
 * cannot set headers) is not written to the log.
 */
export const withoutSecrets = (url: string): string => url.replace(/([?&]token=)[^&#]*/gi, '$1[redacted]')

/** The URL as it arrived: express rewrites `req.url` while it routes, and keeps the original. */
const arrivedUrl = (req: IncomingMessage) => (req as IncomingMessage & { originalUrl?: string }).originalUrl ?? req.url ?? ''

/** `greenroom; hit` → `hit`, `greenroom; fwd=miss` → `miss` (src/server/cache/httpCache.ts). */
const storeResult = (cacheStatus: unknown) => {
  if (typeof cacheStatus !== 'string') return undefined
  if (/;\s*hit\b/.test(cacheStatus)) return 'hit'
  return /fwd=(\w+)/.exec(cacheStatus)?.[1]
}

/**
 * Each request gets an id (the one a proxy in front sent as `X-Request-Id`, when it is a plain token,
 * else a new UUID), echoed in `X-Request-Id`, and one log line through Payload's logger when its
 * answer is sent (pino-http), with that id as `reqId`, as every other line written while it is served
 * (src/server/requestContext.ts). Its duration, route template, status and what the response store
 * did are counted for /metrics.
 */
export const createRequestObserver = (logger: Payload['logger'], routeOf: (path: string) => string) => {
  const logRequest = pinoHttp({
    logger,
    genReqId: (req, res) => {
      const id = requestIdFrom(req.headers['x-request-id'])
      res.setHeader('X-Request-Id', id)
      return id
    },
    quietReqLogger: true,
    quietResLogger: true,
    // Nothing is built for a line the level leaves out (LOG_LEVEL=warn keeps only failures).
    customLogLevel: (req, res, error) => (error || res.statusCode >= 500 ? 'error' : isQuiet(arrivedUrl(req)) ? 'debug' : 'info'),
    customSuccessMessage: () => 'request',
    customErrorMessage: () => 'request failed',
    customSuccessObject: (req, res, line: { responseTime?: number }) => ({
      method: req.method,
      url: withoutSecrets(arrivedUrl(req)),
      status: res.statusCode,
      durationMs: line.responseTime,
      bytes: Number(res.getHeader('content-length')) || undefined,
    }),
    customErrorObject: (req, res, error, line: { responseTime?: number }) => ({
      method: req.method,
      url: withoutSecrets(arrivedUrl(req)),
      status: res.statusCode,
      durationMs: line.responseTime,
      bytes: Number(res.getHeader('content-length')) || undefined,
      ...(error && !/^failed with status code/.test(error.message) ? { err: error } : {}),
    }),
  })

  return (req: IncomingMessage, res: ServerResponse, path: string, arrived = process.hrtime.bigint()) => {
    logRequest(req, res)
    ;((req as IncomingMessage & { log: object }).log as Record<symbol, unknown>)[NAMES_ITS_REQUEST] = true
    res.once('finish', () => {
      const labels = { method: req.method ?? 'GET', route: routeOf(path), status: String(res.statusCode) }
      httpRequests.inc(labels)
      httpDuration.observe(labels, Number(process.hrtime.bigint() - arrived) / 1e9)
      const result = storeResult(res.getHeader('cache-status'))
      if (result) responseStore.inc({ result })
    })
  }
}
