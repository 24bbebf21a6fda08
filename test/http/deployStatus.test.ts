// POST /api/build-hooks/deploy-status on the production server: every answer checked against the
// OpenAPI spec by api(); the token works as a bearer token and as ?token= (for Netlify's and
// Vercel's outgoing webhooks), for an anonymous request; it never reaches the log.
import type { Json } from '../helpers/http'
import { api, login } from '../helpers/http'
import type { TestServer } from '../helpers/server'
import { startTestServer, TEST_ADMIN } from '../helpers/server'

let server: TestServer
let adminAuth: string
let token: string

const ROUTE = '/api/build-hooks/deploy-status'

const report = (body: unknown, { query, auth }: { query?: string; auth?: string } = {}) =>
  api(server.url, query ? `${ROUTE}?token=${encodeURIComponent(query)}` : ROUTE, { method: 'POST', body, auth })

beforeAll(async () => {
  // LOG_LEVEL=info: the request log line of every call is written, so the test can look for the token in it.
  server = await startTestServer({ env: { BUILD_HOOKS_ALLOW_PRIVATE_TARGETS: 'true', LOG_LEVEL: 'info' } })
  adminAuth = await login(server.url, TEST_ADMIN.email, TEST_ADMIN.password)
  const created = await api(server.url, '/api/build-hooks', {
    method: 'POST',
    auth: adminAuth,
    body: { name: 'Netlify site', url: 'http://127.0.0.1:9/hook', preset: 'netlify', collections: ['posts', 'pages'] },
  })
  expect(created.status).toBe(201)
  token = created.body.doc.deployToken
}, 180_000)

afterAll(async () => {
  await server?.stop()
})

test('a Netlify deploy notification with ?token=: building then ready update one row, answered with rate-limit headers', async () => {
  const deploy = { id: 'dep-1', site_id: 'site-1', build_id: 'b-1', deploy_ssl_url: 'https://dep-1--site.netlify.app', ssl_url: 'https://site.netlify.app' }
  const building = await report({ ...deploy, state: 'building' }, { query: token })
  expect(building.status).toBe(200)
  expect(building.headers.get('ratelimit-policy')).toBeTruthy()
  const ready = await report({ ...deploy, state: 'ready' }, { query: token })
  expect(ready.status).toBe(200)
  expect(ready.body.deploy).toMatchObject({ id: building.body.deploy.id, state: 'live', url: 'https://dep-1--site.netlify.app/' })
  const rows = await api(server.url, '/api/build-deploys?where[deployId][equals]=dep-1&depth=0', { auth: adminAuth })
  expect(rows.body.totalDocs).toBe(1)
})

test('a Vercel webhook and the generic body as a bearer token', async () => {
  const vercel = await report(
    { type: 'deployment.error', payload: { deployment: { id: 'dpl_1', url: 'site-x.vercel.app' } } },
    { auth: `Bearer ${token}` },
  )
  expect(vercel.body.deploy).toMatchObject({ state: 'failed', deployId: 'dpl_1', url: 'https://site-x.vercel.app/' })
  const generic = await report({ state: 'live', position: 12, deployId: 'ci-9' }, { auth: `Bearer ${token}` })
  expect(generic.body.deploy).toMatchObject({ state: 'live', position: 12 })
})

test.each<[string, { query?: string; auth?: string }]>([
  ['no token', {}],
  ['a wrong bearer token', { auth: 'Bearer gdt_not-a-token' }],
  ['a wrong ?token=', { query: 'gdt_not-a-token' }],
  ["an editor's session instead of the token", {}],
])('%s: 401', async (name, options) => {
  const answer = await report({ state: 'live' }, name.includes('session') ? { auth: adminAuth } : options)
  expect(answer.status).toBe(401)
  expect(answer.body).toEqual({ errors: [{ message: expect.stringContaining('deploy token') }] })
})

test.each<[string, unknown]>([
  ['an unknown shape', { hello: 'world' }],
  ['an unknown state', { state: 'finished' }],
  ['a body that is not an object', [1, 2]],
])('%s: 400', async (_, body) => {
  const answer = await report(body, { query: token })
  expect(answer.status).toBe(400)
  expect((answer.body as Json).errors[0].message).toEqual(expect.any(String))
})

test('the token is not written to the log', async () => {
  await report({ state: 'building', deployId: 'log-check' }, { query: token })
  // The request line is logged once the answer is sent.
  await new Promise((resolve) => setTimeout(resolve, 200))
  expect(server.output()).toContain('token=[redacted]')
  expect(server.output()).not.toContain(token)
})
