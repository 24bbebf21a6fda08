import type { IncomingMessage, ServerResponse } from 'node:http'

import type { RequestHandler } from 'express'
import type { Options, Store } from 'express-rate-limit'
import { MemoryStore, ipKeyGenerator } from 'express-rate-limit'

import { wholeNumberFromEnv } from '../env'
import { rateLimitRefusals } from '../metrics/registry'
import { formSubmissionsIn } from './formSubmissionCount'
import type { Client } from './proxyTrust'
import type { Reader, Readers } from './readers'

export type RateLimitSettings = {
  windowSeconds: number
  /** Requests per window; 0 means no limit for that kind of client. */
  perIp: number
  perApiKey: number
  /** Editors' browsers (the admin panel makes many requests), per IP. */
  perSession: number
  /** Form submissions (REST and GraphQL) per IP, whoever sends them, on top of the limits above. */
  perFormSubmission: number
  /** Media file requests per IP, whoever sends them, instead of the limits above (src/server/mediaFiles.ts). */
  perMediaFile: number
}

export const rateLimitSettingsFromEnv = (env: Record<string, string | undefined>): RateLimitSettings => ({
  windowSeconds: wholeNumberFromEnv(env, 'RATE_LIMIT_WINDOW_SECONDS', 60, 1),
  perIp: wholeNumberFromEnv(env, 'RATE_LIMIT_PER_IP', 600, 0),
  perApiKey: wholeNumberFromEnv(env, 'RATE_LIMIT_PER_API_KEY', 6000, 0),
  perSession: wholeNumberFromEnv(env, 'RATE_LIMIT_PER_SESSION', 3000, 0),
  perFormSubmission: wholeNumberFromEnv(env, 'RATE_LIMIT_FORM_SUBMISSIONS', 10, 0),
  perMediaFile: wholeNumberFromEnv(env, 'RATE_LIMIT_MEDIA_PER_IP', 3000, 0),
})

export type RateLimitVerdict = {
  /** The IETF RateLimit and RateLimit-Policy headers (draft 8), sent with every answer. */
  headers: [string, string][]
  refused?: { retryAfterSeconds: number; message: string; policy: string }
}

type Bucket = 'ip' | 'apiKey' | 'session'

const POLICY_NAMES: Record<Bucket, string> = {
  ip: 'per-ip',
  apiKey: 'per-api-key',
  session: 'per-session',
}

/**
 * Credentials count as what Payload's authentication found them to be; when Payload found nobody
 * (or could not tell), they count against their address like any anonymous request. Otherwise a
 * made-up API key or session cookie per request would each get a fresh bucket of its own.
 */
const bucketOf = (reader: Reader): Bucket => {
  if (reader.kind === 'anonymous') return 'ip'
  if (reader.verified === 'apiKey') return 'apiKey'
  // A preview token counts as the editor who minted it: the same limit as their session, per address.
  if (reader.verified === 'editor' || reader.verified === 'preview') return 'session'
  return 'ip'
}

export type RateLimiter = ReturnType<typeof createRateLimiter>

/**
 * Rate limits on the API: anonymous clients per IP address (a /56 for IPv6), API keys per key,
 * sessions per IP with a higher limit, in fixed windows counted by express-rate-limit's store.
 * Both ways into the API count through here: the lane that answers stored reads before express and
 * the express middleware, and a request is counted once however far it goes. Counts live in this
 * process, unless `storeFor` gives stores every instance shares (Redis: src/cluster/rateLimitStore.ts);
 * without them, behind a load balancer with N instances a client gets up to N times the limit.
 */
export const createRateLimiter = (
  settings: RateLimitSettings,
  readers: Readers,
  storeFor: (name: string) => Store = () => new MemoryStore(),
) => {
  const windowMs = settings.windowSeconds * 1000
  const storeOf = (name: string) => {
    const store = storeFor(name)
    void store.init?.({ windowMs } as Options)
    return store
  }
  const store = storeOf('api')
  // Form submissions write to the database and may send mail: they have a small limit of their own.
  const formStore = storeOf('forms')
  // A page shows dozens of images, each in several sizes, and a 304 costs a stat: media files have
  // a larger budget of their own, and do not spend the API's.
  const mediaStore = storeOf('media')
  const verdicts = new WeakMap<IncomingMessage, Promise<RateLimitVerdict | undefined>>()

  const limitFor = (bucket: Bucket) =>
    bucket === 'apiKey' ? settings.perApiKey : bucket === 'session' ? settings.perSession : settings.perIp

  const count = async (req: IncomingMessage, address: string): Promise<RateLimitVerdict | undefined> => {
    // Most requests are anonymous, or carry credentials Payload already judged: no wait for those.
    const told = readers.of(req)
    const reader = told.kind === 'anonymous' || told.verified ? told : await readers.verify(req)
    const bucket = bucketOf(reader)
    const limit = limitFor(bucket)
    if (limit === 0) return undefined
    const key =
      bucket === 'apiKey' && reader.kind === 'credentialed' ? `key:${reader.fingerprint}` : `${bucket}:${ipKeyGenerator(address)}`
    const { totalHits, resetTime } = await store.increment(key)
    const resetSeconds = Math.max(0, Math.ceil(((resetTime?.getTime() ?? Date.now() + windowMs) - Date.now()) / 1000))
    const policy = `"${POLICY_NAMES[bucket]}"`
    const verdict: RateLimitVerdict = {
      headers: [
        ['RateLimit', `${policy}; r=${Math.max(limit - totalHits, 0)}; t=${resetSeconds}`],
        ['RateLimit-Policy', `${policy}; q=${limit}; w=${settings.windowSeconds}`],
      ],
    }
    if (totalHits > limit) {
      const retryAfterSeconds = Math.max(1, resetSeconds)
      const who = bucket === 'apiKey' ? 'this API key' : 'your address'
      verdict.refused = {
        retryAfterSeconds,
        policy: POLICY_NAMES[bucket],
        message: `Too many requests from ${who}. Try again in ${retryAfterSeconds} seconds.`,
      }
    }
    return verdict
  }

  /** One policy of its own per address: `times` hits on `store`, refused past `limit` with `message(limit, seconds)`. */
  const countPerAddress = async (
    store: Store,
    policyName: string,
    limit: number,
    address: string,
    times: number,
    message: (retryAfterSeconds: number) => string,
  ): Promise<RateLimitVerdict | undefined> => {
    if (limit === 0 || times === 0) return undefined
    const key = ipKeyGenerator(address)
    let hits = { totalHits: 0, resetTime: undefined as Date | undefined }
    for (let k = 0; k < times; k++) hits = await store.increment(key)
    const resetSeconds = Math.max(0, Math.ceil(((hits.resetTime?.getTime() ?? Date.now() + windowMs) - Date.now()) / 1000))
    const policy = `"${policyName}"`
    const verdict: RateLimitVerdict = {
      headers: [
        ['RateLimit', `${policy}; r=${Math.max(limit - hits.totalHits, 0)}; t=${resetSeconds}`],
        ['RateLimit-Policy', `${policy}; q=${limit}; w=${settings.windowSeconds}`],
      ],
    }
    if (hits.totalHits > limit) {
      const retryAfterSeconds = Math.max(1, resetSeconds)
      verdict.refused = { retryAfterSeconds, policy: policyName, message: message(retryAfterSeconds) }
    }
    return verdict
  }

  const countFormSubmissions = (address: string, submissions: number) =>
    countPerAddress(
      formStore,
      'form-submissions',
      settings.perFormSubmission,
      address,
      submissions,
      (retryAfterSeconds) =>
        `Too many form submissions from your address (at most ${settings.perFormSubmission} per ${settings.windowSeconds} seconds). Try again in ${retryAfterSeconds} seconds.`,
    )

  const countMediaFile = (address: string) =>
    countPerAddress(
      mediaStore,
      'media',
      settings.perMediaFile,
      address,
      1,
      (retryAfterSeconds) =>
        `Too many media file requests from your address (at most ${settings.perMediaFile} per ${settings.windowSeconds} seconds). Try again in ${retryAfterSeconds} seconds.`,
    )

  return {
    /**
     * Counts form submissions from the client's address, `submissions` of them (a GraphQL request
     * can carry several); undefined when there is no limit.
     */
    admitFormSubmissions: countFormSubmissions,
    /** Counts a media file request (a HEAD or a 304 too) from the client's address; undefined when there is no limit. */
    admitMediaFile: countMediaFile,
    /** Counts the request, once however often it is asked; undefined when its kind of client has no limit. */
    admit: (req: IncomingMessage, address: string): Promise<RateLimitVerdict | undefined> => {
      let verdict = verdicts.get(req)
      if (!verdict) verdicts.set(req, (verdict = count(req, address)))
      return verdict
    },
    close: () => {
      store.shutdown?.()
      formStore.shutdown?.()
      mediaStore.shutdown?.()
    },
  }
}

/** Sets the verdict's headers; true when the request was refused and its 429 has been sent. */
export const applyRateLimitVerdict = (res: ServerResponse, verdict: RateLimitVerdict | undefined): boolean => {
  if (!verdict) return false
  for (const [name, value] of verdict.headers) {
    // A request under two policies (every request's, and form submissions') names both: the
    // headers are lists of policies.
    const earlier = res.getHeader(name)
    res.setHeader(name, earlier ? `${String(earlier)}, ${value}` : value)
  }
  if (!verdict.refused) return false
  rateLimitRefusals.inc({ policy: verdict.refused.policy })
  const body = JSON.stringify({
    errors: [{ message: verdict.refused.message }],
  })
  res.statusCode = 429
  res.setHeader('Retry-After', String(verdict.refused.retryAfterSeconds))
  res.setHeader('Cache-Control', 'no-store')
  res.setHeader('Content-Type', 'application/json; charset=utf-8')
  res.setHeader('Content-Length', Buffer.byteLength(body))
  res.end(body)
  return true
}

/**
 * The form-submission limit as express middleware, after the body has been read (a GraphQL
 * request is counted by the createFormSubmission fields in it).
 */
export const formSubmissionRateLimit =
  (limiter: RateLimiter, client: Client, routes: { collection: string; graphql: string }): RequestHandler =>
  (req, res, next) => {
    const submissions = formSubmissionsIn(req, routes)
    if (submissions === 0) return next()
    limiter.admitFormSubmissions(client.addressOf(req), submissions).then((verdict) => {
      if (!applyRateLimitVerdict(res, verdict)) next()
    }, next)
  }

export type LoginThrottleSettings = {
  /** Failed sign-ins an account takes from clients without its device cookie (and one device cookie takes) before delays begin. */
  freePerAccount: number
  /** Failed sign-ins one client address makes, across accounts, before delays begin. */
  freePerClient: number
  firstDelaySeconds: number
  maxDelaySeconds: number
  deviceCookieDays: number
}

export const loginThrottleSettingsFromEnv = (env: Record<string, string | undefined>): LoginThrottleSettings => ({
  freePerAccount: wholeNumberFromEnv(env, 'LOGIN_FREE_ATTEMPTS', 5, 1),
  freePerClient: wholeNumberFromEnv(env, 'LOGIN_FREE_ATTEMPTS_PER_CLIENT', 20, 1),
  firstDelaySeconds: wholeNumberFromEnv(env, 'LOGIN_FIRST_DELAY_SECONDS', 1, 1),
  maxDelaySeconds: wholeNumberFromEnv(env, 'LOGIN_MAX_DELAY_SECONDS', 900, 1),
  deviceCookieDays: wholeNumberFromEnv(env, 'LOGIN_DEVICE_COOKIE_DAYS', 180, 1),
})

/** One sign-in attempt as the throttle sees it; `device` only when it carries a valid device cookie for `account`. */
export type LoginAttempt = { address: string; account: string; device?: string }

/** What an admitted attempt was charged to, so that a success can take the charge back. */
export type LoginCharge = { keys: string[]; account: string; device?: string }

export type LoginVerdict = { refusedForSeconds: number } | { charge: LoginCharge }

type FailureBucket = { failures: number; lastFailureAt: number; blockedUntil: number }

export type LoginThrottle = ReturnType<typeof createLoginThrottle>

/**
 * Sign-in throttling that slows guessing down without letting strangers lock anyone out (OWASP's
 * device-cookie pattern): every attempt counts as a failure until it succeeds, per client address
 * and per account; past the free attempts each further failure makes that address or account wait
 * twice as long as the last (from `firstDelaySeconds`, capped at `maxDelaySeconds`), and attempts
 * while it waits are refused without being counted. A browser that signed in to an account before
 * carries a signed device cookie for it; its attempts count only against that cookie, so strangers
 * who exhaust the account's attempts do not keep the owner out. Unknown emails are throttled
 * exactly like known ones: the account key is the normalized email, looked up nowhere.
 *
 * Not express-rate-limit's MemoryStore: its fixed windows count requests, while a growing delay
 * needs each key's failure count and when its current wait ends. Like the store, the counts live
 * in this process (N instances behind a load balancer allow N times the attempts) and are gone
 * after a restart.
 */
export const createLoginThrottle = (settings: LoginThrottleSettings, clock: () => number = Date.now) => {
  const buckets = new Map<string, FailureBucket>()
  // A key forgets its failures once it has had none for this long and is not waiting.
  const forgetMs = Math.max(3600, 2 * settings.maxDelaySeconds) * 1000
  const sweep = setInterval(() => {
    const now = clock()
    for (const [key, bucket] of buckets) {
      if (now >= bucket.blockedUntil && now - bucket.lastFailureAt > forgetMs) buckets.delete(key)
    }
  }, 60_000)
  sweep.unref()

  const delayMs = (failures: number, free: number) =>
    failures < free
      ? 0
      : Math.min(settings.maxDelaySeconds, settings.firstDelaySeconds * 2 ** Math.min(failures - free, 30)) * 1000

  const keysOf = ({ address, account, device }: LoginAttempt): [string, number][] =>
    device
      ? [[`device:${device}`, settings.freePerAccount]]
      : [
          [`account:${account}`, settings.freePerAccount],
          [`client:${ipKeyGenerator(address)}`, settings.freePerClient],
        ]

  return {
    /** Refuses the attempt while one of its keys waits; otherwise counts it as a failure until `succeeded`. */
    attempt: (attempt: LoginAttempt): LoginVerdict => {
      const now = clock()
      const keys = keysOf(attempt)
      const waitMs = Math.max(0, ...keys.map(([key]) => (buckets.get(key)?.blockedUntil ?? 0) - now))
      if (waitMs > 0) return { refusedForSeconds: Math.ceil(waitMs / 1000) }
      for (const [key, free] of keys) {
        const bucket = buckets.get(key) ?? { failures: 0, lastFailureAt: now, blockedUntil: 0 }
        bucket.failures += 1
        bucket.lastFailureAt = now
        const delay = delayMs(bucket.failures, free)
        if (delay > 0) bucket.blockedUntil = now + delay
        buckets.set(key, bucket)
      }
      return { charge: { keys: keys.map(([key]) => key), account: attempt.account, device: attempt.device } }
    },
    /**
     * The password was right: the account (or device) starts afresh. The address only gets this
     * attempt back, or signing in to one's own account between guesses would reset it.
     */
    succeeded: (charge: LoginCharge) => {
      for (const key of charge.keys) {
        if (!key.startsWith('client:')) {
          buckets.delete(key)
          continue
        }
        const bucket = buckets.get(key)
        if (!bucket) continue
        bucket.failures = Math.max(0, bucket.failures - 1)
        if (bucket.failures < settings.freePerClient) bucket.blockedUntil = 0
      }
    },
    /** An admin lifted the account's wait (Payload's unlock): clients without its device cookie start afresh. */
    clearAccount: (account: string) => {
      buckets.delete(`account:${account}`)
    },
    settings,
    close: () => clearInterval(sweep),
  }
}
