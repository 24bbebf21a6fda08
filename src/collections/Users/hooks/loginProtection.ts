import { pbkdf2, randomBytes } from 'node:crypto'

import type { CollectionAfterOperationHook, CollectionBeforeOperationHook, PayloadRequest } from 'payload'
import { APIError } from 'payload'

import type { LoginCharge } from '../../../server/rateLimit'
import { currentLoginClient } from '../../../server/loginClient'
import { deviceCookieFor, deviceOf } from '../deviceCookie'

/**
 * Sign-in that tells an attacker nothing about which accounts exist and that strangers cannot use
 * to lock anyone out. Payload's login operation still checks the password and issues the token;
 * these hooks run around it, for REST and GraphQL alike:
 * - beforeOperation throttles the attempt (src/server/rateLimit.ts, createLoginThrottle) and, when
 *   no account has the email, spends the password check Payload would have spent on one;
 * - afterOperation (reached only when the password was right) takes the attempt's charge back and
 *   gives the browser a device cookie for the account;
 * - after Payload's unlock (admins only), the account's throttle is cleared too.
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

export const protectLogin: CollectionBeforeOperationHook<'users'> = async ({ args, operation, req }) => {
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
    req,
    select: { id: true },
    where: { email: { equals: credentials.email } },
  })
  if (!known) await spendPasswordCheck(credentials.password)
  return args
}

export const afterLoginOrUnlock: CollectionAfterOperationHook<'users'> = async ({ args, operation, req, result, collection }) => {
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
