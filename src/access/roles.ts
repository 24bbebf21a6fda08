import type { PayloadRequest } from 'payload'

import { isPreviewSession } from '../preview/session'

export const ROLES = ['admin', 'editor', 'author'] as const
export type Role = (typeof ROLES)[number]

type MaybeUser = PayloadRequest['user'] | undefined

/**
 * API keys exist for build tools and front ends: they read what the public reads, so a key
 * never inherits its owner's editorial rights (drafts, writes, user data).
 */
export const isApiKeySession = (user: MaybeUser): boolean =>
  (user as { _strategy?: string } | null | undefined)?._strategy === 'api-key'

/**
 * A request signed in as a user that is nonetheless a reader: an API key, or a preview token (which
 * reads what the public reads, plus the drafts of its one document: src/preview/). Neither inherits
 * its user's editorial rights.
 */
export const isReaderSession = (user: MaybeUser): boolean => isApiKeySession(user) || isPreviewSession(user)

/** The role of a person signed in to the admin panel or the API; null for readers. */
export const editorialRole = (user: MaybeUser): Role | null => {
  if (!user || isReaderSession(user) || user.collection !== 'users') return null
  const role = (user as { role?: unknown }).role
  return (ROLES as readonly unknown[]).includes(role) ? (role as Role) : null
}

export const hasRole = (user: MaybeUser, ...roles: Role[]): boolean => {
  const role = editorialRole(user)
  return role !== null && roles.includes(role)
}
