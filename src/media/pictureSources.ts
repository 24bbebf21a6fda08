/**
 * What a `<picture>` element needs, from a media document's sizes: one `<source>` per format, each
 * with a `srcset` of its widths, a fallback `src`, and the width and height a browser reserves
 * space with. Used for the `picture` field of media (REST, GraphQL) and for images in rich-text HTML,
 * so both give the same list. URLs are the document's own (absolute, `?v=`-versioned).
 */

type Size = { url?: string | null; width?: number | null; height?: number | null; mimeType?: string | null }
export type PictureMedia = {
  url?: string | null
  width?: number | null
  height?: number | null
  mimeType?: string | null
  sizes?: Record<string, Size | null | undefined> | null
}
export type PictureSource = { type: string; srcset: string }
export type Picture = { sources: PictureSource[]; src: string; width: number | null; height: number | null; sizes: string }

/** Smallest format first: a browser takes the first `<source>` whose type it can show. */
export const PICTURE_FORMATS = [
  { type: 'image/avif', sizes: ['cardAvif', 'featureAvif'] },
  { type: 'image/webp', sizes: ['thumbnail', 'card', 'feature'] },
] as const

/**
 * Originals sharp reads as animations. sharp's AVIF encoder cannot write one: it stacks the frames
 * into a single tall still picture, so those AVIF sizes are never offered (the WebP ones animate).
 */
const ANIMATABLE = new Set(['image/gif', 'image/webp', 'image/tiff'])

/** Full width on small screens, at most the widest size (1280 px) beyond. */
export const DEFAULT_PICTURE_SIZES = '(max-width: 1280px) 100vw, 1280px'

/** The `picture` of a media document, or null when it has no file URL (or its sizes were not read). */
export const pictureOf = (media: PictureMedia, isSafeUrl: (url: string) => boolean = () => true): Picture | null => {
  if (!media.url || !isSafeUrl(media.url)) return null
  const sources: PictureSource[] = []
  for (const format of PICTURE_FORMATS) {
    if (format.type === 'image/avif' && ANIMATABLE.has(media.mimeType ?? '')) continue
    const candidates = format.sizes
      .map((name) => media.sizes?.[name])
      .filter((size): size is Size => Boolean(size?.url && size.width && (!size.mimeType || size.mimeType === format.type) && isSafeUrl(size.url)))
      .sort((a, b) => (a.width as number) - (b.width as number))
      .map((size) => `${size.url} ${size.width}w`)
    if (candidates.length) sources.push({ type: format.type, srcset: candidates.join(', ') })
  }
  return { sources, src: media.url, width: media.width ?? null, height: media.height ?? null, sizes: DEFAULT_PICTURE_SIZES }
}
