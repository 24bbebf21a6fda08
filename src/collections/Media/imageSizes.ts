import type { ImageSize } from 'payload'

const webp = { format: 'webp', options: { quality: 80 } } as const
/**
 * AVIF at quality 50, effort 3, 4:2:0: on the demo images and a 12-megapixel photo (`npm run
 * bench:formats`) it took 0.59x of WebP's bytes at 640 px and 0.53x at 1280 px, for 3–4x the encode
 * time. At 300 px it saved little on drawings and was larger than WebP on the photo, so thumbnails
 * stay WebP only; `og` stays JPEG for social networks.
 */
const avif = { format: 'avif', options: { quality: 50, effort: 3, chromaSubsampling: '4:2:0' } } as const

/**
 * Width-only sizes keep the whole picture, so they say `fit: 'inside'`: without it Payload takes its
 * focal-point path for them (every upload has a focal point), which crops to the shape the picture
 * already has, at more cost.
 */
const wholePicture = { fit: 'inside' } as const

export const imageSizes: ImageSize[] = [
  { name: 'thumbnail', width: 300, formatOptions: webp, ...wholePicture },
  { name: 'card', width: 640, formatOptions: webp, ...wholePicture },
  { name: 'feature', width: 1280, formatOptions: webp, withoutEnlargement: true, ...wholePicture },
  { name: 'cardAvif', width: 640, formatOptions: avif, ...wholePicture },
  { name: 'featureAvif', width: 1280, formatOptions: avif, withoutEnlargement: true, ...wholePicture },
  // Social networks still do not all accept WebP for link previews; JPEG is what they all read.
  { name: 'og', width: 1200, height: 630, crop: 'center', formatOptions: { format: 'jpeg', options: { quality: 82 } } },
]
