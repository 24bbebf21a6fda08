import { absoluteMediaUrls, mediaBaseUrl } from '../../src/collections/Media/hooks/absoluteUrls'
import { publicServerUrl } from '../../src/env'
import { documentPath, documentUrl, urlSchemeFromSettings, validatePathPattern } from '../../src/urls'

const locales = { locales: ['en', 'de'], defaultLocale: 'en', env: {} }

describe('the URL scheme', () => {
  it('places pages at /slug, the home page at /, posts at /posts/slug and categories at /categories/slug by default', () => {
    const scheme = urlSchemeFromSettings({}, locales)
    expect(documentPath(scheme, 'pages', { id: 1, slug: 'about' })).toBe('/about')
    expect(documentPath(scheme, 'pages', { id: 2, slug: 'home' })).toBe('/')
    expect(documentPath(scheme, 'posts', { id: 3, slug: 'hello' })).toBe('/posts/hello')
    expect(documentPath(scheme, 'categories', { id: 4, slug: 'news' })).toBe('/categories/news')
  })

  it('gives no path to collections without pages or documents without what the pattern needs', () => {
    const scheme = urlSchemeFromSettings({ urls: { postPath: '/:year/:month/:slug' } }, locales)
    expect(documentPath(scheme, 'media', { id: 1, slug: 'x' })).toBeNull()
    expect(documentPath(scheme, 'posts', { id: 1, slug: '' })).toBeNull()
    expect(documentPath(scheme, 'posts', { id: 1, slug: 'x' })).toBeNull()
    expect(documentPath(scheme, 'posts', { id: 1, slug: 'x', publishedAt: '2026-03-04T23:30:00.000Z' })).toBe('/2026/03/x')
  })

  it('follows the patterns and the home page chosen in site settings', () => {
    const scheme = urlSchemeFromSettings(
      { baseUrl: 'https://www.example.com/', urls: { postPath: '/blog/:slug', pagePath: '/p/:id', homePage: { id: 7 } } },
      locales,
    )
    expect(documentPath(scheme, 'posts', { id: 1, slug: 'hello' })).toBe('/blog/hello')
    expect(documentPath(scheme, 'pages', { id: 7, slug: 'welcome' })).toBe('/')
    // With a chosen home page, a page that happens to be called "home" is an ordinary page.
    expect(documentPath(scheme, 'pages', { id: 8, slug: 'home' })).toBe('/p/8')
    expect(documentUrl(scheme, 'posts', { id: 1, slug: 'hello' })).toBe('https://www.example.com/blog/hello')
  })

  it('prefixes other languages (or every language) with their code', () => {
    const others = urlSchemeFromSettings({}, locales)
    expect(documentPath(others, 'posts', { slug: 'hello' }, 'de')).toBe('/de/posts/hello')
    expect(documentPath(others, 'posts', { slug: 'hello' }, 'en')).toBe('/posts/hello')
    expect(documentPath(others, 'pages', { slug: 'home' }, 'de')).toBe('/de')
    // A language the site does not have reads as the default one.
    expect(documentPath(others, 'posts', { slug: 'hello' }, 'all')).toBe('/posts/hello')
    const all = urlSchemeFromSettings({ urls: { localePaths: 'prefix-all' } }, locales)
    expect(documentPath(all, 'posts', { slug: 'hello' }, 'en')).toBe('/en/posts/hello')
    expect(documentPath(all, 'pages', { slug: 'home' })).toBe('/en')
  })

  it('falls back to the defaults for a stored pattern that is not valid, instead of writing broken links', () => {
    const scheme = urlSchemeFromSettings({ urls: { postPath: 'posts/:title' } }, locales)
    expect(documentPath(scheme, 'posts', { slug: 'hello' })).toBe('/posts/hello')
  })

  it('refuses patterns that cannot address documents', () => {
    expect(validatePathPattern('/posts/:slug', 'posts')).toBe(true)
    expect(validatePathPattern('/:year/:month/:day/:slug', 'posts')).toBe(true)
    expect(validatePathPattern('posts/:slug', 'posts')).toMatch(/starts with "\/"/)
    expect(validatePathPattern('/posts', 'posts')).toMatch(/needs :slug or :id/)
    expect(validatePathPattern('/posts/:title', 'posts')).toMatch(/":title" is not a token/)
    expect(validatePathPattern('/:year/:slug', 'pages')).toMatch(/only posts/)
    expect(validatePathPattern('/a//:slug', 'pages')).toMatch(/empty segment/)
    expect(validatePathPattern('/a b/:slug', 'pages')).toMatch(/Use letters/)
  })

  it('takes the site from site settings, then PUBLIC_SITE_URL, then this server', () => {
    const env = { PUBLIC_SITE_URL: 'https://site.example/', PORT: '4000' }
    expect(urlSchemeFromSettings({ baseUrl: 'https://a.example' }, { ...locales, env }).siteUrl).toBe('https://a.example')
    expect(urlSchemeFromSettings({}, { ...locales, env }).siteUrl).toBe('https://site.example')
    expect(urlSchemeFromSettings({}, { ...locales, env: { PORT: '4000' } }).siteUrl).toBe('http://localhost:4000')
  })
})

describe('media URLs', () => {
  const doc = () => ({
    url: '/api/media/file/desk.png',
    thumbnailURL: '/api/media/file/desk-300x169.webp',
    sizes: { card: { url: '/api/media/file/desk-640x360.webp' }, og: { url: null } },
  })
  const run = (env: Record<string, string>, input = doc()) =>
    (absoluteMediaUrls(env) as unknown as (args: { doc: unknown }) => ReturnType<typeof doc>)({ doc: input })

  it('are absolute on this server by default', () => {
    expect(publicServerUrl({})).toBe('http://localhost:3000')
    const read = run({ PORT: '4000' })
    expect(read.url).toBe('http://localhost:4000/api/media/file/desk.png')
    expect(read.thumbnailURL).toBe('http://localhost:4000/api/media/file/desk-300x169.webp')
    expect(read.sizes.card.url).toBe('http://localhost:4000/api/media/file/desk-640x360.webp')
    expect(read.sizes.og.url).toBeNull()
  })

  it('are on PUBLIC_SERVER_URL, or on the CDN base of MEDIA_BASE_URL when set', () => {
    expect(run({ PUBLIC_SERVER_URL: 'https://cms.example/' }).url).toBe('https://cms.example/api/media/file/desk.png')
    expect(mediaBaseUrl({ MEDIA_BASE_URL: 'https://cdn.example/', PUBLIC_SERVER_URL: 'https://cms.example' })).toBe(
      'https://cdn.example',
    )
    // Payload already wrote the server's address in front when PUBLIC_SERVER_URL is set: the CDN replaces it.
    const payloadWritten = { ...doc(), url: 'https://cms.example/api/media/file/desk.png' }
    const read = run({ MEDIA_BASE_URL: 'https://cdn.example', PUBLIC_SERVER_URL: 'https://cms.example' }, payloadWritten)
    expect(read.url).toBe('https://cdn.example/api/media/file/desk.png')
    expect(read.sizes.card.url).toBe('https://cdn.example/api/media/file/desk-640x360.webp')
  })
})
