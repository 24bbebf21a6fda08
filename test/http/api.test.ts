import crypto from 'node:crypto'

import { richTextFromPlain } from '../../src/seed/lexical'
import type { Json } from '../helpers/http'
import { api, graphql, login, servedAt } from '../helpers/http'
import type { TestServer } from '../helpers/server'
import { TEST_ADMIN, startTestServer } from '../helpers/server'

let server: TestServer
let url: string
let adminAuth: string

const DRAFT_SLUG = 'coming-soon-our-redesign'
const DRAFT_TITLE = 'Coming soon: our redesign'

beforeAll(async () => {
  server = await startTestServer({ seed: true })
  url = server.url
  adminAuth = await login(url, TEST_ADMIN.email, TEST_ADMIN.password)
}, 120_000)

afterAll(async () => {
  await server?.stop()
})

describe('REST reads', () => {
  test('lists the newest published posts with their public authors', async () => {
    const res = await api(url, '/api/posts?limit=10&depth=1')
    expect(res.status).toBe(200)
    expect(res.body.totalDocs).toBe(4)
    const titles = res.body.docs.map((doc: Json) => doc.title)
    expect(titles[0]).toBe('Field notes from the newsroom')
    expect(titles).not.toContain(DRAFT_TITLE)
    for (const doc of res.body.docs) {
      expect(doc._status).toBe('published')
      expect(doc.populatedAuthors.length).toBeGreaterThan(0)
      expect(doc.heroImage?.url ?? null).not.toBeUndefined()
    }
    expect(JSON.stringify(res.body)).not.toMatch(/@greenroom\.(local|test)|"role"/)
    expect(res.headers.get('x-content-type-options')).toBe('nosniff')
  })

  test('finds a post by slug, with its image sizes', async () => {
    const res = await api(url, '/api/posts?where[slug][equals]=welcome-to-greenroom&depth=1')
    expect(res.status).toBe(200)
    expect(res.body.docs).toHaveLength(1)
    const [post] = res.body.docs
    expect(post).toMatchObject({ title: 'Welcome to Greenroom', slug: 'welcome-to-greenroom', readingTime: 1 })
    expect(Object.keys(post.heroImage.sizes)).toEqual(expect.arrayContaining(['thumbnail', 'card', 'feature', 'og']))
    expect(post.heroImage.sizes.card).toMatchObject({ width: 640, mimeType: 'image/webp' })
    const image = await fetch(servedAt(url, post.heroImage.sizes.thumbnail.url))
    expect(image.status).toBe(200)
    expect(image.headers.get('content-type')).toBe('image/webp')
  })

  test('serves globals to anyone', async () => {
    const res = await api(url, '/api/globals/header?depth=1')
    expect(res.status).toBe(200)
    expect(res.body.navItems.map((item: Json) => item.link.label)).toEqual(['Home', 'About', 'Contact'])
  })

  test('unknown documents are a 404 with a message', async () => {
    const res = await api(url, '/api/posts/999999')
    expect(res.status).toBe(404)
    expect(res.body.errors[0].message).toMatch(/not found/i)
  })
})

describe('drafts stay hidden from anonymous readers', () => {
  let draftId: number

  beforeAll(async () => {
    const res = await api(url, `/api/posts?where[slug][equals]=${DRAFT_SLUG}&draft=true`, { auth: adminAuth })
    draftId = res.body.docs[0].id
  })

  test('on REST lists, by slug, by id and with ?draft=true', async () => {
    for (const path of [
      `/api/posts?where[slug][equals]=${DRAFT_SLUG}`,
      `/api/posts?where[slug][equals]=${DRAFT_SLUG}&draft=true`,
      `/api/posts?limit=100&draft=true`,
    ]) {
      const res = await api(url, path)
      expect(res.status).toBe(200)
      expect(res.body.docs.map((doc: Json) => doc.title)).not.toContain(DRAFT_TITLE)
    }
    expect((await api(url, `/api/posts/${draftId}`)).status).toBe(404)
    expect((await api(url, `/api/posts/${draftId}?draft=true`)).status).toBe(404)
  })

  test('on versions', async () => {
    const res = await api(url, `/api/posts/versions?where[parent][equals]=${draftId}`)
    expect(res.status).toBe(403)
  })

  test('on GraphQL', async () => {
    const res = await graphql(
      url,
      `
        query ($slug: String) {
          Posts(where: { slug: { equals: $slug } }, draft: true) {
            docs {
              title
            }
          }
        }
      `,
      {
        slug: DRAFT_SLUG,
      },
    )
    expect(res.status).toBe(200)
    expect(res.body.data.Posts.docs).toEqual([])
    const byId = await graphql(
      url,
      `
        query ($id: Int!) {
          Post(id: $id, draft: true) {
            title
          }
        }
      `,
      { id: draftId },
    )
    expect(byId.body.data?.Post ?? null).toBeNull()
    expect(JSON.stringify(byId.body)).not.toContain(DRAFT_TITLE)
  })

  test('on search', async () => {
    const res = await api(url, '/api/search?limit=100')
    expect(res.status).toBe(200)
    expect(res.body.docs.length).toBeGreaterThan(0)
    expect(res.body.docs.map((doc: Json) => doc.title)).not.toContain(DRAFT_TITLE)
  })

  test('but the editorial team sees them', async () => {
    const res = await api(url, `/api/posts/${draftId}?draft=true`, { auth: adminAuth })
    expect(res.status).toBe(200)
    expect(res.body.title).toBe(DRAFT_TITLE)
  })
})

describe('REST writes', () => {
  test('create, update and delete a post with a session', async () => {
    const created = await api(url, '/api/posts', {
      method: 'POST',
      auth: adminAuth,
      body: { title: 'Written over HTTP', content: richTextFromPlain('Hello from the test.'), _status: 'published' },
    })
    expect(created.status).toBe(201)
    expect(created.body.doc).toMatchObject({
      slug: 'written-over-http',
      _status: 'published',
      excerpt: 'Hello from the test.',
    })
    const id = created.body.doc.id

    const publicRead = await api(url, '/api/posts?where[slug][equals]=written-over-http')
    expect(publicRead.body.docs).toHaveLength(1)

    const updated = await api(url, `/api/posts/${id}`, {
      method: 'PATCH',
      auth: adminAuth,
      body: { title: 'Rewritten over HTTP' },
    })
    expect(updated.status).toBe(200)
    expect(updated.body.doc).toMatchObject({ title: 'Rewritten over HTTP', slug: 'written-over-http' })

    const deleted = await api(url, `/api/posts/${id}`, { method: 'DELETE', auth: adminAuth })
    expect(deleted.status).toBe(200)
    expect((await api(url, `/api/posts/${id}`)).status).toBe(404)
  })

  test('anonymous writes are refused with a message and change nothing', async () => {
    const before = (await api(url, '/api/posts?limit=0')).body.totalDocs
    const res = await api(url, '/api/posts', { method: 'POST', body: { title: 'Anonymous', content: richTextFromPlain('x') } })
    expect(res.status).toBe(403)
    expect(res.body.errors[0].message).toMatch(/not allowed/i)
    const target = (await api(url, '/api/posts?limit=1')).body.docs[0]
    expect((await api(url, `/api/posts/${target.id}`, { method: 'PATCH', body: { title: 'Defaced' } })).status).toBe(
      403,
    )
    expect((await api(url, `/api/posts/${target.id}`, { method: 'DELETE' })).status).toBe(403)
    expect((await api(url, '/api/posts?limit=0')).body.totalDocs).toBe(before)
    expect((await api(url, `/api/posts/${target.id}`)).body.title).toBe(target.title)
  })

  test('a bad slug is a 400 that says what would work', async () => {
    const res = await api(url, '/api/posts', {
      method: 'POST',
      auth: adminAuth,
      body: { title: 'Bad slug', slug: 'Bad Slug!', content: richTextFromPlain('x') },
    })
    expect(res.status).toBe(400)
    const [fieldError] = res.body.errors[0].data.errors
    expect(fieldError.path).toBe('slug')
    expect(fieldError.message).toContain('use lowercase letters, digits and single hyphens')
    expect(fieldError.message).toContain('for example "bad-slug"')
  })

  test('a missing title is a 400 naming the field', async () => {
    const res = await api(url, '/api/posts', {
      method: 'POST',
      auth: adminAuth,
      body: { content: richTextFromPlain('x'), _status: 'published' },
    })
    expect(res.status).toBe(400)
    expect(res.body.errors[0].data.errors).toEqual([
      expect.objectContaining({ path: 'title', message: expect.stringMatching(/required/i) }),
    ])
  })

  test('a wrong password is a 401 with a message', async () => {
    const res = await api(url, '/api/users/login', {
      method: 'POST',
      body: { email: TEST_ADMIN.email, password: 'wrong-password' },
    })
    expect(res.status).toBe(401)
    expect(res.body.errors[0].message).toMatch(/incorrect/i)
  })
})

describe('conflicts', () => {
  test('a save from a stale copy (older updatedAt) is a 409 that says so, and the newer save stays', async () => {
    const created = await api(url, '/api/categories', { method: 'POST', auth: adminAuth, body: { title: 'Contested' } })
    const copy = created.body.doc
    const first = await api(url, `/api/categories/${copy.id}`, {
      method: 'PATCH',
      auth: adminAuth,
      body: { title: 'Saved first', updatedAt: copy.updatedAt },
    })
    expect(first.status).toBe(200)
    const second = await api(url, `/api/categories/${copy.id}`, {
      method: 'PATCH',
      auth: adminAuth,
      body: { title: 'Saved second from the old copy', updatedAt: copy.updatedAt },
    })
    expect(second.status).toBe(409)
    expect(second.body.errors[0].message).toMatch(
      /This category has been changed by someone else since your copy was loaded/,
    )
    expect(second.body.errors[0].data).toEqual({ updatedAt: first.body.doc.updatedAt, yourUpdatedAt: copy.updatedAt })
    expect((await api(url, `/api/categories/${copy.id}`)).body.title).toBe('Saved first')
  })

  test('deleting an image that a published post shows is a 409 naming the post; the image stays', async () => {
    const post = (await api(url, '/api/posts?limit=1&depth=0&where[heroImage][exists]=true')).body.docs[0]
    const res = await api(url, `/api/media/${post.heroImage}`, { method: 'DELETE', auth: adminAuth })
    expect(res.status).toBe(409)
    expect(res.body.errors[0].message).toContain(`posts "${post.title}"`)
    expect((await api(url, `/api/media/${post.heroImage}`)).status).toBe(200)
    const file = await fetch(servedAt(url, (await api(url, `/api/media/${post.heroImage}`)).body.url))
    expect(file.status).toBe(200)
  })

  test('deleting a category with posts in it is a 409', async () => {
    const post = (await api(url, '/api/posts?limit=1&depth=0&where[categories][exists]=true')).body.docs[0]
    const res = await api(url, `/api/categories/${post.categories[0]}`, { method: 'DELETE', auth: adminAuth })
    expect(res.status).toBe(409)
    expect(res.body.errors[0].message).toMatch(/cannot be deleted while it is in use/)
  })
})

describe('GraphQL', () => {
  test('lists published posts', async () => {
    const res = await graphql(
      url,
      `
        {
          Posts(limit: 10, sort: "-publishedAt") {
            totalDocs
            docs {
              title
              slug
              excerpt
              publishedAt
              heroImage {
                url
                alt
              }
              categories {
                title
                slug
              }
              populatedAuthors {
                name
              }
            }
          }
        }
      `,
    )
    expect(res.status).toBe(200)
    expect(res.body.errors).toBeUndefined()
    expect(res.body.data.Posts.totalDocs).toBe(4)
    expect(res.body.data.Posts.docs[0]).toMatchObject({
      title: 'Field notes from the newsroom',
      populatedAuthors: [{ name: 'Site Admin' }],
    })
  })

  test('creates a category with a session, refuses without', async () => {
    const mutation = `mutation($data: mutationCategoryInput!) { createCategory(data: $data) { id title slug } }`
    const denied = await graphql(url, mutation, { data: { title: 'Anonymous category' } })
    expect(denied.body.errors?.[0]?.message).toMatch(/not allowed/i)
    expect(denied.body.data?.createCategory ?? null).toBeNull()

    const created = await graphql(url, mutation, { data: { title: 'Über GraphQL' } }, adminAuth)
    expect(created.body.errors).toBeUndefined()
    expect(created.body.data.createCategory).toMatchObject({ title: 'Über GraphQL', slug: 'ueber-graphql' })
  })
})

describe('API keys', () => {
  let keyAuth: string

  beforeAll(async () => {
    // An admin's key: even the most powerful owner's key reads only what the public reads.
    const key = crypto.randomUUID()
    const me = await api(url, '/api/users/me', { auth: adminAuth })
    const res = await api(url, `/api/users/${me.body.user.id}`, {
      method: 'PATCH',
      auth: adminAuth,
      body: { enableAPIKey: true, apiKey: key },
    })
    expect(res.status).toBe(200)
    keyAuth = `users API-Key ${key}`
  })

  test('read published content only', async () => {
    const res = await api(url, '/api/posts?limit=100&draft=true', { auth: keyAuth })
    expect(res.status).toBe(200)
    expect(res.body.docs.length).toBeGreaterThan(0)
    expect(res.body.docs.map((doc: Json) => doc.title)).not.toContain(DRAFT_TITLE)
  })

  test('cannot write or read users', async () => {
    const created = await api(url, '/api/posts', {
      method: 'POST',
      auth: keyAuth,
      body: { title: 'By key', content: richTextFromPlain('x') },
    })
    expect(created.status).toBe(403)
    expect((await api(url, '/api/users', { auth: keyAuth })).status).toBe(403)
    // The key does sign its user in (an anonymous /me is a 200 with no user): it is access that refuses.
    expect((await api(url, '/api/users/me')).body.user).toBeNull()
    expect((await api(url, '/api/users/me', { auth: keyAuth })).status).toBe(403)
  })

  test('a wrong key gets nothing beyond public content', async () => {
    const auth = 'users API-Key not-a-real-key'
    const read = await api(url, '/api/posts?limit=100&draft=true', { auth })
    expect(read.body.docs.map((doc: Json) => doc.title)).not.toContain(DRAFT_TITLE)
    expect(
      (await api(url, '/api/posts', { method: 'POST', auth, body: { title: 'x', content: richTextFromPlain('x') } })).status,
    ).toBe(403)
  })
})
