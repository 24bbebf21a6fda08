import type { IncomingMessage, RequestListener } from 'node:http'

import type { Payload } from 'payload'

import type { BodyLimits } from '../bodyLimits'
import { isMultipart, readBodyOnce } from '../bodyLimits'
import type { FrontDoor } from '../frontDoor'
import { GRAPHQL_BODY_STORE_BYTES } from './graphqlReads'
import type { HttpCache, StoredAnswer } from './httpCache'

type LaneParts = {
  apiRoute: string
  /** The GraphQL endpoint: its POSTs are looked up by their body. */
  graphqlRoute: string
  /** Paths outside the API answered through the same store (the sitemap, feeds: src/siteOutputs/). */
  isStoredPath?: (path: string) => boolean
  /** API paths whose answers are never stored (files): passed on without a look at the store. */
  passOnPrefixes?: string[]
  cache: HttpCache
  door: FrontDoor
  bodyLimits: BodyLimits
  logger: Payload['logger']
}

/**
 * The GraphQL bodies the store could hold an answer for (src/server/payloadApi.ts stores those it
 * reads with a Content-Length of at most GRAPHQL_BODY_STORE_BYTES), within what express would read.
 */
const graphqlBodyWorthReading = (req: IncomingMessage, limits: BodyLimits) => {
  const length = Number(req.headers['content-length'])
  return (
    Number.isInteger(length) &&
    length > 0 &&
    length <= GRAPHQL_BODY_STORE_BYTES &&
    length <= limits.jsonBytes &&
    req.headers['transfer-encoding'] === undefined &&
    !isMultipart(req)
  )
}

/**
 * The hot path of every site, in front of express: an API read whose answer the response store
 * holds (once the change feed caught up with the database's current content version) is answered here, with everything express
 * would have added (src/server/frontDoor.ts: security headers, the rate limit, the request log line)
 * and nothing it would have spent (routing, middleware, request and response decoration). A
 * revalidation answered 304 or a stored list then costs about what Node's own HTTP parsing does.
 * A GraphQL POST is answered here too when the store holds the answer to its body: the body is read
 * here, and express, when the request is passed on, uses that reading (readBodyOnce) rather than
 * reading the stream again. Everything else, including every read the store does not hold, is passed
 * on to express untouched; the content-version read and the rate-limit count made here are reused
 * there, not repeated.
 */
export const storedAnswerLane =
  ({ apiRoute, graphqlRoute, isStoredPath = () => false, passOnPrefixes = [], cache, door, bodyLimits, logger }: LaneParts) =>
  (passOn: RequestListener): RequestListener =>
  (req, res) => {
    const arrived = process.hrtime.bigint()
    const url = req.url ?? ''
    const query = url.indexOf('?')
    const path = query === -1 ? url : url.slice(0, query)
    let stored: Promise<StoredAnswer | undefined>
    if (req.method === 'GET' || req.method === 'HEAD') {
      if (
        !(url.startsWith(`${apiRoute}/`) || isStoredPath(path)) ||
        passOnPrefixes.some((prefix) => url.startsWith(prefix))
      ) {
        passOn(req, res)
        return
      }
      stored = cache.storedAnswerFor(req)
    } else if (req.method === 'POST' && path === graphqlRoute && graphqlBodyWorthReading(req, bodyLimits)) {
      // A body express would refuse is refused there, from the same reading.
      stored = readBodyOnce(req, bodyLimits).then(
        (body) => cache.storedAnswerFor(req, body),
        () => undefined,
      )
    } else {
      passOn(req, res)
      return
    }
    stored
      .then((answer) => {
        if (!answer) return passOn(req, res)
        door.greet(req, res, path, door.isHttps(req), arrived)
        return door.admit(req, res).then((admitted) => {
          if (admitted) answer.send(res)
        })
      })
      .catch((error: unknown) => {
        logger.error({ err: error, url }, 'the stored-answer lane failed; passing the request on')
        if (!res.headersSent) passOn(req, res)
        else res.destroy()
      })
  }
