import { randomBytes } from 'node:crypto'

import type { Request, Response as ExpressResponse } from 'express'
import { Router } from 'express'
import type { Payload } from 'payload'

import type { PreviewChrome, PreviewDocument } from './page'
import { renderPreviewPage, renderRefusalPage } from './page'
import type { PreviewUser } from './session'
import { isCollectionTarget } from './session'
import { authenticatePreviewToken } from './strategy'
import { mediaBaseUrl } from '../collections/Media/hooks/absoluteUrls'
import { HOME_PAGE_SLUG } from '../urls'
import type { PreviewCollection, PreviewGlobal } from './url'
import { BUILT_IN_PREVIEW_PATH, isPreviewCollection, isPreviewGlobal } from './url'

/** The admin's origins: this server's own, and PUBLIC_SERVER_URL's when the admin is reached there. */
const adminOriginsFrom = (env: Record<string, string | undefined>): string[] => {
  try {
    return env.PUBLIC_SERVER_URL ? [new URL(env.PUBLIC_SERVER_URL).origin] : []
  } catch {
    return []
  }
}

/** The origin absolute media URLs point at (MEDIA_BASE_URL, else PUBLIC_SERVER_URL). */
const mediaOriginFrom = (env: Record<string, string | undefined>): string | undefined => {
  try {
    return new URL(mediaBaseUrl(env)).origin
  } catch {
    return undefined
  }
}

/**
 * Framed by the admin only (its live preview), never by other sites; styles and the one script carry
 * this answer's nonce; images from this server and from where media URLs point; the page fetches
 * itself again and nothing else.
 */
const policyFor = (nonce: string, adminOrigins: string[], mediaOrigin: string | undefined) =>
  [
    "default-src 'none'",
    `style-src 'nonce-${nonce}'`,
    `script-src 'nonce-${nonce}'`,
    `img-src 'self' data:${mediaOrigin ? ` ${mediaOrigin}` : ''}`,
    "connect-src 'self'",
    `frame-ancestors 'self'${adminOrigins.map((origin) => ` ${origin}`).join('')}`,
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ')

const UNKNOWN_PREVIEW = 'This preview address names no post or page; open the preview again from the admin.'
const WRONG_TARGET = 'This preview token was made for another document. Open the preview again from the admin.'

/**
 * GET /preview/:collection/:id?token=…: Greenroom's own front end for previews, so live preview works
 * with no site at all. It is a front end like any other: it verifies the token, then reads the draft
 * through the Local API as the token's preview session, so access control decides what it shows just
 * as it does for the API. Never cached, never indexed. Its token is in the URL (an iframe cannot send
 * headers); the page is never stored and sends no Referer, and the token expires.
 */
export const previewRenderer = (payload: Payload, env: Record<string, string | undefined> = process.env) => {
  const router = Router()
  const adminOrigins = adminOriginsFrom(env)
  const mediaOrigin = mediaOriginFrom(env)
  const locales = payload.config.localization ? payload.config.localization.localeCodes : []

  const send = (res: ExpressResponse, status: number, html: string, nonce: string) => {
    res.status(status)
    res.setHeader('Content-Type', 'text/html; charset=utf-8')
    res.setHeader('Cache-Control', 'no-store')
    res.setHeader('X-Robots-Tag', 'noindex, nofollow')
    res.setHeader('Referrer-Policy', 'no-referrer')
    res.setHeader('Content-Security-Policy', policyFor(nonce, adminOrigins, mediaOrigin))
    // frame-ancestors decides who may frame it; the site-wide SAMEORIGIN would refuse PUBLIC_SERVER_URL.
    res.removeHeader('X-Frame-Options')
    res.end(html)
  }


  type PreviewTarget = PreviewUser['_preview']['target']
  /**
   * The preview session a request's `?token=` stands for, when it is known, valid and made for what
   * the address names; otherwise the refusal page is sent and nothing is returned.
   */
  const sessionFor = async (
    req: Request,
    res: ExpressResponse,
    nonce: string,
    known: boolean,
    isFor: (target: PreviewTarget) => boolean,
  ): Promise<{ user: PreviewUser; locale: 'en' | undefined } | undefined> => {
    const token = typeof req.query.token === 'string' ? req.query.token : ''
    if (!known) return void send(res, 404, renderRefusalPage(UNKNOWN_PREVIEW, nonce), nonce)
    if (!token) return void send(res, 401, renderRefusalPage('This preview address has no token. Open the preview from the admin.', nonce), nonce)
    const session = await authenticatePreviewToken(payload, token)
    if ('refusal' in session) return void send(res, 401, renderRefusalPage(session.refusal, nonce), nonce)
    if (!isFor(session.user._preview.target)) return void send(res, 401, renderRefusalPage(WRONG_TARGET, nonce), nonce)
    const asked = typeof req.query.locale === 'string' ? req.query.locale : session.user._preview.locale
    return { user: session.user, locale: (asked && locales.includes(asked) ? asked : undefined) as 'en' | undefined }
  }

  // Before the documents' route, which would take `globals` for a collection.
  /**
   * GET /preview/globals/:slug?token=…: a global shows on every page, so its preview is the home page
   * (as readers see it) with the global's newest draft around it: the header's or footer's links, or
   * site settings' name in the title.
   */
  router.get(`${BUILT_IN_PREVIEW_PATH}/globals/:slug`, async (req: Request, res: ExpressResponse) => {
    const nonce = randomBytes(16).toString('base64')
    const { slug } = req.params as { slug: string }
    const session = await sessionFor(req, res, nonce, isPreviewGlobal(slug), (target) => !isCollectionTarget(target) && target.global === slug)
    if (!session) return
    const { locale } = session
    const readGlobal = (name: PreviewGlobal) =>
      name === slug
        ? payload.findGlobal({ slug: name, draft: true, depth: 1, locale, overrideAccess: false, user: session.user })
        : payload.findGlobal({ slug: name, depth: 1, locale, overrideAccess: false }).catch(() => ({}))
    try {
      const [home, header, footer, settings] = await Promise.all([
        payload
          .find({ collection: 'pages', where: { slug: { equals: HOME_PAGE_SLUG } }, limit: 1, depth: 1, locale, overrideAccess: false })
          .then((found) => (found.docs[0] ?? { title: '' }) as unknown as PreviewDocument),
        readGlobal('header'),
        readGlobal('footer'),
        readGlobal('site-settings'),
      ])
      const siteName = (settings as { siteName?: string }).siteName
      const html = renderPreviewPage({
        doc: { ...home, title: home.title || siteName || '' },
        collection: 'pages',
        chrome: { header, footer } as PreviewChrome,
        nonce,
        adminOrigins,
        mediaOrigin,
        lang: locale ?? (payload.config.localization ? payload.config.localization.defaultLocale : 'en'),
        label: `${slug}${siteName ? ` · ${siteName}` : ''}`,
      })
      return send(res, 200, html, nonce)
    } catch (error) {
      payload.logger.error({ err: error }, 'The preview page could not be rendered.')
      return send(res, 500, renderRefusalPage('The preview could not be rendered; see the server log.', nonce), nonce)
    }
  })
  router.get(`${BUILT_IN_PREVIEW_PATH}/:collection/:id`, async (req: Request, res: ExpressResponse) => {
    const nonce = randomBytes(16).toString('base64')
    const { collection, id } = req.params as { collection: string; id: string }
    const session = await sessionFor(req, res, nonce, isPreviewCollection(collection), (target) =>
      isCollectionTarget(target) && target.collection === collection && target.id === id,
    )
    if (!session) return
    const { locale } = session
    try {
      const [doc, header, footer] = await Promise.all([
        // sessionFor answered 404 for any collection without a preview.
        payload.findByID({ collection: collection as PreviewCollection, id, draft: true, depth: 1, locale, overrideAccess: false, user: session.user }),
        // The site's header and footer as readers see them (published).
        payload.findGlobal({ slug: 'header', depth: 1, locale, overrideAccess: false }).catch(() => ({})),
        payload.findGlobal({ slug: 'footer', depth: 1, locale, overrideAccess: false }).catch(() => ({})),
      ])
      const html = renderPreviewPage({
        doc: doc as PreviewDocument,
        collection,
        chrome: { header, footer } as PreviewChrome,
        nonce,
        adminOrigins,
        mediaOrigin,
        lang: locale ?? (payload.config.localization ? payload.config.localization.defaultLocale : 'en'),
      })
      return send(res, 200, html, nonce)
    } catch (error) {
      const status = (error as { status?: number }).status
      if (status === 404) return send(res, 404, renderRefusalPage('This document no longer exists.', nonce), nonce)
      if (status === 401 || status === 403) return send(res, 401, renderRefusalPage(WRONG_TARGET, nonce), nonce)
      payload.logger.error({ err: error }, 'The preview page could not be rendered.')
      return send(res, 500, renderRefusalPage('The preview could not be rendered; see the server log.', nonce), nonce)
    }
  })
  return router
}
