import type { Endpoint, PayloadHandler } from 'payload'
import { APIError, headersWithCors } from 'payload'

import { publicLocalRequest } from '../readerPolicy/enforce'
import { IMMUTABLE } from '../server/cache/httpCache'
import type { ReaderPolicy } from '../readerPolicy/policy'
import type { SyncAnswer } from './changes'
import { assertServable, CursorGone, readLogState } from './changes'
import type { SyncCursor } from './cursor'
import { encodeCursor } from './cursor'
import { readDeltaPage } from './deltaSync'
import { readFullPage } from './fullSync'
import { readSyncParameters, SyncRequestProblem } from './parameters'
import { syncOperation } from './openapi'

const GONE =
  'The cursor is older than what the change log keeps, so changes since it may be missing: sync from scratch (call /api/sync without a cursor).'

/**
 * `GET /api/sync`. Reads as the public whoever asks (an editor's drafts never reach a build), with a
 * Local API request of its own (src/readerPolicy/enforce.ts, `publicLocalRequest`); what the client
 * asks for is held to the reader policy first (./parameters.ts).
 *
 * Caching is the server's, as for every API read (src/server/cache/httpCache.ts): an anonymous or API-key
 * answer gets a strong ETag, 304 on If-None-Match, and is kept in the response store under the
 * content version, which the next change retires: an answer depends on the URL (cursor included) and
 * the content, exactly what that store keys on. Its Cache-Control is not the `s-maxage` of other reads:
 *
 * - A delta page that moves the cursor is immutable (`public, max-age=31536000, immutable`; a key's
 *   `private, …`). Asked again later, the same URL may carry newer versions of its documents or stop
 *   earlier, but the first answer stays right to apply: every document on it is at least as new as
 *   its change on the page, and whatever changed after the page comes with its `nextCursor`.
 * - Every other answer is `no-cache` (revalidated before each use): a full-sync page reads the
 *   content as it is now, and a delta page at the head answers the same URL a build calls right
 *   after the next change, when an answer kept from before it would say nothing changed.
 */
const sync =
  (policy: ReaderPolicy): PayloadHandler =>
  async (req) => {
    let answer: SyncAnswer
    let cursor: SyncCursor | null
    try {
      const params = readSyncParameters(req, policy)
      const reader = {
        req: await publicLocalRequest(req, { locale: params.locale, fallbackLocale: params.fallbackLocale }),
        params,
      }
      cursor = params.cursor
      const log = await readLogState(req.payload)
      if (cursor) assertServable(cursor, log)
      answer =
        cursor?.mode === 'delta'
          ? await readDeltaPage(reader, cursor, log)
          : await readFullPage(reader, cursor ?? log, cursor)
    } catch (error) {
      // Payload answers these in its error shape (and src/badInput logs them as warnings).
      if (error instanceof SyncRequestProblem) throw new APIError(error.message, 400, undefined, true)
      if (error instanceof CursorGone) throw new APIError(GONE, 410, undefined, true)
      throw error
    }
    // src/server/cache/httpCache.ts makes these `public` or `private` by who asked.
    const cacheControl = movesOn(cursor, answer) ? IMMUTABLE : 'no-cache'
    return Response.json(answer, { headers: headersWithCors({ headers: new Headers({ 'Cache-Control': cacheControl }), req }) })
  }

/** A delta page that hands out a cursor past the one it was asked with. */
const movesOn = (cursor: SyncCursor | null, answer: SyncAnswer) =>
  cursor?.mode === 'delta' && answer.mode === 'delta' && answer.nextCursor !== encodeCursor(cursor)

export const syncEndpoint = (policy: ReaderPolicy): Endpoint => ({
  path: '/sync',
  method: 'get',
  handler: sync(policy),
  custom: { openapi: syncOperation(policy) },
})
