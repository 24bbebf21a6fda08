// Placeholders made from real images through sharp (src/media/placeholders.ts).
import sharp from 'sharp'
import { thumbHashToApproximateAspectRatio, thumbHashToAverageRGBA } from 'thumbhash'

import { DATA_URL_MAX_BYTES, computePlaceholder } from '../../src/media/placeholders'

const solid = (width: number, height: number, background: string) =>
  sharp({ create: { width, height, channels: 3, background } }).jpeg({ quality: 95 }).toBuffer()

const channels = (hex: string) => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16))

/** Within a few levels per channel: resizing blends edges. */
const expectColour = (actual: string, expected: string) => {
  expect(actual).toMatch(/^#[0-9a-f]{6}$/)
  channels(actual).forEach((value, i) => expect(Math.abs(value - channels(expected)[i])).toBeLessThanOrEqual(4))
}

test('a solid colour gives that colour, and a ThumbHash of the same colour and shape', async () => {
  const placeholder = await computePlaceholder(await solid(1200, 600, '#c03020'))
  expectColour(placeholder.dominantColor, '#c03020')
  const hash = Buffer.from(placeholder.thumbHash, 'base64')
  expect(thumbHashToApproximateAspectRatio(hash)).toBeCloseTo(2, 0)
  const { r, g, b, a } = thumbHashToAverageRGBA(hash)
  expect([Math.round(r * 255), Math.round(g * 255), Math.round(b * 255), a]).toEqual([
    expect.closeTo(0xc0, -1),
    expect.closeTo(0x30, -1),
    expect.closeTo(0x20, -1),
    1,
  ])
})

test('the data URI is a PNG under 1 KB even for a 12-megapixel photo full of detail', async () => {
  const width = 4000
  const height = 3000
  const noise = Buffer.alloc(width * height * 3)
  for (let i = 0; i < noise.length; i++) noise[i] = (i * 2654435761) >>> 24
  const photo = await sharp(noise, { raw: { width, height, channels: 3 } }).jpeg().toBuffer()
  const { dataUrl } = await computePlaceholder(photo)
  expect(dataUrl).toMatch(/^data:image\/png;base64,/)
  expect(dataUrl.length).toBeLessThan(DATA_URL_MAX_BYTES)
  const png = await sharp(Buffer.from(dataUrl.split(',')[1], 'base64')).metadata()
  expect(png.format).toBe('png')
  expect((png.width as number) / (png.height as number)).toBeCloseTo(4 / 3, 0)
})

test('transparent pixels do not darken the dominant colour; the ThumbHash keeps the alpha', async () => {
  const square = await sharp({ create: { width: 100, height: 100, channels: 4, background: '#00c000' } }).png().toBuffer()
  const mostlyClear = await sharp({ create: { width: 400, height: 400, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } } })
    .composite([{ input: square }])
    .png()
    .toBuffer()
  const placeholder = await computePlaceholder(mostlyClear)
  expectColour(placeholder.dominantColor, '#00c000')
  expect(thumbHashToAverageRGBA(Buffer.from(placeholder.thumbHash, 'base64')).a).toBeLessThan(0.5)
  expect(placeholder.dataUrl.length).toBeLessThan(DATA_URL_MAX_BYTES)
})

test('a photo stored sideways with an EXIF orientation gets the placeholder of the upright picture', async () => {
  const landscape = await sharp({ create: { width: 800, height: 400, channels: 3, background: '#2040a0' } })
    .jpeg()
    .withMetadata({ orientation: 6 })
    .toBuffer()
  const { thumbHash } = await computePlaceholder(landscape)
  expect(thumbHashToApproximateAspectRatio(Buffer.from(thumbHash, 'base64'))).toBeCloseTo(0.5, 0)
})

test('an animated GIF gets the placeholder of its first frame; a file that is no image is refused', async () => {
  const frames = await sharp({ create: { width: 60, height: 40, channels: 4, background: '#ff0000' } }).gif().toBuffer()
  expectColour((await computePlaceholder(frames)).dominantColor, '#ff0000')
  await expect(computePlaceholder(Buffer.from('not an image'))).rejects.toThrow()
})
