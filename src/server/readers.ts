import { createHash } from 'node:crypto'

import type { IncomingMessage } from 'node:http'

/**
 * Who is asking, as far as caching and rate limits care, told from the request alone (verifying a
 * token is Payload's job, later). Anonymous readers share public answers; an API key (Payload's
 * `<collection> API-Key <key>` header) is one client with its own limit; a session (a JWT header
 * or Payload's cookie) is an editor's browser.
 */
export type Reader = { kind: 'anonymous' } | { kind: 'apiKey'; key: string } | { kind: 'session' }

const readers = new WeakMap<IncomingMessage, Reader>()

const tellReader = (req: IncomingMessage, cookiePrefix: string): Reader => {
  const authorization = req.headers.authorization
  if (authorization) {
    return /\sAPI-Key\s/i.test(authorization)
      ? // Hashed: the key itself is a secret and is kept nowhere.
        {
          kind: 'apiKey',
          key: createHash('sha256').update(authorization).digest('base64url'),
        }
      : { kind: 'session' }
  }
  const cookie = req.headers.cookie
  if (cookie && cookie.split(';').some((part) => part.trim().startsWith(`${cookiePrefix}-token=`)))
    return { kind: 'session' }
  return { kind: 'anonymous' }
}

/** Told once per request: the rate limiter and the HTTP cache both ask. */
export const readerOf = (req: IncomingMessage, cookiePrefix: string): Reader => {
  let reader = readers.get(req)
  if (!reader) readers.set(req, (reader = tellReader(req, cookiePrefix)))
  return reader
}
