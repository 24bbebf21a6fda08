import type { CollectionBeforeChangeHook } from 'payload'

import { readingTimeMinutes, richTextToPlainText } from '../../../utilities/richText'

export const computeReadingTime: CollectionBeforeChangeHook = ({ data, originalDoc }) => {
  const content = data.content !== undefined ? data.content : originalDoc?.content
  data.readingTime = readingTimeMinutes(richTextToPlainText(content))
  return data
}
