import { createHash } from 'node:crypto'
import type { IncomingMessage } from 'node:http'

import { LRUCache } from 'lru-cache'

import { isPreviewSession, wasPreviewRefused } from '../preview/session'

/**
 * Who a request is, as far as the response store and the rate limits care.
 *
 * Who a request *is* is Payload's decision alone: its auth strategies run on every API request
 * (src/server/payloadApi.ts) and leave their verdict on the request (see `verdictOf`). What is told
 * here, before Payload runs, is only whether a request *carries* anything that could sign someone
 * in: any `Authorization` header, or any cookie whose name could be read as the token cookie, in any
 * spelling, case or duplicate. That test is deliberately wider than Payload's own cookie parser, so
 * the two can never disagree in the dangerous direction: a request Payload could sign in never
 * counts as carrying nothing.
 *
 * - `anonymous`: carries nothing. May be answered from, and its answer (if Payload also found no user)
 *   stored in, the public part of the store.
 * - `credentialed`: carries something, identified by a fingerprint of it (a hash; the secret itself is
 *   kept nowhere). Only answers that Payload made for an API key are stored, under that fingerprint.
 *   `verified` is what Payload's authentication made of the same credentials, if it has seen them:
 *   it picks the rate-limit bucket, so that made-up keys or cookies count against their address.
 */
export type Reader =
  | { kind: 'anonymous' }
  | { kind: 'credentialed'; fingerprint: string; verified: VerifiedReader | undefined }

/**
 * What Payload's authentication decided a request is, once it has run. `preview`: a valid preview
 * token (src/preview/); `previewRefused`: a preview token Payload's strategy refused, which is
 * answered 401 whoever else the request could be.
 */
export type PayloadVerdict = 'anonymous' | 'apiKey' | 'editor' | 'preview' | 'previewRefused' | 'unknown'

type VerifiedReader = Exclude<PayloadVerdict, 'unknown'>

/** The cookie names Payload's parser could take for its token cookie, and spellings near them. */
const tokenCookieTest = (cookiePrefix: string) => {
  const tokenName = `${cookiePrefix}-token`.toLowerCase()
  return (name: string) => {
    let decoded = name
    try {
      decoded = decodeURIComponent(name)
    } catch {
      // A malformed escape: judge the name as sent.
    }
    return decoded.replace(/\s+/g, '').toLowerCase().includes(tokenName)
  }
}

/**
 * Everything in the request that could authenticate it, from the raw header lines (so a duplicate
 * `Authorization`, which Node's parsed headers drop, still counts), or undefined when there is none.
 */
const credentialsIn = (req: IncomingMessage, isTokenCookie: (name: string) => boolean): string[] | undefined => {
  let found: string[] | undefined
  const raw = req.rawHeaders
  for (let k = 0; k < raw.length; k += 2) {
    const name = raw[k].toLowerCase()
    if (name === 'authorization') (found ??= []).push(`authorization:${raw[k + 1]}`)
    else if (name === 'cookie') {
      for (const part of raw[k + 1].split(';')) {
        const equals = part.indexOf('=')
        if (isTokenCookie(equals === -1 ? part : part.slice(0, equals))) (found ??= []).push(`cookie:${part}`)
      }
    }
  }
  return found
}

const fingerprintOf = (credentials: string[]) => createHash('sha256').update(credentials.join('\n')).digest('base64url')

/**
 * Payload's own verdict: Payload turns the Web Request it is given into its PayloadRequest in place
 * (createPayloadRequest assigns `user` on the same object) before any handler runs, so the request
 * the API handed to Payload tells who Payload decided it was. A request Payload never authenticated
 * (a method-override request, which Payload re-issues as a new Request) is `unknown`, never anonymous.
 */
export const verdictOf = (request: Request): PayloadVerdict => {
  if (!('user' in request)) return 'unknown'
  if (wasPreviewRefused(request)) return 'previewRefused'
  const user = (request as { user?: { _strategy?: string } | null }).user
  if (user === null) return 'anonymous'
  if (!user) return 'unknown'
  if (isPreviewSession(user as never)) return 'preview'
  return user._strategy === 'api-key' ? 'apiKey' : 'editor'
}

export type Readers = ReturnType<typeof createReaders>

const ANONYMOUS: Reader = Object.freeze({ kind: 'anonymous' })

/** Runs Payload's own authentication on a request's headers, and tells its verdict. */
export type Authenticate = (req: IncomingMessage) => Promise<PayloadVerdict>

export const createReaders = (cookiePrefix: string, authenticate?: Authenticate) => {
  const isTokenCookie = tokenCookieTest(cookiePrefix)
  const told = new WeakMap<IncomingMessage, Reader>()
  // Bounded: made-up credentials cost an entry each, and the oldest go first.
  const verified = new LRUCache<string, VerifiedReader>({ max: 10_000, ttl: 10 * 60 * 1000 })
  const verifying = new Map<string, Promise<VerifiedReader | undefined>>()

  const check = (fingerprint: string, req: IncomingMessage) => {
    let pending = verifying.get(fingerprint)
    if (!pending) {
      pending = (authenticate ? authenticate(req) : Promise.resolve<PayloadVerdict>('unknown'))
        .then((verdict) => {
          if (verdict === 'unknown') return undefined
          verified.set(fingerprint, verdict)
          return verdict
        })
        // Payload could not tell (the database is away, say): judged again next time.
        .catch(() => undefined)
        .finally(() => verifying.delete(fingerprint))
      verifying.set(fingerprint, pending)
    }
    return pending
  }

  const tell = (req: IncomingMessage): Reader => {
    // Node keeps at least one of each in its parsed headers, so without either no raw line carries one.
    if (req.headers.authorization === undefined && req.headers.cookie === undefined) return ANONYMOUS
    const credentials = credentialsIn(req, isTokenCookie)
    if (!credentials) return ANONYMOUS
    const fingerprint = fingerprintOf(credentials)
    return { kind: 'credentialed', fingerprint, verified: verified.get(fingerprint) }
  }

  const of = (req: IncomingMessage): Reader => {
    let reader = told.get(req)
    if (!reader) told.set(req, (reader = tell(req)))
    return reader
  }

  return {
    /** Told once per request: the rate limiter and the response store both ask. */
    of,
    /**
     * The reader, with credentials this process has not seen before checked by Payload's own
     * authentication first (once per set of credentials, however many requests carry them at once).
     */
    verify: async (req: IncomingMessage): Promise<Reader> => {
      const reader = of(req)
      if (reader.kind === 'anonymous' || reader.verified) return reader
      const checked: Reader = { ...reader, verified: await check(reader.fingerprint, req) }
      told.set(req, checked)
      return checked
    },
    /** Keeps what Payload made of a request's credentials, for the next request that carries them. */
    remember: (req: IncomingMessage, verdict: PayloadVerdict) => {
      const reader = told.get(req) ?? tell(req)
      if (reader.kind === 'credentialed' && verdict !== 'unknown') verified.set(reader.fingerprint, verdict)
    },
  }
}
