import type { IncomingMessage } from 'node:http'

import type { LoginVerdict } from '../../src/server/rateLimit'
import {
  createLoginThrottle,
  createRateLimiter,
  loginThrottleSettingsFromEnv,
  rateLimitSettingsFromEnv,
} from '../../src/server/rateLimit'
import { createReaders } from '../../src/server/readers'

const request = (headers: Record<string, string> = {}) =>
  ({ headers, rawHeaders: Object.entries(headers).flat() }) as unknown as IncomingMessage

describe('createRateLimiter', () => {
  const settings = { windowSeconds: 60, perIp: 2, perApiKey: 3, perSession: 0, perFormSubmission: 2, perMediaFile: 3 }
  let limiter: ReturnType<typeof createRateLimiter>
  let readers: ReturnType<typeof createReaders>

  beforeEach(() => {
    readers = createReaders('payload')
    limiter = createRateLimiter(settings, readers)
  })
  afterEach(() => limiter.close())

  test('refuses past the limit with Retry-After seconds and a message, and says what is left', async () => {
    const first = await limiter.admit(request(), '203.0.113.1')
    expect(first?.refused).toBeUndefined()
    expect(new Map(first?.headers)).toEqual(
      new Map([
        ['RateLimit', '"per-ip"; r=1; t=60'],
        ['RateLimit-Policy', '"per-ip"; q=2; w=60'],
      ]),
    )
    await limiter.admit(request(), '203.0.113.1')
    const third = await limiter.admit(request(), '203.0.113.1')
    expect(third?.refused?.retryAfterSeconds).toBeGreaterThan(0)
    expect(third?.refused?.message).toMatch(/^Too many requests from your address\. Try again in \d+ seconds\.$/)
    // Another address has its own count.
    expect((await limiter.admit(request(), '203.0.113.2'))?.refused).toBeUndefined()
  })

  test('counts a request once, however often it is asked (the lane and express both ask)', async () => {
    const req = request()
    await limiter.admit(req, '203.0.113.1')
    await limiter.admit(req, '203.0.113.1')
    expect((await limiter.admit(request(), '203.0.113.1'))?.refused).toBeUndefined()
  })

  test('an API key that Payload accepted has a bucket of its own, wherever it is sent from', async () => {
    const withKey = () => request({ authorization: 'users API-Key secret' })
    readers.remember(withKey(), 'apiKey')
    for (const address of ['203.0.113.1', '203.0.113.2', '203.0.113.3']) {
      expect((await limiter.admit(withKey(), address))?.refused).toBeUndefined()
    }
    expect((await limiter.admit(withKey(), '203.0.113.4'))?.refused?.message).toMatch(/this API key/)
    expect((await limiter.admit(request(), '203.0.113.1'))?.refused).toBeUndefined()
  })

  test('credentials Payload has not accepted count against their address, like anonymous requests', async () => {
    const madeUp = () => request({ authorization: `users API-Key ${Math.random()}` })
    await limiter.admit(madeUp(), '203.0.113.1')
    await limiter.admit(madeUp(), '203.0.113.1')
    expect((await limiter.admit(madeUp(), '203.0.113.1'))?.refused?.message).toMatch(/your address/)
  })

  test('a limit of 0 means none: no count and no headers', async () => {
    const session = request({ cookie: 'payload-token=abc' })
    readers.remember(session, 'editor')
    expect(await limiter.admit(request({ cookie: 'payload-token=abc' }), '203.0.113.1')).toBeUndefined()
  })

  test('IPv6 clients are counted per /56', async () => {
    await limiter.admit(request(), '2001:db8:0:1::1')
    await limiter.admit(request(), '2001:db8:0:2::1')
    expect((await limiter.admit(request(), '2001:db8:0:3::9'))?.refused).toBeDefined()
  })

  test('form submissions have a count of their own per address; a request may carry several', async () => {
    const first = await limiter.admitFormSubmissions('203.0.113.1', 1)
    expect(new Map(first?.headers)).toEqual(
      new Map([
        ['RateLimit', '"form-submissions"; r=1; t=60'],
        ['RateLimit-Policy', '"form-submissions"; q=2; w=60'],
      ]),
    )
    const two = await limiter.admitFormSubmissions('203.0.113.1', 2)
    expect(two?.refused?.message).toMatch(/^Too many form submissions from your address \(at most 2 per 60 seconds\)\. Try again in \d+ seconds\.$/)
    // Not the count of other requests, and not another address's.
    expect((await limiter.admit(request(), '203.0.113.1'))?.refused).toBeUndefined()
    expect((await limiter.admitFormSubmissions('203.0.113.2', 2))?.refused).toBeUndefined()
    expect(await limiter.admitFormSubmissions('203.0.113.3', 0)).toBeUndefined()
  })

  test('media files have a count of their own per address, apart from the API requests', async () => {
    for (let k = 0; k < 3; k++) expect((await limiter.admitMediaFile('203.0.113.1'))?.refused).toBeUndefined()
    const fourth = await limiter.admitMediaFile('203.0.113.1')
    expect(new Map(fourth?.headers).get('RateLimit-Policy')).toBe('"media"; q=3; w=60')
    expect(fourth?.refused?.message).toMatch(/^Too many media file requests from your address \(at most 3 per 60 seconds\)\. /)
    // The API's count is untouched, and so is another address's media count.
    expect(new Map((await limiter.admit(request(), '203.0.113.1'))?.headers).get('RateLimit')).toBe('"per-ip"; r=1; t=60')
    expect((await limiter.admitMediaFile('203.0.113.2'))?.refused).toBeUndefined()
  })
})

describe('rateLimitSettingsFromEnv', () => {
  test('defaults, and a clear refusal of a bad value', () => {
    expect(rateLimitSettingsFromEnv({})).toEqual({
      windowSeconds: 60,
      perIp: 600,
      perApiKey: 6000,
      perSession: 3000,
      perFormSubmission: 10,
      perMediaFile: 3000,
    })
    expect(() => rateLimitSettingsFromEnv({ RATE_LIMIT_PER_IP: 'many' })).toThrow(/RATE_LIMIT_PER_IP/)
  })
})

describe('createLoginThrottle', () => {
  const settings = { freePerAccount: 3, freePerClient: 5, firstDelaySeconds: 1, maxDelaySeconds: 8, deviceCookieDays: 1 }
  let clock = 0
  let throttle: ReturnType<typeof createLoginThrottle>

  beforeEach(() => {
    clock = 1_000_000
    throttle = createLoginThrottle(settings, () => clock)
  })
  afterEach(() => throttle.close())

  const attempt = (address: string, account: string, device?: string) => throttle.attempt({ address, account, device })
  const refusal = (verdict: LoginVerdict) => ('refusedForSeconds' in verdict ? verdict.refusedForSeconds : 0)

  test('past the free attempts each failure doubles the wait, up to the cap; waiting attempts are not counted', () => {
    const waits: number[] = []
    for (let k = 0; k < 3; k += 1) expect(refusal(attempt(`198.51.100.${k}`, 'a@x.test'))).toBe(0)
    for (let round = 0; round < 6; round += 1) {
      const wait = refusal(attempt('198.51.100.200', 'a@x.test'))
      waits.push(wait)
      // Refused again at once, without making the wait longer.
      expect(refusal(attempt('198.51.100.201', 'a@x.test'))).toBe(wait)
      clock += wait * 1000
      expect(refusal(attempt(`198.51.100.${10 + round}`, 'a@x.test'))).toBe(0)
    }
    expect(waits).toEqual([1, 2, 4, 8, 8, 8])
  })

  test('one address is throttled across accounts', () => {
    for (let k = 0; k < 5; k += 1) expect(refusal(attempt('203.0.113.9', `user${k}@x.test`))).toBe(0)
    expect(refusal(attempt('203.0.113.9', 'someone-else@x.test'))).toBe(1)
    expect(refusal(attempt('203.0.113.10', 'someone-else@x.test'))).toBe(0)
  })

  test('a device cookie has its own count: strangers exhausting the account do not keep it out', () => {
    for (let k = 0; k < 10; k += 1) attempt(`203.0.113.${k}`, 'admin@x.test')
    expect(refusal(attempt('198.51.100.1', 'admin@x.test'))).toBeGreaterThan(0)
    const verdict = attempt('198.51.100.1', 'admin@x.test', 'device-1')
    expect(refusal(verdict)).toBe(0)
    // And a device's own failures throttle only that device.
    for (let k = 0; k < 3; k += 1) attempt('198.51.100.1', 'admin@x.test', 'device-2')
    expect(refusal(attempt('198.51.100.1', 'admin@x.test', 'device-2'))).toBe(1)
    expect(refusal(attempt('198.51.100.1', 'admin@x.test', 'device-1'))).toBe(0)
  })

  test('a success clears the account but gives the address back only its own attempt', () => {
    for (let k = 0; k < 2; k += 1) attempt('203.0.113.1', 'a@x.test')
    for (let k = 0; k < 2; k += 1) attempt('203.0.113.1', `other${k}@x.test`)
    const right = attempt('203.0.113.1', 'a@x.test')
    if (!('charge' in right)) throw new Error('refused')
    throttle.succeeded(right.charge)
    // Four failures from the address are still counted: the fifth starts the wait.
    expect(refusal(attempt('203.0.113.1', 'b@x.test'))).toBe(0)
    expect(refusal(attempt('203.0.113.1', 'c@x.test'))).toBe(1)
    // The account starts afresh: three free attempts from elsewhere.
    for (let k = 0; k < 3; k += 1) expect(refusal(attempt(`203.0.113.${50 + k}`, 'a@x.test'))).toBe(0)
  })

  test('clearing an account lifts its wait', () => {
    for (let k = 0; k < 3; k += 1) attempt(`203.0.113.${k}`, 'a@x.test')
    expect(refusal(attempt('203.0.113.99', 'a@x.test'))).toBe(1)
    throttle.clearAccount('a@x.test')
    expect(refusal(attempt('203.0.113.99', 'a@x.test'))).toBe(0)
  })
})

describe('loginThrottleSettingsFromEnv', () => {
  test('defaults, and a clear refusal of a bad value', () => {
    expect(loginThrottleSettingsFromEnv({})).toEqual({
      freePerAccount: 5,
      freePerClient: 20,
      firstDelaySeconds: 1,
      maxDelaySeconds: 900,
      deviceCookieDays: 180,
    })
    expect(() => loginThrottleSettingsFromEnv({ LOGIN_FREE_ATTEMPTS: '0' })).toThrow(/LOGIN_FREE_ATTEMPTS/)
  })
})
