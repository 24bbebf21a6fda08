import { Feed } from 'feed'
import type { PayloadRequest } from 'payload'

import type { UrlScheme } from '../urls'
import { documentUrl } from '../urls'

export const FEED_FORMATS = {
  rss: { file: 'feed.xml', contentType: 'application/rss+xml; charset=utf-8' },
  atom: { file: 'atom.xml', contentType: 'application/atom+xml; charset=utf-8' },
  json: { file: 'feed.json', contentType: 'application/feed+json; charset=utf-8' },
} as const
export type FeedFormat = keyof typeof FEED_FORMATS

type Media = { url?: string | null; alt?: string | null; mimeType?: string | null; filesize?: number | null }
type Category = { id: number | string; title?: string | null; slug?: string | null }
type FeedPost = {
  id: number | string
  title?: string | null
  slug?: string | null
  publishedAt?: string | null
  updatedAt?: string | null
  excerpt?: string | null
  contentHtml?: string | null
  heroImage?: Media | number | string | null
  categories?: (Category | number | string)[] | null
  populatedAuthors?: { name?: string | null }[] | null
}

export type FeedCategory = { id: number | string; title: string; slug: string; description?: string | null }

/** One feed, whatever its format: the newest posts of the site or of one category, in one language. */
export type FeedSource = {
  scheme: UrlScheme
  /** Undefined: the default language, and the feeds' URLs carry no `?locale=`. */
  locale: string | undefined
  category: FeedCategory | undefined
  site: { name: string; description?: string | null }
  posts: FeedPost[]
}

const isObject = <T>(value: T | number | string | null | undefined): value is T =>
  typeof value === 'object' && value !== null

/**
 * The posts of a feed as the public reads them (published only, newer drafts never), newest first,
 * with what an entry shows: the HTML rendition of the content, the hero image, categories, authors.
 */
export const readFeedPosts = async (
  req: PayloadRequest,
  { limit, category }: { limit: number; category?: FeedCategory },
): Promise<FeedPost[]> => {
  const { docs } = await req.payload.find({
    collection: 'posts',
    where: category ? { categories: { in: [category.id] } } : undefined,
    sort: ['-publishedAt', '-createdAt'],
    limit,
    pagination: false,
    depth: 1,
    select: {
      title: true,
      slug: true,
      publishedAt: true,
      updatedAt: true,
      excerpt: true,
      contentHtml: true,
      heroImage: true,
      categories: true,
      // populatedAuthors is computed from `authors`, which must be loaded for it.
      authors: true,
      populatedAuthors: true,
    },
    draft: false,
    overrideAccess: false,
    req,
  })
  return docs as unknown as FeedPost[]
}

/** A category by its slug, as the public reads it; undefined when there is none. */
export const findFeedCategory = async (req: PayloadRequest, slug: string): Promise<FeedCategory | undefined> => {
  const { docs } = await req.payload.find({
    collection: 'categories',
    where: { slug: { equals: slug } },
    limit: 1,
    depth: 0,
    select: { title: true, slug: true, description: true },
    overrideAccess: false,
    req,
  })
  const found = docs[0] as FeedCategory | undefined
  return found?.slug ? found : undefined
}

/** An absolute URL: a site path on the site, a server path (`/api/media/…`) on this server. */
const absolute = (scheme: UrlScheme, url: string) => {
  if (!url.startsWith('/') || url.startsWith('//')) return url
  return `${url.startsWith('/api/') ? scheme.serverUrl : scheme.siteUrl}${url}`
}

const SRCSET = /\ssrcset="([^"]*)"/g
const URL_ATTRIBUTE = /\s(href|src|poster)="(\/[^"]*)"/g

/**
 * Feed readers show an entry away from the site, where a relative link or image would point at the
 * reader's own origin; the rendition's remaining root-relative URLs (links to other pages on the
 * site, files on this server) are made absolute. The HTML is the server's own rendition, whose
 * attributes are always double-quoted and escaped, so the attributes can be found without a parser.
 */
export const absoluteUrlsInHtml = (scheme: UrlScheme, html: string): string =>
  html
    .replace(URL_ATTRIBUTE, (_, name: string, url: string) => ` ${name}="${absolute(scheme, url)}"`)
    .replace(SRCSET, (_, candidates: string) => {
      const rewritten = candidates
        .split(',')
        .map((candidate) => candidate.trim().replace(/^(\S+)/, (url) => absolute(scheme, url)))
        .join(', ')
      return ` srcset="${rewritten}"`
    })

/** Where this server serves a feed: `/feed.xml`, `/categories/<slug>/atom.xml`, `?locale=de` for a language. */
export const feedPath = (format: FeedFormat, category?: { slug: string }, locale?: string) =>
  `${category ? `/categories/${encodeURIComponent(category.slug)}` : ''}/${FEED_FORMATS[format].file}${
    locale ? `?locale=${encodeURIComponent(locale)}` : ''
  }`

/** XML 1.0 cannot carry most C0 control characters at all, escaped or not. */
const XML_INVALID = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g
const xmlSafe = (value: string) => value.replace(XML_INVALID, '')

type Entry = {
  id: string
  url: string
  title: string
  html: string
  summary: string | undefined
  published: Date
  modified: Date
  authors: string[]
  categories: { title: string; url: string | undefined }[]
  image: { url: string; type: string | undefined; length: number | undefined } | undefined
}

const entriesOf = ({ scheme, locale, posts }: FeedSource): Entry[] =>
  posts.flatMap((post) => {
    const url = documentUrl(scheme, 'posts', post, locale)
    if (!url) return []
    const hero = isObject<Media>(post.heroImage) && post.heroImage.url ? post.heroImage : undefined
    return [
      {
        // The post's address in the default language: the same entry in every language's feed.
        id: documentUrl(scheme, 'posts', post, scheme.defaultLocale) ?? url,
        url,
        title: post.title ?? '',
        html: absoluteUrlsInHtml(scheme, post.contentHtml ?? ''),
        summary: post.excerpt || undefined,
        published: new Date(post.publishedAt ?? post.updatedAt ?? 0),
        modified: new Date(post.updatedAt ?? post.publishedAt ?? 0),
        authors: (post.populatedAuthors ?? []).flatMap((author) => (author?.name ? [author.name] : [])),
        categories: (post.categories ?? []).filter(isObject<Category>).flatMap((category) =>
          category.title ? [{ title: category.title, url: documentUrl(scheme, 'categories', category, locale) ?? undefined }] : [],
        ),
        image: hero && {
          url: absolute(scheme, hero.url!),
          type: hero.mimeType ?? undefined,
          length: hero.filesize ?? undefined,
        },
      },
    ]
  })

const feedMeta = (source: FeedSource) => {
  const { scheme, locale, category, site } = source
  const self = (format: FeedFormat) => `${scheme.serverUrl}${feedPath(format, category, locale)}`
  const home =
    (category ? documentUrl(scheme, 'categories', category, locale) : null) ??
    `${scheme.siteUrl}${locale && locale !== scheme.defaultLocale ? `/${locale}` : ''}/`
  return {
    title: category ? `${category.title} · ${site.name}` : site.name,
    description: (category ? category.description : site.description) || undefined,
    home,
    self,
    language: locale ?? scheme.defaultLocale,
  }
}

/** The newest change among the entries: a feed's `updated`, so the same content gives the same bytes. */
const updatedOf = (entries: Entry[]) =>
  new Date(Math.max(0, ...entries.map((entry) => entry.modified.getTime())))

/** RSS 2.0 and Atom 1.0 through the `feed` package. */
const xmlFeed = (source: FeedSource, format: 'rss' | 'atom'): string => {
  const meta = feedMeta(source)
  const entries = entriesOf(source)
  const feed = new Feed({
    title: xmlSafe(meta.title),
    description: meta.description && xmlSafe(meta.description),
    id: meta.self(format),
    link: meta.home,
    language: meta.language,
    updated: updatedOf(entries),
    generator: 'Greenroom',
    copyright: '',
    feedLinks: { rss: meta.self('rss'), atom: meta.self('atom'), json: meta.self('json') },
    // Atom needs an author for entries that name none (RFC 4287, 4.1.1): the site.
    author: { name: xmlSafe(source.site.name), link: source.scheme.siteUrl },
  })
  for (const entry of entries) {
    feed.addItem({
      title: xmlSafe(entry.title),
      id: entry.id,
      link: entry.url,
      description: entry.summary && xmlSafe(entry.summary),
      content: xmlSafe(entry.html),
      date: entry.modified,
      published: entry.published,
      // RSS's <author> is an email address: names go in Dublin Core's dc:creator (declared by `feed`
      // beside content:encoded), Atom has <author><name>.
      ...(format === 'atom'
        ? { author: entry.authors.map((name) => ({ name: xmlSafe(name) })) }
        : { extensions: entry.authors.length ? [{ name: 'dc:creator', objects: { _text: xmlSafe(entry.authors.join(', ')) } }] : [] }),
      // Atom requires `term`; RSS writes the name, with the category page as its domain.
      category: entry.categories.map((category) => ({
        name: xmlSafe(category.title),
        term: xmlSafe(category.title),
        domain: category.url,
        scheme: category.url,
      })),
      image: entry.image && { url: entry.image.url, type: entry.image.type, length: entry.image.length ?? 0 },
    })
  }
  return format === 'rss' ? feed.rss2() : feed.atom1()
}

/**
 * JSON Feed 1.1 (https://jsonfeed.org/version/1.1), written here: the `feed` package writes 1.0
 * (its `version`, a single `author`, no `language`). Same entries as the XML feeds.
 */
export const jsonFeed = (source: FeedSource) => {
  const meta = feedMeta(source)
  return {
    version: 'https://jsonfeed.org/version/1.1',
    title: meta.title,
    home_page_url: meta.home,
    feed_url: meta.self('json'),
    ...(meta.description ? { description: meta.description } : {}),
    language: meta.language,
    authors: [{ name: source.site.name, url: `${source.scheme.siteUrl}/` }],
    items: entriesOf(source).map((entry) => ({
      id: entry.id,
      url: entry.url,
      title: entry.title,
      content_html: entry.html,
      ...(entry.summary ? { summary: entry.summary } : {}),
      ...(entry.image ? { image: entry.image.url } : {}),
      date_published: entry.published.toISOString(),
      date_modified: entry.modified.toISOString(),
      ...(entry.authors.length ? { authors: entry.authors.map((name) => ({ name })) } : {}),
      ...(entry.categories.length ? { tags: entry.categories.map(({ title }) => title) } : {}),
      language: meta.language,
    })),
  }
}

export const renderFeed = (source: FeedSource, format: FeedFormat): string =>
  format === 'json' ? JSON.stringify(jsonFeed(source)) : xmlFeed(source, format)
