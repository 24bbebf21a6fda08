import type { UrlScheme } from '../urls'

/**
 * A redirect's `from` as it is stored and compared: a site path with one leading slash and no
 * trailing one, so `/old/` and `/old` are one redirect (a host serves them as one page). Netlify's
 * placeholders (`:name`) and splats (`*`) are kept as written; a query or a fragment is refused,
 * since no host matches on them in a redirect's source.
 */
export const normalizeFrom = (value: unknown): { path: string } | { problem: string } => {
  const raw = typeof value === 'string' ? value.trim() : ''
  if (!raw) return { problem: 'A redirect needs the path it redirects from, e.g. /old-page.' }
  if (/^[a-z][a-z0-9+.-]*:/i.test(raw)) {
    return { problem: `"${raw.slice(0, 200)}" is a URL: give the path on the site instead, e.g. /old-page.` }
  }
  if (!raw.startsWith('/')) return { problem: `A redirect's path starts with "/", e.g. /${raw.slice(0, 200)}.` }
  if (/[\s?#]/.test(raw)) return { problem: 'A redirect\'s path has no spaces, no "?" and no "#".' }
  const path = raw.replace(/\/{2,}/g, '/').replace(/(.)\/+$/, '$1')
  return { path }
}

/** A document's path (from the URL scheme) in the spelling sources are stored in (a pattern may end in "/"). */
export const storedPath = (path: string): string => {
  const normalized = normalizeFrom(path)
  return 'path' in normalized ? normalized.path : path
}

/**
 * A custom target as it is stored: a path on the site (`/contact`) or an absolute http(s) URL.
 * Anything else (`javascript:`, `mailto:`, a bare word) would send readers nowhere useful or somewhere harmful.
 */
export const customTargetProblem = (value: unknown): string | undefined => {
  const raw = typeof value === 'string' ? value.trim() : ''
  if (!raw) return 'A custom redirect needs the URL it redirects to.'
  if (raw.startsWith('/') && !raw.startsWith('//')) return /\s/.test(raw) ? 'The URL has no spaces.' : undefined
  try {
    const url = new URL(raw)
    if (url.protocol === 'http:' || url.protocol === 'https:') return undefined
  } catch {
    // Reported below.
  }
  return `"${raw.slice(0, 200)}" is neither a path on the site (/contact) nor an http(s) URL.`
}

const siteBase = (scheme: UrlScheme) => {
  try {
    return new URL(`${scheme.siteUrl}/`)
  } catch {
    return undefined
  }
}

/**
 * The site path a custom target lands on, to follow chains and find loops: a path as it is (without
 * query and fragment), an absolute URL on the site's own origin and base path as its path below that
 * base. Undefined for another site's URL: nothing here can redirect it further.
 */
export const sitePathOf = (scheme: UrlScheme, target: string): string | undefined => {
  const raw = target.trim()
  let path: string
  if (raw.startsWith('/') && !raw.startsWith('//')) {
    path = raw
  } else {
    const base = siteBase(scheme)
    let url: URL
    try {
      url = new URL(raw)
    } catch {
      return undefined
    }
    if (!base || url.origin !== base.origin) return undefined
    const basePath = base.pathname.replace(/\/$/, '')
    if (url.pathname !== basePath && !url.pathname.startsWith(`${basePath}/`)) return undefined
    path = url.pathname.slice(basePath.length) || '/'
  }
  const withoutQuery = path.split(/[?#]/, 1)[0]
  const normalized = normalizeFrom(withoutQuery)
  return 'path' in normalized ? normalized.path : undefined
}

/**
 * How a host sees a site path or URL: from the host's root, the site's base path included
 * (`/blog/posts/x` for a site at https://example.com/blog), or an absolute URL when it is on
 * another origin. Netlify's `_redirects` and the JSON map both use this form.
 */
export const hostForm = (scheme: UrlScheme, target: string): string => {
  const base = siteBase(scheme)
  if (target.startsWith('/') && !target.startsWith('//')) {
    const basePath = base ? base.pathname.replace(/\/$/, '') : ''
    return `${basePath}${target}` || '/'
  }
  try {
    const url = new URL(target)
    if (base && url.origin === base.origin) return `${url.pathname}${url.search}${url.hash}`
  } catch {
    // Not a URL after all: given as it is.
  }
  return target
}

/**
 * The language a site path is in, by the URL scheme's locale prefix (`/de/…`): a redirect from a
 * German path that names a document goes to that document's German path.
 */
export const localeOfPath = (scheme: UrlScheme, path: string): string => {
  for (const code of scheme.locales) {
    if (scheme.localePaths !== 'prefix-all' && code === scheme.defaultLocale) continue
    if (path === `/${code}` || path.startsWith(`/${code}/`)) return code
  }
  return scheme.defaultLocale
}
