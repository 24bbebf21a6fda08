import type { RequestHandler } from 'express'
import type { Payload } from 'payload'

const QUIET_PATHS = new Set(['/healthz', '/readyz'])

/** One line per request through Payload's logger (pino), so a deployment has one log format. */
export const requestLogger =
  (logger: Payload['logger']): RequestHandler =>
  (req, res, next) => {
    const started = process.hrtime.bigint()
    res.on('finish', () => {
      const durationMs = Number(process.hrtime.bigint() - started) / 1e6
      const entry = {
        method: req.method,
        url: req.originalUrl,
        status: res.statusCode,
        durationMs: Math.round(durationMs * 10) / 10,
        bytes: Number(res.getHeader('content-length')) || undefined,
      }
      if (res.statusCode >= 500) logger.error(entry, 'request failed')
      else if (QUIET_PATHS.has(req.path) || req.path.startsWith('/_next/')) logger.debug(entry, 'request')
      else logger.info(entry, 'request')
    })
    next()
  }
