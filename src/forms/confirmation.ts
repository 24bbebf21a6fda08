import type { PayloadRequest } from 'payload'

import type { Form, Page } from '../payload-types'
import { richTextToHtml } from '../utilities/richTextHtml'
import { absoluteSiteUrl, documentUrl, urlSchemeFor } from '../urls'

export type Confirmation = { location: string } | { html: string }

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!)

/** A small page of Greenroom's own, for the answers a browser shows when the form has no page to go to. */
export const htmlPage = (title: string, body: string, back?: string) =>
  '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">' +
  '<meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex">' +
  `<title>${escapeHtml(title)}</title>` +
  '<style>body{font:1.05rem/1.5 system-ui,sans-serif;max-width:36rem;margin:4rem auto;padding:0 1rem}</style>' +
  `</head><body><main><h1>${escapeHtml(title)}</h1>${body}` +
  (back ? `<p><a href="${escapeHtml(back)}">Back</a></p>` : '') +
  '</main></body></html>\n'

export const errorPage = (messages: string[], back?: string) =>
  htmlPage(
    'The form was not sent',
    `<ul>${messages.map((message) => `<li>${escapeHtml(message)}</li>`).join('')}</ul>`,
    back,
  )

/** An http(s) URL, or a path on the site; anything else (javascript:, a typo) is no place to send a browser. */
const redirectTarget = (url: string | null | undefined, siteUrl: (path: string) => string): string | undefined => {
  const value = url?.trim()
  if (!value) return undefined
  if (value.startsWith('/') && !value.startsWith('//')) return siteUrl(value)
  try {
    const parsed = new URL(value)
    return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? parsed.href : undefined
  } catch {
    return undefined
  }
}

/**
 * Where a browser goes after sending the form: the form's redirect (a custom URL, or a page's URL in
 * the site's URL scheme) when it has one that resolves, otherwise a page showing its confirmation
 * message. A page reference to a page the public cannot read (a draft, deleted) falls back to the
 * message rather than sending people to a 404.
 */
export const confirmationOf = async (req: PayloadRequest, form: Form, referer?: string): Promise<Confirmation> => {
  const scheme = await urlSchemeFor(req)
  if (form.confirmationType === 'redirect' && form.redirect) {
    const { type, reference, url } = form.redirect
    if (type === 'reference' && reference) {
      const page =
        typeof reference.value === 'object'
          ? (reference.value as Page)
          : await req.payload
              .findByID({ collection: 'pages', id: reference.value, depth: 0, draft: false, overrideAccess: false, req })
              .catch(() => undefined)
      // In the language the form was sent in: a German page's form confirms on the German page.
      const location = page && page._status !== 'draft' ? documentUrl(scheme, 'pages', page, req.locale ?? undefined) : null
      if (location) return { location }
    } else {
      const location = redirectTarget(url, (path) => absoluteSiteUrl(scheme, path))
      if (location) return { location }
    }
  }
  const message = (await richTextToHtml(form.confirmationMessage, undefined, { scheme, locale: req.locale ?? undefined })) || '<p>Thank you.</p>'
  return { html: htmlPage(form.title || 'Thank you', message, referer) }
}
