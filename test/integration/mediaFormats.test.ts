// AVIF beside WebP for the larger sizes, and the `picture` field that lists them
// (src/collections/Media/imageSizes.ts, src/media/pictureSources.ts), through Payload's upload path.
import path from 'node:path'

import type { Payload } from 'payload'
import sharp from 'sharp'

import { closePayload } from '../../src/db/closePayload'
import { mediaDirectory } from '../../src/media/directory'
import { initPayload } from '../helpers/payload'

type Size = { url?: string | null; width?: number | null; height?: number | null; mimeType?: string | null; filename?: string | null }
type MediaDoc = {
  id: number
  url: string
  sizes: Record<string, Size>
  picture: { sources: { type: string; srcset: string }[]; src: string; width: number; height: number; sizes: string } | null
}

let payload: Payload

const upload = async (data: Buffer, name: string, mimetype: string) =>
  (await payload.create({ collection: 'media', overrideAccess: true, data: { alt: name }, file: { data, mimetype, name, size: data.length } })) as unknown as MediaDoc

beforeAll(async () => {
  payload = await initPayload()
}, 120_000)

afterAll(async () => {
  await closePayload(payload)
})

test('a photo gets AVIF card and feature sizes of the WebP ones\' dimensions, and a picture with both formats', async () => {
  const photo = await sharp({ create: { width: 2000, height: 1500, channels: 3, background: '#468', noise: { type: 'gaussian', mean: 120, sigma: 20 } } })
    .jpeg()
    .toBuffer()
  const doc = await upload(photo, 'formats.jpg', 'image/jpeg')
  for (const [avif, webp] of [['cardAvif', 'card'], ['featureAvif', 'feature']]) {
    expect([avif, doc.sizes[avif].mimeType, doc.sizes[avif].width, doc.sizes[avif].height]).toEqual([
      avif,
      'image/avif',
      doc.sizes[webp].width,
      doc.sizes[webp].height,
    ])
    expect(doc.sizes[avif].filename).toMatch(/\.avif$/)
  }
  expect(doc.sizes.thumbnailAvif).toBeUndefined()
  expect(doc.picture).toEqual({
    sources: [
      { type: 'image/avif', srcset: `${doc.sizes.cardAvif.url} 640w, ${doc.sizes.featureAvif.url} 1280w` },
      { type: 'image/webp', srcset: `${doc.sizes.thumbnail.url} 300w, ${doc.sizes.card.url} 640w, ${doc.sizes.feature.url} 1280w` },
    ],
    src: doc.url,
    width: 2000,
    height: 1500,
    sizes: '(max-width: 1280px) 100vw, 1280px',
  })
  // The URLs are the document's own: absolute and versioned.
  expect(doc.picture?.sources[0].srcset).toMatch(/^http:\/\/\S+\.avif\?v=[0-9a-f]{16} 640w, /)
  const decoded = await sharp(path.join(mediaDirectory, doc.sizes.cardAvif.filename as string)).metadata()
  expect([decoded.format, decoded.width]).toEqual(['heif', 640])
})

test('a read that selects no sizes gets no partial picture', async () => {
  const png = await sharp({ create: { width: 800, height: 600, channels: 3, background: '#a00' } }).png().toBuffer()
  const doc = await upload(png, 'select.png', 'image/png')
  const picked = (await payload.findByID({ collection: 'media', id: doc.id, select: { alt: true }, overrideAccess: true })) as unknown as MediaDoc
  expect(picked.picture ?? null).toBeNull()
})

test('an animated GIF is offered as animated WebP only: sharp cannot write an animated AVIF', async () => {
  const frame = (colour: string) => sharp({ create: { width: 900, height: 600, channels: 4, background: colour } }).png().toBuffer()
  const gif = await sharp([await frame('#f00'), await frame('#00f')], { join: { animated: true } }).gif({ delay: [100, 100] }).toBuffer()
  const doc = await upload(gif, 'animated.gif', 'image/gif')
  expect(doc.picture?.sources.map((source) => source.type)).toEqual(['image/webp'])
  expect((await sharp(gif, { animated: true }).metadata()).pages).toBe(2)
})
