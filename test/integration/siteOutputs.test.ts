// The sitemap, robots.txt and feeds (src/siteOutputs/) as the server makes them, on this suite's
// database: sitemaps validated against the sitemaps.org XML schemas (libxml2 in WebAssembly), hreflang
// alternates reciprocal, an index past the URL limit; RSS and Atom parsed and checked for what their
// specs require, JSON Feed validated against a JSON Feed 1.1 schema; only published content, full
// HTML with absolute URLs. Headers, 304s and the response store are test/http/siteOutputs.test.ts's.
import { text as streamText } from 'node:stream/consumers'

import type { Payload } from 'payload'

import { closePayload } from '../../src/db/closePayload'
import { makeDemoImage } from '../../src/seed/images'
import { internalLink, paragraph, richText, text, upload } from '../../src/seed/lexical'
import type { Output } from '../../src/siteOutputs/outputs'
import { siteOutputs } from '../../src/siteOutputs/outputs'
import { createUser, initPayload, postData } from '../helpers/payload'
import { atomProblems, jsonFeedErrors, parseXml, rssProblems, urlsInHtml, validateSitemapXml } from '../helpers/siteOutputs'

type Json = Record<string, any>

const SITE = 'https://site.example'
const SERVER = 'https://cms.example'

let payload: Payload
const ids: Record<string, number | string> = {}
let draftOnlyId: number | string
let publishedUpdatedAt: string
let emptySitemap: { status: number; xml: string }

const bodyOf = async (output: Output) => (typeof output.body === 'string' ? output.body : streamText(output.body))

beforeAll(async () => {
  process.env.PUBLIC_SERVER_URL = SERVER
  payload = await initPayload()
  // Nothing published yet: an empty sitemap, not an error.
  const empty = await siteOutputs(payload, { sitemapMaxUrls: 10_000, feedItems: 20 }).sitemap()
  emptySitemap = { status: empty.status, xml: await bodyOf(empty) }
  await payload.updateGlobal({
    slug: 'site-settings',
    overrideAccess: true,
    data: { _status: 'published', siteName: 'Greenroom <Test> & Co', description: 'What the test site is about', baseUrl: SITE } as never,
  })
  const author = await createUser(payload, 'author', 'Ada Author')
  const news = await payload.create({ collection: 'categories', overrideAccess: true, data: { title: 'News', slug: 'news' } as never })
  await payload.create({ collection: 'categories', overrideAccess: true, data: { title: 'Empty', slug: 'empty' } as never })
  const image = await makeDemoImage('feed-hero.png', 'A hero', ['#234', '#a52'], { width: 320, height: 200 })
  const hero = await payload.create({
    collection: 'media',
    overrideAccess: true,
    data: { alt: 'A hero' },
    file: { data: image.data, mimetype: 'image/png', name: image.name, size: image.data.length },
  })
  const post = (title: string, extra: Json = {}, status: 'published' | 'draft' = 'published') =>
    payload.create({
      collection: 'posts',
      overrideAccess: true,
      draft: status === 'draft',
      depth: 0,
      data: { ...postData(title), _status: status, authors: [author.id], ...extra } as never,
    })

  const target = await post('Link target', { slug: 'link-target', publishedAt: '2025-01-01T00:00:00.000Z' })
  ids.target = target.id
  const rich = await post('Rich post', {
    slug: 'rich-post',
    publishedAt: '2025-03-01T00:00:00.000Z',
    categories: [news.id],
    heroImage: hero.id,
    content: richText(paragraph(text('Read the '), internalLink('posts', target.id, 'target post'), text(' first.')), upload(hero.id)),
  })
  ids.rich = rich.id
  // Published, then a newer draft renames it: readers still get the published slug and time.
  const edited = await post('Published title', { slug: 'published-slug', publishedAt: '2025-02-01T00:00:00.000Z' })
  ids.edited = edited.id
  publishedUpdatedAt = edited.updatedAt
  await payload.update({
    collection: 'posts',
    id: edited.id,
    overrideAccess: true,
    draft: true,
    data: { title: 'Draft title', slug: 'draft-slug' } as never,
  })
  draftOnlyId = (await post('Draft only', { slug: 'draft-only' }, 'draft')).id
  for (const [slug, status] of [['home', 'published'], ['about', 'published'], ['secret', 'draft']] as const) {
    const page = await payload.create({
      collection: 'pages',
      overrideAccess: true,
      draft: status === 'draft',
      data: {
        title: slug,
        slug,
        _status: status,
        hero: { type: 'none' },
        layout: [{ blockType: 'content', columns: [{ size: 'full', richText: richText(paragraph('Hi')) }] }],
      } as never,
    })
    ids[`page:${slug}`] = page.id
  }
}, 120_000)

afterAll(async () => {
  delete process.env.PUBLIC_SERVER_URL
  await closePayload(payload)
})

const outputs = (sitemapMaxUrls = 10_000, feedItems = 20) => siteOutputs(payload, { sitemapMaxUrls, feedItems })

/** `<url>` entries as { loc, lastmod, alternates: { hreflang: href } }. */
const urlsOf = (xml: string) =>
  (parseXml(xml).urlset.url as Json[]).map((url) => ({
    loc: url.loc as string,
    lastmod: url.lastmod as string,
    alternates: Object.fromEntries((url['xhtml:link'] as Json[]).map((link) => [link['@_hreflang'], link['@_href']])),
  }))

describe('the sitemap', () => {
  test('of a site with nothing published is empty and well-formed', () => {
    expect(emptySitemap.status).toBe(200)
    expect(parseXml(emptySitemap.xml).urlset).toEqual({ '@_xmlns': 'http://www.sitemaps.org/schemas/sitemap/0.9', '@_xmlns:xhtml': 'http://www.w3.org/1999/xhtml' })
  })

  test('lists every published page and post once per language, with lastmod and reciprocal hreflang alternates, valid against the sitemaps.org schema', async () => {
    const output = await outputs().sitemap()
    expect(output).toMatchObject({ status: 200, contentType: 'application/xml; charset=utf-8' })
    expect(output.tags).toEqual(expect.arrayContaining(['posts', 'pages', 'global:site-settings']))
    const xml = await bodyOf(output)
    expect(await validateSitemapXml(xml, 'urlset')).toEqual({ valid: true, errors: [] })

    const urls = urlsOf(xml)
    const locs = urls.map(({ loc }) => loc).sort()
    expect(locs).toEqual(
      [
        `${SITE}/`,
        `${SITE}/de`,
        `${SITE}/about`,
        `${SITE}/de/about`,
        `${SITE}/posts/link-target`,
        `${SITE}/de/posts/link-target`,
        `${SITE}/posts/rich-post`,
        `${SITE}/de/posts/rich-post`,
        `${SITE}/posts/published-slug`,
        `${SITE}/de/posts/published-slug`,
      ].sort(),
    )
    for (const url of urls) {
      expect(Object.keys(url.alternates).sort()).toEqual(['de', 'en', 'x-default'])
      expect(url.alternates['x-default']).toBe(url.alternates.en)
      // Every alternate is listed itself, and lists the same set back.
      for (const href of Object.values(url.alternates)) {
        const alternate = urls.find(({ loc }) => loc === href)
        expect(alternate?.alternates).toEqual(url.alternates)
      }
    }
    const edited = urls.find(({ loc }) => loc === `${SITE}/posts/published-slug`)!
    expect(new Date(edited.lastmod).toISOString()).toBe(new Date(publishedUpdatedAt).toISOString())
    expect(xml).not.toMatch(/draft-slug|draft-only|secret/)
  })

  test('past the URL limit it is an index of files, each valid and within the limit, listing the same URLs', async () => {
    const whole = urlsOf(await bodyOf(await outputs().sitemap()))
      .map(({ loc }) => loc)
      .sort()
    // Two languages: 4 URLs are 2 documents per file.
    const small = outputs(4)
    const index = await bodyOf(await small.sitemap())
    expect(await validateSitemapXml(index, 'index')).toEqual({ valid: true, errors: [] })
    const files = (parseXml(index).sitemapindex.sitemap as Json[]).map(({ loc }) => loc as string)
    expect(files).toEqual([`${SERVER}/sitemaps/pages-1.xml`, `${SERVER}/sitemaps/posts-1.xml`, `${SERVER}/sitemaps/posts-2.xml`])

    const listed: string[] = []
    for (const file of files) {
      const output = await small.sitemapFile(file.split('/').pop()!)
      expect(output.status).toBe(200)
      const xml = await bodyOf(output)
      expect(await validateSitemapXml(xml, 'urlset')).toEqual({ valid: true, errors: [] })
      const urls = urlsOf(xml)
      expect(urls.length).toBeLessThanOrEqual(4)
      listed.push(...urls.map(({ loc }) => loc))
    }
    expect(listed.sort()).toEqual(whole)

    for (const name of ['posts-3.xml', 'posts-0.xml', 'users-1.xml', 'posts-1.xml.gz']) {
      const output = await small.sitemapFile(name)
      expect(output.status).toBe(404)
      expect(JSON.parse(await bodyOf(output))).toEqual({ errors: [{ message: expect.any(String) }] })
    }
  })

  test('the schema check fails a sitemap that breaks the protocol', async () => {
    const xml = await bodyOf(await outputs().sitemap())
    const broken = xml.replace(/<lastmod>[^<]*<\/lastmod>/, '<lastmod>yesterday</lastmod>')
    expect((await validateSitemapXml(broken, 'urlset')).valid).toBe(false)
    const noHreflang = xml.replace(/ hreflang="de"/, '')
    expect((await validateSitemapXml(noHreflang, 'urlset')).valid).toBe(false)
  })
})

describe('robots.txt', () => {
  test('names the sitemap by its absolute URL and keeps crawlers out of the admin panel and the API, media files aside', async () => {
    const output = await outputs().robots()
    expect(output.contentType).toBe('text/plain; charset=utf-8')
    const lines = (await bodyOf(output)).split('\n')
    expect(lines).toEqual(
      expect.arrayContaining([
        'User-agent: *',
        'Disallow: /admin',
        'Disallow: /api',
        'Allow: /api/media/file/',
        `Sitemap: ${SERVER}/sitemap.xml`,
      ]),
    )
  })
})

describe('the feeds', () => {
  const feedOf = async (format: 'rss' | 'atom' | 'json', options: { slug?: string; locale?: unknown } = {}) => {
    const output = await outputs().feed(format, options)
    return { output, body: await bodyOf(output) }
  }

  test('RSS 2.0: the newest published posts with their full HTML, absolute URLs, authors, categories and image', async () => {
    const { output, body } = await feedOf('rss')
    expect(output.contentType).toBe('application/rss+xml; charset=utf-8')
    const rss = parseXml(body)
    expect(rssProblems(rss)).toEqual([])
    const channel = rss.rss.channel
    expect(channel.title).toBe('Greenroom <Test> & Co')
    expect(channel.link).toBe(`${SITE}/`)
    expect(channel['atom:link']).toEqual(expect.objectContaining({ '@_href': `${SERVER}/feed.xml`, '@_rel': 'self' }))
    const items = channel.item as Json[]
    expect(items.map((item) => item.title)).toEqual(['Rich post', 'Published title', 'Link target'])
    const rich = items[0]
    expect(rich.link).toBe(`${SITE}/posts/rich-post`)
    expect(rich['dc:creator']).toBe('Ada Author')
    expect(rich.category).toEqual([expect.objectContaining({ '#text': 'News' })])
    expect(rich.enclosure['@_url']).toMatch(/^https:\/\/cms\.example\/api\/media\/file\//)
    const html = rich['content:encoded'] as string
    expect(html).toContain('Read the ')
    expect(html).toContain(`href="${SITE}/posts/link-target"`)
    expect(html).toMatch(/<img [^>]*src="https:\/\/cms\.example\/api\/media\/file\//)
    const urls = urlsInHtml(html)
    expect(urls.length).toBeGreaterThan(1)
    for (const url of urls) expect(url).toMatch(/^https:\/\//)
    expect(body).not.toMatch(/Draft title|Draft only|draft-slug/)
  })

  test('Atom: what RFC 4287 requires, the same entries with the full HTML', async () => {
    const { output, body } = await feedOf('atom')
    expect(output.contentType).toBe('application/atom+xml; charset=utf-8')
    const atom = parseXml(body)
    expect(atomProblems(atom)).toEqual([])
    const entries = atom.feed.entry as Json[]
    expect(entries.map((entry) => entry.title['#text'])).toEqual(['Rich post', 'Published title', 'Link target'])
    expect(entries[0].id).toBe(`${SITE}/posts/rich-post`)
    expect(entries[0].author).toEqual([{ name: 'Ada Author' }])
    expect(entries[0].content['@_type']).toBe('html')
    expect(entries[0].content['#text']).toContain(`href="${SITE}/posts/link-target"`)
    expect(atom.feed.link).toEqual(expect.arrayContaining([expect.objectContaining({ '@_rel': 'self', '@_href': `${SERVER}/atom.xml` })]))
  })

  test('JSON Feed 1.1, not 1.0: valid against the 1.1 schema, with authors and language', async () => {
    const { output, body } = await feedOf('json')
    expect(output.contentType).toBe('application/feed+json; charset=utf-8')
    const feed = JSON.parse(body)
    expect(jsonFeedErrors(feed)).toEqual([])
    expect(feed).toMatchObject({ version: 'https://jsonfeed.org/version/1.1', language: 'en', feed_url: `${SERVER}/feed.json` })
    expect(feed.items[0]).toMatchObject({
      id: `${SITE}/posts/rich-post`,
      url: `${SITE}/posts/rich-post`,
      authors: [{ name: 'Ada Author' }],
      tags: ['News'],
      image: expect.stringMatching(/^https:\/\/cms\.example\/api\/media\/file\//),
    })
    expect(feed.items[0]).not.toHaveProperty('author')
    // The schema is not a rubber stamp.
    expect(jsonFeedErrors({ ...feed, version: 'https://jsonfeed.org/version/1' })).not.toEqual([])
    expect(jsonFeedErrors({ ...feed, items: [{ ...feed.items[0], url: '/posts/rich-post' }] })).not.toEqual([])
    expect(jsonFeedErrors({ ...feed, items: [{ id: '1', title: 'no content' }] })).not.toEqual([])
  })

  test('per category: only its posts, its own self link; an unknown category is a 404', async () => {
    const rss = parseXml((await feedOf('rss', { slug: 'news' })).body)
    expect((rss.rss.channel.item as Json[]).map((item) => item.title)).toEqual(['Rich post'])
    expect(rss.rss.channel.link).toBe(`${SITE}/categories/news`)
    expect(rss.rss.channel['atom:link']['@_href']).toBe(`${SERVER}/categories/news/feed.xml`)
    const empty = JSON.parse((await feedOf('json', { slug: 'empty' })).body)
    expect(jsonFeedErrors(empty)).toEqual([])
    expect(empty.items).toEqual([])
    const missing = await feedOf('atom', { slug: 'nope' })
    expect(missing.output.status).toBe(404)
    expect(JSON.parse(missing.body)).toEqual({ errors: [{ message: 'There is no category "nope".' }] })
  })

  test('per language: German addresses and language; an unknown locale is a 400', async () => {
    const feed = JSON.parse((await feedOf('json', { locale: 'de' })).body)
    expect(jsonFeedErrors(feed)).toEqual([])
    expect(feed).toMatchObject({ language: 'de', feed_url: `${SERVER}/feed.json?locale=de`, home_page_url: `${SITE}/de/` })
    expect(feed.items[0].url).toBe(`${SITE}/de/posts/rich-post`)
    // The same entry in every language's feed.
    expect(feed.items[0].id).toBe(`${SITE}/posts/rich-post`)
    for (const locale of ['dee', 'all', ['de', 'en']]) {
      const { output } = await feedOf('rss', { locale })
      expect(output.status).toBe(400)
    }
  })

  test('titles and content that XML cannot carry as they are still give feeds that parse', async () => {
    await payload.create({
      collection: 'posts',
      overrideAccess: true,
      data: {
        ...postData('Hostile ]]> <b>&amp;\u0001 title'),
        content: richText(paragraph(text('A ]]> in the body, & more \u0002 text'))),
        _status: 'published',
        publishedAt: '2025-04-01T00:00:00.000Z',
      } as never,
    })
    const rss = parseXml((await feedOf('rss')).body)
    expect(rssProblems(rss)).toEqual([])
    expect(rss.rss.channel.item[0].title).toBe('Hostile ]]> <b>&amp; title')
    expect(rss.rss.channel.item[0]['content:encoded']).toContain('A ]]&gt; in the body')
    const atom = parseXml((await feedOf('atom')).body)
    expect(atomProblems(atom)).toEqual([])
    expect(jsonFeedErrors(JSON.parse((await feedOf('json')).body))).toEqual([])
  })
})

test('a draft-only post is in no output at all', async () => {
  const all = await Promise.all([
    bodyOf(await outputs().sitemap()),
    ...(['rss', 'atom', 'json'] as const).map(async (format) => bodyOf(await outputs().feed(format))),
  ])
  for (const body of all) expect(body).not.toContain('draft-only')
  expect(draftOnlyId).toBeDefined()
})
