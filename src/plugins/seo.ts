import type { GenerateTitle, GenerateURL } from '@payloadcms/plugin-seo/types'

import type { SiteSetting } from '../payload-types'
import { documentPath } from '../utilities/documentPath'

const siteSettings = async (req: Parameters<GenerateTitle>[0]['req']): Promise<Partial<SiteSetting>> =>
  req.payload.findGlobal({ slug: 'site-settings', depth: 0, req }).catch(() => ({}))

export const generateSeoTitle: GenerateTitle = async ({ doc, req }) => {
  const { siteName } = await siteSettings(req)
  const title = typeof doc?.title === 'string' ? doc.title : ''
  return [title, siteName].filter(Boolean).join(' | ')
}

/** Pages live at /{slug} (the home page at /), posts at /posts/{slug}. */
export const generateSeoUrl: GenerateURL = async ({ doc, collectionConfig, req }) => {
  const { baseUrl } = await siteSettings(req)
  const base = (baseUrl || process.env.PUBLIC_SITE_URL || '').replace(/\/+$/, '')
  const slug = typeof doc?.slug === 'string' ? doc.slug : ''
  return `${base}${documentPath(collectionConfig?.slug, slug)}`
}
