import type { Access } from 'payload'

import { editorialRole } from './roles'

/** Editors and admins edit every post; an author edits only posts that list them as an author. */
export const editorOrOwnPost: Access = ({ req: { user } }) => {
  const role = editorialRole(user)
  if (role === 'admin' || role === 'editor') return true
  if (role === 'author' && user) return { authors: { equals: user.id } }
  return false
}
