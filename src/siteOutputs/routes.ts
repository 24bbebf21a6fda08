import type { IncomingMessage } from 'node:http'
import { Readable } from 'node:stream'

import type { NextFunction, Request, Response as ExpressResponse } from 'express'
import { Router } from 'express'
import type { Payload } from 'payload'

import { NOT_THE_TARGET } from '../preview/session'
import type { HttpCache } from '../server/cache/httpCache'
import { sendWebResponse } from '../server/payloadApi'
import type { PayloadVerdict, Readers } from '../server/readers'
import type { FeedFormat } from './feeds'
import { FEED_FORMATS } from './feeds'
import type { Output } from './outputs'
import { siteOutputs } from './outputs'
import type { SiteOutputSettings } from './settings'

/** Paths served here, for the stored-answer lane in front of express (src/server/cache/storedAnswerLane.ts). */
export const isSiteOutputPath = (path: string) =>
  path === '/robots.txt' ||
  path === '/sitemap.xml' ||
  /^\/sitemaps\/[^/]+$/.test(path) ||
  /^(\/categories\/[^/]+)?\/(feed\.xml|atom\.xml|feed\.json)$/.test(path)

/** The sitemap streams emit strings; a Web Response's body takes bytes only. */
async function* bytesOf(stream: Readable) {
  for await (const chunk of stream) yield typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer)
}

const toResponse = ({ status, contentType, body }: Output) =>
  new Response(
    typeof body === 'string' ? body : (Readable.toWeb(Readable.from(bytesOf(body))) as unknown as ReadableStream<Uint8Array>),
    { status, headers: { 'content-type': contentType } },
  )

const PREVIEW_REFUSED = () =>
  Response.json({ errors: [{ message: NOT_THE_TARGET }] }, { status: 401, headers: { 'cache-control': 'no-store' } })

type RouteParts = {
  payload: Payload
  cache: HttpCache
  readers: Readers
  /** Payload's own verdict on a request's credentials (src/server/payloadApi.ts, authenticateWithPayload). */
  authenticate: (req: IncomingMessage) => Promise<PayloadVerdict>
  settings: SiteOutputSettings
}

/**
 * `/robots.txt`, `/sitemap.xml` (with `/sitemaps/<collection>-<n>.xml` past one file), and the feeds
 * (`/feed.xml`, `/atom.xml`, `/feed.json`, and the same under `/categories/<slug>/`), at the root of the
 * server, where crawlers and feed readers look for them. Answered through the response store like an
 * API read (src/server/cache/httpCache.ts): a strong ETag, 304s, the API's Cache-Control by reader (an
 * editor's cookie makes it `private, no-store`, though the content is the public's), cache tags, and
 * kept until the next change.
 */
export const siteOutputRoutes = ({ payload, cache, readers, authenticate, settings }: RouteParts) => {
  const outputs = siteOutputs(payload, settings)

  const verdictOf = async (req: IncomingMessage): Promise<PayloadVerdict> =>
    readers.of(req).kind === 'anonymous' ? 'anonymous' : authenticate(req)

  const answer =
    (make: (req: Request) => Promise<Output>) => async (req: Request, res: ExpressResponse, next: NextFunction) => {
      try {
        const unsent = await cache.serve(req, res, async () => {
          const [verdict, output] = await Promise.all([verdictOf(req), make(req)])
          // A preview token reads its one document and nothing else (src/preview/).
          if (verdict === 'preview' || verdict === 'previewRefused') return { response: PREVIEW_REFUSED(), verdict }
          return { response: toResponse(output), verdict, tags: output.tags }
        })
        if (unsent) await sendWebResponse(req, res, unsent)
      } catch (error) {
        next(error)
      }
    }

  const router = Router()
  router.get('/robots.txt', answer(() => outputs.robots()))
  router.get('/sitemap.xml', answer(() => outputs.sitemap()))
  router.get('/sitemaps/:name', answer((req) => outputs.sitemapFile(req.params.name as string)))
  for (const format of Object.keys(FEED_FORMATS) as FeedFormat[]) {
    const file = FEED_FORMATS[format].file
    router.get(`/${file}`, answer((req) => outputs.feed(format, { locale: req.query.locale })))
    router.get(
      `/categories/:slug/${file}`,
      answer((req) => outputs.feed(format, { slug: req.params.slug as string, locale: req.query.locale })),
    )
  }
  return router
}
