import type { Access, FieldAccess } from 'payload'

import { editorialRole } from './roles'

/** Admins manage every account; everyone else only their own. */
export const adminOrSelf: Access = ({ req: { user } }) => {
  const role = editorialRole(user)
  if (role === 'admin') return true
  if (role && user) return { id: { equals: user.id } }
  return false
}

/**
 * For account details (email, role, API key state): admins and the person themself. Without a
 * document (listing permissions, validating a `where`) only admins, so nobody else can query them.
 */
export const adminOrSelfField: FieldAccess = ({ req: { user }, doc }) => {
  const role = editorialRole(user)
  if (role === 'admin') return true
  return Boolean(role && user && doc?.id !== undefined && doc.id === user.id)
}
