// /robots.txt, /sitemap.xml with its files, and the feeds on the production server, every answer
// checked against the OpenAPI document: content types, the response store (ETag, 304, Cache-Control
// by reader, cache tags, a hit the second time), a sitemap index past SITEMAP_MAX_URLS, and a publish
// that changes the answers while a draft does not. The outputs' contents are validated in
// test/integration/siteOutputs.test.ts.
import crypto from 'node:crypto'

import { richTextFromPlain } from '../../src/seed/lexical'
import { api, login } from '../helpers/http'
import { assertConformsToSpec } from '../helpers/openapi'
import type { TestServer } from '../helpers/server'
import { TEST_ADMIN, startTestServer } from '../helpers/server'
import { jsonFeedErrors, parseXml, validateSitemapXml } from '../helpers/siteOutputs'

const SITE = 'https://site.example'
const SERVER = 'https://cms.example'
const DEFAULT_CACHE_CONTROL = 'public, max-age=0, s-maxage=60, stale-while-revalidate=300'

let server: TestServer
let url: string
let adminAuth: string

beforeAll(async () => {
  // Four URLs per file: the demo content's pages and posts in two languages need an index.
  server = await startTestServer({
    seed: true,
    env: { PUBLIC_SERVER_URL: SERVER, PUBLIC_SITE_URL: SITE, SITEMAP_MAX_URLS: '4', COOKIE_SECURE: 'false' },
  })
  url = server.url
  adminAuth = await login(url, TEST_ADMIN.email, TEST_ADMIN.password)
}, 120_000)

afterAll(async () => {
  await server?.stop()
})

/** A GET checked against the spec, 304s included. */
const get = async (path: string, headers: Record<string, string> = {}) => {
  const res = await fetch(`${url}${path}`, { headers })
  const text = await res.text()
  await assertConformsToSpec(url, { method: 'GET', url: `${url}${path}`, status: res.status, contentType: res.headers.get('content-type'), text })
  return { status: res.status, headers: res.headers, text }
}

const ROUTES = [
  ['/robots.txt', 'text/plain; charset=utf-8'],
  ['/sitemap.xml', 'application/xml; charset=utf-8'],
  ['/feed.xml', 'application/rss+xml; charset=utf-8'],
  ['/atom.xml', 'application/atom+xml; charset=utf-8'],
  ['/feed.json', 'application/feed+json; charset=utf-8'],
  ['/feed.json?locale=de', 'application/feed+json; charset=utf-8'],
] as const

describe('the site files', () => {
  test.each(ROUTES)('%s is served with its type through the response store: ETag, 304, Cache-Control, cache tags', async (path, type) => {
    const made = await get(path)
    expect(made.status).toBe(200)
    expect(made.headers.get('content-type')).toBe(type)
    expect(made.headers.get('cache-control')).toBe(DEFAULT_CACHE_CONTROL)
    expect(made.headers.get('vary')).toBe('Origin, Authorization, Cookie')
    const etag = made.headers.get('etag')!
    expect(etag).toMatch(/^"[0-9a-f]+-[\w+/]{27}"$/)
    if (path !== '/robots.txt') {
      expect(made.headers.get('cache-tag')!.split(',')).toEqual(expect.arrayContaining(['posts', 'global:site-settings']))
      expect(made.headers.get('surrogate-key')).toBe(made.headers.get('cache-tag')!.replaceAll(',', ' '))
    }
    const stored = await get(path)
    expect(stored.headers.get('cache-status')).toBe('greenroom; hit')
    expect(stored.text).toBe(made.text)
    const revalidated = await get(path, { 'if-none-match': etag })
    expect(revalidated.status).toBe(304)
    expect(revalidated.text).toBe('')
    // HEAD is answered like the GET it stands for (the spec documents the GETs).
    const head = await fetch(`${url}${path}`, { method: 'HEAD' })
    expect(head.status).toBe(200)
    expect(head.headers.get('etag')).toBe(etag)
  })

  test('robots.txt names the sitemap where this server serves it', async () => {
    const { text } = await get('/robots.txt')
    expect(text.split('\n')).toEqual(expect.arrayContaining(['Disallow: /admin', `Sitemap: ${SERVER}/sitemap.xml`]))
  })

  test('past SITEMAP_MAX_URLS /sitemap.xml is an index whose files are served, valid, and on the site', async () => {
    const index = await get('/sitemap.xml')
    expect(await validateSitemapXml(index.text, 'index')).toEqual({ valid: true, errors: [] })
    const files = (parseXml(index.text).sitemapindex.sitemap as { loc: string }[]).map(({ loc }) => loc)
    expect(files.length).toBeGreaterThan(2)
    for (const file of files) {
      expect(file.startsWith(`${SERVER}/sitemaps/`)).toBe(true)
      const { status, text, headers } = await get(new URL(file).pathname)
      expect(status).toBe(200)
      expect(headers.get('content-type')).toBe('application/xml; charset=utf-8')
      expect(await validateSitemapXml(text, 'urlset')).toEqual({ valid: true, errors: [] })
      for (const { loc } of parseXml(text).urlset.url as { loc: string }[]) expect(loc.startsWith(`${SITE}/`)).toBe(true)
    }
    const missing = await get('/sitemaps/posts-999.xml')
    expect(missing.status).toBe(404)
    expect(JSON.parse(missing.text)).toEqual({ errors: [{ message: expect.any(String) }] })
  })

  test('a bad locale is a 400 and an unknown category a 404, in the API error shape', async () => {
    const badLocale = await get('/feed.xml?locale=xx')
    expect(badLocale.status).toBe(400)
    expect(JSON.parse(badLocale.text).errors[0].message).toMatch(/Unknown locale "xx"/)
    const unknown = await get('/categories/no-such-category/atom.xml')
    expect(unknown.status).toBe(404)
    expect(JSON.parse(unknown.text)).toEqual({ errors: [{ message: 'There is no category "no-such-category".' }] })
  })

  test("a category's feeds hold its posts only", async () => {
    const categories = (await api(url, '/api/categories?limit=1&depth=0')).body.docs as { id: number; slug: string }[]
    const category = categories[0]
    const inCategory = (await api(url, `/api/posts?where[categories][in]=${category.id}&limit=100&depth=0`)).body.docs as { slug: string }[]
    const feed = JSON.parse((await get(`/categories/${category.slug}/feed.json`)).text)
    expect(jsonFeedErrors(feed)).toEqual([])
    expect(feed.items.length).toBeGreaterThan(0)
    const slugs = new Set(inCategory.map(({ slug }) => slug))
    for (const item of feed.items as { url: string }[]) expect(slugs.has(item.url.split('/').pop()!)).toBe(true)
  })

  test("an editor's request gets the public's content, private; an API key's its own private copy", async () => {
    const anonymous = await get('/feed.json')
    const editor = await get('/feed.json', { authorization: adminAuth })
    expect(editor.headers.get('cache-control')).toBe('private, no-store')
    expect(editor.text).toBe(anonymous.text)
    const adminId = (await api(url, '/api/users/me', { auth: adminAuth })).body.user.id
    const key = crypto.randomUUID()
    await api(url, `/api/users/${adminId}`, { method: 'PATCH', auth: adminAuth, body: { enableAPIKey: true, apiKey: key } })
    const withKey = await get('/feed.json', { authorization: `users API-Key ${key}` })
    expect(withKey.headers.get('cache-control')).toBe('private, no-cache')
    expect(withKey.headers.get('etag')).toBeTruthy()
  })

  test('a publish changes the sitemap and the feeds at once; a draft changes nothing readers see', async () => {
    const before = await Promise.all(['/sitemap.xml', '/feed.xml', '/feed.json'].map((path) => get(path)))
    const created = await api(url, '/api/posts', {
      method: 'POST',
      auth: adminAuth,
      body: { title: 'Fresh from the press', slug: 'fresh-from-the-press', content: richTextFromPlain('Brand new.'), _status: 'published' },
    })
    expect(created.status).toBe(201)
    const after = await Promise.all(['/sitemap.xml', '/feed.xml', '/feed.json'].map((path) => get(path, { 'if-none-match': before[0].headers.get('etag')! })))
    expect(after[0].status).toBe(200)
    after.forEach((answer, k) => expect(answer.headers.get('etag')).not.toBe(before[k].headers.get('etag')))
    expect(after[1].text).toContain('Fresh from the press')
    expect(JSON.parse(after[2].text).items[0].url).toBe(`${SITE}/posts/fresh-from-the-press`)
    const sitemapFiles = (parseXml(after[0].text).sitemapindex.sitemap as { loc: string }[]).map(({ loc }) => new URL(loc).pathname)
    const sitemapTexts = await Promise.all(sitemapFiles.map(async (path) => (await get(path)).text))
    expect(sitemapTexts.join('')).toContain(`${SITE}/posts/fresh-from-the-press`)

    const draft = await api(url, `/api/posts/${created.body.doc.id}?draft=true`, {
      method: 'PATCH',
      auth: adminAuth,
      body: { title: 'Unpublished rewrite', slug: 'unpublished-rewrite' },
    })
    expect(draft.status).toBe(200)
    const feed = await get('/feed.xml')
    expect(feed.text).toContain('Fresh from the press')
    expect(feed.text).not.toContain('Unpublished rewrite')
    expect((await Promise.all(sitemapFiles.map(async (path) => (await get(path)).text))).join('')).not.toContain('unpublished-rewrite')
  })
})

