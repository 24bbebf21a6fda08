import type { Access } from 'payload'

import { editorialRole } from './roles'

/** Admins manage every account; everyone else only their own. */
export const adminOrSelf: Access = ({ req: { user } }) => {
  const role = editorialRole(user)
  if (role === 'admin') return true
  if (role && user) return { id: { equals: user.id } }
  return false
}
