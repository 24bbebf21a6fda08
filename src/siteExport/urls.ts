import type { Payload } from 'payload'

import { documentPath as legacyDocumentPath } from '../utilities/documentPath'

/**
 * Where the export puts a document on the site. A stand-in with the shape of the one URL scheme
 * (src/urls/, `UrlScheme`, `documentPath`) until that lands on main: then this file goes and the
 * export imports src/urls instead. Locales other than the default are served under `/<locale>`.
 */
export type UrlScheme = { siteUrl: string; serverUrl: string; defaultLocale: string; locales: string[] }

export const urlSchemeFor = async (payload: Payload): Promise<UrlScheme> => {
  const settings = (await payload
    .findGlobal({ slug: 'site-settings', depth: 0, draft: false, overrideAccess: true })
    .catch(() => ({}))) as { baseUrl?: string | null }
  const localization = payload.config.localization
  const serverUrl = (payload.config.serverURL || `http://localhost:${process.env.PORT || 3000}`).replace(/\/+$/, '')
  return {
    siteUrl: (settings.baseUrl || process.env.PUBLIC_SITE_URL || serverUrl).replace(/\/+$/, ''),
    serverUrl,
    defaultLocale: localization ? localization.defaultLocale : 'en',
    locales: localization ? localization.localeCodes : ['en'],
  }
}

export const documentPath = (
  scheme: UrlScheme,
  collection: string,
  doc: { slug?: string | null },
  locale?: string,
): string | null => {
  if (!doc.slug || (collection !== 'posts' && collection !== 'pages' && collection !== 'categories')) return null
  const path = collection === 'categories' ? `/categories/${doc.slug}` : legacyDocumentPath(collection, doc.slug)
  if (!locale || locale === scheme.defaultLocale) return path
  return path === '/' ? `/${locale}` : `/${locale}${path}`
}
