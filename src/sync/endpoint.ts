import type { Endpoint, PayloadHandler } from 'payload'
import { APIError, headersWithCors } from 'payload'

import { publicLocalRequest } from '../readerPolicy/enforce'
import type { ReaderPolicy } from '../readerPolicy/policy'
import type { SyncAnswer } from './changes'
import { assertServable, CursorGone, readLogState } from './changes'
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
 * Caching is the server's, as for every API read (src/server/httpCache.ts): an anonymous or API-key
 * answer gets a strong ETag, 304 on If-None-Match, and is kept in the response store under the
 * content version, which the next change retires: an answer depends on the URL (cursor included) and
 * the content, exactly what that store keys on. Its Cache-Control is `public, no-cache` (a key's:
 * `private, no-cache`), not the `s-maxage` of other reads (see below).
 */
const sync =
  (policy: ReaderPolicy): PayloadHandler =>
  async (req) => {
    let answer: SyncAnswer
    try {
      const params = readSyncParameters(req, policy)
      const reader = {
        req: await publicLocalRequest(req, { locale: params.locale, fallbackLocale: params.fallbackLocale }),
        params,
      }
      const { cursor } = params
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
    // Revalidated before every use, by browsers and CDNs alike (src/server/httpCache.ts keeps it `public`):
    // a build runs right after a change, and an answer a CDN kept from before it would say nothing changed.
    return Response.json(answer, { headers: headersWithCors({ headers: new Headers({ 'Cache-Control': 'no-cache' }), req }) })
  }

export const syncEndpoint = (policy: ReaderPolicy): Endpoint => ({
  path: '/sync',
  method: 'get',
  handler: sync(policy),
  custom: { openapi: syncOperation(policy) },
})
