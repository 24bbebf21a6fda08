import type { GenerateTitle, GenerateURL } from '@payloadcms/plugin-seo/types'

import type { SiteSetting } from '../payload-types'
import { documentUrl, urlSchemeFor } from '../urls'

const siteSettings = async (req: Parameters<GenerateTitle>[0]['req']): Promise<Partial<SiteSetting>> =>
  req.payload.findGlobal({ slug: 'site-settings', depth: 0, req }).catch(() => ({}))

export const generateSeoTitle: GenerateTitle = async ({ doc, req }) => {
  const { siteName } = await siteSettings(req)
  const title = typeof doc?.title === 'string' ? doc.title : ''
  return [title, siteName].filter(Boolean).join(' | ')
}

/** The document's public address under the site's one address scheme (site settings). */
export const generateSeoUrl: GenerateURL = async ({ doc, collectionConfig, locale, req }) => {
  const scheme = await urlSchemeFor(req)
  const routed = {
    id: doc?.id as number | string | undefined,
    slug: typeof doc?.slug === 'string' ? doc.slug : '',
    publishedAt: typeof doc?.publishedAt === 'string' ? doc.publishedAt : null,
  }
  return documentUrl(scheme, collectionConfig?.slug ?? '', routed, locale ?? req.locale) ?? scheme.siteUrl
}
