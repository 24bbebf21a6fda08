import { customTargetProblem, hostForm, localeOfPath, normalizeFrom, sitePathOf } from '../../src/redirects/paths'
import type { Hop, ResolvedRedirect } from '../../src/redirects/resolve'
import { exportedRedirects, landingOf } from '../../src/redirects/resolve'
import type { UrlScheme } from '../../src/urls'
import { DEFAULT_PATH_PATTERNS } from '../../src/urls'

const scheme = (siteUrl: string, localePaths: UrlScheme['localePaths'] = 'prefix-others'): UrlScheme => ({
  siteUrl,
  serverUrl: 'http://localhost:3000',
  defaultLocale: 'en',
  locales: ['en', 'de'],
  localePaths,
  patterns: DEFAULT_PATH_PATTERNS,
})

const atRoot = scheme('https://example.com')
const underBlog = scheme('https://example.com/blog')

describe('sources', () => {
  test.each([
    ['/old', '/old'],
    ['  /old/  ', '/old'],
    ['/a//b///', '/a/b'],
    ['/', '/'],
    ['/news/*', '/news/*'],
  ])('%j is stored as %j', (raw, stored) => {
    expect(normalizeFrom(raw)).toEqual({ path: stored })
  })

  test.each(['', 'old', 'https://example.com/old', '/old?x=1', '/old#top', '/a b', null])('%j is refused', (raw) => {
    expect(normalizeFrom(raw)).toHaveProperty('problem')
  })
})

describe('custom targets', () => {
  test.each(['/contact', 'https://example.org/x?y=1', 'http://example.org'])('%j is a target', (url) => {
    expect(customTargetProblem(url)).toBeUndefined()
  })

  test.each(['', 'contact', 'javascript:alert(1)', 'mailto:a@example.com', '//example.org/x', '/a b'])('%j is not', (url) => {
    expect(customTargetProblem(url)).toEqual(expect.any(String))
  })

  test('a target on the site is followed by its path; another site is not', () => {
    expect(sitePathOf(atRoot, '/posts/x/?utm=1')).toBe('/posts/x')
    expect(sitePathOf(atRoot, 'https://example.com/posts/x#top')).toBe('/posts/x')
    expect(sitePathOf(atRoot, 'https://example.org/posts/x')).toBeUndefined()
    expect(sitePathOf(underBlog, 'https://example.com/blog/posts/x')).toBe('/posts/x')
    expect(sitePathOf(underBlog, 'https://example.com/blogger')).toBeUndefined()
    expect(sitePathOf(underBlog, 'https://example.com/other')).toBeUndefined()
  })
})

test('hosts see paths from their root, other origins as URLs', () => {
  expect(hostForm(atRoot, '/posts/x')).toBe('/posts/x')
  expect(hostForm(underBlog, '/posts/x')).toBe('/blog/posts/x')
  expect(hostForm(underBlog, '/')).toBe('/blog/')
  expect(hostForm(atRoot, 'https://example.com/posts/x?y=1')).toBe('/posts/x?y=1')
  expect(hostForm(atRoot, 'https://example.org/x')).toBe('https://example.org/x')
})

test('the language of a path is its locale prefix', () => {
  expect(localeOfPath(atRoot, '/de/posts/x')).toBe('de')
  expect(localeOfPath(atRoot, '/de')).toBe('de')
  expect(localeOfPath(atRoot, '/design')).toBe('en')
  expect(localeOfPath(atRoot, '/en/posts/x')).toBe('en')
  expect(localeOfPath(scheme('https://example.com', 'prefix-all'), '/en/posts/x')).toBe('en')
})

describe('landing', () => {
  const graph = (entries: [string, Hop, string?][]) =>
    new Map<string, ResolvedRedirect>(
      entries.map(([from, hop, type]) => [from, { from, hop, redirect: { from, type: type ?? '301' } }]),
    )
  const custom = (url: string, on = atRoot): Hop => ({ kind: 'custom', url, path: sitePathOf(on, url) })
  const document = (path: string | null, live = true): Hop => ({ kind: 'document', path, live })

  test('chains are followed to their end', () => {
    const byFrom = graph([
      ['/a', custom('/b')],
      ['/b', document('/posts/c')],
      ['/posts/c', custom('https://example.org/d')],
    ])
    expect(landingOf(byFrom, byFrom.get('/a')!)).toEqual({ target: 'https://example.org/d' })
  })

  test('loops and self-redirects are found, with the way round', () => {
    const byFrom = graph([
      ['/a', custom('/b')],
      ['/b', custom('/a')],
      ['/self', document('/self')],
    ])
    expect(landingOf(byFrom, byFrom.get('/a')!)).toEqual({ loop: ['/a', '/b', '/a'] })
    expect(landingOf(byFrom, byFrom.get('/self')!)).toEqual({ loop: ['/self', '/self'] })
  })

  test('a document readers cannot see ends the chain nowhere, unless its address is redirected on', () => {
    const byFrom = graph([
      ['/to-draft', document('/posts/draft', false)],
      ['/to-missing', { kind: 'missing' }],
      ['/to-unpublished', document('/posts/unpublished', false)],
      ['/posts/unpublished', document('/posts/replacement')],
    ])
    expect(landingOf(byFrom, byFrom.get('/to-draft')!)).toEqual({ nowhere: true })
    expect(landingOf(byFrom, byFrom.get('/to-missing')!)).toEqual({ nowhere: true })
    expect(landingOf(byFrom, byFrom.get('/to-unpublished')!)).toEqual({ target: '/posts/replacement' })
  })

  test('the export: host paths, numeric statuses, sorted, what lands nowhere left out', () => {
    const byFrom = graph([
      ['/z', custom('/posts/x', underBlog), '308'],
      // The site's host, outside its base path: not the site's to follow, but the same host.
      ['/a', custom('https://example.com/posts/y?q=1', underBlog), '302'],
      ['/gone', document('/posts/draft', false)],
    ])
    expect(exportedRedirects(underBlog, byFrom)).toEqual([
      { from: '/blog/a', to: '/posts/y?q=1', status: 302 },
      { from: '/blog/z', to: '/blog/posts/x', status: 308 },
    ])
  })
})
