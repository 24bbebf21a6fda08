import { hkdfSync, randomUUID } from 'node:crypto'

import { errors as joseErrors, jwtVerify, SignJWT } from 'jose'

import { wholeNumberFromEnv } from '../env'

/**
 * What a preview token lets its bearer read: the drafts of one document, or of one global. Nothing
 * else: everywhere else the bearer is refused (src/preview/guard.ts), not served as the public.
 */
export type PreviewTarget = { collection: string; id: string } | { global: string }

export type PreviewClaims = {
  target: PreviewTarget
  /** The id of the editor who minted it; the token is worth nothing once they are gone or demoted. */
  userId: string
  /** Seconds since the epoch. */
  expiresAt: number
  tokenId: string
  locale?: string
}

/** Why a token was refused, in words a front-end developer can act on. */
export type PreviewRefusal = { reason: 'expired' | 'invalid' | 'user'; message: string }

// The audience and type tell a preview token from every other JWT; the key (below) is its own too.
const AUDIENCE = 'greenroom-preview'
const ISSUER = 'greenroom'
const TYPE = 'greenroom-preview+jwt'
const ALGORITHM = 'HS256'
/** The HKDF label: the same secret signs Payload's sessions, and this keeps the two apart. */
const KEY_LABEL = 'greenroom preview token v1'

export const DEFAULT_PREVIEW_TOKEN_TTL_SECONDS = 3600

/** PREVIEW_TOKEN_TTL_SECONDS: how long a minted token reads its document (60 s to 24 h). */
export const previewTokenTtlFromEnv = (env: Record<string, string | undefined> = process.env): number =>
  Math.min(wholeNumberFromEnv(env, 'PREVIEW_TOKEN_TTL_SECONDS', DEFAULT_PREVIEW_TOKEN_TTL_SECONDS, 60), 24 * 3600)

const keys = new Map<string, Uint8Array>()

/**
 * A key of its own, derived from Payload's secret: a preview token never verifies as a Payload
 * session (Payload signs those with the secret itself), and a session never verifies here.
 */
export const keyFor = (secret: string): Uint8Array => {
  let key = keys.get(secret)
  if (!key) {
    key = new Uint8Array(hkdfSync('sha256', secret, 'greenroom', KEY_LABEL, 32))
    keys.set(secret, key)
  }
  return key
}

export const signPreviewToken = async (
  secret: string,
  { target, userId, locale, ttlSeconds = previewTokenTtlFromEnv() }: { target: PreviewTarget; userId: string; locale?: string; ttlSeconds?: number },
  now = Date.now(),
): Promise<{ token: string; expiresAt: number; tokenId: string }> => {
  const issuedAt = Math.floor(now / 1000)
  const expiresAt = issuedAt + ttlSeconds
  const tokenId = randomUUID()
  const token = await new SignJWT({ tgt: target, ...(locale ? { locale } : {}) })
    .setProtectedHeader({ alg: ALGORITHM, typ: TYPE })
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setSubject(userId)
    .setIssuedAt(issuedAt)
    .setExpirationTime(expiresAt)
    .setJti(tokenId)
    .sign(keyFor(secret))
  return { token, expiresAt, tokenId }
}

const isTarget = (value: unknown): value is PreviewTarget => {
  if (!value || typeof value !== 'object') return false
  const target = value as Record<string, unknown>
  if (typeof target.global === 'string') return Object.keys(target).length === 1
  return typeof target.collection === 'string' && typeof target.id === 'string' && Object.keys(target).length === 2
}

const INVALID: PreviewRefusal = {
  reason: 'invalid',
  message: 'This preview token is not valid (altered, or not a Greenroom preview token). Ask for a new one from the admin.',
}

/** The token's claims, or why it is refused: a bad signature, another audience or type, an expired token. */
export const verifyPreviewToken = async (
  secret: string,
  token: string,
  now = Date.now(),
): Promise<{ claims: PreviewClaims } | { refusal: PreviewRefusal }> => {
  try {
    const { payload } = await jwtVerify(token, keyFor(secret), {
      algorithms: [ALGORITHM],
      audience: AUDIENCE,
      issuer: ISSUER,
      typ: TYPE,
      requiredClaims: ['sub', 'exp', 'jti', 'tgt'],
      currentDate: new Date(now),
      clockTolerance: 0,
    })
    if (!isTarget(payload.tgt) || typeof payload.sub !== 'string' || typeof payload.jti !== 'string') return { refusal: INVALID }
    return {
      claims: {
        target: payload.tgt,
        userId: payload.sub,
        expiresAt: payload.exp as number,
        tokenId: payload.jti,
        locale: typeof payload.locale === 'string' ? payload.locale : undefined,
      },
    }
  } catch (error) {
    if (error instanceof joseErrors.JWTExpired) {
      return { refusal: { reason: 'expired', message: 'This preview token has expired. Open the preview again from the admin for a new one.' } }
    }
    return { refusal: INVALID }
  }
}
