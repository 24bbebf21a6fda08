import sharp from 'sharp'
import { rgbaToThumbHash, thumbHashToRGBA } from 'thumbhash'

/** What a front end paints before an image arrives. */
export type Placeholder = {
  /** ThumbHash (https://evanw.github.io/thumbhash/), base64: about 25 bytes that decode to a blurred picture with alpha. */
  thumbHash: string
  /** The same picture as a `data:image/png;base64,…` URI under 1 KB, for a CSS background or an `<img>` as is. */
  dataUrl: string
  /** The average colour of the visible pixels, `#rrggbb`. */
  dominantColor: string
}

/** ThumbHash encodes at most 100×100 pixels. */
const HASH_SIDE = 100
/** Longest side of the data URI's picture, tried largest first until the URI fits. */
const DATA_URL_SIDES = [32, 24, 16, 12, 8]
export const DATA_URL_MAX_BYTES = 1024

const hex = (value: number) => Math.round(Math.min(255, Math.max(0, value))).toString(16).padStart(2, '0')

/**
 * Weighted by opacity, so the transparent parts of a PNG (whatever colour they hold) do not pull
 * the colour toward black; a picture with no visible pixel at all gets white.
 */
const averageVisibleColour = (rgba: Uint8Array): string => {
  let r = 0
  let g = 0
  let b = 0
  let weight = 0
  for (let i = 0; i < rgba.length; i += 4) {
    const alpha = rgba[i + 3] / 255
    r += rgba[i] * alpha
    g += rgba[i + 1] * alpha
    b += rgba[i + 2] * alpha
    weight += alpha
  }
  if (weight === 0) return '#ffffff'
  return `#${hex(r / weight)}${hex(g / weight)}${hex(b / weight)}`
}

/**
 * Largest side first. A plain PNG of a ThumbHash's blur costs about 1 ms; a palette PNG is often a
 * third smaller but its quantisation costs about 17 ms, so it is tried only when no plain one fits.
 * An opaque picture drops its alpha channel (a quarter of the bytes).
 */
const dataUrlOf = async (hash: Uint8Array): Promise<string> => {
  const { w, h, rgba } = thumbHashToRGBA(hash)
  let opaque = true
  for (let i = 3; i < rgba.length && opaque; i += 4) opaque = rgba[i] === 255
  const encode = (side: number, palette: boolean) => {
    const resized = sharp(Buffer.from(rgba), { raw: { width: w, height: h, channels: 4 } }).resize(side, side, { fit: 'inside' })
    return (opaque ? resized.removeAlpha() : resized)
      .png(palette ? { compressionLevel: 9, palette: true, colours: 64 } : { compressionLevel: 9 })
      .toBuffer()
  }
  let smallest = ''
  for (const palette of [false, true]) {
    for (const side of DATA_URL_SIDES) {
      const uri = `data:image/png;base64,${(await encode(side, palette)).toString('base64')}`
      if (uri.length < DATA_URL_MAX_BYTES) return uri
      if (!smallest || uri.length < smallest.length) smallest = uri
    }
  }
  return smallest
}

/**
 * The placeholder of an image (a file's bytes or its path), turned upright by its EXIF orientation
 * as browsers show it. For an animated image, its first frame.
 */
export const computePlaceholder = async (input: Buffer | string): Promise<Placeholder> => {
  const { data, info } = await sharp(input, { animated: false })
    .rotate()
    .resize(HASH_SIDE, HASH_SIDE, { fit: 'inside' })
    .ensureAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true })
  const rgba = new Uint8Array(data.buffer, data.byteOffset, data.length)
  const hash = rgbaToThumbHash(info.width, info.height, rgba)
  return {
    thumbHash: Buffer.from(hash).toString('base64'),
    dataUrl: await dataUrlOf(hash),
    dominantColor: averageVisibleColour(rgba),
  }
}
