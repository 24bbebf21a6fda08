import type { Payload } from 'payload'
import { createLocalReq } from 'payload'

import { closePayload } from '../../src/db/closePayload'
import { generateSeoUrl } from '../../src/plugins/seo'
import { makeDemoImage } from '../../src/seed/images'
import { internalLink, paragraph, richText, upload } from '../../src/seed/lexical'
import { createPost, initPayload } from '../helpers/payload'

let payload: Payload

beforeAll(async () => {
  payload = await initPayload()
})

afterAll(async () => {
  await closePayload(payload)
})


const createPage = (title: string, slug: string, status: 'published' | 'draft' = 'published') =>
  payload.create({
    collection: 'pages',
    overrideAccess: true,
    draft: status === 'draft',
    data: { title, slug, _status: status, layout: [{ blockType: 'cta', links: [] }] } as never,
  })

const DEFAULT_URLS = {
  postPath: '/posts/:slug',
  pagePath: '/:slug',
  categoryPath: '/categories/:slug',
  homePage: null,
  localePaths: 'prefix-others',
}

/** An update merges into the stored group, so every setting is sent: what a test leaves out is the default. */
const setUrls = (urls: Record<string, unknown>, baseUrl = 'https://www.example.com') =>
  payload.updateGlobal({
    slug: 'site-settings',
    overrideAccess: true,
    data: { _status: 'published', siteName: 'Example', baseUrl, urls: { ...DEFAULT_URLS, ...urls } } as never,
  })

const navLink = (reference: { relationTo: 'pages' | 'posts'; value: number | string }, label: string) => ({
  link: { type: 'reference', reference, label },
})

type HeaderRead = { navItems?: { link?: { href?: string | null } }[] | null }

const headerHrefs = async (locale?: 'en' | 'de', depth = 0) => {
  const header = (await payload.findGlobal({ slug: 'header', depth, overrideAccess: false, locale })) as HeaderRead
  return (header.navItems ?? []).map((item) => item.link?.href ?? null)
}

describe('one URL scheme', () => {
  let about: { id: number | string }
  let post: { id: number | string }
  let draftPage: { id: number | string }

  beforeAll(async () => {
    about = await createPage('About', 'about')
    draftPage = await createPage('Secret plans', 'secret-plans', 'draft')
    post = await createPost(payload, 'Scheme post', 'published', {
      slug: 'scheme-post',
      publishedAt: '2026-03-04T10:00:00.000Z',
      content: richText(paragraph(internalLink('pages', about.id, 'about us'), ' and ', internalLink('pages', draftPage.id, 'plans'))),
    })
    await payload.updateGlobal({
      slug: 'header',
      overrideAccess: true,
      data: {
        _status: 'published',
        navItems: [
          navLink({ relationTo: 'pages', value: about.id }, 'About'),
          navLink({ relationTo: 'posts', value: post.id }, 'A post'),
          navLink({ relationTo: 'pages', value: draftPage.id }, 'Not yet'),
          { link: { type: 'custom', url: 'https://elsewhere.example/x', label: 'Elsewhere' } },
          { link: { type: 'custom', url: 'mailto:team@example.com', label: 'Mail' } },
        ],
      } as never,
    })
  })

  test('every link carries a resolved href; a link to a draft has none for a reader and leaks no slug', async () => {
    await setUrls({})
    for (const depth of [0, 1]) {
      expect(await headerHrefs('en', depth)).toEqual([
        '/about',
        '/posts/scheme-post',
        null,
        'https://elsewhere.example/x',
        'mailto:team@example.com',
      ])
    }
    expect((await headerHrefs('de'))[0]).toBe('/de/about')
    const header = JSON.stringify(await payload.findGlobal({ slug: 'header', depth: 0, overrideAccess: false }))
    expect(header).not.toContain('secret-plans')
  })

  test('links, rich text and SEO URLs follow the patterns and home page in site settings', async () => {
    await setUrls({ postPath: '/:year/:month/:slug', pagePath: '/site/:slug', homePage: about.id, localePaths: 'prefix-all' })
    try {
      expect((await headerHrefs('en')).slice(0, 3)).toEqual(['/en', '/en/2026/03/scheme-post', null])
      expect((await headerHrefs('de')).slice(0, 2)).toEqual(['/de', '/de/2026/03/scheme-post'])

      const read = await payload.findByID({ collection: 'posts', id: post.id, depth: 0, overrideAccess: false, locale: 'en' })
      expect(read.contentHtml).toContain('<a href="/en">about us</a>')
      expect(read.contentHtml).not.toContain('secret-plans')
      expect(read.contentHtml).toContain('plans')

      const req = await createLocalReq({ locale: 'de' }, payload)
      const seoUrl = await generateSeoUrl({
        doc: { id: post.id, slug: 'scheme-post', publishedAt: '2026-03-04T10:00:00.000Z' },
        collectionConfig: payload.collections.posts.config,
        locale: 'de',
        req,
      } as never)
      expect(seoUrl).toBe('https://www.example.com/de/2026/03/scheme-post')
    } finally {
      await setUrls({})
    }
  })

  test('posts, pages and categories answer their path, also when populated, and follow a new pattern at once', async () => {
    const read = await payload.findByID({ collection: 'posts', id: post.id, depth: 0, overrideAccess: false })
    expect(read.path).toBe('/posts/scheme-post')
    const german = await payload.findByID({ collection: 'posts', id: post.id, depth: 0, overrideAccess: false, locale: 'de' })
    expect(german.path).toBe('/de/posts/scheme-post')
    expect((await payload.findByID({ collection: 'pages', id: about.id, overrideAccess: false })).path).toBe('/about')

    const category = await payload.create({
      collection: 'categories',
      overrideAccess: true,
      data: { title: 'Scheme news', slug: 'scheme-news' } as never,
    })
    const related = await createPost(payload, 'Related to the scheme', 'published', {
      relatedPosts: [post.id],
      categories: [category.id],
    })
    await setUrls({ postPath: '/blog/:slug', categoryPath: '/topics/:slug' })
    try {
      const withRelations = await payload.findByID({ collection: 'posts', id: related.id, depth: 1, overrideAccess: false })
      expect((withRelations.relatedPosts as { path?: string }[])[0].path).toBe('/blog/scheme-post')
      expect((withRelations.categories as { path?: string }[])[0].path).toBe('/topics/scheme-news')
      expect(withRelations.path).toBe(`/blog/${withRelations.slug}`)
    } finally {
      await setUrls({})
    }
  })

  test('computed fields keep their place in the answer, so the same content always gives the same bytes', async () => {
    // Payload sets a computed field when its hook finishes; without a reserved place `path` (quick) would
    // land before `contentHtml` (slow) on one read and after it on another.
    const reads = await Promise.all(
      [0, 1, 2].map(() => payload.findByID({ collection: 'posts', id: post.id, depth: 1, overrideAccess: false })),
    )
    const keys = Object.keys(reads[0])
    expect(keys.indexOf('contentHtml')).toBeLessThan(keys.indexOf('path'))
    expect(keys.indexOf('contentText')).toBeLessThan(keys.indexOf('path'))
    for (const read of reads) expect(JSON.stringify(read)).toBe(JSON.stringify(reads[0]))
  })

  test('a pattern that cannot address documents is refused', async () => {
    const refusal = (urls: Record<string, unknown>) =>
      setUrls(urls).then(
        () => undefined,
        (error: { data?: { errors?: { path: string; message: string }[] } }) => error.data?.errors,
      )
    expect(await refusal({ postPath: '/posts/:title' })).toEqual([
      { label: expect.anything(), path: 'urls.postPath', message: expect.stringMatching(/":title" is not a token/) },
    ])
    expect(await refusal({ pagePath: '/pages' })).toEqual([
      { label: expect.anything(), path: 'urls.pagePath', message: expect.stringMatching(/needs :slug or :id/) },
    ])
  })

  test('media URLs are absolute, in the document and in the HTML rendition', async () => {
    const image = await makeDemoImage('scheme.png', 'Scheme', ['#123', '#456'], { width: 320, height: 200 })
    const media = await payload.create({
      collection: 'media',
      overrideAccess: true,
      data: { alt: 'Scheme' },
      file: { data: image.data, mimetype: 'image/png', name: image.name, size: image.data.length },
    })
    const read = await payload.findByID({ collection: 'media', id: media.id, overrideAccess: false })
    expect(read.url).toMatch(/^http:\/\/localhost:\d+\/api\/media\/file\/scheme(-\d+)?\.png\?v=[0-9a-f]{16}$/)
    for (const size of Object.values(read.sizes ?? {})) if (size?.url) expect(size.url).toMatch(/^http:\/\/localhost:\d+\/api\/media\/file\//)

    const withImage = await createPost(payload, 'Image post', 'published', { content: richText(upload(media.id)) })
    const html = (await payload.findByID({ collection: 'posts', id: withImage.id, depth: 0, overrideAccess: false })).contentHtml!
    expect(html).toMatch(/<img src="http:\/\/localhost:\d+\/api\/media\/file\//)
    expect(html).not.toMatch(/(src|srcset)="\//)
    expect(html).not.toMatch(/, \/api\/media/)
  })
})
