// An answer made for someone signed in must never reach anyone else through the response store, and a
// request that carries anything that could sign someone in must never get a stored answer made for
// someone else. The store trusts Payload's own authentication for who a request is, not a parser of
// its own: these tests send the cookie and header spellings that browsers, curl and proxies produce.
import crypto from 'node:crypto'
import http from 'node:http'

import { api, graphql, login } from '../helpers/http'
import type { TestServer } from '../helpers/server'
import { TEST_ADMIN, startTestServer } from '../helpers/server'

const DRAFT_SLUG = 'coming-soon-our-redesign'

let server: TestServer
let url: string
let token: string
let apiKey: string

type RawAnswer = { status: number; headers: http.IncomingHttpHeaders; body: string }

/**
 * A GET with exactly these header lines, in this order, duplicates and odd spellings kept: fetch
 * would merge or refuse some of them.
 */
const rawRequest = (path: string, headerLines: [string, string][], method = 'GET', body?: string) =>
  new Promise<RawAnswer>((resolve, reject) => {
    const target = new URL(path, url)
    // With raw header lines Node adds no Host of its own, and HTTP/1.1 requires one.
    const flat = ['Host', target.host, ...headerLines.flat()]
    if (body !== undefined) flat.push('Content-Type', 'application/json', 'Content-Length', String(Buffer.byteLength(body)))
    const req = http.request(
      { host: target.hostname, port: target.port, path: target.pathname + target.search, method, headers: flat },
      (res) => {
        let text = ''
        res.setEncoding('utf8')
        res.on('data', (chunk) => (text += chunk))
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }))
      },
    )
    req.on('error', reject)
    req.end(body)
  })

/**
 * Every spelling of "this request carries the editor's session" that some client or proxy sends;
 * `signsIn` says whether Payload signs the editor in with it.
 */
const credentialSpellings = (): { name: string; headers: [string, string][]; signsIn: boolean; isApiKey?: true }[] =>
  spellings().map((spelling) =>
    // Browsers say where a request comes from; Payload takes a session cookie only with that said
    // (Sec-Fetch-Site or an Origin on its CSRF list).
    spelling.headers.some(([name]) => name.toLowerCase() === 'cookie')
      ? { ...spelling, headers: [...spelling.headers, ['Sec-Fetch-Site', 'same-origin']] }
      : spelling,
  )

const spellings = (): { name: string; headers: [string, string][]; signsIn: boolean; isApiKey?: true }[] => [
  { name: 'the cookie as browsers send it', headers: [['Cookie', `payload-token=${token}`]], signsIn: true },
  { name: 'a space before =', headers: [['Cookie', `payload-token =${token}`]], signsIn: true },
  { name: 'a tab before =', headers: [['Cookie', `payload-token\t=${token}`]], signsIn: true },
  { name: 'spaces around the name', headers: [['Cookie', `theme=dark;   payload-token  =${token}; x=1`]], signsIn: true },
  { name: 'no space after ;', headers: [['Cookie', `theme=dark;payload-token=${token}`]], signsIn: true },
  { name: 'a duplicate, the second one real', headers: [['Cookie', `payload-token=junk; payload-token=${token}`]], signsIn: true },
  {
    name: 'two Cookie header lines (a proxy)',
    headers: [
      ['Cookie', 'theme=dark'],
      ['Cookie', `payload-token=${token}`],
    ],
    signsIn: false,
  },
  { name: 'a lower-case header name', headers: [['cookie', `payload-token=${token}`]], signsIn: true },
  { name: 'a differently cased cookie name', headers: [['Cookie', `Payload-Token=${token}`]], signsIn: false },
  { name: 'a percent-encoded cookie name', headers: [['Cookie', `payload%2Dtoken=${token}`]], signsIn: false },
  { name: 'Authorization: JWT', headers: [['Authorization', `JWT ${token}`]], signsIn: true },
  { name: 'Authorization: Bearer', headers: [['Authorization', `Bearer ${token}`]], signsIn: true },
  { name: 'a lower-case authorization header', headers: [['authorization', `JWT ${token}`]], signsIn: true },
  {
    name: 'two Authorization lines, the session second',
    headers: [
      ['Authorization', 'Basic Zm9vOmJhcg=='],
      ['Authorization', `JWT ${token}`],
    ],
    signsIn: false,
  },
  // Payload tries API keys before sessions: this one reads as the key, with what the public reads.
  { name: 'an API key and the cookie', headers: [['Authorization', `users API-Key ${apiKey}`], ['Cookie', `payload-token=${token}`]], signsIn: false, isApiKey: true },
  { name: 'an expired or forged JWT', headers: [['Authorization', 'JWT eyJhbGciOiJIUzI1NiJ9.e30.x']], signsIn: false },
  { name: 'an unknown API key', headers: [['Authorization', `users API-Key ${crypto.randomUUID()}`]], signsIn: false },
]

/** The names alone are known before the server runs; the headers need its token and key. */
const SPELLINGS = credentialSpellings().map(({ name }) => name)
const spellingNamed = (name: string) => credentialSpellings().find((spelling) => spelling.name === name)!

beforeAll(async () => {
  server = await startTestServer({ seed: true })
  url = server.url
  token = (await login(url, TEST_ADMIN.email, TEST_ADMIN.password)).replace(/^JWT /, '')
  apiKey = crypto.randomUUID()
  const me = await api(url, '/api/users/me', { auth: `JWT ${token}` })
  const enabled = await api(url, `/api/users/${me.body.user.id}`, {
    method: 'PATCH',
    auth: `JWT ${token}`,
    body: { enableAPIKey: true, apiKey },
  })
  expect(enabled.status).toBe(200)
}, 120_000)

afterAll(async () => {
  await server?.stop()
})

/** A URL nobody asked for yet, so the store holds nothing for it. */
let fresh = 0
const unique = (path: string) => `${path}${path.includes('?') ? '&' : '?'}where[id][not_equals]=${1_000_000 + fresh++}`

const draftsIn = (body: string) => body.includes(DRAFT_SLUG)
const emailsIn = (body: string) => body.includes(TEST_ADMIN.email)

describe('an answer made for a signed-in request is never stored for anyone else', () => {
  test.each(SPELLINGS)('%s', async (name) => {
    const spelling = spellingNamed(name)
    const drafts = unique(`/api/posts?where[slug][equals]=${DRAFT_SLUG}&draft=false&depth=0`)
    const users = unique('/api/users?limit=5&depth=0')

    for (const path of [drafts, users]) {
      const signedIn = await rawRequest(path, spelling.headers)
      // Whatever Payload made of it, an answer to a request carrying credentials is private.
      const expected = spelling.isApiKey && path === drafts ? 'private, no-cache' : 'private, no-store'
      expect([spelling.name, signedIn.headers['cache-control']]).toEqual([spelling.name, expected])
      if (spelling.signsIn && path === users) expect([spelling.name, emailsIn(signedIn.body)]).toEqual([spelling.name, true])

      const anonymous = await rawRequest(path, [])
      expect([spelling.name, anonymous.headers['cache-status']]).not.toEqual([spelling.name, 'greenroom; hit'])
      expect([spelling.name, draftsIn(anonymous.body), emailsIn(anonymous.body)]).toEqual([spelling.name, false, false])
    }
  })
})

describe('a request carrying credentials never gets a stored public answer', () => {
  test.each(SPELLINGS)('%s', async (name) => {
    const spelling = spellingNamed(name)
    const path = unique(`/api/posts?where[slug][in]=${DRAFT_SLUG},welcome-to-greenroom&depth=0`)
    // The public answer is stored: the second anonymous read comes from the store.
    await rawRequest(path, [])
    expect((await rawRequest(path, [])).headers['cache-status']).toBe('greenroom; hit')

    const signedIn = await rawRequest(path, spelling.headers)
    expect([spelling.name, signedIn.headers['cache-status']]).not.toEqual([spelling.name, 'greenroom; hit'])
    if (spelling.signsIn) {
      // Payload signed the editor in, so the editor sees the draft the public answer lacks.
      expect([spelling.name, draftsIn(signedIn.body)]).toEqual([spelling.name, true])
    }
  })
})

describe('GraphQL', () => {
  const draftQuery = (marker: number) =>
    JSON.stringify({ query: `{ Posts(where: { slug: { equals: "${DRAFT_SLUG}" }, id: { not_equals: ${marker} } }) { docs { slug } } }` })
  const usersQuery = (marker: number) =>
    JSON.stringify({ query: `{ Users(where: { id: { not_equals: ${marker} } }) { docs { email } } }` })

  test.each(SPELLINGS)('%s: the answer stays with its reader', async (name) => {
    const spelling = spellingNamed(name)
    const index = SPELLINGS.indexOf(name)
    for (const body of [draftQuery(2_000_000 + index), usersQuery(2_000_000 + index)]) {
      const signedIn = await rawRequest('/api/graphql', spelling.headers, 'POST', body)
      expect(signedIn.status).toBe(200)
      const anonymous = await rawRequest('/api/graphql', [], 'POST', body)
      expect([spelling.name, anonymous.headers['cache-status']]).not.toEqual([spelling.name, 'greenroom; hit'])
      expect([spelling.name, draftsIn(anonymous.body), emailsIn(anonymous.body)]).toEqual([spelling.name, false, false])
    }
  })

  test('a stored public answer is not given to a signed-in request', async () => {
    const body = draftQuery(3_000_000)
    await rawRequest('/api/graphql', [], 'POST', body)
    expect((await rawRequest('/api/graphql', [], 'POST', body)).headers['cache-status']).toBe('greenroom; hit')
    for (const spelling of credentialSpellings()) {
      const signedIn = await rawRequest('/api/graphql', spelling.headers, 'POST', body)
      expect([spelling.name, signedIn.headers['cache-status']]).not.toEqual([spelling.name, 'greenroom; hit'])
      if (spelling.signsIn) {
        expect([spelling.name, draftsIn(signedIn.body)]).toEqual([spelling.name, true])
      }
    }
  })
})

describe('API keys', () => {
  test('a verified key gets its own stored answers; the same URL without the key never gets them', async () => {
    const path = unique('/api/posts?limit=2&depth=0')
    const keyHeaders: [string, string][] = [['Authorization', `users API-Key ${apiKey}`]]
    const first = await rawRequest(path, keyHeaders)
    expect(first.headers['cache-control']).toBe('private, no-cache')
    expect((await rawRequest(path, keyHeaders)).headers['cache-status']).toBe('greenroom; hit')
    const anonymous = await rawRequest(path, [])
    expect(anonymous.headers['cache-status']).not.toBe('greenroom; hit')
    const forged = await rawRequest(path, [['Authorization', `users API-Key ${crypto.randomUUID()}`]])
    expect(forged.headers['cache-status']).not.toBe('greenroom; hit')
    expect(forged.headers['cache-control']).toBe('private, no-store')
  })

  test.each([
    ['an unknown key', 'RATE_LIMIT_PER_API_KEY', () => ({ authorization: `users API-Key ${crypto.randomUUID()}` })],
    ['a made-up session cookie', 'RATE_LIMIT_PER_SESSION', () => ({ cookie: `payload-token=${crypto.randomUUID()}` })],
  ])('%s counts against its address like an anonymous reader, not as a bucket of its own', async (_, ownLimit, madeUp) => {
    const limited = await startTestServer({ seed: false, env: { RATE_LIMIT_PER_IP: '5', [ownLimit]: '1000' } })
    try {
      const statuses: number[] = []
      for (let k = 0; k < 8; k++) {
        // New made-up credentials each time: before, each got a fresh bucket of its own and was never limited.
        const res = await fetch(`${limited.url}/api/categories?limit=1`, { headers: madeUp() })
        statuses.push(res.status)
        await res.arrayBuffer()
      }
      expect(statuses.filter((status) => status === 429).length).toBeGreaterThanOrEqual(3)
    } finally {
      await limited.stop()
    }
  })
})

test('graphql() helper still reads anonymously (sanity)', async () => {
  const res = await graphql(url, '{ Posts(limit: 1) { docs { slug } } }')
  expect(res.body.data.Posts.docs).toHaveLength(1)
})
