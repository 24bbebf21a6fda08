import type { IncomingMessage, ServerResponse } from 'node:http'

import type { RequestHandler } from 'express'
import type { Payload } from 'payload'

const QUIET_PATHS = new Set(['/healthz', '/readyz'])

const isQuiet = (url: string) => {
  const path = url.split('?', 1)[0]
  return QUIET_PATHS.has(path) || path.startsWith('/_next/')
}

/**
 * A credential in the query string (a build hook's deploy token: `?token=`, for hosts whose webhooks
 * cannot set headers) is not written to the log.
 */
export const withoutSecrets = (url: string): string => url.replace(/([?&]token=)[^&#]*/gi, '$1[redacted]')

/** One line per request through Payload's logger (pino), so a deployment has one log format. */
export const logWhenFinished = (
  logger: Payload['logger'],
  req: IncomingMessage,
  res: ServerResponse,
  started = process.hrtime.bigint(),
) => {
  // The URL as it arrived: express rewrites req.url while it routes.
  const url = withoutSecrets(req.url ?? '')
  res.once('finish', () => {
    const durationMs = Number(process.hrtime.bigint() - started) / 1e6
    const entry = {
      method: req.method,
      url,
      status: res.statusCode,
      durationMs: Math.round(durationMs * 10) / 10,
      bytes: Number(res.getHeader('content-length')) || undefined,
    }
    if (res.statusCode >= 500) logger.error(entry, 'request failed')
    else if (isQuiet(url)) logger.debug(entry, 'request')
    else logger.info(entry, 'request')
  })
}

export const requestLogger =
  (logger: Payload['logger']): RequestHandler =>
  (req, res, next) => {
    logWhenFinished(logger, req, res)
    next()
  }
