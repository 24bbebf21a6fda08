import type { AfterErrorHook } from 'payload'

import { isDatabaseUnavailable, RETRY_AFTER_SECONDS } from '../db/databaseUnavailable'

/**
 * Without this, a request that meets a database outage gets Payload's generic 500 "Something went
 * wrong.", which reads like a bug in the request. A 503 with Retry-After tells clients, caches and
 * load balancers that it is temporary, and says so in words.
 */
export const answerDatabaseUnavailable: AfterErrorHook = ({ error, req }) => {
  if (!isDatabaseUnavailable(error)) return
  const headers = new Headers(req.responseHeaders)
  headers.set('Retry-After', String(RETRY_AFTER_SECONDS))
  headers.set('Cache-Control', 'no-store')
  req.responseHeaders = headers
  return {
    status: 503,
    response: { errors: [{ message: `The database is not available right now. Try again in a few seconds.` }] },
  }
}
