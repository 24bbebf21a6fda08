// TEMPORARY until the lead's src/urls/ lands on main: the part of its interface forms need, so that
// switching is a change of import. Remove this file then.
import type { PayloadRequest } from 'payload'

import { documentPath as pathOf } from '../utilities/documentPath'

export type UrlScheme = { siteUrl: string; serverUrl: string }

export const urlSchemeFor = async (req: PayloadRequest): Promise<UrlScheme> => {
  const settings = (await req.payload
    .findGlobal({ slug: 'site-settings', depth: 0, overrideAccess: true, req })
    .catch(() => ({}))) as { baseUrl?: string | null }
  const serverUrl = (process.env.PUBLIC_SERVER_URL || `http://localhost:${process.env.PORT || 3000}`).replace(/\/+$/, '')
  const siteUrl = (settings.baseUrl || process.env.PUBLIC_SITE_URL || serverUrl).replace(/\/+$/, '')
  return { siteUrl, serverUrl }
}

export const absoluteSiteUrl = (scheme: UrlScheme, path: string) => `${scheme.siteUrl}${path.startsWith('/') ? path : `/${path}`}`

export const documentUrl = (
  scheme: UrlScheme,
  collection: string,
  doc: { id?: number | string; slug?: string | null },
): string | null => (doc.slug ? absoluteSiteUrl(scheme, pathOf(collection, doc.slug)) : null)
