import type { Access } from 'payload'

import { editorialRole } from './roles'

/**
 * Editors and admins edit every media file; an author only the files they uploaded. Files from before
 * uploads had an owner (or whose uploader's account is gone) have none: only editors edit them.
 */
export const editorOrOwnMedia: Access = ({ req: { user } }) => {
  const role = editorialRole(user)
  if (role === 'admin' || role === 'editor') return true
  if (role === 'author' && user) return { uploadedBy: { equals: user.id } }
  return false
}
