import type { Endpoint, GeneratePreviewURL, LivePreviewConfig, PayloadRequest, RootLivePreviewConfig } from 'payload'

import { LRUCache } from 'lru-cache'

import { editorialRole } from '../access/roles'
import type { RoutedDocument } from '../urls'
import type { PreviewTarget } from './token'
import { previewTokenTtlFromEnv, signPreviewToken } from './token'
import type { PreviewCollection, PreviewGlobal } from './url'
import {
  fillPreviewUrl,
  isPreviewCollection,
  isPreviewGlobal,
  PREVIEW_COLLECTIONS,
  PREVIEW_GLOBALS,
  previewPathFor,
  previewUrlPatternFor,
} from './url'

export type MintedPreview = { token: string; expiresAt: string; url: string }

/**
 * The admin asks for the preview URL on every render of a document and after every save (autosave
 * runs every 800 ms while typing). A new token each time would change the live preview's URL, and
 * the admin reloads its frame for a new URL; the same token is given again while more than half of
 * its lifetime is left, so the frame stays and refreshes itself after saves instead.
 */
const adminTokens = new LRUCache<string, { token: string; expiresAt: number }>({ max: 5_000 })

/**
 * A token for one document, minted for the signed-in editor, and the URL that previews it. The
 * caller has checked that the editor may read the document.
 */
export const mintPreview = async (
  req: PayloadRequest,
  {
    locale,
    reuse = false,
    ...what
  }: ({ collection: PreviewCollection; doc: RoutedDocument & { id: number | string } } | { global: PreviewGlobal }) & {
    locale?: string
    reuse?: boolean
  },
): Promise<MintedPreview> => {
  const user = req.user
  if (!user || editorialRole(user) === null) throw new Error('Only a signed-in editor mints preview tokens.')
  const target: PreviewTarget = 'global' in what ? { global: what.global } : { collection: what.collection, id: String(what.doc.id) }
  const ttlSeconds = previewTokenTtlFromEnv()
  const key = `${String(user.id)}\n${JSON.stringify(target)}\n${locale ?? ''}`
  const kept = reuse ? adminTokens.get(key) : undefined
  const fresh = kept && kept.expiresAt - Date.now() / 1000 > ttlSeconds / 2 ? kept : undefined
  const { token, expiresAt } = fresh ?? (await signPreviewToken(req.payload.secret, { target, userId: String(user.id), locale, ttlSeconds }))
  if (reuse && !fresh) adminTokens.set(key, { token, expiresAt })
  // A global shows on every page: its preview is the home page's.
  const [pattern, path] = await Promise.all([
    previewUrlPatternFor(req),
    'global' in what ? '/' : previewPathFor(req, what.collection, what.doc, locale),
  ])
  const parts = 'global' in what ? { collection: what.global, id: '' } : { collection: what.collection, id: String(what.doc.id) }
  const url = fillPreviewUrl(pattern, { path, token, ...parts, locale: locale ?? '' })
  return { token, expiresAt: new Date(expiresAt * 1000).toISOString(), url }
}

/**
 * The URL for the admin's Preview button and its live preview of a document, with a fresh token
 * for the editor looking at it (the admin asks again when it renders the document and after saves).
 * Nothing for someone who is not on the editorial team, or a document not yet saved.
 */
const previewUrlForAdmin = async (
  req: PayloadRequest,
  collection: string | undefined,
  data: Record<string, unknown>,
  locale: string | undefined,
): Promise<string | null> => {
  if (!isPreviewCollection(collection) || editorialRole(req.user) === null) return null
  const id = data.id
  if (typeof id !== 'number' && typeof id !== 'string') return null
  const doc = {
    id,
    slug: typeof data.slug === 'string' ? data.slug : undefined,
    publishedAt: typeof data.publishedAt === 'string' ? data.publishedAt : undefined,
  }
  return (await mintPreview(req, { collection, doc, locale, reuse: true })).url
}

export const previewButtonUrl =
  (collection: PreviewCollection): GeneratePreviewURL =>
  (doc, { req, locale }) =>
    previewUrlForAdmin(req, collection, doc, locale)

/** Payload's live preview for a collection: the preview URL, and the breakpoints its toolbar offers. */
const BREAKPOINTS: LivePreviewConfig['breakpoints'] = [
  { name: 'mobile', label: 'Mobile', width: 375, height: 667 },
  { name: 'tablet', label: 'Tablet', width: 768, height: 1024 },
  { name: 'desktop', label: 'Desktop', width: 1440, height: 900 },
]

export const livePreviewFor = (collection: PreviewCollection): LivePreviewConfig => ({
  url: ({ data, req, locale }) => previewUrlForAdmin(req, collection, data, locale?.code),
  breakpoints: BREAKPOINTS,
})

/** The Preview button of a global: the home page around its newest draft, with a token for the editor. */
export const previewButtonUrlForGlobal =
  (global: PreviewGlobal): GeneratePreviewURL =>
  async (_doc, { req, locale }) =>
    editorialRole(req.user) === null ? null : (await mintPreview(req, { global, locale, reuse: true })).url

/** Live preview of the globals (header, footer, site settings), for the root config's `admin.livePreview`. */
export const livePreviewForGlobals: RootLivePreviewConfig = {
  globals: [...PREVIEW_GLOBALS],
  breakpoints: BREAKPOINTS,
  url: async ({ globalConfig, req, locale }) =>
    isPreviewGlobal(globalConfig?.slug) && editorialRole(req.user) !== null
      ? (await mintPreview(req, { global: globalConfig.slug as PreviewGlobal, locale: locale?.code, reuse: true })).url
      : null,
}

const errorSchema = { $ref: '#/components/schemas/Error' }
const jsonError = (description: string) => ({ description, content: { 'application/json': { schema: errorSchema } } })
const problem = (status: number, message: string) => Response.json({ errors: [{ message }] }, { status, headers: { 'Cache-Control': 'no-store' } })

/**
 * POST /api/preview-tokens `{ collection, id, locale? }`: a preview token for one post or page, for a
 * front end to read its drafts with, and the URL that previews it. Signed-in editors only: an API key
 * or a preview token cannot mint one (src/access/readOnlyApiKeys.ts refuses their writes).
 */
export const previewTokenEndpoint: Endpoint = {
  path: '/preview-tokens',
  method: 'post',
  handler: async (req) => {
    if (!req.user) return problem(401, 'Sign in to the admin (or send your session token) to preview a document.')
    if (editorialRole(req.user) === null) return problem(403, 'Only the editorial team can preview drafts.')
    let body: unknown
    try {
      body = await req.json?.()
    } catch {
      return problem(400, 'The body must be JSON: {"collection": "posts", "id": 1}.')
    }
    const { collection, id, global, locale } = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>
    const locales = req.payload.config.localization ? req.payload.config.localization.localeCodes : []
    if (locale !== undefined && (typeof locale !== 'string' || !locales.includes(locale))) {
      return problem(400, `"locale" must be one of ${locales.join(', ')}.`)
    }
    if (global !== undefined || collection === undefined) {
      if (!isPreviewGlobal(global) || collection !== undefined) {
        return problem(400, `Name a "collection" (${PREVIEW_COLLECTIONS.join(', ')}) and "id", or a "global" (${PREVIEW_GLOBALS.join(', ')}).`)
      }
      // Read as the editor: a global they cannot read is one they cannot preview.
      const readable = await req.payload
        .findGlobal({ slug: global, draft: true, depth: 0, overrideAccess: false, user: req.user, locale: locale as never })
        .then(() => true)
        .catch(() => false)
      if (!readable) return problem(403, `You cannot read ${global}.`)
      const minted = await mintPreview(req, { global, locale: locale as string | undefined })
      return Response.json(minted, { status: 201, headers: { 'Cache-Control': 'no-store' } })
    }
    if (!isPreviewCollection(collection)) {
      return problem(400, `"collection" must be one of ${PREVIEW_COLLECTIONS.join(', ')}.`)
    }
    if ((typeof id !== 'number' && typeof id !== 'string') || String(id) === '') return problem(400, '"id" must name a document.')
    // Read as the editor, newest draft: a document they cannot read is one they cannot preview.
    const doc = await req.payload
      .findByID({
        collection,
        id,
        draft: true,
        depth: 0,
        overrideAccess: false,
        user: req.user,
        locale: locale as never,
        select: { slug: true, publishedAt: true },
        disableErrors: true,
      })
      .catch(() => null)
    if (!doc) return problem(404, `There is no ${collection === 'posts' ? 'post' : 'page'} ${String(id)} that you can read.`)
    const minted = await mintPreview(req, { collection, doc: doc as RoutedDocument & { id: number | string }, locale: locale as string | undefined })
    return Response.json(minted, { status: 201, headers: { 'Cache-Control': 'no-store' } })
  },
  custom: {
    openapi: {
      operationId: 'mintPreviewToken',
      summary: 'A preview token for one post or page, or one global',
      description:
        'For a signed-in editor (session cookie or `Authorization: JWT <token>`; not an API key, not a preview token). ' +
        'With `{"global": "header"}` (or footer, site-settings) it reads that global, `GET /api/globals/{slug}?draft=true`. ' +
        'The token reads the newest draft of this one document, sent as `Authorization: Preview <token>` on ' +
        '`GET /api/{collection}/{id}?draft=true`, a list that finds only this document, or the GraphQL fields that read it; ' +
        'everything else answers 401. It lasts `PREVIEW_TOKEN_TTL_SECONDS` (default 3600). `url` is the preview URL ' +
        "from site settings' preview URL pattern, or Greenroom's built-in renderer.",
      tags: ['Preview'],
      requestBody: {
        required: true,
        content: {
          'application/json': {
            schema: {
              type: 'object',
              properties: {
                collection: { type: 'string', enum: [...PREVIEW_COLLECTIONS] },
                id: { type: ['integer', 'string'] },
                global: { type: 'string', enum: [...PREVIEW_GLOBALS], description: 'Instead of `collection` and `id`.' },
                locale: { type: 'string' },
              },
            },
          },
        },
      },
      responses: {
        201: {
          description: 'A new preview token',
          headers: { 'Cache-Control': { schema: { type: 'string', description: 'private, no-store' } } },
          content: {
            'application/json': {
              schema: {
                type: 'object',
                properties: {
                  token: { type: 'string' },
                  expiresAt: { type: 'string', format: 'date-time' },
                  url: { type: 'string' },
                },
                required: ['token', 'expiresAt', 'url'],
              },
            },
          },
        },
        400: jsonError('The body names no previewable document'),
        401: jsonError('Not signed in, or a preview token'),
        403: jsonError('An API key, or a user outside the editorial team'),
        404: jsonError('No such document, or not one the editor can read'),
      },
    },
  },
}
