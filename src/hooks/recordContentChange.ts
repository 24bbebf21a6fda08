import type { CollectionAfterChangeHook, CollectionAfterDeleteHook, GlobalAfterChangeHook } from 'payload'

import { recordContentChange } from '../utilities/contentVersion'

/**
 * A draft saved over a draft changes nothing a reader can see; anything that was or is published
 * (publishing, unpublishing, a draft of a published document, collections without drafts) does.
 */
const onlyDraftsChanged = (doc: unknown, previousDoc: unknown) =>
  (doc as { _status?: string })?._status === 'draft' &&
  (previousDoc as { _status?: string } | undefined)?._status !== 'published'

export const recordCollectionChange: CollectionAfterChangeHook = async ({ req, doc, previousDoc }) => {
  if (!onlyDraftsChanged(doc, previousDoc)) await recordContentChange(req.payload, req)
  return doc
}

export const recordCollectionDelete: CollectionAfterDeleteHook = async ({ req, doc }) => {
  await recordContentChange(req.payload, req)
  return doc
}

export const recordGlobalChange: GlobalAfterChangeHook = async ({ req, doc, previousDoc }) => {
  if (!onlyDraftsChanged(doc, previousDoc)) await recordContentChange(req.payload, req)
  return doc
}
