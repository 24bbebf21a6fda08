import type { Readable } from 'node:stream'

import type { Payload, PayloadRequest } from 'payload'
import { createLocalReq } from 'payload'

import { collectionTag, globalTag } from '../changes/cacheTags'
import { localeProblem } from '../readerPolicy/parameters'
import { urlSchemeFor } from '../urls'
import type { FeedFormat } from './feeds'
import { FEED_FORMATS, findFeedCategory, readFeedPosts, renderFeed } from './feeds'
import { robotsTxt } from './robots'
import type { SiteOutputSettings } from './settings'
import { parseSitemapFileName, planSitemap, sitemapFile, sitemapIndex, wholeSitemap } from './sitemap'

/** An answer of one of the site's files: its status, type, bytes (or a stream of them) and cache tags. */
export type Output = { status: number; contentType: string; body: string | Readable; tags: string[] }

const XML = 'application/xml; charset=utf-8'
const EMPTY_URLSET =
  '<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml"></urlset>'

/** What a sitemap shows changes with any page or post, and with the site settings' URL scheme. */
const SITEMAP_TAGS = [collectionTag('pages'), collectionTag('posts'), globalTag('site-settings')]
/** A feed also shows categories, hero images and authors' names. */
const FEED_TAGS = [
  collectionTag('posts'),
  collectionTag('categories'),
  collectionTag('media'),
  collectionTag('users'),
  globalTag('site-settings'),
]

const problem = (status: number, message: string): Output => ({
  status,
  contentType: 'application/json; charset=utf-8',
  body: JSON.stringify({ errors: [{ message }] }),
  tags: [],
})

/**
 * The files a site needs from its back end: robots.txt, the sitemap and the feeds. Everything is
 * read as the public (a Local API request with no user: access control and the reader policy give
 * published documents only), whoever asked.
 */
export const siteOutputs = (payload: Payload, settings: SiteOutputSettings) => {
  const localeCodes = payload.config.localization ? payload.config.localization.localeCodes : []
  const publicRequest = (locale?: string): Promise<PayloadRequest> => createLocalReq({ locale }, payload)

  /** `?locale=de`: one of the configured languages, or none (the default language). */
  const localeOf = (value: unknown): { locale?: string; problem?: string } => {
    const problem = localeProblem({ locale: value }, localeCodes)
    if (problem) return { problem }
    if (value === 'all' || value === '*') return { problem: 'A feed is in one language: give one locale.' }
    return { locale: value as string | undefined }
  }

  return {
    robots: async (): Promise<Output> => {
      const scheme = await urlSchemeFor(await publicRequest())
      return { status: 200, contentType: 'text/plain; charset=utf-8', body: robotsTxt(scheme), tags: [globalTag('site-settings')] }
    },

    /** /sitemap.xml: every URL when they fit one file, else the index of the files. */
    sitemap: async (): Promise<Output> => {
      const req = await publicRequest()
      const scheme = await urlSchemeFor(req)
      const plan = await planSitemap(req, scheme, settings.sitemapMaxUrls)
      // The sitemap package refuses to write an empty urlset (and the schema wants one <url>); a site
      // with nothing published yet still gets a well-formed, empty sitemap rather than an error.
      if (plan.files.length === 0) return { status: 200, contentType: XML, body: EMPTY_URLSET, tags: SITEMAP_TAGS }
      const body = plan.single ? wholeSitemap(req, scheme) : sitemapIndex(plan, scheme.serverUrl)
      return { status: 200, contentType: XML, body, tags: SITEMAP_TAGS }
    },

    /** /sitemaps/<collection>-<n>.xml, one file of the index. */
    sitemapFile: async (name: string): Promise<Output> => {
      const file = parseSitemapFileName(name)
      const req = await publicRequest()
      const scheme = await urlSchemeFor(req)
      const plan = await planSitemap(req, scheme, settings.sitemapMaxUrls)
      const listed = file && plan.files.some(({ collection, page }) => collection === file.collection && page === file.page)
      if (!file || !listed) return problem(404, 'No such sitemap file: /sitemap.xml lists those there are.')
      return { status: 200, contentType: XML, body: sitemapFile(req, scheme, plan, file), tags: SITEMAP_TAGS }
    },

    /** A feed of the newest posts, of one category if `slug` is given, in one language. */
    feed: async (format: FeedFormat, { slug, locale: asked }: { slug?: string; locale?: unknown } = {}): Promise<Output> => {
      const { locale, problem: badLocale } = localeOf(asked)
      if (badLocale) return problem(400, badLocale)
      const local = await publicRequest(locale)
      const category = slug === undefined ? undefined : await findFeedCategory(local, slug)
      if (slug !== undefined && !category) return problem(404, `There is no category "${slug.slice(0, 100)}".`)
      const [scheme, site, posts] = await Promise.all([
        urlSchemeFor(local),
        local.payload.findGlobal({
          slug: 'site-settings',
          depth: 0,
          select: { siteName: true, description: true },
          overrideAccess: false,
          req: local,
        }),
        readFeedPosts(local, { limit: settings.feedItems, category }),
      ])
      const body = renderFeed(
        { scheme, locale, category, site: { name: site.siteName || 'Greenroom', description: site.description }, posts },
        format,
      )
      return { status: 200, contentType: FEED_FORMATS[format].contentType, body, tags: FEED_TAGS }
    },
  }
}

export type SiteOutputs = ReturnType<typeof siteOutputs>
