import type { IncomingMessage, ServerResponse } from 'node:http'

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
  const arrivedUrl = req.url ?? ''
  res.once('finish', () => {
    const failed = res.statusCode >= 500
    // Nothing is made for a line the level leaves out (LOG_LEVEL=warn keeps only failures).
    if (!failed && !logger.isLevelEnabled('info')) return
    const level = failed ? 'error' : isQuiet(arrivedUrl) ? 'debug' : 'info'
    if (!logger.isLevelEnabled(level)) return
    const durationMs = Number(process.hrtime.bigint() - started) / 1e6
    const entry = {
      method: req.method,
      url: withoutSecrets(arrivedUrl),
      status: res.statusCode,
      durationMs: Math.round(durationMs * 10) / 10,
      bytes: Number(res.getHeader('content-length')) || undefined,
    }
    if (level === 'error') logger.error(entry, 'request failed')
    else logger[level](entry, 'request')
  })
}
