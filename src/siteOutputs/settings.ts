import { ConfigurationError, wholeNumberFromEnv } from '../env'

export type SiteOutputSettings = {
  /**
   * `<url>` entries per sitemap file (one per document and language). Past it, /sitemap.xml becomes a
   * sitemap index. The protocol allows 50,000; the default keeps a file (about 6 MB with two
   * languages) small enough for the response store, which keeps no answer over an eighth of its size.
   */
  sitemapMaxUrls: number
  /** Posts in each feed, newest first. */
  feedItems: number
}

/** The sitemaps.org protocol's cap on URLs per file. */
export const SITEMAP_PROTOCOL_MAX_URLS = 50_000
/** The protocol's cap on a file's uncompressed size. */
export const SITEMAP_PROTOCOL_MAX_BYTES = 50 * 1024 * 1024

export const siteOutputSettingsFromEnv = (env: Record<string, string | undefined>): SiteOutputSettings => {
  const sitemapMaxUrls = wholeNumberFromEnv(env, 'SITEMAP_MAX_URLS', 10_000, 1)
  if (sitemapMaxUrls > SITEMAP_PROTOCOL_MAX_URLS) {
    throw new ConfigurationError(
      `SITEMAP_MAX_URLS "${env.SITEMAP_MAX_URLS}" is more than the ${SITEMAP_PROTOCOL_MAX_URLS} URLs a sitemap file may hold.`,
    )
  }
  const feedItems = wholeNumberFromEnv(env, 'FEED_ITEMS', 20, 1)
  if (feedItems > 100) throw new ConfigurationError(`FEED_ITEMS "${env.FEED_ITEMS}" is more than 100 posts.`)
  return { sitemapMaxUrls, feedItems }
}
