import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http'

import etag from 'etag'
import fresh from 'fresh'

import type { ContentVersion } from '../../changes/contentVersion'

/** Strong: the same bytes, the same tag, on every instance (etag's length and SHA-1 of the body). */
export const entityTag = (body: Buffer | string): string => etag(body)

/** If-None-Match alone, compared weakly as RFC 9110 says for GET (fresh's rule). */
export const matchesIfNoneMatch = (header: string, tag: string) => fresh({ 'if-none-match': header }, { etag: tag })

/**
 * Whether the client's copy is current, by fresh (what express's `req.fresh` uses): If-None-Match
 * wins when both are sent, If-Modified-Since counts whole seconds and ignores what is not a date.
 * The request's Cache-Control is not shown to fresh, which would answer every request saying
 * `no-cache` in full: the Fetch standard adds `Cache-Control: no-cache` to every request a script
 * makes conditional (Node's fetch and browsers' alike), so a front end revalidating its copy would
 * never get its 304. `no-cache` asks caches on the way to revalidate with this server, which is what
 * a conditional request to it does.
 */
export const isNotModified = (req: { headers: IncomingHttpHeaders }, tag: string, lastModified: string | undefined) =>
  fresh(
    { 'if-none-match': req.headers['if-none-match'], 'if-modified-since': req.headers['if-modified-since'] },
    { etag: tag, 'last-modified': lastModified },
  )

const seconds = (time: number | string) => Math.floor(new Date(time).getTime() / 1000)

/** Asked for on every stored answer, while the time it is made from changes only with a write. */
let lastChange = { changedAt: '', seconds: 0, header: '' }
const lastChangeOf = (changedAt: string) => {
  if (lastChange.changedAt !== changedAt) {
    const changed = seconds(changedAt)
    lastChange = { changedAt, seconds: changed, header: new Date(changed * 1000).toUTCString() }
  }
  return lastChange
}

/**
 * The time of the last change, but only once its second is over: two changes within one second
 * would otherwise share a Last-Modified, and a client holding the first would be told it is current.
 */
export const lastModifiedOf = (version: Pick<ContentVersion, 'changedAt'>, now = Date.now()): string | undefined => {
  const change = lastChangeOf(version.changedAt)
  return change.seconds * 1000 + 1000 <= now ? change.header : undefined
}

/** What sending needs of a stored answer; the store keeps more. */
export type SendableAnswer = {
  /** Payload's headers that describe the body (its media type, CORS headers for the Origin of the key). */
  headers: [string, string][]
  body: Buffer
  etag: string
  /** The Cache-Tag header's value ('' for none). */
  tags: string
}

export const VARY = 'Origin, Authorization, Cookie'

/**
 * The headers of an answer that are the same at every send, worked out at its first send rather
 * than at each: a stored answer is sent thousands of times.
 */
type WireHeaders = { validators: [string, string][]; content: [string, string][] }
const wireHeaders = new WeakMap<SendableAnswer, WireHeaders>()
const wireHeadersOf = (answer: SendableAnswer): WireHeaders => {
  let wire = wireHeaders.get(answer)
  if (!wire) {
    const validators: [string, string][] = [
      ['ETag', answer.etag],
      ['Vary', VARY],
    ]
    if (answer.tags) validators.push(['Cache-Tag', answer.tags], ['Surrogate-Key', answer.tags.replaceAll(',', ' ')])
    const content: [string, string][] = [...answer.headers, ['Content-Length', String(answer.body.length)]]
    wireHeaders.set(answer, (wire = { validators, content }))
  }
  return wire
}

const setAll = (res: ServerResponse, headers: [string, string][]) => {
  for (let k = 0; k < headers.length; k++) res.setHeader(headers[k][0], headers[k][1])
}

/**
 * A stored REST answer, or a 304 when the client's copy is current. `lastModified` is left out when
 * the content version is unknown or changed within this second (see lastModifiedOf).
 */
export const sendStoredAnswer = (
  req: IncomingMessage,
  res: ServerResponse,
  answer: SendableAnswer,
  sending: { cacheStatus: string; cacheControl: string; lastModified: string | undefined },
) => {
  const wire = wireHeadersOf(answer)
  res.setHeader('Cache-Status', sending.cacheStatus)
  setAll(res, wire.validators)
  if (sending.lastModified) res.setHeader('Last-Modified', sending.lastModified)
  res.setHeader('Cache-Control', sending.cacheControl)
  if (
    (req.headers['if-none-match'] !== undefined || req.headers['if-modified-since'] !== undefined) &&
    isNotModified(req, answer.etag, sending.lastModified)
  ) {
    res.statusCode = 304
    res.end()
    return
  }
  setAll(res, wire.content)
  res.statusCode = 200
  res.end(req.method === 'HEAD' ? undefined : answer.body)
}

/** A GraphQL answer: what Payload sent, with the store's status; no validators, since it answers a POST. */
export const sendGraphqlAnswer = (res: ServerResponse, answer: SendableAnswer, cacheStatus?: string) => {
  if (cacheStatus) res.setHeader('Cache-Status', cacheStatus)
  res.setHeader('Vary', VARY)
  setAll(res, wireHeadersOf(answer).content)
  res.statusCode = 200
  res.end(answer.body)
}
