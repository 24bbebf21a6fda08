import fs from 'node:fs'

import type { CollectionBeforeChangeHook } from 'payload'

import { computePlaceholder } from '../../../media/placeholders'
import { imageSizes } from '../imageSizes'

/** Sizes that keep the whole picture, upright (Payload turns sizes by their EXIF orientation), smallest first. */
const wholePictureSizes = imageSizes
  .filter((size) => size.fit === 'inside' && !size.height && size.width)
  .sort((a, b) => (a.width ?? 0) - (b.width ?? 0))
  .map((size) => size.name)

/**
 * The placeholder belongs to the file: made whenever a file arrives (an upload, a replacement, a
 * re-crop, a regeneration), kept as it is by an edit of the other fields. It is made from the
 * smallest whole-picture size Payload has just rendered (`req.payloadUploadSizes`), which holds
 * all a 100-pixel ThumbHash needs: decoding the original again cost about 50 ms of a 12-megapixel
 * upload. Without one (a picture smaller than that size), from `req.file`, the original as Payload
 * stores it (after a crop).
 */
export const storePlaceholder: CollectionBeforeChangeHook = async ({ data, req }) => {
  const file = req.file
  if (!file) return data
  const rendered = wholePictureSizes.map((name) => req.payloadUploadSizes?.[name]).find((buffer) => buffer?.length)
  const input =
    rendered ?? (file.data?.length ? file.data : file.tempFilePath ? await fs.promises.readFile(file.tempFilePath) : undefined)
  if (!input) return data
  try {
    data.placeholder = await computePlaceholder(input)
  } catch (error) {
    // A file sharp cannot read has no placeholder; the upload itself is Payload's to accept or refuse.
    req.payload.logger.warn({ err: error, filename: data.filename }, 'No placeholder could be computed for this upload.')
  }
  return data
}
