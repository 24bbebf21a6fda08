import fs from 'node:fs'

import type { CollectionBeforeChangeHook } from 'payload'

import { computePlaceholder } from '../../../media/placeholders'

/**
 * The placeholder belongs to the file: made whenever a file arrives (an upload, a replacement, a
 * re-crop, a regeneration), kept as it is by an edit of the other fields. `req.file` is the original
 * as Payload stores it (after a crop).
 */
export const storePlaceholder: CollectionBeforeChangeHook = async ({ data, req }) => {
  const file = req.file
  if (!file) return data
  const input = file.data?.length ? file.data : file.tempFilePath ? await fs.promises.readFile(file.tempFilePath) : undefined
  if (!input) return data
  try {
    data.placeholder = await computePlaceholder(input)
  } catch (error) {
    // A file sharp cannot read has no placeholder; the upload itself is Payload's to accept or refuse.
    req.payload.logger.warn({ err: error, filename: data.filename }, 'No placeholder could be computed for this upload.')
  }
  return data
}
