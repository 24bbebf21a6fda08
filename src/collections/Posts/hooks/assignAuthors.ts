import type { CollectionBeforeValidateHook } from 'payload'
import { ValidationError } from 'payload'

import { editorialRole } from '../../../access/roles'

const idOf = (value: unknown) => (typeof value === 'object' && value !== null ? (value as { id: unknown }).id : value)

/**
 * A new post is credited to whoever writes it unless authors are chosen. An author (the role)
 * must stay among a post's authors: otherwise one save would lock them out of their own post.
 */
export const assignAuthors: CollectionBeforeValidateHook = ({ data, operation, originalDoc, req }) => {
  if (!data || !req.user) return data
  const role = editorialRole(req.user)
  if (!role) return data

  const authors: unknown[] | undefined = data.authors ?? originalDoc?.authors
  if (operation === 'create' && (!authors || authors.length === 0)) {
    data.authors = [req.user.id]
    return data
  }
  if (role === 'author' && authors && !authors.map(idOf).some((id) => String(id) === String(req.user?.id))) {
    throw new ValidationError({
      collection: 'posts',
      errors: [{ path: 'authors', message: 'You must remain one of the authors of a post you save.' }],
    })
  }
  return data
}
