import type { Json } from '../helpers/http'
import { api, graphql, login, servedAt } from '../helpers/http'
import type { TestServer } from '../helpers/server'
import { TEST_ADMIN, startTestServer } from '../helpers/server'
import { internalLink, link, paragraph, richText } from '../../src/seed/lexical'

let server: TestServer
let url: string
let adminAuth: string

beforeAll(async () => {
  server = await startTestServer({ seed: true })
  url = server.url
  adminAuth = await login(url, TEST_ADMIN.email, TEST_ADMIN.password)
}, 120_000)

afterAll(async () => {
  await server?.stop()
})

const postBySlug = async (slug: string, auth?: string) => {
  const res = await api(url, `/api/posts?where[slug][equals]=${slug}&depth=1`, { auth })
  expect(res.status).toBe(200)
  return res.body.docs[0] as Json
}

describe('rich text over REST', () => {
  test('a post carries its content as HTML and plain text, blocks and links included', async () => {
    const post = await postBySlug('welcome-to-greenroom')
    expect(post.contentHtml).toContain('<h2>What you can do</h2>')
    expect(post.contentHtml).toContain(
      '<aside class="banner banner-info" role="note"><p><strong>Tip: </strong>drafts are never shown to readers until you publish.</p></aside>',
    )
    expect(post.contentHtml).toContain('<a href="/api/posts">posts API</a>')
    expect(post.contentText).toContain('What you can do\n\nWrite posts and pages with drafts and autosave')
    expect(post.contentText).not.toMatch(/<[a-z]/)
  })

  test('images in the HTML point at files the server serves', async () => {
    const post = await postBySlug('fetching-content-at-build-time')
    expect(post.contentHtml).toContain(
      '<pre><code class="language-bash">curl &quot;http://localhost:3000/api/posts?limit=10&amp;depth=1&quot;</code></pre>',
    )
    // A <picture>: AVIF and WebP sources, then the <img> for browsers that take neither.
    const figure = /<figure class="media-block media-block-wide"><picture>(.*?)<\/picture>/.exec(post.contentHtml)?.[1]
    expect(figure).toBeDefined()
    const src = /<img src="([^"]+)"/.exec(figure!)?.[1]
    const sources = [...figure!.matchAll(/<source type="(image\/[a-z]+)" srcset="([^"]+)"/g)]
    expect(sources.map(([, type]) => type)).toEqual(['image/avif', 'image/webp'])
    const candidates = sources.flatMap(([, , srcset]) => srcset.split(', ').map((candidate) => candidate.split(' ')[0]))
    for (const address of [src!, ...candidates]) {
      const image = await fetch(servedAt(url, address.replace(/&amp;/g, '&')))
      expect([address, image.status]).toEqual([address, 200])
    }
  })

  test('a page carries HTML for its hero and its blocks', async () => {
    const res = await api(url, '/api/pages?where[slug][equals]=home&depth=1')
    const [home] = res.body.docs
    expect(home.hero.richTextHtml).toBe(
      '<h2>Stories from the greenroom</h2><p>News, guides and notes from our editorial team.</p>',
    )
    expect(home.layout[0].columns[0].richTextText).toBe('Greenroom keeps writing, editing and publishing in one place.')
    expect(home.layout[2].richTextHtml).toBe('<p>Want to write for us?</p>')
  })

  test('HTML sent by a client is ignored; draft targets and unsafe URLs are not linked for readers', async () => {
    const draft = await postBySlug('coming-soon-our-redesign', adminAuth)
    const created = await api(url, '/api/posts', {
      method: 'POST',
      auth: adminAuth,
      body: {
        title: 'Links to a draft',
        _status: 'published',
        content: richText(
          paragraph(internalLink('posts', draft.id, 'soon'), ' ', link('javascript:alert(1)', 'click')),
        ),
        contentHtml: '<script>alert(1)</script>',
        contentText: 'forged',
      },
    })
    expect(created.status).toBe(201)
    expect(created.body.doc.contentText).toBe('soon click')

    const asReader = await postBySlug(created.body.doc.slug)
    expect(asReader.contentHtml).toBe('<p>soon click</p>')
    const asEditor = await postBySlug(created.body.doc.slug, adminAuth)
    expect(asEditor.contentHtml).toBe('<p><a href="/posts/coming-soon-our-redesign">soon</a> click</p>')
  })

  test('the post list carries the renditions; populated posts do not', async () => {
    const res = await api(url, '/api/posts?limit=10&depth=1')
    for (const doc of res.body.docs) {
      expect(typeof doc.contentHtml).toBe('string')
      expect(typeof doc.contentText).toBe('string')
      for (const related of doc.relatedPosts ?? []) expect(related).not.toHaveProperty('contentHtml')
    }
    const lean = await api(url, '/api/posts?limit=10&depth=1&select[title]=true&select[slug]=true')
    expect(Object.keys(lean.body.docs[0]).sort()).toEqual(['id', 'slug', 'title'])
  })
})

describe('rich text over GraphQL', () => {
  test('posts and pages expose the same HTML and text', async () => {
    const res = await graphql(
      url,
      `
        {
          Posts(where: { slug: { equals: "welcome-to-greenroom" } }) {
            docs {
              contentHtml
              contentText
            }
          }
          Pages(where: { slug: { equals: "home" } }) {
            docs {
              hero {
                richTextHtml
                richTextText
              }
              layout {
                ... on ContentBlock {
                  columns {
                    richTextHtml
                  }
                }
                ... on ArchiveBlock {
                  introContentHtml
                }
                ... on CallToActionBlock {
                  richTextText
                }
              }
            }
          }
        }
      `,
    )
    expect(res.body.errors).toBeUndefined()
    const rest = await postBySlug('welcome-to-greenroom')
    expect(res.body.data.Posts.docs[0]).toEqual({ contentHtml: rest.contentHtml, contentText: rest.contentText })
    const [home] = res.body.data.Pages.docs
    expect(home.hero.richTextText).toBe('Stories from the greenroom\n\nNews, guides and notes from our editorial team.')
    expect(home.layout[0].columns[1].richTextHtml).toBe(
      '<p>Every page and post is available over REST and GraphQL.</p>',
    )
    expect(home.layout[1].introContentHtml).toBe('<h3>Latest posts</h3>')
    expect(home.layout[2].richTextText).toBe('Want to write for us?')
  })
})
