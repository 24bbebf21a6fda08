import type { CollectionAfterChangeHook } from 'payload'

import type { Category } from '../../../payload-types'

/**
 * The nested-docs plugin saves a new category a second time, to put its own id in its breadcrumbs,
 * after the create has built its answer. Without this the client would get the first save's
 * `updatedAt` (stale at once, so its next save with it is refused as a conflict) and breadcrumbs
 * without the id. Runs after the plugin's hooks.
 */
export const answerWithStoredCategory: CollectionAfterChangeHook = async ({ doc, operation, req }) => {
  if (operation !== 'create') return doc
  const stored = await req.payload.db.findOne<Category>({
    collection: 'categories',
    where: { id: { equals: doc.id } },
    req,
  })
  return stored ? { ...doc, updatedAt: stored.updatedAt, breadcrumbs: stored.breadcrumbs } : doc
}
