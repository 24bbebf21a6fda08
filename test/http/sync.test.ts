// `GET /api/sync` on the production server, every answer checked against the OpenAPI document
// (api() and `get` below): anonymous and API-key access, the public's view for an editor, HTTP
// caching through the response store (ETag, 304, Cache-Control per reader), a delta after an edit,
// immutable past delta pages,
// and the 400 and 410 answers.
import crypto from 'node:crypto'

import type { Json } from '../helpers/http'
import { api, login } from '../helpers/http'
import { assertConformsToSpec } from '../helpers/openapi'
import type { TestServer } from '../helpers/server'
import { TEST_ADMIN, startTestServer } from '../helpers/server'

let server: TestServer
let url: string
let adminAuth: string
let keyAuth: string

beforeAll(async () => {
  server = await startTestServer({ seed: true })
  url = server.url
  adminAuth = await login(url, TEST_ADMIN.email, TEST_ADMIN.password)
  const adminId = (await api(url, '/api/users/me', { auth: adminAuth })).body.user.id
  const key = crypto.randomUUID()
  const enabled = await api(url, `/api/users/${adminId}`, { method: 'PATCH', auth: adminAuth, body: { enableAPIKey: true, apiKey: key } })
  expect(enabled.status).toBe(200)
  keyAuth = `users API-Key ${key}`
}, 120_000)

afterAll(async () => {
  await server?.stop()
})

/** A GET checked against the spec, 304s included, with its headers. */
const get = async (path: string, headers: Record<string, string> = {}) => {
  const res = await fetch(`${url}${path}`, { headers })
  const text = await res.text()
  await assertConformsToSpec(url, { method: 'GET', url: `${url}${path}`, status: res.status, contentType: res.headers.get('content-type'), text })
  return { status: res.status, headers: res.headers, body: text ? (JSON.parse(text) as Json) : {} }
}

const syncAll = async (query: string, auth?: string, cursor?: string) => {
  const changes: Json[] = []
  for (;;) {
    const res = await api(url, `/api/sync?${query}${cursor ? `&cursor=${cursor}` : ''}`, { auth })
    expect(res.status).toBe(200)
    changes.push(...res.body.changes)
    cursor = res.body.nextCursor
    if (!res.body.hasMore) return { changes, cursor: cursor!, headers: res.headers }
  }
}

const publishedPostIds = async () =>
  (await api(url, '/api/posts?limit=100&depth=0&select[title]=true')).body.docs.map((doc: Json) => doc.id).sort()

test('anonymously and with an API key: every published document and the globals, the same for both', async () => {
  const anonymous = await syncAll('limit=3&depth=1')
  const withKey = await syncAll('limit=3&depth=1', keyAuth)
  expect(withKey.changes).toEqual(anonymous.changes)
  const posts = anonymous.changes.filter((change) => change.collection === 'posts').map((change) => change.id).sort()
  expect(posts).toEqual(await publishedPostIds())
  expect(anonymous.changes.filter((change) => change.global).map((change) => change.global)).toEqual(['header', 'footer', 'site-settings'])
  expect(new Set(anonymous.changes.map((change) => change.collection ?? 'global'))).toEqual(
    new Set(['posts', 'pages', 'categories', 'media', 'forms', 'global']),
  )
})

test('an editor gets the public view: drafts never', async () => {
  const editor = await syncAll('collections=posts,pages&globals=', adminAuth)
  const anonymous = await syncAll('collections=posts,pages&globals=')
  expect(editor.changes).toEqual(anonymous.changes)
  for (const change of editor.changes) expect(change.doc._status).toBe('published')
})

test('answers are cached like other reads: public or private Cache-Control, ETag, 304, kept in the response store', async () => {
  const path = '/api/sync?collections=categories&globals=header&limit=2'
  const first = await get(path)
  expect(first.status).toBe(200)
  // Not the minute a CDN may keep other reads: a build right after a change must not get the answer from before it.
  expect(first.headers.get('cache-control')).toBe('public, no-cache')
  expect((await get('/api/categories?limit=1')).headers.get('cache-control')).toMatch(/s-maxage/)
  const etag = first.headers.get('etag')!
  expect(etag).toMatch(/^"[0-9a-f]+-[\w+/]{27}"$/)
  const again = await get(path)
  expect(again.headers.get('cache-status')).toBe('greenroom; hit')
  expect(again.headers.get('etag')).toBe(etag)
  expect((await get(path, { 'if-none-match': etag })).status).toBe(304)

  const withKey = await get(path, { authorization: keyAuth })
  expect(withKey.headers.get('cache-control')).toBe('private, no-cache')
  expect((await get(path, { authorization: keyAuth, 'if-none-match': withKey.headers.get('etag')! })).status).toBe(304)
  expect((await get(path, { authorization: adminAuth })).headers.get('cache-control')).toBe('private, no-store')
})

test('after an edit, the delta from the last cursor carries the post as it is now, once', async () => {
  const { cursor } = await syncAll('collections=posts&globals=&depth=0', keyAuth)
  const postId = (await publishedPostIds())[0]
  const edited = await api(url, `/api/posts/${postId}`, { method: 'PATCH', auth: adminAuth, body: { title: 'Edited for the sync test' } })
  expect(edited.status).toBe(200)
  const delta = await syncAll('collections=posts&globals=&depth=0', keyAuth, cursor)
  expect(delta.changes).toEqual([
    expect.objectContaining({ op: 'upsert', collection: 'posts', id: postId, doc: expect.objectContaining({ title: 'Edited for the sync test' }) }),
  ])
  const quiet = await api(url, `/api/sync?collections=posts&globals=&cursor=${delta.cursor}`)
  expect(quiet.body).toMatchObject({ mode: 'delta', changes: [], hasMore: false, nextCursor: delta.cursor })
})

test('a delta page that moves the cursor is immutable; the page at the head is revalidated', async () => {
  const query = 'collections=posts&globals=&depth=0&select[title]=true'
  const { cursor: start } = await syncAll(query)
  const postId = (await publishedPostIds())[1]
  const edit = async (title: string) =>
    expect((await api(url, `/api/posts/${postId}`, { method: 'PATCH', auth: adminAuth, body: { title } })).status).toBe(200)

  const atHead = await get(`/api/sync?${query}&cursor=${start}`)
  expect(atHead.body.changes).toEqual([])
  expect(atHead.headers.get('cache-control')).toBe('public, no-cache')

  await edit('First edit after the cursor')
  const page = await get(`/api/sync?${query}&cursor=${start}`)
  expect(page.headers.get('cache-control')).toBe('public, max-age=31536000, immutable')
  expect((await get(`/api/sync?${query}&cursor=${start}`, { authorization: keyAuth })).headers.get('cache-control')).toBe(
    'private, max-age=31536000, immutable',
  )
  expect(page.body.changes).toEqual([expect.objectContaining({ id: postId, doc: expect.objectContaining({ title: 'First edit after the cursor' }) })])

  // A cache that kept the page hands it out after the next edit too: applying it and then following
  // its nextCursor still ends at the document as it is now.
  await edit('Second edit after the cursor')
  const titles = new Map<number, string>()
  for (const change of page.body.changes) titles.set(change.id, change.doc.title)
  const rest = await syncAll(query, undefined, page.body.nextCursor)
  for (const change of rest.changes) titles.set(change.id, change.doc.title)
  expect(titles.get(postId)).toBe('Second edit after the cursor')
  expect((await get(`/api/sync?${query}&cursor=${rest.cursor}`)).headers.get('cache-control')).toBe('public, no-cache')
})

test('a malformed cursor or an unknown collection is a 400, a cursor the log does not have a 410', async () => {
  for (const query of ['cursor=garbage', 'collections=users', 'globals=nope', 'limit=1000', 'depth=99']) {
    const res = await api(url, `/api/sync?${query}`)
    expect(res.status).toBe(400)
    expect(res.body.errors[0].message).toEqual(expect.any(String))
  }
  const { nextCursor } = (await api(url, '/api/sync?collections=categories&globals=')).body
  const wire = JSON.parse(Buffer.from(nextCursor, 'base64url').toString())
  const future = Buffer.from(JSON.stringify({ ...wire, p: 10_000_000 })).toString('base64url')
  const gone = await api(url, `/api/sync?cursor=${future}`)
  expect(gone.status).toBe(410)
  expect(gone.body.errors[0].message).toMatch(/sync from scratch/)
})
