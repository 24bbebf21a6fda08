import { pbkdf2, randomBytes } from 'node:crypto'

import type { CollectionAfterOperationHook, CollectionBeforeOperationHook, PayloadRequest } from 'payload'
import { APIError } from 'payload'

import type { LoginCharge } from '../../../server/rateLimit'
import { currentLoginClient } from '../../../server/loginClient'
import { deviceCookieFor, deviceOf } from '../deviceCookie'

/**
 * Sign-in that tells an attacker nothing about which accounts exist and that strangers cannot use
 * to lock anyone out. Payload's login and forgot-password operations still do the work (check the
 * password, issue the token, send the mail); these hooks run around them, for REST and GraphQL alike:
 * - before login: throttle the attempt (src/server/rateLimit.ts, createLoginThrottle) and, when no
 *   account has the email, spend the password check Payload would have spent on one;
 * - after a login (reached only when the password was right): take the attempt's charge back and
 *   give the browser a device cookie for the account;
 * - before forgot-password: a request that will not mail anyone waits as long as one that does;
 * - after Payload's unlock (admins only): clear the account's throttle too.
 * Payload's own lock (maxLoginAttempts) is off: any stranger could trigger it.
 */

/**
 * Payload's current password hash, as generatePasswordSaltHash.js and authenticate.js in
 * payload/dist/auth/strategies/local compute and check it: PBKDF2-SHA256, 600,000 iterations, a
 * 32-byte key, over a 64-character hex salt. Payload does not export them; a unit test reads them
 * from Payload's source, so an upgrade that changes them fails.
 */
export const PAYLOAD_PASSWORD_HASH = { digest: 'sha256', iterations: 600_000, keyLength: 32 } as const

const DECOY_SALT = randomBytes(32).toString('hex')

const spendPasswordCheck = (password: string) =>
  new Promise<void>((resolve) =>
    pbkdf2(password, DECOY_SALT, PAYLOAD_PASSWORD_HASH.iterations, PAYLOAD_PASSWORD_HASH.keyLength, PAYLOAD_PASSWORD_HASH.digest, () =>
      resolve(),
    ),
  )

class LoginThrottled extends APIError {
  constructor(seconds: number) {
    super(`Too many failed sign-in attempts. Try again in ${seconds} seconds.`, 429)
    // Set by hand: a bundler may rename the class, and the log level is chosen by this name.
    this.name = 'LoginThrottled'
  }
}

const addResponseHeader = (req: PayloadRequest, name: string, value: string) => {
  if (req.responseHeaders) req.responseHeaders.append(name, value)
  else req.responseHeaders = new Headers([[name, value]])
}

/** The email and password as Payload's login reads them (lower-cased, trimmed), when both are given. */
const credentialsOf = (data: unknown) => {
  const { email, password } = (data ?? {}) as { email?: unknown; password?: unknown }
  if (typeof email !== 'string' || typeof password !== 'string') return undefined
  const normalized = email.toLowerCase().trim()
  // Payload answers 400 to a missing email or password before it looks anything up.
  return normalized && password.trim() ? { email: normalized, password } : undefined
}

const charges = new WeakMap<object, LoginCharge>()

/**
 * Payload's forgot-password answers the same `200` for every email, but only for an account that may
 * have a new reset mail does it update the account and send the mail (tens of milliseconds here,
 * more through an SMTP server). Every other request waits about as long as that work has taken
 * lately (the lower median of the last 15), so the time no longer tells which emails have accounts.
 */
const recentResetWorkMs: number[] = []
const RESET_WORK_SAMPLES = 15
// Until a reset has been measured: about what an update and a mail through a nearby SMTP server take.
const FIRST_RESET_WORK_MS = 100
const resetWorkStarts = new WeakMap<object, number>()

const typicalResetWorkMs = () => {
  if (!recentResetWorkMs.length) return FIRST_RESET_WORK_MS
  // The lower median: the first reset after a start (compiling the mail, opening the SMTP
  // connection) takes several times longer than the rest and should not set the pace.
  const sorted = [...recentResetWorkMs].sort((a, b) => a - b)
  return sorted[(sorted.length - 1) >> 1]
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

const equalizeForgotPassword = async ({ args, collection, req }: Parameters<CollectionBeforeOperationHook<'users'>>[0]) => {
  const { email } = ('data' in args ? args.data : {}) as { email?: unknown }
  const normalized = typeof email === 'string' ? email.toLowerCase().trim() : ''
  // Payload answers 400 to a missing email before it looks anything up.
  if (!normalized) return
  // Outside the operation's transaction: on SQLite a read inside it would hold a lock that Payload's
  // own reservation write, made outside the transaction, then waits on.
  const account = await req.payload.db.findOne<{ id: number | string; resetPasswordRequestedAt?: string | null }>({
    collection: 'users',
    select: { id: true, resetPasswordRequestedAt: true },
    where: { email: { equals: normalized } },
  })
  // Payload sends at most one mail per account per interval, and answers at once in between.
  const interval = collection.auth?.forgotPassword?.minRequestInterval ?? 15_000
  const requestedAt = account?.resetPasswordRequestedAt ? Date.parse(account.resetPasswordRequestedAt) : undefined
  const willWork = Boolean(account) && (requestedAt === undefined || requestedAt <= Date.now() - interval)
  if (willWork) resetWorkStarts.set(args, performance.now())
  else await sleep(typicalResetWorkMs())
}

export const protectSignIn: CollectionBeforeOperationHook<'users'> = async (hookArgs) => {
  const { args, operation, req } = hookArgs
  if (operation === 'forgotPassword') await equalizeForgotPassword(hookArgs)
  if (operation !== 'login') return args
  const credentials = credentialsOf(args.data)
  if (!credentials) return args
  const client = currentLoginClient()
  if (client) {
    const device = deviceOf(req, credentials.email, client.throttle.settings.deviceCookieDays)
    const verdict = client.throttle.attempt({ address: client.address, account: credentials.email, device })
    if ('refusedForSeconds' in verdict) {
      addResponseHeader(req, 'Retry-After', String(verdict.refusedForSeconds))
      throw new LoginThrottled(verdict.refusedForSeconds)
    }
    charges.set(args, verdict.charge)
  }
  // Payload returns at once for an unknown email and checks the password of a known one (~0.4 s
  // here): the time alone told which accounts exist.
  const known = await req.payload.db.findOne({
    collection: 'users',
    select: { id: true },
    where: { email: { equals: credentials.email } },
  })
  if (!known) await spendPasswordCheck(credentials.password)
  return args
}

export const afterSignInOperation: CollectionAfterOperationHook<'users'> = async ({ args, operation, req, result, collection }) => {
  const resetWorkStart = operation === 'forgotPassword' ? resetWorkStarts.get(args) : undefined
  if (resetWorkStart !== undefined) {
    recentResetWorkMs.push(performance.now() - resetWorkStart)
    if (recentResetWorkMs.length > RESET_WORK_SAMPLES) recentResetWorkMs.shift()
  }
  const client = currentLoginClient()
  if (!client) return result
  if (operation === 'login') {
    const charge = charges.get(args)
    if (!charge) return result
    client.throttle.succeeded(charge)
    const secure = Boolean(collection.auth?.cookies?.secure)
    addResponseHeader(req, 'Set-Cookie', deviceCookieFor(req, charge.account, client.throttle.settings.deviceCookieDays, secure))
  }
  if (operation === 'unlock') {
    const credentials = (args.data ?? {}) as { email?: unknown }
    if (typeof credentials.email === 'string') client.throttle.clearAccount(credentials.email.toLowerCase().trim())
  }
  return result
}
