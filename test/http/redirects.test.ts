// The redirect exports builds read (GET /api/redirects/export/netlify and /export/json) on the
// production server, every answer checked against the OpenAPI document by api(): what editors'
// moves leave behind, followed to where it lands, never a draft; HTTP caching like every public read;
// and a loop made through the REST API refused with a 400 in Payload's error shape.
import type { ApiResponse } from '../helpers/http'
import { api, login } from '../helpers/http'
import type { TestServer } from '../helpers/server'
import { TEST_ADMIN, startTestServer } from '../helpers/server'
import { richTextFromPlain } from '../../src/seed/lexical'

let server: TestServer
let url: string
let adminAuth: string

beforeAll(async () => {
  server = await startTestServer()
  url = server.url
  adminAuth = await login(url, TEST_ADMIN.email, TEST_ADMIN.password)
}, 180_000)

afterAll(async () => {
  await server?.stop()
})

const NETLIFY = '/api/redirects/export/netlify'
const JSON_MAP = '/api/redirects/export/json'

const createPost = async (slug: string, status: 'published' | 'draft') => {
  const created = await api(url, `/api/posts${status === 'draft' ? '?draft=true' : ''}`, {
    method: 'POST',
    auth: adminAuth,
    body: { title: `Post ${slug}`, slug, content: richTextFromPlain(`About ${slug}.`), _status: status },
  })
  expect(created.status).toBe(201)
  return created.body.doc as { id: number }
}

const editPost = async (id: number, body: Record<string, unknown>, draft = false) => {
  const edited = await api(url, `/api/posts/${id}${draft ? '?draft=true' : ''}`, { method: 'PATCH', auth: adminAuth, body })
  expect(edited.status).toBe(200)
}

const createRedirect = (body: Record<string, unknown>) =>
  api(url, '/api/redirects', { method: 'POST', auth: adminAuth, body: { type: '302', ...body } })

/** Netlify's format, read line by line as Netlify reads it: `from to status`, whitespace-separated. */
const parseNetlify = (text: string) =>
  text
    .split('\n')
    .filter((line) => line.trim() !== '' && !line.startsWith('#'))
    .map((line) => {
      const parts = line.trim().split(/\s+/)
      expect(parts).toHaveLength(3)
      const [from, to, status] = parts
      expect(from).toMatch(/^\//)
      expect(to).toMatch(/^(\/|https?:\/\/)/)
      expect(status).toMatch(/^(301|302|307|308)$/)
      return { from, to, status: Number(status) }
    })

const rawText = (answer: ApiResponse) => (typeof answer.body.raw === 'string' ? answer.body.raw : '')

let draftOnlyId: number

beforeAll(async () => {
  // Moved while published, twice: two old addresses.
  const moved = await createPost('http-moved-a', 'published')
  await editPost(moved.id, { slug: 'http-moved-b', _status: 'published' })
  await editPost(moved.id, { slug: 'http-moved-c', _status: 'published' })
  // Renamed in a draft only: readers still find it at its published address, and no redirect says otherwise.
  const drafted = await createPost('http-drafted', 'published')
  await editPost(drafted.id, { slug: 'http-drafted-secret-new-name' }, true)
  // A document readers cannot see, named by a hand-made redirect.
  draftOnlyId = (await createPost('http-draft-only-secret', 'draft')).id
  expect((await createRedirect({ from: '/to-a-draft', to: { type: 'reference', reference: { relationTo: 'posts', value: draftOnlyId } } })).status).toBe(201)
  // Custom targets: on another site, and on this one.
  expect((await createRedirect({ from: '/elsewhere', to: { type: 'custom', url: 'https://example.org/x?y=1' } })).status).toBe(201)
  expect((await createRedirect({ from: '/shortcut', to: { type: 'custom', url: '/posts/http-moved-a' }, type: '307' })).status).toBe(201)
}, 120_000)

test('Netlify _redirects: one line per redirect, each followed to where it lands', async () => {
  const answer = await api(url, NETLIFY)
  expect(answer.status).toBe(200)
  expect(answer.headers.get('content-type')).toMatch(/^text\/plain; charset=utf-8/)
  const lines = parseNetlify(rawText(answer))
  expect(lines).toEqual(
    expect.arrayContaining([
      { from: '/posts/http-moved-a', to: '/posts/http-moved-c', status: 301 },
      { from: '/posts/http-moved-b', to: '/posts/http-moved-c', status: 301 },
      { from: '/de/posts/http-moved-a', to: '/de/posts/http-moved-c', status: 301 },
      { from: '/elsewhere', to: 'https://example.org/x?y=1', status: 302 },
      // /shortcut named the address that moved: it goes straight to the newest one.
      { from: '/shortcut', to: '/posts/http-moved-c', status: 307 },
    ]),
  )
  expect(lines.map(({ from }) => from)).toEqual([...lines.map(({ from }) => from)].sort())
})

test('the JSON map says the same as the Netlify file', async () => {
  const [netlify, map] = [await api(url, NETLIFY), await api(url, JSON_MAP)]
  expect(map.status).toBe(200)
  expect(map.body).toEqual(Object.fromEntries(parseNetlify(rawText(netlify)).map(({ from, to, status }) => [from, { to, status }])))
  expect(map.body['/posts/http-moved-a']).toEqual({ to: '/posts/http-moved-c', status: 301 })
})

test('no draft reaches either export, for anyone', async () => {
  const keyless = [await api(url, NETLIFY), await api(url, JSON_MAP)]
  const asEditor = [await api(url, NETLIFY, { auth: adminAuth }), await api(url, JSON_MAP, { auth: adminAuth })]
  for (const answer of [...keyless, ...asEditor]) {
    const text = rawText(answer) || JSON.stringify(answer.body)
    expect(text).not.toContain('secret')
    expect(text).not.toContain('/to-a-draft')
    expect(text).not.toContain('http-drafted')
  }
  expect(rawText(asEditor[0])).toBe(rawText(keyless[0]))
})

test('cached like every public read: ETag, 304, kept until the content changes', async () => {
  const first = await api(url, NETLIFY)
  const etag = first.headers.get('etag')
  expect(etag).toBeTruthy()
  expect(first.headers.get('cache-control')).toBe('public, no-cache')
  const again = await api(url, NETLIFY)
  expect(again.headers.get('cache-status')).toBe('greenroom; hit')
  expect((await api(url, NETLIFY, { headers: { 'If-None-Match': etag! } })).status).toBe(304)

  // Publishing the draft rename is a change: a new answer, with the new redirect.
  const drafted = (await api(url, '/api/posts?where[slug][equals]=http-drafted&depth=0')).body.docs[0]
  await editPost(drafted.id, { _status: 'published' })
  const after = await api(url, NETLIFY, { headers: { 'If-None-Match': etag! } })
  expect(after.status).toBe(200)
  expect(parseNetlify(rawText(after))).toContainEqual({ from: '/posts/http-drafted', to: '/posts/http-drafted-secret-new-name', status: 301 })
})

test('a loop made through the API is a 400 in the error shape, and so is a source that is not a path', async () => {
  expect((await createRedirect({ from: '/http-loop-a', to: { type: 'custom', url: '/http-loop-b' } })).status).toBe(201)
  const loop = await createRedirect({ from: '/http-loop-b', to: { type: 'custom', url: '/http-loop-a' } })
  expect(loop.status).toBe(400)
  expect(loop.body.errors[0].message).toEqual(expect.any(String))
  expect(JSON.stringify(loop.body)).toContain('/http-loop-b → /http-loop-a → /http-loop-b')
  const url400 = await createRedirect({ from: 'https://example.org/old', to: { type: 'custom', url: '/x' } })
  expect(url400.status).toBe(400)
})
