import fs from 'node:fs'

import type { CollectionBeforeChangeHook } from 'payload'
import sharp from 'sharp'

/**
 * A phone's portrait photo is often stored landscape with an EXIF orientation (5–8) saying to turn
 * it. Browsers show it turned, and Payload makes the resized images turned, but stores the
 * original's width and height as the pixels lie: a front end reserving space by them, or by
 * `aspectRatio`, would reserve a landscape box for a portrait picture. Stored as shown instead.
 */
export const uprightDimensions: CollectionBeforeChangeHook = async ({ data, req }) => {
  const file = req.file
  if (!file || typeof data.width !== 'number' || typeof data.height !== 'number') return data
  const input = file.data?.length ? file.data : file.tempFilePath ? await fs.promises.readFile(file.tempFilePath) : undefined
  if (!input) return data
  const { orientation } = await sharp(input).metadata().catch(() => ({ orientation: undefined }))
  if (orientation && orientation >= 5 && orientation <= 8) [data.width, data.height] = [data.height, data.width]
  return data
}
