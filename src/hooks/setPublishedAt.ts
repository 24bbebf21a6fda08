import type { CollectionBeforeChangeHook } from 'payload'

/**
 * The first publication dates a document; later edits and republishing keep that date, and an
 * editor may still set or change it by hand (back-dating an imported article, say).
 */
export const setPublishedAt: CollectionBeforeChangeHook = ({ data, originalDoc }) => {
  const publishing = data._status === 'published'
  const hasDate = Boolean(data.publishedAt ?? originalDoc?.publishedAt)
  if (publishing && !hasDate) data.publishedAt = new Date().toISOString()
  return data
}
