import type { PayloadRequest } from 'payload'

import { globalTag } from '../changes/cacheTags'
import { declareDependencies } from '../changes/dependencies'
import { publicServerUrl } from '../env'
import { sharedWithThePublic } from '../server/cache/populatedDocuments'

/** Collections a site has pages for. Anything else (media, forms, users) has no site path. */
export const ROUTED_COLLECTIONS = ['pages', 'posts', 'categories'] as const
export type RoutedCollection = (typeof ROUTED_COLLECTIONS)[number]

export const DEFAULT_PATH_PATTERNS: Record<RoutedCollection, string> = {
  pages: '/:slug',
  posts: '/posts/:slug',
  categories: '/categories/:slug',
}

/** `prefix-others`: the default language at `/posts/x`, German at `/de/posts/x`; `prefix-all`: `/en/posts/x` too. */
export const LOCALE_PATH_MODES = ['prefix-others', 'prefix-all'] as const
export type LocalePathMode = (typeof LOCALE_PATH_MODES)[number]

export const HOME_PAGE_SLUG = 'home'

export type UrlScheme = {
  /** The public site, no trailing slash: where sitemaps, feeds and canonical URLs point. */
  siteUrl: string
  /** Where this Greenroom server is reached, no trailing slash. */
  serverUrl: string
  defaultLocale: string
  locales: string[]
  localePaths: LocalePathMode
  patterns: Record<RoutedCollection, string>
  /** The id of the page served at `/`, or undefined: then the page whose slug is `home` is. */
  homePageId?: number | string
}

/** A document as far as its address goes; a post's `publishedAt` fills `:year`, `:month` and `:day`. */
export type RoutedDocument = { id?: number | string; slug?: string | null; publishedAt?: string | null }

const TOKEN = /:(slug|id|year|month|day)\b/g
const ALLOWED_TOKENS = new Set(['slug', 'id', 'year', 'month', 'day'])
const DATE_TOKENS = new Set(['year', 'month', 'day'])

/** Whether a path pattern can be stored: `true` or the message an editor sees. */
export const validatePathPattern = (value: unknown, collection: RoutedCollection): true | string => {
  if (value === undefined || value === null || value === '') return true
  if (typeof value !== 'string' || !value.startsWith('/')) return 'A path pattern starts with "/", e.g. /posts/:slug.'
  if (!/^[A-Za-z0-9/:._~-]+$/.test(value)) return 'Use letters, digits, "/", "-", "_", "." and the tokens :slug, :id, :year, :month, :day.'
  if (value.includes('//')) return 'A path pattern has no empty segment ("//").'
  const tokens = [...value.matchAll(/:([A-Za-z]+)/g)].map((match) => match[1])
  const unknown = tokens.find((token) => !ALLOWED_TOKENS.has(token))
  if (unknown) return `":${unknown}" is not a token; use :slug, :id, :year, :month or :day.`
  if (!tokens.includes('slug') && !tokens.includes('id')) return 'A path pattern needs :slug or :id, or every document would share one address.'
  if (collection !== 'posts' && tokens.some((token) => DATE_TOKENS.has(token))) {
    return ':year, :month and :day come from a post\'s publish date; only posts have one.'
  }
  return true
}

const stripSlash = (url: string) => url.replace(/\/+$/, '')

type SiteSettingsUrls = {
  baseUrl?: string | null
  urls?: {
    postPath?: string | null
    pagePath?: string | null
    categoryPath?: string | null
    homePage?: number | string | { id: number | string } | null
    localePaths?: string | null
  } | null
}

/** The scheme from what site settings hold; settings left empty (or invalid) fall back to the defaults. */
export const urlSchemeFromSettings = (
  settings: SiteSettingsUrls,
  { locales, defaultLocale, env = process.env }: { locales: string[]; defaultLocale: string; env?: Record<string, string | undefined> },
): UrlScheme => {
  const serverUrl = publicServerUrl(env)
  const urls = settings.urls ?? {}
  const pattern = (collection: RoutedCollection, value: string | null | undefined) =>
    value && validatePathPattern(value, collection) === true ? value : DEFAULT_PATH_PATTERNS[collection]
  const homePage = urls.homePage
  return {
    siteUrl: stripSlash(settings.baseUrl || env.PUBLIC_SITE_URL || '') || serverUrl,
    serverUrl,
    defaultLocale,
    locales: locales.length > 0 ? locales : [defaultLocale],
    localePaths: (LOCALE_PATH_MODES as readonly string[]).includes(urls.localePaths ?? '')
      ? (urls.localePaths as LocalePathMode)
      : 'prefix-others',
    patterns: {
      pages: pattern('pages', urls.pagePath),
      posts: pattern('posts', urls.postPath),
      categories: pattern('categories', urls.categoryPath),
    },
    homePageId: typeof homePage === 'object' && homePage !== null ? homePage.id : (homePage ?? undefined),
  }
}

const SCHEME_CONTEXT_KEY = 'greenroomUrlScheme'

/** Shared by every request that reads it: nobody may change it. */
const deepFreeze = <T>(value: T): T => {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value)
    for (const child of Object.values(value)) deepFreeze(child)
  }
  return value
}

/**
 * The scheme as site settings hold it now, read once per request (the promise is kept on the
 * request's context, so every link, rendition and feed entry of one answer uses the same scheme).
 * Read with the request's transaction, so a write that changes the settings sees its own change.
 */
export const urlSchemeFor = (req: PayloadRequest): Promise<UrlScheme> => {
  // Every address made from the scheme changes with site settings; declared on every call, since
  // the scheme is read once per request and a value cached on its own must learn it too.
  declareDependencies(globalTag('site-settings'))
  const context = req.context as Record<string, unknown>
  const cached = context[SCHEME_CONTEXT_KEY] as Promise<UrlScheme> | undefined
  if (cached) return cached
  const localization = req.payload.config.localization
  const locales = localization ? localization.localeCodes : []
  const defaultLocale = localization ? localization.defaultLocale : 'en'
  // Kept on the context before the read begins: the Local API call replaces `req.context` with a copy
  // as it starts, and a copy made before the promise was kept would not have it (every rendition and
  // `path` of a list then read the settings again, twenty reads for ten posts).
  const read = () =>
    req.payload
      .findGlobal({
        slug: 'site-settings',
        depth: 0,
        draft: false,
        overrideAccess: true,
        req,
        select: { baseUrl: true, urls: true },
      })
      .then((settings) => deepFreeze(urlSchemeFromSettings(settings as SiteSettingsUrls, { locales, defaultLocale })))
  // The same for every reader: a public reader's request takes it from the cache of read-time values
  // until site settings change. A failed read is not kept.
  const scheme = Promise.resolve()
    .then(() => sharedWithThePublic(req, 'url-scheme', read, { shows: globalTag('site-settings') }))
    .catch(() => urlSchemeFromSettings({}, { locales, defaultLocale }))
  context[SCHEME_CONTEXT_KEY] = scheme
  return scheme
}

const isRouted = (collection: string): collection is RoutedCollection =>
  (ROUTED_COLLECTIONS as readonly string[]).includes(collection)

const isHomePage = (scheme: UrlScheme, doc: RoutedDocument) =>
  scheme.homePageId !== undefined ? String(doc.id) === String(scheme.homePageId) : doc.slug === HOME_PAGE_SLUG

const localePrefix = (scheme: UrlScheme, locale: string | undefined) => {
  const code = locale && scheme.locales.includes(locale) ? locale : scheme.defaultLocale
  if (scheme.localePaths === 'prefix-all' || code !== scheme.defaultLocale) return `/${code}`
  return ''
}

const datePart = (publishedAt: string | null | undefined, token: 'year' | 'month' | 'day'): string | null => {
  if (!publishedAt) return null
  const date = new Date(publishedAt)
  if (Number.isNaN(date.getTime())) return null
  // UTC, so a post's address does not depend on the server's time zone.
  if (token === 'year') return String(date.getUTCFullYear())
  if (token === 'month') return String(date.getUTCMonth() + 1).padStart(2, '0')
  return String(date.getUTCDate()).padStart(2, '0')
}

/**
 * Where the site serves a document: `/posts/hello`, `/` for the home page, `/de/posts/hello` in
 * German. Null when the collection has no pages or the document lacks what its pattern needs
 * (a slug, or a publish date for `:year`).
 */
export const documentPath = (
  scheme: UrlScheme,
  collection: string,
  doc: RoutedDocument,
  locale?: string,
): string | null => {
  if (!isRouted(collection)) return null
  const prefix = localePrefix(scheme, locale)
  if (collection === 'pages' && isHomePage(scheme, doc)) return prefix || '/'
  let missing = false
  const path = scheme.patterns[collection].replace(TOKEN, (_, token: string) => {
    const value =
      token === 'slug'
        ? doc.slug
        : token === 'id'
          ? doc.id === undefined
            ? null
            : String(doc.id)
          : datePart(doc.publishedAt, token as 'year' | 'month' | 'day')
    if (!value) missing = true
    return encodeURIComponent(value ?? '')
  })
  return missing ? null : `${prefix}${path}`
}

export const absoluteSiteUrl = (scheme: UrlScheme, path: string): string =>
  path.startsWith('/') ? `${scheme.siteUrl}${path}` : path

export const documentUrl = (
  scheme: UrlScheme,
  collection: string,
  doc: RoutedDocument,
  locale?: string,
): string | null => {
  const path = documentPath(scheme, collection, doc, locale)
  return path === null ? null : absoluteSiteUrl(scheme, path)
}

/** What a document of a collection needs loaded for its address under any pattern (for a `select`). */
export const routingSelect = (collection: string): Record<string, true> =>
  collection === 'categories' ? { slug: true } : { slug: true, publishedAt: true }
