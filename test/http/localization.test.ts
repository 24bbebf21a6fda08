import type { Json } from '../helpers/http'
import { api, graphql, login } from '../helpers/http'
import type { TestServer } from '../helpers/server'
import { TEST_ADMIN, startTestServer } from '../helpers/server'
import { paragraph, richText } from '../../src/seed/lexical'

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

const postBySlug = async (slug: string, query = '', auth?: string) => {
  const res = await api(url, `/api/posts?where[slug][equals]=${slug}&depth=0${query}`, { auth })
  expect(res.status).toBe(200)
  return res.body.docs[0] as Json
}

describe('REST', () => {
  test('?locale=de gives the German text where there is one, English where there is not', async () => {
    const welcome = await postBySlug('welcome-to-greenroom', '&locale=de')
    expect(welcome).toMatchObject({ title: 'Willkommen bei Greenroom', slug: 'welcome-to-greenroom' })
    expect(welcome.contentHtml).toContain('<h2>Was Sie tun können</h2>')
    expect((await postBySlug('welcome-to-greenroom')).title).toBe('Welcome to Greenroom')
    expect((await postBySlug('fetching-content-at-build-time', '&locale=de')).title).toBe(
      'Fetching content at build time',
    )

    const header = await api(url, '/api/globals/header?locale=de')
    expect(header.body.navItems.map((item: Json) => item.link.label)).toEqual(['Startseite', 'Über uns', 'Kontakt'])
  })

  test('?fallback-locale=none shows what is not translated yet', async () => {
    const untranslated = await postBySlug('fetching-content-at-build-time', '&locale=de&fallback-locale=none')
    expect(untranslated.title ?? null).toBeNull()
    expect(untranslated.contentHtml ?? null).toBeNull()
    expect(untranslated.slug).toBe('fetching-content-at-build-time')
    expect((await postBySlug('welcome-to-greenroom', '&locale=de&fallback-locale=none')).title).toBe(
      'Willkommen bei Greenroom',
    )
  })

  test('?locale=all gives every language side by side', async () => {
    const all = await postBySlug('welcome-to-greenroom', '&locale=all')
    expect(all.title).toEqual({ en: 'Welcome to Greenroom', de: 'Willkommen bei Greenroom' })
    expect(Object.keys(all.contentHtml)).toEqual(['en', 'de'])
  })

  test('an unknown locale or fallback locale is a 400 that says what is allowed', async () => {
    for (const query of ['locale=fr', 'locale=dee', 'fallback-locale=fr', 'locale=de&locale=en']) {
      const res = await api(url, `/api/posts?${query}`)
      expect({ query, status: res.status }).toEqual({ query, status: 400 })
      expect(res.body.errors[0].message).toMatch(/locale/i)
    }
    const res = await api(url, '/api/posts?locale=fr')
    expect(res.body.errors[0].message).toBe('Unknown locale "fr": use one of en, de, or "all".')
    expect((await api(url, '/api/globals/header?locale=xx')).status).toBe(400)
  })

  test('a German draft never reaches readers, with or without ?draft=true', async () => {
    const post = await postBySlug('a-day-at-the-editing-desk', '', adminAuth)
    const saved = await api(url, `/api/posts/${post.id}?locale=de&draft=true`, {
      method: 'PATCH',
      auth: adminAuth,
      body: { title: 'Geheimer Entwurf', content: richText(paragraph('Noch nicht veröffentlicht.')), _status: 'draft' },
    })
    expect(saved.status).toBe(200)
    for (const query of ['&locale=de', '&locale=de&draft=true', '&locale=all', '&locale=de&fallback-locale=none']) {
      const res = await api(url, `/api/posts?where[slug][equals]=a-day-at-the-editing-desk${query}`)
      expect(JSON.stringify(res.body)).not.toMatch(/Geheimer|Noch nicht/)
    }
    const asEditor = await postBySlug('a-day-at-the-editing-desk', '&locale=de&draft=true', adminAuth)
    expect(asEditor.title).toBe('Geheimer Entwurf')
  })
})

describe('GraphQL', () => {
  test('locale and fallbackLocale arguments', async () => {
    const res = await graphql(
      url,
      `
        {
          de: Posts(locale: de, where: { slug: { equals: "welcome-to-greenroom" } }) {
            docs {
              title
              contentText
            }
          }
          # Payload hands one query's locale on to the queries after it: each names its own.
          en: Posts(locale: en, where: { slug: { equals: "welcome-to-greenroom" } }) {
            docs {
              title
            }
          }
          untranslated: Posts(
            locale: de
            fallbackLocale: none
            where: { slug: { equals: "field-notes-from-the-newsroom" } }
          ) {
            docs {
              title
              slug
            }
          }
          header: Header(locale: de) {
            navItems {
              link {
                label
              }
            }
          }
        }
      `,
    )
    expect(res.body.errors).toBeUndefined()
    expect(res.body.data.de.docs[0].title).toBe('Willkommen bei Greenroom')
    expect(res.body.data.de.docs[0].contentText).toMatch(/^Greenroom ist das Back-End/)
    expect(res.body.data.en.docs[0].title).toBe('Welcome to Greenroom')
    expect(res.body.data.untranslated.docs[0]).toEqual({ title: null, slug: 'field-notes-from-the-newsroom' })
    expect(res.body.data.header.navItems[0].link.label).toBe('Startseite')
  })

  test('an unknown locale is refused with a message', async () => {
    const res = await graphql(url, '{ Posts(locale: fr) { docs { title } } }')
    expect(res.body.data ?? null).toBeNull()
    expect(res.body.errors[0].message).toMatch(/fr/)
  })
})
