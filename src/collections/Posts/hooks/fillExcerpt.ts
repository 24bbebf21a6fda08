import type { CollectionBeforeChangeHook } from 'payload'

import { excerptFromText, richTextToPlainText } from '../../../utilities/richText'

export const EXCERPT_LENGTH = 200

const generatedFrom = (content: unknown) => excerptFromText(richTextToPlainText(content), EXCERPT_LENGTH)

/**
 * Listings need a teaser for every post. An editor's own excerpt is kept as written; a blank one is
 * taken from the opening of the content, and one that was generated before follows the content
 * when it changes (it is recognised by being equal to what the old content generates).
 */
export const fillExcerpt: CollectionBeforeChangeHook = ({ data, originalDoc }) => {
  const content = data.content !== undefined ? data.content : originalDoc?.content
  const excerpt = data.excerpt !== undefined ? data.excerpt : originalDoc?.excerpt
  const isBlank = typeof excerpt !== 'string' || excerpt.trim() === ''
  const wasGenerated = Boolean(originalDoc) && excerpt === generatedFrom(originalDoc?.content)
  if (isBlank || wasGenerated) data.excerpt = generatedFrom(content) || null
  return data
}
