import os from 'node:os'
import path from 'node:path'

import type { Config, Plugin, SharpDependency } from 'payload'

import { wholeNumberFromEnv } from '../env'
import type { ImageLimits } from '../hooks/rejectCostlyImages'
import { rejectCostlyImages } from '../hooks/rejectCostlyImages'
import { bodyLimitsFromEnv, uploadTooLargeMessage } from '../server/bodyLimits'

/**
 * MEDIA_MAX_MEGAPIXELS defaults to 50: every phone's full-resolution photo (48-50 MP sensors) and
 * most cameras' (24-45 MP) fit, while the work of resizing stays a fifth of the 256-megapixel
 * image that took 10 s; the site serves renditions of at most 1280 pixels. Frames default to 300,
 * a 20-second animation at 15 frames a second; an animation's frames count towards the pixels too.
 */
export const imageLimitsFromEnv = (env: Record<string, string | undefined>): ImageLimits => ({
  maxPixels: wholeNumberFromEnv(env, 'MEDIA_MAX_MEGAPIXELS', 50, 1) * 1_000_000,
  maxFrames: wholeNumberFromEnv(env, 'MEDIA_MAX_FRAMES', 300, 1),
})

/**
 * Where an upload's file is written while it arrives. An upload kept in memory instead is copied
 * whole, on the event loop, for every image size sharp makes from it (about 70 ms for a 13 MB photo
 * and its four sizes, every other request waiting); from a file, sharp reads on its own threads.
 */
export const uploadTempDirFromEnv = (env: Record<string, string | undefined>) =>
  path.resolve(env.UPLOAD_TEMP_DIR?.trim() || path.join(os.tmpdir(), 'greenroom-uploads'))

/** Every sharp instance Payload makes refuses inputs over the pixel limit: a second line behind rejectCostlyImages. */
const withPixelLimit =
  (sharp: SharpDependency, limitInputPixels: number): SharpDependency =>
  (input, options) =>
    sharp(input, { ...options, limitInputPixels })

/**
 * The size limits of uploads, on every upload collection: Payload's multipart parser gets the file
 * size cap (MEDIA_MAX_UPLOAD_MB) with a message that names it, the `_payload` field (the admin
 * panel's saves) the JSON body cap, and the whole request both; images over the pixel or frame
 * limits are refused before resizing (src/hooks/rejectCostlyImages.ts).
 */
export const uploadLimitsPlugin =
  (env: Record<string, string | undefined>): Plugin =>
  (config): Config => {
    const body = bodyLimitsFromEnv(env)
    const images = imageLimitsFromEnv(env)
    return {
      ...config,
      sharp: config.sharp && withPixelLimit(config.sharp, images.maxPixels),
      upload: {
        ...config.upload,
        abortOnLimit: true,
        useTempFiles: true,
        tempFileDir: uploadTempDirFromEnv(env),
        responseOnLimit: uploadTooLargeMessage(body),
        requestSizeLimit: body.multipartBytes,
        limits: { ...config.upload?.limits, fileSize: body.uploadBytes, fieldSize: body.jsonBytes },
      },
      // A refused image is the client's doing: a warning, not an error with a stack.
      loggingLevels: { ...config.loggingLevels, ...({ ImageTooLarge: 'warn' } as Config['loggingLevels']) },
      collections: (config.collections ?? []).map((collection) =>
        collection.upload
          ? {
              ...collection,
              hooks: {
                ...collection.hooks,
                beforeOperation: [rejectCostlyImages(images), ...(collection.hooks?.beforeOperation ?? [])],
              },
            }
          : collection,
      ),
    }
  }
