import type { CollectionBeforeDeleteHook, CollectionSlug } from 'payload'
import { APIError } from 'payload'

import type { Reference } from '../utilities/findReferences'
import { findReferences } from '../utilities/findReferences'

const describe = (reference: Reference) =>
  reference.where === 'global'
    ? `the ${reference.title} settings`
    : `${reference.collection} "${reference.title}" (id ${reference.id}${reference.where === 'draft' ? ', in its unpublished draft' : reference.where === 'trash' ? ', in the trash' : ''})`

/**
 * Refuses to delete a document that content still points at, with 409 and the list of what uses it,
 * instead of leaving pages with a missing image or posts in a category that is gone. The editor
 * removes the references first (or deletes those documents) and then deletes this one.
 */
export const preventDeleteWhileReferenced =
  (noun: string): CollectionBeforeDeleteHook =>
  async ({ collection, id, req }) => {
    const references = await findReferences({
      payload: req.payload,
      req,
      target: collection.slug as CollectionSlug,
      id,
    })
    if (references.length === 0) return
    const listed = references.slice(0, 5).map(describe).join('; ')
    const more = references.length > 5 ? ' and more' : ''
    throw new APIError(
      `This ${noun} cannot be deleted while it is in use: ${listed}${more}. Remove it from there first.`,
      409,
      { references },
      true,
    )
  }
