// `npm run bench:formats`: bytes and encode time of WebP against AVIF for each width the media
// collection makes, on the demo images (src/seed) and on a 12-megapixel photo-like image, to decide
// which sizes get an AVIF beside their WebP. Prints a table; asserts nothing.
import sharp from 'sharp'
import type { Sharp } from 'sharp'

import { makeDemoImage } from '../src/seed/images'
import { photoLikeJpeg } from './photo'
import { DEMO_IMAGES } from '../src/seed'

type Encoder = { label: string; encode: (image: Sharp) => Sharp }

const ENCODERS: Encoder[] = [
  { label: 'webp q80', encode: (image) => image.webp({ quality: 80 }) },
  { label: 'avif q50 e3', encode: (image) => image.avif({ quality: 50, effort: 3, chromaSubsampling: '4:2:0' }) },
  { label: 'avif q50 e4', encode: (image) => image.avif({ quality: 50, effort: 4, chromaSubsampling: '4:2:0' }) },
  { label: 'avif q60 e3', encode: (image) => image.avif({ quality: 60, effort: 3, chromaSubsampling: '4:2:0' }) },
]
const WIDTHS = [300, 640, 1280]
const ROUNDS = Number(process.env.BENCH_ROUNDS || 3)

const measure = async (input: Buffer, width: number, encoder: Encoder) => {
  const resized = await sharp(input).resize({ width }).raw().toBuffer({ resolveWithObject: true })
  let bytes = 0
  const times: number[] = []
  for (let round = 0; round < ROUNDS; round++) {
    const started = process.hrtime.bigint()
    const out = await encoder.encode(sharp(resized.data, { raw: resized.info })).toBuffer()
    times.push(Number(process.hrtime.bigint() - started) / 1e6)
    bytes = out.length
  }
  times.sort((a, b) => a - b)
  return { bytes, ms: times[Math.floor(times.length / 2)] }
}

const inputs: { name: string; data: Buffer }[] = []
for (const image of DEMO_IMAGES) inputs.push({ name: image.name, data: (await makeDemoImage(image.name, image.caption, [...image.colours])).data })
inputs.push({ name: '12 MP photo', data: await photoLikeJpeg() })

const rows: string[][] = [['image', 'width', ...ENCODERS.flatMap((e) => [`${e.label} bytes`, `${e.label} ms`]), 'avif q50 e3 / webp bytes']]
const totals = new Map<string, { bytes: number; ms: number }>()
for (const input of inputs) {
  for (const width of WIDTHS) {
    const results = []
    for (const encoder of ENCODERS) {
      const result = await measure(input.data, width, encoder)
      results.push(result)
      const key = `${width} ${encoder.label}`
      const total = totals.get(key) ?? { bytes: 0, ms: 0 }
      totals.set(key, { bytes: total.bytes + result.bytes, ms: total.ms + result.ms })
    }
    rows.push([input.name, String(width), ...results.flatMap((r) => [String(r.bytes), r.ms.toFixed(1)]), (results[1].bytes / results[0].bytes).toFixed(2)])
  }
}
const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)))
for (const row of rows) console.log(row.map((cell, column) => cell.padStart(widths[column])).join('  '))
console.log('\nAll images, per width:')
for (const width of WIDTHS) {
  const webp = totals.get(`${width} webp q80`) as { bytes: number; ms: number }
  for (const encoder of ENCODERS.slice(1)) {
    const avif = totals.get(`${width} ${encoder.label}`) as { bytes: number; ms: number }
    console.log(`  ${String(width).padStart(4)} w  ${encoder.label.padEnd(12)} bytes ${(avif.bytes / webp.bytes).toFixed(2)}x of WebP, encode ${(avif.ms / webp.ms).toFixed(1)}x`)
  }
}
