// Express hands /api/* straight to Payload's handlers (src/server/payloadApi.ts): what goes through
// that path besides plain JSON reads, which the rest of the HTTP suite covers.
import sharp from 'sharp'

import { api, login, servedAt } from '../helpers/http'
import type { TestServer } from '../helpers/server'
import { TEST_ADMIN, startTestServer } from '../helpers/server'

const SITE = 'https://site.example'

let server: TestServer
let url: string
let adminAuth: string

beforeAll(async () => {
  server = await startTestServer({ seed: true, env: { CORS_ORIGINS: SITE } })
  url = server.url
  adminAuth = await login(url, TEST_ADMIN.email, TEST_ADMIN.password)
}, 120_000)

afterAll(async () => {
  await server?.stop()
})

test('answers REST reads without going through Next', async () => {
  const res = await fetch(`${url}/api/posts?limit=1`)
  expect(res.status).toBe(200)
  // Next's router adds these to everything it renders.
  expect(res.headers.get('vary') ?? '').not.toMatch(/rsc|next-router/i)
  expect((await res.json()).docs).toHaveLength(1)
})

test('answers HEAD as the GET it stands for, without a body', async () => {
  const get = await fetch(`${url}/api/posts?limit=1`)
  const head = await fetch(`${url}/api/posts?limit=1`, { method: 'HEAD' })
  expect(head.status).toBe(200)
  expect(head.headers.get('content-type')).toBe(get.headers.get('content-type'))
  expect(await head.text()).toBe('')
})

test('sends every cookie a login sets', async () => {
  const res = await fetch(`${url}/api/users/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(TEST_ADMIN),
  })
  expect(res.status).toBe(200)
  expect(res.headers.getSetCookie().some((cookie) => cookie.startsWith('payload-token='))).toBe(true)
})

test('streams a multipart upload through to Payload and sharp', async () => {
  const png = await sharp({ create: { width: 64, height: 48, channels: 3, background: '#2a7' } })
    .png()
    .toBuffer()
  const form = new FormData()
  form.append('file', new Blob([png], { type: 'image/png' }), 'fast-path.png')
  form.append('_payload', JSON.stringify({ alt: 'A green rectangle' }))
  const res = await fetch(`${url}/api/media`, { method: 'POST', headers: { authorization: adminAuth }, body: form })
  const body = await res.json()
  expect(res.status).toBe(201)
  expect(body.doc).toMatchObject({ alt: 'A green rectangle', width: 64, height: 48, mimeType: 'image/png' })
  const file = await fetch(servedAt(url, body.doc.url))
  expect(file.status).toBe(200)
  expect(file.headers.get('content-type')).toBe('image/png')
  expect(Buffer.from(await file.arrayBuffer()).equals(png)).toBe(true)
  expect((await api(url, `/api/media/${body.doc.id}`, { method: 'DELETE', auth: adminAuth })).status).toBe(200)
})

test('answers a CORS preflight from an allowed origin', async () => {
  const res = await fetch(`${url}/api/posts`, {
    method: 'OPTIONS',
    headers: { origin: SITE, 'access-control-request-method': 'GET' },
  })
  expect(res.status).toBe(200)
  expect(res.headers.get('access-control-allow-origin')).toBe(SITE)
})

test('tells a GraphQL client that sends GET to POST instead', async () => {
  const res = await api(url, '/api/graphql?query={__typename}')
  expect(res.status).toBe(405)
  expect(res.headers.get('allow')).toBe('POST, OPTIONS')
  expect(res.body.errors[0].message).toMatch(/takes POST requests/)
})

test('answers an unknown API route with 404 and a message', async () => {
  // Not through api(): no spec lists a route that does not exist.
  const res = await fetch(`${url}/api/no-such-thing`)
  expect(res.status).toBe(404)
  // Payload answers an unknown route as { message }; clients get the error shape of every other 4xx.
  expect((await res.json()).errors[0].message).toBe('Route not found "/api/no-such-thing"')
})

test('answers 404 with a message for the versions of what keeps none and for email verification, which is off', async () => {
  // Payload registers these routes everywhere and answers them with a 500 where the feature is off.
  const cases: [string, string, string][] = [
    ['GET', '/api/categories/versions', 'The collection "categories" keeps no versions.'],
    ['GET', '/api/categories/versions/1', 'The collection "categories" keeps no versions.'],
    ['POST', '/api/categories/versions/1', 'The collection "categories" keeps no versions.'],
    ['POST', '/api/users/verify/some-token', 'Email verification is off for "users".'],
  ]
  for (const [method, path, message] of cases) {
    const res = await fetch(`${url}${path}`, { method, headers: { authorization: adminAuth } })
    expect([method, path, res.status]).toEqual([method, path, 404])
    expect((await res.json()).errors[0].message).toBe(message)
  }
  // Where there are versions, the routes are Payload's.
  expect((await api(url, '/api/posts/versions?limit=1', { auth: adminAuth })).status).toBe(200)
  expect((await api(url, '/api/globals/header/versions?limit=1', { auth: adminAuth })).status).toBe(200)
})
