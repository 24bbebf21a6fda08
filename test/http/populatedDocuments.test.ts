// The cache of populated documents over HTTP (src/server/cache/populatedDocuments.ts), with the response
// store off so that every read runs Payload: two servers on one database and one media folder, one with
// the cache and one without (POPULATED_CACHE_MB=0). The cached one answers every read byte for byte as
// the other does, sees an edit made through either server at its next read, and gives editors, drafts
// and preview-free draft asks what Payload gives them.
import crypto from 'node:crypto'
import path from 'node:path'

import { richTextFromPlain } from '../../src/seed/lexical'
import type { Json } from '../helpers/http'
import { api, graphql, login } from '../helpers/http'
import type { TestServer } from '../helpers/server'
import { TEST_ADMIN, startTestServer } from '../helpers/server'

let cached: TestServer
let uncached: TestServer
let adminAuth: string
let keyAuth: string

const SHARED_ENV = { API_RESPONSE_CACHE_MB: '0', PUBLIC_SERVER_URL: 'https://cms.example.com' }

beforeAll(async () => {
  cached = await startTestServer({ seed: true, env: SHARED_ENV })
  uncached = await startTestServer({
    seed: false,
    databaseUri: cached.databaseUri,
    env: { ...SHARED_ENV, POPULATED_CACHE_MB: '0', MEDIA_DIR: path.join(cached.dir, 'media') },
  })
  adminAuth = await login(cached.url, TEST_ADMIN.email, TEST_ADMIN.password)
  const adminId = (await api(cached.url, '/api/users/me', { auth: adminAuth })).body.user.id
  const key = crypto.randomUUID()
  const enabled = await api(cached.url, `/api/users/${adminId}`, { method: 'PATCH', auth: adminAuth, body: { enableAPIKey: true, apiKey: key } })
  expect(enabled.status).toBe(200)
  keyAuth = `users API-Key ${key}`
}, 240_000)

afterAll(async () => {
  await uncached?.stop()
  await cached?.stop()
})

const body = async (base: string, pathAndQuery: string, auth?: string) => {
  const res = await fetch(`${base}${pathAndQuery}`, { headers: auth ? { authorization: auth } : {} })
  expect(res.status).toBe(200)
  return res.text()
}

const graphqlBody = async (base: string, query: string, auth?: string) => {
  const res = await fetch(`${base}/api/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(auth ? { authorization: auth } : {}) },
    body: JSON.stringify({ query }),
  })
  expect(res.status).toBe(200)
  return res.text()
}

/** Where two answers part, with some context either side: the whole answers are too long to read in a failure. */
const firstDifference = (a: string, b: string) => {
  let k = 0
  while (k < a.length && a[k] === b[k]) k++
  return k === a.length && k === b.length ? 'same' : { at: k, a: a.slice(Math.max(0, k - 150), k + 150), b: b.slice(Math.max(0, k - 150), k + 150) }
}

const LIST_QUERY = `{ Posts(limit: 10, sort: "-publishedAt") { totalDocs docs { title slug heroImage { url alt sizes { card { url } } } categories { title slug path } populatedAuthors { name } relatedPosts { title path } } } }`

/** A published post that shows a hero image and a category, from the seeded content. */
const seededPost = async (): Promise<Json> => {
  const { body: list } = await api(cached.url, '/api/posts?depth=1&limit=50')
  const post = list.docs.find((doc: Json) => doc.heroImage && doc.categories?.length)
  expect(post).toBeDefined()
  return post
}

test('answers every read as the server without the cache does, byte for byte, the second time from the cache too', async () => {
  const post = await seededPost()
  const category = post.categories[0]
  const paths = [
    '/api/posts?limit=10&depth=1',
    `/api/posts?where[slug][equals]=${post.slug}&depth=1&limit=1`,
    `/api/posts/${post.id}?depth=1`,
    `/api/posts?where[categories][in]=${category.id}&depth=1`,
    '/api/posts?limit=5&depth=2',
    `/api/posts?limit=3&depth=1&select[title]=true&select[heroImage]=true&populate[media][alt]=true`,
    '/api/pages?depth=1',
    '/api/globals/header?depth=1',
    '/api/posts?limit=2&depth=1&locale=de',
  ]
  for (const auth of [undefined, keyAuth]) {
    for (const pathAndQuery of paths) {
      const first = await body(cached.url, pathAndQuery, auth)
      const second = await body(cached.url, pathAndQuery, auth)
      const without = await body(uncached.url, pathAndQuery, auth)
      expect([pathAndQuery, firstDifference(second, without)]).toEqual([pathAndQuery, 'same'])
      expect([pathAndQuery, firstDifference(first, without)]).toEqual([pathAndQuery, 'same'])
    }
    const first = await graphqlBody(cached.url, LIST_QUERY, auth)
    expect(firstDifference(await graphqlBody(cached.url, LIST_QUERY, auth), first)).toBe('same')
    expect(firstDifference(await graphqlBody(uncached.url, LIST_QUERY, auth), first)).toBe('same')
    expect(first).not.toContain('"errors"')
  }
})

test('two reads of a post with rich-text blocks, with nothing stored anywhere, are the same bytes under the same ETag', async () => {
  const slug = 'fetching-content-at-build-time'
  const { body: list } = await api(uncached.url, `/api/posts?where[slug][equals]=${slug}&depth=0&limit=1`)
  const post = list.docs[0] as Json
  expect(post.content.root.children.filter((node: Json) => node.type === 'block').length).toBeGreaterThan(0)
  for (const pathAndQuery of [`/api/posts/${post.id}?depth=1`, `/api/posts?where[slug][equals]=${slug}&depth=1&limit=1`]) {
    const first = await fetch(`${uncached.url}${pathAndQuery}`)
    const second = await fetch(`${uncached.url}${pathAndQuery}`)
    expect([pathAndQuery, firstDifference(await second.text(), await first.text())]).toEqual([pathAndQuery, 'same'])
    expect(first.headers.get('etag')).toBeTruthy()
    expect(second.headers.get('etag')).toBe(first.headers.get('etag'))
  }
})

test('shows an edit of a populated image or category at the next read, whichever server made it', async () => {
  const post = await seededPost()
  const read = async () => JSON.parse(await body(cached.url, `/api/posts/${post.id}?depth=1`)) as Json
  await read()

  const alt = `Edited on the cached server ${crypto.randomUUID()}`
  expect((await api(cached.url, `/api/media/${post.heroImage.id}`, { method: 'PATCH', auth: adminAuth, body: { alt } })).status).toBe(200)
  expect((await read()).heroImage.alt).toBe(alt)

  // Another instance's write reaches this one through the change log.
  const title = `Edited on the other server ${crypto.randomUUID().slice(0, 8)}`
  const otherAuth = await login(uncached.url, TEST_ADMIN.email, TEST_ADMIN.password)
  const edited = await api(uncached.url, `/api/categories/${post.categories[0].id}`, { method: 'PATCH', auth: otherAuth, body: { title } })
  expect(edited.status).toBe(200)
  expect((await read()).categories[0].title).toBe(title)
  expect(await body(cached.url, `/api/posts/${post.id}?depth=1`)).toBe(await body(uncached.url, `/api/posts/${post.id}?depth=1`))
})

test('a draft of a populated post reaches the editor who asks for drafts, and never a reader', async () => {
  const created = async (title: string, extra: Json = {}) => {
    const res = await api(cached.url, '/api/posts', {
      method: 'POST',
      auth: adminAuth,
      body: { title, content: richTextFromPlain(`${title}.`), _status: 'published', ...extra },
    })
    expect(res.status).toBe(201)
    return res.body.doc as Json
  }
  const related = await created('Populated, published')
  const post = await created('Populates a post with a draft', { relatedPosts: [related.id] })
  const relatedTitle = async (auth?: string, query = '') =>
    (JSON.parse(await body(cached.url, `/api/posts/${post.id}?depth=1${query}`, auth)) as Json).relatedPosts[0].title
  expect(await relatedTitle()).toBe('Populated, published')

  const draft = await api(cached.url, `/api/posts/${related.id}?draft=true`, { method: 'PATCH', auth: adminAuth, body: { title: 'Secret draft' } })
  expect(draft.status).toBe(200)
  expect(await relatedTitle(adminAuth, '&draft=true')).toBe('Secret draft')
  for (const auth of [undefined, keyAuth]) {
    expect(await relatedTitle(auth)).toBe('Populated, published')
    expect(await relatedTitle(auth, '&draft=true')).toBe('Populated, published')
  }
  const listed = await graphql(cached.url, `{ Post(id: ${post.id}) { relatedPosts { title } } }`)
  expect(JSON.stringify(listed.body)).not.toContain('Secret')
})
