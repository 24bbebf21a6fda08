// Guard rails on the API: caps on depth and page size for readers, GraphQL depth and complexity,
// rate limits per IP and per API key, and the origins a session cookie is accepted from.
import crypto from 'node:crypto'

import { api, graphql, login } from '../helpers/http'
import type { TestServer } from '../helpers/server'
import { TEST_ADMIN, startTestServer } from '../helpers/server'

const SITE = 'https://site.example'

let server: TestServer
let url: string
let adminAuth: string

beforeAll(async () => {
  server = await startTestServer({ seed: true, env: { CSRF_ORIGINS: SITE, API_MAX_DEPTH: '2', API_MAX_LIMIT: '50' } })
  url = server.url
  adminAuth = await login(url, TEST_ADMIN.email, TEST_ADMIN.password)
}, 120_000)

afterAll(async () => {
  await server?.stop()
})

describe('readers are capped', () => {
  test('depth beyond API_MAX_DEPTH is refused with a 400 that names the cap', async () => {
    expect((await api(url, '/api/posts?depth=2&limit=1')).status).toBe(200)
    const deep = await api(url, '/api/posts?depth=3&limit=1')
    expect(deep.status).toBe(400)
    expect(deep.body.errors[0].message).toBe('depth 3 is deeper than the 2 levels readers may ask for.')
    const post = (await api(url, '/api/posts?limit=1')).body.docs[0]
    expect((await api(url, `/api/posts/${post.id}?depth=5`)).status).toBe(400)
  })

  test('a page beyond API_MAX_LIMIT, or everything at once, is refused', async () => {
    expect((await api(url, '/api/posts?limit=50')).status).toBe(200)
    const big = await api(url, '/api/posts?limit=51')
    expect(big.status).toBe(400)
    expect(big.body.errors[0].message).toMatch(/limit 51 is more than the 50 documents per page/)
    for (const query of ['limit=0', 'pagination=false']) {
      const all = await api(url, `/api/posts?${query}`)
      expect(all.status).toBe(400)
      expect(all.body.errors[0].message).toMatch(/Reading every document at once is not allowed/)
    }
    const graphqlAll = await graphql(url, '{ Posts(limit: 0) { docs { title } } }')
    expect(graphqlAll.body.errors[0].message).toMatch(/Reading every document at once is not allowed/)
  })

  test('populating at the allowed depth still works (Payload populates in batches of its own)', async () => {
    const res = await api(url, '/api/posts?depth=2&limit=50')
    expect(res.status).toBe(200)
    expect(res.body.docs[0].heroImage?.url ?? null).not.toBeUndefined()
  })

  test('editors are not capped', async () => {
    expect((await api(url, '/api/posts?depth=4&limit=200', { auth: adminAuth })).status).toBe(200)
  })
})

describe('limit, page and depth are whole numbers in range, for everyone', () => {
  // Payload passes on what it cannot read as a number, and the cap compared numbers only: each of
  // these limits gave anonymous readers every document of the collection at once.
  const NOT_A_LIMIT = ['abc', 'false', 'null', 'true', 'NaN', '', '1.5', '1e21', '-1', 'Infinity']

  test.each(NOT_A_LIMIT)('limit=%s is a 400 that says what a limit is', async (value) => {
    const res = await api(url, `/api/posts?limit=${encodeURIComponent(value)}`)
    expect(res.status).toBe(400)
    expect(res.body.errors[0].message).toMatch(/^limit must be a whole number of at least 0; got /)
    expect(res.body.docs).toBeUndefined()
  })

  test.each(['limit[a]=1', 'limit[]=1&limit[]=2', 'page=-1', 'page=0', 'page=1.5', 'page=abc', 'depth=abc', 'depth=-1', 'depth=1.5'])(
    '%s is a 400 on lists, documents and globals',
    async (query) => {
      const post = (await api(url, '/api/posts?limit=1&depth=0')).body.docs[0]
      for (const path of [`/api/posts?${query}`, `/api/posts/${post.id}?${query}`, `/api/globals/header?${query}`]) {
        if (!query.startsWith('depth') && !path.startsWith('/api/posts?')) continue
        const res = await api(url, path)
        expect([path, res.status]).toEqual([path, 400])
        expect(res.body.errors[0].message).toMatch(/must be a whole number/)
      }
    },
  )

  test('editors get the same 400 for what is not a number', async () => {
    for (const query of ['limit=abc', 'page=-1', 'depth=x']) {
      expect((await api(url, `/api/posts?${query}`, { auth: adminAuth })).status).toBe(400)
    }
  })

  test('limit and page are echoed back as the numbers they are', async () => {
    const res = await api(url, '/api/posts?limit=2&page=2&depth=0')
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({ limit: 2, page: 2, pagingCounter: 3 })
  })

  test('a page past API_MAX_PAGE is refused for readers', async () => {
    const res = await api(url, '/api/posts?page=10001')
    expect(res.status).toBe(400)
    expect(res.body.errors[0].message).toMatch(/^page 10001 is past the 10000 pages readers may ask for/)
  })

  test('GraphQL: a negative limit or page, or a page of everything, is refused', async () => {
    for (const args of ['limit: -1', 'page: 0', 'page: -5', 'limit: 0']) {
      const res = await graphql(url, `{ Posts(${args}) { docs { title } } }`)
      expect([args, res.body.errors?.[0]?.message]).toEqual([args, expect.stringMatching(/whole number|every document at once/)])
      expect(res.body.data?.Posts ?? null).toBeNull()
    }
    const fraction = await graphql(url, '{ Posts(limit: 1.5) { docs { title } } }')
    expect(fraction.body.errors[0].message).toMatch(/invalid value 1\.5/)
  })

  test('versions, counts and distinct values are held to the same rules', async () => {
    expect((await api(url, '/api/posts/versions?limit=abc', { auth: adminAuth })).status).toBe(400)
    expect((await api(url, '/api/posts/count?locale=xx')).status).toBe(400)
  })
})

describe('GraphQL', () => {
  test('a query nested deeper than GRAPHQL_MAX_DEPTH is refused before it runs', async () => {
    const nested = (levels: number): string => (levels === 0 ? 'title' : `title relatedPosts { ${nested(levels - 1)} }`)
    const res = await graphql(url, `{ Posts(limit: 1) { docs { ${nested(8)} } } }`)
    expect(res.status).toBe(400)
    expect(res.body.data ?? null).toBeNull()
    // Levels counted from 0 at the root field: armor's count starts at 1 there.
    expect(res.body.errors[0].message).toBe('Query depth limit of 9 exceeded, found 11.')
    const fine = await graphql(url, `{ Posts(limit: 1) { docs { ${nested(2)} } } }`)
    expect(fine.body.errors).toBeUndefined()
  })

  test('a query above the complexity limit is refused; each root field counts as the operation it runs', async () => {
    // Payload's own estimate (1 per field, 10 per relationship) is 57 per root field here, 570 in all.
    const fields = Array.from(
      { length: 10 },
      (_, k) => `p${k}: Posts(limit: 1) { docs { relatedPosts { relatedPosts { title } } heroImage { url } categories { title } populatedAuthors { avatar { url } } } }`,
    )
    const res = await graphql(url, `{ ${fields.join('\n')} }`)
    expect(res.status).toBe(400)
    expect(res.body.errors[0].message).toBe('The query exceeds the maximum complexity of 1000. Actual complexity is 1060')
    const fine = await graphql(url, `{ ${fields.slice(0, 9).join('\n')} }`)
    expect(fine.status).toBe(200)
    expect(fine.body.errors).toBeUndefined()
  })
})

describe('session cookies', () => {
  const cookieFor = async () => `payload-token=${adminAuth.replace(/^JWT /, '')}`

  test('are honoured from the site and the server itself, ignored from any other origin', async () => {
    const cookie = await cookieFor()
    const fromSite = await api(url, '/api/users/me', { headers: { cookie, origin: SITE } })
    expect(fromSite.body.user?.email).toBe(TEST_ADMIN.email)
    const fromElsewhere = await api(url, '/api/users/me', { headers: { cookie, origin: 'https://evil.example' } })
    expect(fromElsewhere.body.user).toBeNull()
  })
})

describe('rate limits', () => {
  let limited: TestServer

  beforeAll(async () => {
    limited = await startTestServer({
      seed: true,
      env: { RATE_LIMIT_PER_IP: '5', RATE_LIMIT_PER_API_KEY: '3', RATE_LIMIT_WINDOW_SECONDS: '120' },
    })
  }, 120_000)

  afterAll(async () => {
    await limited?.stop()
  })

  test('answer 429 with Retry-After and a message past the limit, per IP and per API key apart', async () => {
    // Loading the spec (api() checks every answer against it) and logging in count against the
    // address like any anonymous request: two of its five.
    await api(limited.url, '/healthz')
    const auth = await login(limited.url, TEST_ADMIN.email, TEST_ADMIN.password)
    const key = crypto.randomUUID()
    const me = await api(limited.url, '/api/users/me', { auth })
    await api(limited.url, `/api/users/${me.body.user.id}`, {
      method: 'PATCH',
      auth,
      body: { enableAPIKey: true, apiKey: key },
    })

    // The second and third are answered from the response store, in front of express: they count too.
    const answers = []
    for (let k = 0; k < 4; k++) answers.push(await api(limited.url, '/api/posts?limit=1'))
    expect(answers.map((res) => res.status)).toEqual([200, 200, 200, 429])
    expect(answers[2].headers.get('cache-status')).toBe('greenroom; hit')
    expect(answers[2].headers.get('ratelimit')).toMatch(/^"per-ip"; r=0; t=\d+$/)

    const refused = await api(limited.url, '/api/posts?limit=1')
    expect(refused.status).toBe(429)
    const retryAfter = Number(refused.headers.get('retry-after'))
    expect(retryAfter).toBeGreaterThan(0)
    expect(retryAfter).toBeLessThanOrEqual(120)
    expect(refused.body.errors[0].message).toBe(
      `Too many requests from your address. Try again in ${retryAfter} seconds.`,
    )
    expect(refused.headers.get('ratelimit-policy')).toMatch(/q=5/)

    // The key has a bucket of its own.
    const keyed = []
    for (let k = 0; k < 4; k++)
      keyed.push(await api(limited.url, '/api/posts?limit=1', { auth: `users API-Key ${key}` }))
    expect(keyed.map((res) => res.status)).toEqual([200, 200, 200, 429])
    expect(keyed[3].body.errors[0].message).toMatch(/^Too many requests from this API key\./)

    // Health checks and the admin panel's pages are not API requests.
    expect((await fetch(`${limited.url}/healthz`)).status).toBe(200)
  })
})
