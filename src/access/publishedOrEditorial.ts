import type { Access } from 'payload'

import { editorialRole } from './roles'

/**
 * Readers (anonymous or API key) see published documents only; the editorial team sees drafts too.
 * The constraint is a query, so it filters lists, finds by id, GraphQL and versions alike.
 */
export const publishedOrEditorial: Access = ({ req: { user } }) => {
  if (editorialRole(user)) return true
  return { _status: { equals: 'published' } }
}
