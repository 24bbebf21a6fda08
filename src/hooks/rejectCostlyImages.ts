import type { CollectionBeforeOperationHook } from 'payload'
import { APIError } from 'payload'
import type { Metadata } from 'sharp'
import sharp from 'sharp'

export type ImageLimits = {
  /** Pixels of an image, every frame of an animation counted. */
  maxPixels: number
  /** Frames of an animation. */
  maxFrames: number
}

/** An upload whose decoding would cost more than the server allows; the client's remedy is a smaller file. */
export class ImageTooLarge extends APIError {
  constructor(message: string) {
    super(message, 413, null, true)
    this.name = 'ImageTooLarge'
  }
}

const megapixels = (pixels: number) => `${Math.round(pixels / 100_000) / 10} megapixels`

/**
 * Refuses an uploaded image whose pixels or frames are over the limits before Payload starts
 * resizing it: the cost of an image is in its pixels, not its bytes (a 16000×16000 PNG of one
 * colour is a few hundred KB and took 10 s and 390 MB to resize). sharp's metadata() reads only
 * the header (for an animation, it walks the frames without decoding them). Runs before the
 * operation, so before Payload's own processing (generateFileData) and whoever the uploader is.
 */
export const rejectCostlyImages =
  ({ maxPixels, maxFrames }: ImageLimits): CollectionBeforeOperationHook =>
  async ({ args, operation, req }) => {
    if ((operation !== 'create' && operation !== 'update') || !req.file) return args
    const input = req.file.tempFilePath || req.file.data
    if (!input || (Buffer.isBuffer(input) && input.length === 0)) return args
    let metadata: Metadata
    try {
      metadata = await sharp(input, { animated: true, limitInputPixels: false }).metadata()
    } catch {
      // Not an image sharp reads: Payload's own checks (MIME types, file type) decide.
      return args
    }
    const frames = metadata.pages ?? 1
    const width = metadata.width ?? 0
    const frameHeight = metadata.pageHeight ?? metadata.height ?? 0
    if (frames > maxFrames) {
      throw new ImageTooLarge(
        `The image has ${frames} frames; this server accepts at most ${maxFrames} (MEDIA_MAX_FRAMES).`,
      )
    }
    const pixels = width * frameHeight * frames
    if (pixels > maxPixels) {
      const size = `${width}×${frameHeight} pixels${frames > 1 ? ` × ${frames} frames` : ''}`
      throw new ImageTooLarge(
        `The image is ${size} (${megapixels(pixels)}); this server accepts at most ${megapixels(maxPixels)} (MEDIA_MAX_MEGAPIXELS).`,
      )
    }
    return args
  }
