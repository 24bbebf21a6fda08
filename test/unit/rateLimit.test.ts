import type { IncomingMessage } from 'node:http'

import { createRateLimiter, rateLimitSettingsFromEnv } from '../../src/server/rateLimit'

const request = (headers: Record<string, string> = {}) => ({ headers }) as unknown as IncomingMessage

describe('createRateLimiter', () => {
  const settings = { windowSeconds: 60, perIp: 2, perApiKey: 3, perSession: 0, perFormSubmission: 2 }
  let limiter: ReturnType<typeof createRateLimiter>

  beforeEach(() => {
    limiter = createRateLimiter(settings, 'payload')
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

  test('an API key has a bucket of its own, wherever it is sent from', async () => {
    const withKey = () => request({ authorization: 'users API-Key secret' })
    for (const address of ['203.0.113.1', '203.0.113.2', '203.0.113.3']) {
      expect((await limiter.admit(withKey(), address))?.refused).toBeUndefined()
    }
    expect((await limiter.admit(withKey(), '203.0.113.4'))?.refused?.message).toMatch(/this API key/)
    expect((await limiter.admit(request(), '203.0.113.1'))?.refused).toBeUndefined()
  })

  test('a limit of 0 means none: no count and no headers', async () => {
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
})

describe('rateLimitSettingsFromEnv', () => {
  test('defaults, and a clear refusal of a bad value', () => {
    expect(rateLimitSettingsFromEnv({})).toEqual({
      windowSeconds: 60,
      perIp: 600,
      perApiKey: 6000,
      perSession: 3000,
      perFormSubmission: 10,
    })
    expect(() => rateLimitSettingsFromEnv({ RATE_LIMIT_PER_IP: 'many' })).toThrow(/RATE_LIMIT_PER_IP/)
  })
})
