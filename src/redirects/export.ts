import type { Endpoint, PayloadHandler, PayloadRequest } from 'payload'
import { headersWithCors } from 'payload'

import { errorResponses, json, ref } from '../openapi/components'
import type { JsonSchema } from '../openapi/schemaFixes'
import { urlSchemeFor } from '../urls'
import type { ExportedRedirect } from './resolve'
import { exportedRedirects, loadRedirects, resolveRedirects } from './resolve'

/**
 * What the site's redirects do now, each followed to where it finally lands, sorted by source:
 * what the exports below and the static export write. The same for whoever asks: redirects are
 * public, and a redirect that ends at a document readers cannot see (a draft, an unpublished or a
 * deleted one) is left out, so no draft's address ever reaches a build.
 */
export const exportRedirects = async (req: PayloadRequest): Promise<ExportedRedirect[]> => {
  const scheme = await urlSchemeFor(req)
  return exportedRedirects(scheme, await resolveRedirects(req, scheme, await loadRedirects(req)))
}

export type RedirectMap = Record<string, { to: string; status: number }>

/** The JSON map: `{ "/old": { "to": "/new", "status": 301 } }`, keys sorted. */
export const redirectMap = async (req: PayloadRequest): Promise<RedirectMap> => toMap(await exportRedirects(req))

const toMap = (redirects: ExportedRedirect[]): RedirectMap =>
  Object.fromEntries(redirects.map(({ from, to, status }) => [from, { to, status }]))

/** Netlify's `_redirects` file (also read by Cloudflare Pages): one `from to status` per line. */
export const netlifyRedirects = (redirects: ExportedRedirect[]): string =>
  redirects.map(({ from, to, status }) => `${from} ${to} ${status}\n`).join('')

/**
 * Builds call these right after a change (a build hook fires, the build reads the redirects), so
 * they are `no-cache` like /api/sync at its head: any cache may keep them, with the ETag the server
 * gives every public read (src/server/cache/httpCache.ts), but must ask before each use; the server keeps
 * the answer until the content version moves.
 */
const answer = (req: PayloadRequest, body: string, contentType: string) =>
  new Response(body, {
    headers: headersWithCors({ headers: new Headers({ 'Content-Type': contentType, 'Cache-Control': 'no-cache' }), req }),
  })

const netlifyHandler: PayloadHandler = async (req) =>
  answer(req, netlifyRedirects(await exportRedirects(req)), 'text/plain; charset=utf-8')

const jsonHandler: PayloadHandler = async (req) =>
  answer(req, JSON.stringify(toMap(await exportRedirects(req))), 'application/json; charset=utf-8')

const DESCRIPTION =
  'Every redirect followed to where it finally lands (a chain A → B → C is sent as A → C): a redirect naming a ' +
  "document goes to the document's address now (in the language of its source path), a custom one to its URL as " +
  'written. Paths are as a host sees them (with the site\'s base path); URLs on another origin stay absolute. A redirect ' +
  'that ends at a document readers cannot see (a draft, unpublished, deleted) is left out. Sorted by source; the same ' +
  'content gives the same bytes. `Cache-Control: no-cache` with an `ETag`: revalidate before each use.'

const cacheHeaders = {
  ETag: ref('headers', 'ETag'),
  'Last-Modified': ref('headers', 'LastModified'),
  'Cache-Control': ref('headers', 'CacheControl'),
  'Cache-Status': ref('headers', 'CacheStatus'),
}

const operation = (operationId: string, summary: string, content: JsonSchema): JsonSchema => ({
  operationId,
  summary,
  description: DESCRIPTION,
  tags: ['Redirects'],
  security: [{}, { apiKey: [] }, { bearerAuth: [] }, { sessionCookie: [] }],
  parameters: [ref('parameters', 'IfNoneMatch')],
  responses: {
    200: { description: summary, headers: cacheHeaders, content },
    304: ref('responses', 'NotModified'),
    ...errorResponses(),
  },
})

const mapSchema: JsonSchema = {
  type: 'object',
  description: 'Keyed by the source path.',
  additionalProperties: {
    type: 'object',
    properties: {
      to: { type: 'string', description: 'A path on the site, or an absolute URL on another origin.' },
      status: { enum: [301, 302, 307, 308] },
    },
    required: ['to', 'status'],
    additionalProperties: false,
  },
}

/** Under the redirects collection's routes; before Payload's own, which would read `export` as an id. */
export const exportEndpoints: Endpoint[] = [
  {
    path: '/export/netlify',
    method: 'get',
    handler: netlifyHandler,
    custom: {
      openapi: operation('exportRedirectsNetlify', "The redirects as Netlify's _redirects file", {
        'text/plain': {
          schema: { type: 'string', description: 'One redirect per line: `/old /new 301`.' },
        },
      }),
    },
  },
  {
    path: '/export/json',
    method: 'get',
    handler: jsonHandler,
    custom: {
      openapi: operation('exportRedirectsJson', 'The redirects as a JSON map', json(mapSchema)),
    },
  },
]
