import type { PayloadRequest } from 'payload'

import type { RoutedDocument } from '../urls'
import { documentPath, urlSchemeFor } from '../urls'

/** What a front end's preview URL pattern may name; each is filled in URL-encoded. */
export const PREVIEW_URL_TOKENS = ['path', 'token', 'collection', 'id', 'locale'] as const
type PreviewUrlToken = (typeof PREVIEW_URL_TOKENS)[number]

/** The collections that have a preview: the ones a site renders as pages of their own. */
export const PREVIEW_COLLECTIONS = ['posts', 'pages'] as const
export type PreviewCollection = (typeof PREVIEW_COLLECTIONS)[number]
export const isPreviewCollection = (value: unknown): value is PreviewCollection =>
  (PREVIEW_COLLECTIONS as readonly unknown[]).includes(value)

/** The globals that have a preview: the site's chrome and settings, shown around the home page. */
export const PREVIEW_GLOBALS = ['header', 'footer', 'site-settings'] as const
export type PreviewGlobal = (typeof PREVIEW_GLOBALS)[number]
export const isPreviewGlobal = (value: unknown): value is PreviewGlobal => (PREVIEW_GLOBALS as readonly unknown[]).includes(value)

/** Where Greenroom's own renderer serves previews (src/preview/renderer.ts). */
export const BUILT_IN_PREVIEW_PATH = '/preview'

/** Whether a front end's preview URL pattern can be stored: `true` or the message an editor sees. */
export const validatePreviewUrlPattern = (value: unknown): true | string => {
  if (value === undefined || value === null || value === '') return true
  if (typeof value !== 'string') return 'Enter a URL pattern, such as https://site.example/api/preview?path={path}&token={token}.'
  const named = [...value.matchAll(/\{([^{}]*)\}/g)].map((match) => match[1])
  const unknown = named.find((token) => !(PREVIEW_URL_TOKENS as readonly string[]).includes(token))
  if (unknown !== undefined) return `"{${unknown}}" is not a token; use {path}, {token}, {collection}, {id} or {locale}.`
  if (!named.includes('token')) return 'The pattern needs {token}: a front end reads drafts with it.'
  let url: URL
  try {
    url = new URL(value.replace(/\{[a-z]+\}/g, 'x'))
  } catch {
    return 'Enter an absolute URL, such as https://site.example/api/preview?path={path}&token={token}.'
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'Use an http(s) URL.'
  if (/[{}]/.test(url.href.replace(/%7B|%7D/gi, ''))) return 'Braces only surround tokens, such as {path}.'
  return true
}

export type PreviewUrlParts = Record<PreviewUrlToken, string>

/**
 * The preview URL of a document: the team's own front end when site settings name a pattern, or else
 * Greenroom's built-in renderer, on this server's public address when PUBLIC_SERVER_URL is set (the
 * admin makes a relative URL absolute against its own origin otherwise).
 */
export const fillPreviewUrl = (
  pattern: string | null | undefined,
  parts: PreviewUrlParts,
  env: Record<string, string | undefined> = process.env,
): string => {
  if (pattern && validatePreviewUrlPattern(pattern) === true) {
    return pattern.replace(/\{([a-z]+)\}/g, (_, token: PreviewUrlToken) => encodeURIComponent(parts[token]))
  }
  const server = env.PUBLIC_SERVER_URL?.trim().replace(/\/+$/, '') ?? ''
  const query = new URLSearchParams({ token: parts.token, ...(parts.locale ? { locale: parts.locale } : {}) })
  // A global has no id: its preview is the home page around it.
  const path = isPreviewGlobal(parts.collection) ? `globals/${parts.collection}` : `${encodeURIComponent(parts.collection)}/${encodeURIComponent(parts.id)}`
  return `${server}${BUILT_IN_PREVIEW_PATH}/${path}?${query}`
}

/** The pattern site settings hold, read with the request (published settings only). */
export const previewUrlPatternFor = async (req: PayloadRequest): Promise<string | null> => {
  const settings = (await req.payload
    .findGlobal({ slug: 'site-settings', depth: 0, draft: false, overrideAccess: true, req, select: { urls: true } })
    .catch(() => ({}))) as { urls?: { previewUrl?: string | null } | null }
  return settings.urls?.previewUrl ?? null
}

/** The document's site path under the one URL scheme (src/urls/), or '' when it has none yet (no slug). */
export const previewPathFor = async (req: PayloadRequest, collection: string, doc: RoutedDocument, locale?: string) =>
  documentPath(await urlSchemeFor(req), collection, doc, locale) ?? ''
