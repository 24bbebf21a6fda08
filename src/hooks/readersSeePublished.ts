import type { CollectionBeforeOperationHook, CollectionSlug } from 'payload'

import { editorialRole } from '../access/roles'

/**
 * `?draft=true` makes Payload read each document's newest version. For a published post with an
 * unpublished edit that version is a draft, which access control then hides, so a reader asking
 * for drafts would lose the post altogether. Readers cannot see drafts anyway: their reads always
 * go to the published version.
 */
export const readersSeePublished = <TSlug extends CollectionSlug>(): CollectionBeforeOperationHook<TSlug> => ({ args, operation, req }) => {
  if (operation !== 'read' || editorialRole(req.user)) return args
  if (args && typeof args === 'object' && 'draft' in args && args.draft) return { ...args, draft: false }
  return args
}
