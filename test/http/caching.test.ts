// HTTP caching of the REST API (src/server/cache/httpCache.ts): validators and 304s, Cache-Control per
// reader, cache tags, and answers kept in process that a write on any instance retires; the same
// store for GraphQL queries.
import crypto from 'node:crypto'

import { richTextFromPlain } from '../../src/seed/lexical'
import type { Json } from '../helpers/http'
import { api, login } from '../helpers/http'
import { assertConformsToSpec } from '../helpers/openapi'
import type { TestServer } from '../helpers/server'
import { TEST_ADMIN, startTestServer } from '../helpers/server'

/** Headers that differ between any two answers: each request has its own id, date and rate-limit count. */
const UNSTABLE = new Set(['date', 'ratelimit', 'cache-status', 'keep-alive', 'connection', 'x-request-id'])
const stableHeaders = (res: Response) => {
  expect(res.headers.get('x-request-id')).toMatch(/^[\w.:@-]{1,128}$/)
  return new Map([...res.headers].filter(([name]) => !UNSTABLE.has(name)))
}

const PUBLIC_CACHE_CONTROL = 'public, max-age=0, s-maxage=120, stale-while-revalidate=600'
const LIST = '/api/posts?limit=3&depth=1'
/** A front end on another origin, allowed by CORS. */
const SITE_ORIGIN = 'https://site.example'

let server: TestServer
let url: string
let adminAuth: string

beforeAll(async () => {
  server = await startTestServer({
    seed: true,
    env: { API_CACHE_CONTROL: PUBLIC_CACHE_CONTROL, CORS_ORIGINS: SITE_ORIGIN },
  })
  url = server.url
  adminAuth = await login(url, TEST_ADMIN.email, TEST_ADMIN.password)
}, 120_000)

afterAll(async () => {
  await server?.stop()
})

/** A GET whose answer (304s and headers included) is checked against the OpenAPI document; the body stays unread. */
const get = async (path: string, headers: Record<string, string> = {}, base = url) => {
  const res = await fetch(`${base}${path}`, { headers })
  const text = await res.clone().text()
  await assertConformsToSpec(base, {
    method: 'GET',
    url: `${base}${path}`,
    status: res.status,
    contentType: res.headers.get('content-type'),
    text,
  })
  return res
}

/** Last-Modified is only sent once the second of the last change is over. */
const waitForNextSecond = () => new Promise((resolve) => setTimeout(resolve, 1100 - (Date.now() % 1000)))

const firstPost = async () => (await api(url, '/api/posts?limit=1&depth=0')).body.docs[0] as Json

describe('anonymous reads', () => {
  test('carry a strong ETag, Cache-Control from the environment, Vary and the tags of every document shown', async () => {
    const res = await get(LIST)
    expect(res.status).toBe(200)
    const body = await res.json()
    expect(res.headers.get('etag')).toMatch(/^"[0-9a-f]+-[\w+/]{27}"$/)
    expect(res.headers.get('cache-control')).toBe(PUBLIC_CACHE_CONTROL)
    expect(res.headers.get('vary')).toMatch(/Authorization/)
    const tags = res.headers.get('cache-tag')!.split(',')
    expect(res.headers.get('surrogate-key')!.split(' ')).toEqual(tags)
    expect(tags).toContain('posts')
    for (const doc of body.docs) {
      expect(tags).toContain(`posts:${doc.id}`)
      if (doc.heroImage) expect(tags).toContain(`media:${doc.heroImage.id}`)
      for (const category of doc.categories) expect(tags).toContain(`categories:${category.id}`)
      for (const author of doc.populatedAuthors) expect(tags).toContain(`users:${author.id}`)
    }
    // Besides the listed posts, only the related posts populated into them.
    const shown = new Set(
      body.docs.flatMap((doc: Json) => [doc.id, ...doc.relatedPosts.map((related: Json) => related.id)]),
    )
    // (In the order Payload read them, which is not the order of the answer.)
    expect(tags.filter((tag) => tag.startsWith('posts:')).sort()).toEqual([...shown].map((id) => `posts:${id}`).sort())
  })

  test('a single document and a global are tagged by themselves', async () => {
    const post = await firstPost()
    const one = await get(`/api/posts/${post.id}?depth=0`)
    // Its authors' names are shown (populatedAuthors) even at depth 0; other references are bare ids.
    const authors = (await one.json()).populatedAuthors.map((author: Json) => `users:${author.id}`)
    expect(one.headers.get('cache-tag')!.split(',')).toEqual([`posts:${post.id}`, ...authors])
    const header = await get('/api/globals/header')
    expect(header.status).toBe(200)
    expect(header.headers.get('cache-tag')!.split(',')[0]).toBe('global:header')
  })

  test('answer If-None-Match with 304 and no body, and the same validators', async () => {
    const first = await get(LIST)
    const etag = first.headers.get('etag')!
    const again = await get(LIST, { 'if-none-match': etag })
    expect(again.status).toBe(304)
    expect(await again.text()).toBe('')
    expect(again.headers.get('etag')).toBe(etag)
    expect(again.headers.get('cache-control')).toBe(PUBLIC_CACHE_CONTROL)
    expect((await get(LIST, { 'if-none-match': `"other", W/${etag}` })).status).toBe(304)
    expect((await get(LIST, { 'if-none-match': '"other"' })).status).toBe(200)
    expect((await fetch(`${url}${LIST}`, { method: 'HEAD', headers: { 'if-none-match': etag } })).status).toBe(304)
  })

  test('answer If-Modified-Since with 304 once the last change is a second old', async () => {
    await waitForNextSecond()
    const first = await get(LIST)
    const lastModified = first.headers.get('last-modified')!
    expect(new Date(lastModified).getTime()).toBeLessThanOrEqual(Date.now())
    expect((await get(LIST, { 'if-modified-since': lastModified })).status).toBe(304)
    const earlier = new Date(new Date(lastModified).getTime() - 1000).toUTCString()
    expect((await get(LIST, { 'if-modified-since': earlier })).status).toBe(200)
    // If-None-Match decides when both are sent.
    expect((await get(LIST, { 'if-modified-since': lastModified, 'if-none-match': '"other"' })).status).toBe(200)
  })

  test('of drafts are private and never stored', async () => {
    const res = await get('/api/posts?draft=true&limit=1')
    expect(res.status).toBe(200)
    expect(res.headers.get('cache-control')).toBe('private, no-store')
    expect(res.headers.get('etag')).toBeNull()
  })
})

describe('answers from the store', () => {
  /** What may differ between two answers to one request: the time, the rate-limit count, the cache status. */

  test("carry every header and byte of Payload's own answer, security headers and the rate limit included", async () => {
    // Through a proxy (loopback is trusted) that speaks HTTPS to the client, from a page's origin.
    const headers = { 'x-forwarded-proto': 'https', origin: SITE_ORIGIN }
    const path = '/api/posts?limit=2&depth=0&sort=title'
    const made = await get(path, headers)
    const stored = await get(path, headers)
    expect(made.headers.get('cache-status')).toBe('greenroom; fwd=miss')
    expect(stored.headers.get('cache-status')).toBe('greenroom; hit')
    expect(stableHeaders(stored)).toEqual(stableHeaders(made))
    expect(await stored.text()).toBe(await made.text())
    expect(stored.headers.get('strict-transport-security')).toMatch(/^max-age=/)
    expect(stored.headers.get('content-security-policy')).toMatch(/^default-src 'none'/)
    expect(stored.headers.get('access-control-allow-origin')).toBe(SITE_ORIGIN)
    expect(stored.headers.get('ratelimit')).toMatch(/^"per-ip"; r=\d+; t=\d+$/)

    const revalidated = await get(path, { ...headers, 'if-none-match': made.headers.get('etag')! })
    expect(revalidated.status).toBe(304)
    expect(revalidated.headers.get('cache-status')).toBe('greenroom; hit')
    expect(revalidated.headers.get('strict-transport-security')).toMatch(/^max-age=/)
  })

  test('are kept apart by Origin, Host and reader, and HEAD gets the headers without the body', async () => {
    const path = '/api/posts?limit=1&depth=0&sort=-title'
    await get(path)
    expect((await get(path, { origin: SITE_ORIGIN })).headers.get('cache-status')).toBe('greenroom; fwd=miss')
    const head = await fetch(`${url}${path}`, { method: 'HEAD' })
    expect(head.headers.get('cache-status')).toBe('greenroom; hit')
    expect(Number(head.headers.get('content-length'))).toBeGreaterThan(0)
    expect(await head.text()).toBe('')
  })
})

describe('signed-in and API-key reads', () => {
  test('a session gets private, no-store and no validators', async () => {
    const res = await get(LIST, { authorization: adminAuth })
    expect(res.status).toBe(200)
    expect(res.headers.get('cache-control')).toBe('private, no-store')
    expect(res.headers.get('etag')).toBeNull()
    const me = await api(url, '/api/users/me', { auth: adminAuth })
    expect(me.headers.get('cache-control')).toBe('private, no-store')
  })

  test('a session cookie counts as signed in', async () => {
    const token = adminAuth.replace(/^JWT /, '')
    const res = await get(LIST, { cookie: `theme=dark; payload-token=${token}` })
    expect(res.headers.get('cache-control')).toBe('private, no-store')
  })

  test('an API key gets validators, 304s and a private answer no shared cache keeps', async () => {
    const me = await api(url, '/api/users/me', { auth: adminAuth })
    const key = crypto.randomUUID()
    const enabled = await api(url, `/api/users/${me.body.user.id}`, {
      method: 'PATCH',
      auth: adminAuth,
      body: { enableAPIKey: true, apiKey: key },
    })
    expect(enabled.status).toBe(200)
    const auth = `users API-Key ${key}`
    const res = await get('/api/posts?limit=20&depth=0', { authorization: auth })
    expect(res.status).toBe(200)
    expect(res.headers.get('cache-control')).toBe('private, no-cache')
    const etag = res.headers.get('etag')!
    expect((await get('/api/posts?limit=20&depth=0', { authorization: auth, 'if-none-match': etag })).status).toBe(304)
    // Answers are stored per reader: a key never gets the anonymous answer stored before it (API keys
    // may not read users, see api.test.ts).
    expect((await api(url, '/api/users/me')).status).toBe(200)
    const keyedMe = await api(url, '/api/users/me', { auth })
    expect(keyedMe.status).toBe(403)
    expect((await api(url, '/api/users/me')).status).toBe(200)
  })
})

describe('writes', () => {
  test('retire the stored answers at once: the next read has the change and a new ETag', async () => {
    const post = await firstPost()
    const before = await get(`/api/posts/${post.id}?depth=0`)
    const etag = before.headers.get('etag')!
    expect((await get(`/api/posts/${post.id}?depth=0`, { 'if-none-match': etag })).status).toBe(304)

    const title = `Retitled ${crypto.randomUUID()}`
    const updated = await api(url, `/api/posts/${post.id}`, { method: 'PATCH', auth: adminAuth, body: { title } })
    expect(updated.status).toBe(200)
    expect(updated.headers.get('cache-control')).toBe('private, no-store')

    const after = await get(`/api/posts/${post.id}?depth=0`, { 'if-none-match': etag })
    expect(after.status).toBe(200)
    expect((await after.json()).title).toBe(title)
    expect(after.headers.get('etag')).not.toBe(etag)
    const list = await (await get(LIST)).json()
    expect(list.docs.map((doc: Json) => doc.title)).toContain(title)
  })

  test('a draft saved over a draft leaves the stored answers alone; publishing retires them', async () => {
    const created = await api(url, '/api/posts?draft=true', {
      method: 'POST',
      auth: adminAuth,
      body: {
        title: `Unpublished ${crypto.randomUUID()}`,
        _status: 'draft',
        content: { root: { type: 'root', children: [], direction: null, format: '', indent: 0, version: 1 } },
      },
    })
    expect(created.status).toBe(201)
    const etag = (await get(LIST)).headers.get('etag')!
    const saved = await api(url, `/api/posts/${created.body.doc.id}?draft=true`, {
      method: 'PATCH',
      auth: adminAuth,
      body: { title: 'Still a draft' },
    })
    expect(saved.status).toBe(200)
    expect((await get(LIST, { 'if-none-match': etag })).status).toBe(304)

    const published = await api(url, `/api/posts/${created.body.doc.id}`, {
      method: 'PATCH',
      auth: adminAuth,
      body: { _status: 'published', content: richTextFromPlain('Now it is.') },
    })
    expect(published.status).toBe(200)
    const after = await get(LIST, { 'if-none-match': etag })
    expect(after.status).toBe(200)
    expect((await after.json()).docs[0].id).toBe(created.body.doc.id)
  })
})

describe('GraphQL queries', () => {
  const TITLES = '{ Posts(limit: 3, sort: "-publishedAt") { docs { id title } } }'
  const ask = (query: string, headers: Record<string, string> = {}, path = '/api/graphql') =>
    api(url, path, { method: 'POST', body: { query }, headers })

  test('an anonymous query is answered from the store until a write, and stays private on the wire', async () => {
    const made = await ask(TITLES)
    const stored = await ask(TITLES)
    expect(made.headers.get('cache-status')).toBe('greenroom; fwd=miss')
    expect(stored.headers.get('cache-status')).toBe('greenroom; hit')
    expect(stored.body).toEqual(made.body)
    expect(stored.headers.get('content-type')).toBe(made.headers.get('content-type'))
    for (const res of [made, stored]) {
      expect(res.headers.get('cache-control')).toBe('private, no-store')
      expect(res.headers.get('etag')).toBeNull()
    }

    const [first] = made.body.data.Posts.docs
    const title = `GraphQL sees this ${crypto.randomUUID()}`
    expect(
      (await api(url, `/api/posts/${first.id}`, { method: 'PATCH', auth: adminAuth, body: { title } })).status,
    ).toBe(200)
    const after = await ask(TITLES)
    expect(after.headers.get('cache-status')).toBe('greenroom; fwd=miss')
    expect(after.body.data.Posts.docs[0]).toEqual({ id: first.id, title })
  })

  test("a stored answer, sent before express, carries every header and byte of Payload's own", async () => {
    const post = () =>
      fetch(`${url}/api/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-forwarded-proto': 'https', origin: SITE_ORIGIN },
        body: JSON.stringify({ query: '{ Posts(limit: 2, sort: "-title") { docs { id slug } } }' }),
      })
    const made = await post()
    const stored = await post()
    expect(made.headers.get('cache-status')).toBe('greenroom; fwd=miss')
    expect(stored.headers.get('cache-status')).toBe('greenroom; hit')
    expect(stableHeaders(stored)).toEqual(stableHeaders(made))
    expect(await stored.text()).toBe(await made.text())
    expect(stored.headers.get('strict-transport-security')).toMatch(/^max-age=/)
    expect(stored.headers.get('access-control-allow-origin')).toBe(SITE_ORIGIN)
    expect(stored.headers.get('ratelimit')).toMatch(/^"per-ip"; r=\d+; t=\d+$/)
  })

  test('a body the lane read and passed on reaches Payload whole', async () => {
    // Read in front of express to look the answer up, not stored (a mutation), so express and Payload take it on.
    const res = await api(url, '/api/graphql', {
      method: 'POST',
      body: { query: 'mutation ($title: String!) { createCategory(data: { title: $title }) { id } }', variables: { title: 'x' } },
    })
    expect(res.headers.get('cache-status')).toBeNull()
    expect(res.body.errors[0].message).toMatch(/not allowed/i)
    const malformed = await fetch(`${url}/api/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"query": ',
    })
    expect(malformed.status).toBe(400)
    expect((await malformed.json()).errors[0].message).toEqual(expect.any(String))
  })

  test('answers are kept apart by locale, Accept and reader', async () => {
    const query = '{ Posts(limit: 1, sort: "title") { docs { title } } }'
    await ask(query)
    expect((await ask(query)).headers.get('cache-status')).toBe('greenroom; hit')
    expect((await ask(query, {}, '/api/graphql?locale=de')).headers.get('cache-status')).toBe('greenroom; fwd=miss')
    const typed = await ask(query, { accept: 'application/graphql-response+json' })
    expect(typed.headers.get('cache-status')).toBe('greenroom; fwd=miss')
    const signedIn = await api(url, '/api/graphql', { method: 'POST', body: { query }, auth: adminAuth })
    expect(signedIn.status).toBe(200)
    expect(signedIn.headers.get('cache-status')).toBeNull()
    expect(signedIn.headers.get('cache-control')).toBe('private, no-store')
  })

  test('mutations, drafts and answers with errors are never stored', async () => {
    const mutation = 'mutation { createCategory(data: { title: "Not for readers" }) { id } }'
    const drafts = '{ Posts(limit: 1, draft: true) { docs { title } } }'
    const failing = '{ Users { docs { email } } }'
    for (const query of [mutation, drafts, failing]) {
      const answers = [await ask(query), await ask(query)]
      for (const res of answers) expect([query, res.headers.get('cache-status')]).toEqual([query, null])
    }
    expect((await ask(mutation)).body.errors[0].message).toMatch(/not allowed/i)
    expect((await ask(failing)).body.errors).toBeDefined()
  })
})

describe('several instances on one database', () => {
  let second: TestServer | undefined

  afterAll(async () => {
    await second?.stop()
  })

  test('a write through one retires what the other has stored', async () => {
    second = await startTestServer({ seed: false, databaseUri: server.databaseUri })
    const post = await firstPost()
    const path = `/api/posts/${post.id}?depth=0`
    const etag = (await get(path, {}, second.url)).headers.get('etag')!
    expect((await get(path, { 'if-none-match': etag }, second.url)).status).toBe(304)

    const title = `Changed on the first ${crypto.randomUUID()}`
    expect(
      (await api(url, `/api/posts/${post.id}`, { method: 'PATCH', auth: adminAuth, body: { title } })).status,
    ).toBe(200)

    const after = await get(path, { 'if-none-match': etag }, second.url)
    expect(after.status).toBe(200)
    expect((await after.json()).title).toBe(title)
  }, 120_000)
})
