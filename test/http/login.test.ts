import type { ApiResponse } from '../helpers/http'
import { api, graphql, login } from '../helpers/http'
import type { TestServer } from '../helpers/server'
import { TEST_ADMIN, startTestServer } from '../helpers/server'

/**
 * Sign-in must not tell an attacker which accounts exist (by status, body or time), and strangers
 * must not be able to lock the team out. The test client is on loopback, which TRUST_PROXY trusts
 * by default, so `X-Forwarded-For` plays clients at different addresses.
 */

// Few free attempts and long delays, so that throttling shows within a handful of requests and lasts.
let server: TestServer
// Room for many attempts on one account (to time them), and short delays per client (to watch them grow).
let roomy: TestServer

const UNKNOWN = 'nobody-here@greenroom.test'

beforeAll(async () => {
  ;[server, roomy] = await Promise.all([
    startTestServer({
      env: { LOGIN_FREE_ATTEMPTS: '3', LOGIN_FREE_ATTEMPTS_PER_CLIENT: '6', LOGIN_FIRST_DELAY_SECONDS: '60' },
    }),
    startTestServer({
      env: { LOGIN_FREE_ATTEMPTS: '1000', LOGIN_FREE_ATTEMPTS_PER_CLIENT: '3', LOGIN_FIRST_DELAY_SECONDS: '1' },
    }),
  ])
}, 180_000)

afterAll(async () => {
  await Promise.all([server?.stop(), roomy?.stop()])
})

const from = (address: string, cookie?: string): Record<string, string> => ({
  'x-forwarded-for': address,
  ...(cookie ? { cookie } : {}),
})

const signIn = (base: string, email: string, password: string, headers: Record<string, string> = {}) =>
  api(base, '/api/users/login', { method: 'POST', body: { email, password }, headers })

const LOGIN_MUTATION = 'mutation ($email: String!, $password: String!) { loginUser(email: $email, password: $password) { token } }'

const signInGraphql = (base: string, email: string, password: string, headers: Record<string, string> = {}) =>
  api(base, '/api/graphql', { method: 'POST', body: { query: LOGIN_MUTATION, variables: { email, password } }, headers })

/** What an attacker compares: status, body (the seconds to wait aside) and whether a Retry-After came along. */
const visible = (res: ApiResponse) => ({
  status: res.status,
  body: JSON.parse(JSON.stringify(res.body).replace(/\d+ seconds?/g, 'N seconds')),
  retry: res.headers.has('retry-after'),
})

const timed = async <T>(work: () => Promise<T>): Promise<[T, number]> => {
  const started = performance.now()
  const result = await work()
  return [result, performance.now() - started]
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = sorted.length >> 1
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
}

/** The device cookie a successful sign-in leaves, as a Cookie header (or undefined). */
const deviceCookieOf = (res: ApiResponse) =>
  res.headers
    .getSetCookie()
    .map((cookie) => cookie.split(';')[0])
    .filter((pair) => !pair.startsWith('payload-token='))
    .join('; ') || undefined

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

describe('unknown and known emails answer alike', () => {
  test('REST: same status, same body, time within a factor of 2 (medians of 10)', async () => {
    const known: number[] = []
    const unknown: number[] = []
    const answers = new Set<string>()
    // One of each first, unmeasured: the first password check of a process warms up.
    // Each attempt from its own address: this server throttles an address after 3 failures.
    await signIn(roomy.url, TEST_ADMIN.email, 'not-the-password', from('10.0.0.1'))
    await signIn(roomy.url, UNKNOWN, 'not-the-password', from('10.0.1.1'))
    for (let k = 0; k < 10; k += 1) {
      const [a, knownMs] = await timed(() => signIn(roomy.url, TEST_ADMIN.email, `wrong-${k}`, from(`10.0.0.${k + 10}`)))
      const [b, unknownMs] = await timed(() => signIn(roomy.url, `nobody-${k}@greenroom.test`, `wrong-${k}`, from(`10.0.1.${k + 10}`)))
      known.push(knownMs)
      unknown.push(unknownMs)
      answers.add(JSON.stringify(visible(a)))
      answers.add(JSON.stringify(visible(b)))
    }
    const ratio = median(unknown) / median(known)
    console.log(
      `login timing: known email median ${median(known).toFixed(1)} ms, unknown ${median(unknown).toFixed(1)} ms, ratio ${ratio.toFixed(2)}`,
    )
    expect([...answers]).toEqual([
      JSON.stringify({ status: 401, body: { errors: [{ message: 'The email or password provided is incorrect.' }] }, retry: false }),
    ])
    expect(ratio).toBeGreaterThan(0.5)
    expect(ratio).toBeLessThan(2)
  })

  test('GraphQL loginUser: same answer, time within a factor of 2 (medians of 6)', async () => {
    const known: number[] = []
    const unknown: number[] = []
    const answers = new Set<string>()
    for (let k = 0; k < 6; k += 1) {
      const [a, knownMs] = await timed(() => signInGraphql(roomy.url, TEST_ADMIN.email, `wrong-${k}`, from(`10.0.2.${k + 10}`)))
      const [b, unknownMs] = await timed(() =>
        signInGraphql(roomy.url, `nobody-gql-${k}@greenroom.test`, `wrong-${k}`, from(`10.0.3.${k + 10}`)),
      )
      known.push(knownMs)
      unknown.push(unknownMs)
      for (const res of [a, b]) {
        answers.add(JSON.stringify({ status: res.status, message: res.body.errors?.[0]?.message, code: res.body.errors?.[0]?.extensions?.statusCode }))
      }
    }
    const ratio = median(unknown) / median(known)
    console.log(`GraphQL login timing: known ${median(known).toFixed(1)} ms, unknown ${median(unknown).toFixed(1)} ms, ratio ${ratio.toFixed(2)}`)
    expect([...answers]).toEqual([JSON.stringify({ status: 200, message: 'The email or password provided is incorrect.', code: 401 })])
    expect(ratio).toBeGreaterThan(0.5)
    expect(ratio).toBeLessThan(2)
  })

  test('forgot-password: same status, same body, time within a factor of 2 (medians of 8)', async () => {
    const adminAuth = await login(roomy.url, TEST_ADMIN.email, TEST_ADMIN.password)
    for (let k = 0; k < 9; k += 1) {
      const created = await api(roomy.url, '/api/users', {
        method: 'POST',
        auth: adminAuth,
        body: { email: `reset-${k}@greenroom.test`, password: 'reset-user-password-1', name: `Reset ${k}`, role: 'author' },
      })
      expect(created.status).toBe(201)
    }
    const known: number[] = []
    const unknown: number[] = []
    const answers = new Set<string>()
    const forgot = (email: string) => api(roomy.url, '/api/users/forgot-password', { method: 'POST', body: { email } })
    // One of each first, unmeasured: the first mail of a process is several times slower.
    await forgot('reset-8@greenroom.test')
    await forgot('reset-nobody-8@greenroom.test')
    // Each account once: Payload mails an account at most once per 15 s.
    for (let k = 0; k < 8; k += 1) {
      const [a, knownMs] = await timed(() => forgot(`reset-${k}@greenroom.test`))
      const [b, unknownMs] = await timed(() => forgot(`reset-nobody-${k}@greenroom.test`))
      known.push(knownMs)
      unknown.push(unknownMs)
      answers.add(JSON.stringify(visible(a)))
      answers.add(JSON.stringify(visible(b)))
    }
    const ratio = median(unknown) / median(known)
    console.log(`forgot-password timing: known ${median(known).toFixed(1)} ms, unknown ${median(unknown).toFixed(1)} ms, ratio ${ratio.toFixed(2)}`)
    expect([...answers]).toEqual([JSON.stringify({ status: 200, body: { message: 'Success' }, retry: false })])
    expect(ratio).toBeGreaterThan(0.5)
    expect(ratio).toBeLessThan(2)
  })
})

describe('throttling', () => {
  // Signed in before the attacks below, as the admin's browser would be.
  let adminAuth: string
  beforeAll(async () => {
    adminAuth = await login(server.url, TEST_ADMIN.email, TEST_ADMIN.password)
  })

  test('an account under attack answers exactly like an email that has no account', async () => {
    const forAdmin: unknown[] = []
    const forNobody: unknown[] = []
    for (let k = 0; k < 12; k += 1) {
      forAdmin.push(visible(await signIn(server.url, TEST_ADMIN.email, `guess-${k}`, from(`203.0.113.${k + 1}`))))
      forNobody.push(visible(await signIn(server.url, UNKNOWN, `guess-${k}`, from(`203.0.113.${k + 101}`))))
    }
    expect(forAdmin).toEqual(forNobody)
    // Not a lock-out message: 401 while attempts are free, then 429 with Retry-After.
    expect(forAdmin.at(-1)).toEqual({
      status: 429,
      body: { errors: [{ message: expect.stringMatching(/^Too many failed sign-in attempts\. Try again in N seconds\.$/) }] },
      retry: true,
    })
  })

  test("a stranger's failed attempts do not keep the admin out of the browser they signed in with before", async () => {
    const email = 'second-admin@greenroom.test'
    const created = await api(server.url, '/api/users', {
      method: 'POST',
      auth: adminAuth,
      body: { email, password: 'second-admin-password-1', name: 'Second', role: 'admin' },
    })
    expect(created.status).toBe(201)
    const before = await signIn(server.url, email, 'second-admin-password-1', from('198.51.100.7'))
    expect(before.status).toBe(200)
    const device = deviceCookieOf(before)

    // Twelve wrong passwords from a stranger, half of them through GraphQL.
    for (let k = 0; k < 12; k += 1) {
      const address = `203.0.113.${200 + (k % 3)}`
      const res = k % 2 ? await signIn(server.url, email, `guess-${k}`, from(address)) : await signInGraphql(server.url, email, `guess-${k}`, from(address))
      expect([200, 401, 429]).toContain(res.status)
    }
    // Strangers (and the admin on a new device) wait now, on REST and GraphQL alike.
    const stranger = await signIn(server.url, email, 'second-admin-password-1', from('203.0.113.250'))
    expect(stranger.status).toBe(429)
    expect(Number(stranger.headers.get('retry-after'))).toBeGreaterThan(0)
    const strangerGraphql = await signInGraphql(server.url, email, 'second-admin-password-1', from('203.0.113.251'))
    expect(strangerGraphql.body.errors?.[0]).toMatchObject({
      message: expect.stringMatching(/^Too many failed sign-in attempts/),
      extensions: { statusCode: 429 },
    })
    expect(Number(strangerGraphql.headers.get('retry-after'))).toBeGreaterThan(0)

    // The admin's own browser, carrying the cookie of the earlier sign-in, gets in.
    const again = await signIn(server.url, email, 'second-admin-password-1', from('198.51.100.7', device))
    expect(again.status).toBe(200)
  })

  test('another admin clears an account’s throttle with Payload’s unlock', async () => {
    const email = 'third@greenroom.test'
    await api(server.url, '/api/users', {
      method: 'POST',
      auth: adminAuth,
      body: { email, password: 'third-user-password-1', name: 'Third', role: 'editor' },
    })
    for (let k = 0; k < 6; k += 1) await signIn(server.url, email, `guess-${k}`, from(`203.0.113.${150 + k}`))
    expect((await signIn(server.url, email, 'third-user-password-1', from('198.51.100.30'))).status).toBe(429)
    const unlocked = await api(server.url, '/api/users/unlock', { method: 'POST', auth: adminAuth, body: { email } })
    expect(unlocked.status).toBe(200)
    expect((await signIn(server.url, email, 'third-user-password-1', from('198.51.100.30'))).status).toBe(200)
  })

  test('delays grow: each further failure doubles the wait (429 with Retry-After)', async () => {
    // On the roomy server an address has 3 free failures, then waits 1 s, 2 s, 4 s...
    const address = '192.0.2.77'
    const waits: number[] = []
    const statuses: number[] = []
    let attempt = 0
    const next = async () => (await signIn(roomy.url, `growth-${(attempt += 1)}@greenroom.test`, 'guess', from(address)))
    for (let k = 0; k < 3; k += 1) statuses.push((await next()).status)
    for (let round = 0; round < 3; round += 1) {
      const refused = await next()
      statuses.push(refused.status)
      const wait = Number(refused.headers.get('retry-after'))
      waits.push(wait)
      await sleep(wait * 1000 + 100)
      statuses.push((await next()).status)
    }
    expect(statuses).toEqual([401, 401, 401, 429, 401, 429, 401, 429, 401])
    expect(waits).toEqual([1, 2, 4])
  })

  test('one client address is throttled across accounts; other clients are not', async () => {
    const address = '192.0.2.88'
    const statuses: number[] = []
    for (let k = 0; k < 8; k += 1) statuses.push((await signIn(server.url, `spray-${k}@greenroom.test`, 'guess', from(address))).status)
    expect(statuses.slice(0, 6)).toEqual([401, 401, 401, 401, 401, 401])
    expect(statuses.at(-1)).toBe(429)
    const email = 'fourth@greenroom.test'
    await api(server.url, '/api/users', {
      method: 'POST',
      auth: adminAuth,
      body: { email, password: 'fourth-user-password-1', name: 'Fourth', role: 'author' },
    })
    expect((await signIn(server.url, email, 'fourth-user-password-1', from('192.0.2.89'))).status).toBe(200)
  })
})
