import type { AuthStrategy, Payload } from 'payload'

import { editorialRole } from '../access/roles'
import type { PreviewUser } from './session'
import { markPreviewRefused, PREVIEW_SCHEME, PREVIEW_STRATEGY } from './session'
import type { PreviewClaims } from './token'
import { verifyPreviewToken } from './token'

/** `Authorization: Preview <token>`; the token alone when the header names that scheme, else undefined. */
export const previewTokenInHeaders = (headers: Headers): string | undefined => {
  const header = headers.get('authorization')
  if (!header) return undefined
  const [scheme, token, ...rest] = header.trim().split(/\s+/)
  if (scheme.toLowerCase() !== PREVIEW_SCHEME.toLowerCase()) return undefined
  // A second Authorization header arrives joined to the first with a comma: never a valid token.
  return rest.length === 0 && token && !token.includes(',') ? token : ''
}

const USER_GONE =
  'The editor who opened this preview can no longer read drafts (their account was removed or its role changed). ' +
  'Ask for a new preview from the admin.'

/** Payload's id of a user, from the token's string. */
const userIdOf = (payload: Payload, id: string): number | string =>
  payload.db.defaultIDType === 'number' && /^\d+$/.test(id) ? Number(id) : id

/**
 * The user a valid token stands for, re-read each time: a token outlives nothing its minter lost.
 * The user is its minter, marked as a preview session, which gets none of their rights
 * (src/access/roles.ts counts it as a reader; src/preview/guard.ts lets it read its target).
 */
export const previewUserFor = async (payload: Payload, claims: PreviewClaims): Promise<PreviewUser | null> => {
  const user = await payload
    .findByID({ collection: 'users', id: userIdOf(payload, claims.userId), depth: 0, overrideAccess: true, disableErrors: true })
    .catch(() => null)
  if (!user || editorialRole({ ...user, collection: 'users' } as never) === null) return null
  const { target, tokenId, expiresAt, locale } = claims
  return { ...user, collection: 'users', _strategy: PREVIEW_STRATEGY, _preview: { target, tokenId, expiresAt, locale } } as PreviewUser
}

/** The preview user for a token, or the message of its 401. */
export const authenticatePreviewToken = async (
  payload: Payload,
  token: string,
): Promise<{ user: PreviewUser } | { refusal: string }> => {
  const verified = await verifyPreviewToken(payload.secret, token)
  if ('refusal' in verified) return { refusal: verified.refusal.message }
  const user = await previewUserFor(payload, verified.claims)
  return user ? { user } : { refusal: USER_GONE }
}

/**
 * Payload's auth strategy for preview tokens. It only reads headers, as every strategy does, so a token
 * never has to be put in a URL (where logs and caches keep it). A refused token signs nobody in and
 * marks the request, so that it is answered 401 rather than as the public (src/server/payloadApi.ts).
 */
export const previewTokenStrategy: AuthStrategy = {
  name: PREVIEW_STRATEGY,
  authenticate: async ({ headers, payload, req }) => {
    const token = previewTokenInHeaders(headers)
    if (token === undefined) return { user: null }
    const result = token ? await authenticatePreviewToken(payload, token) : { refusal: 'The Authorization header holds no preview token.' }
    if ('user' in result) return { user: result.user as never }
    if (req) markPreviewRefused(req, result.refusal)
    return { user: null }
  },
}
