import type { UrlScheme } from '../urls'

/**
 * Greenroom's own robots.txt, for crawlers that reach this server (the CMS's origin, not the site's):
 * nothing of the admin panel or the API is a page to index, except the media files the site's pages
 * show (images indexed from a page need their own URL crawlable; the longer `Allow` wins, RFC 9309).
 * The sitemap and the feeds at the root stay allowed, and `Sitemap:` names the sitemap where this
 * server serves it. The site's own robots.txt should name it too (a sitemap on another host counts
 * for the site only when the site's robots.txt points at it), or the site proxies /sitemap.xml here.
 */
export const robotsTxt = (scheme: UrlScheme): string =>
  [
    `# Greenroom, the content back end of ${scheme.siteUrl}`,
    'User-agent: *',
    'Allow: /api/media/file/',
    'Disallow: /admin',
    'Disallow: /api',
    '',
    `Sitemap: ${scheme.serverUrl}/sitemap.xml`,
    '',
  ].join('\n')
