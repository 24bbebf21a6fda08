import { timingSafeEqual } from 'node:crypto'

import type { RequestHandler } from 'express'

import { registry } from './registry'

const equal = (given: string, expected: string) => {
  const a = Buffer.from(given)
  const b = Buffer.from(expected)
  return a.length === b.length && timingSafeEqual(a, b)
}

const refuse = (res: Parameters<RequestHandler>[1], status: number, message: string) => {
  res.status(status).set('Cache-Control', 'no-store')
  if (status === 401) res.set('WWW-Authenticate', 'Bearer realm="metrics"')
  res.json({ errors: [{ message }] })
}

/**
 * `GET /metrics` in Prometheus's text format, for a scraper holding METRICS_TOKEN as a bearer token.
 * Without METRICS_TOKEN the route is off (404): what the process does is nobody's business by default.
 */
export const metricsEndpoint = (token: string | undefined, beforeScrape: () => Promise<void>): RequestHandler => {
  return (req, res, next) => {
    if (!token) return refuse(res, 404, 'Metrics are off on this server (set METRICS_TOKEN to serve them).')
    const header = req.headers.authorization ?? ''
    const given = header.startsWith('Bearer ') ? header.slice('Bearer '.length).trim() : ''
    if (!given || !equal(given, token)) return refuse(res, 401, 'A bearer token (METRICS_TOKEN) is needed for /metrics.')
    beforeScrape()
      .then(() => registry.metrics())
      .then((text) => {
        res.status(200).set('Content-Type', registry.contentType).set('Cache-Control', 'no-store').send(text)
      }, next)
  }
}
