// `npm run bench:media`: what an image costs.
//  1. Upload of a 12-megapixel JPEG with all sizes and the placeholder (Payload's Local API create on
//     the production server's code) against sharp alone making the same sizes from the same bytes,
//     by turns, as a ratio of medians (wall time and this process's CPU time).
//  2. Bytes of each size and format of that upload.
//  3. First and repeated transform requests against the production server (needs `npm run build`).
// Prints tables; asserts nothing. BENCH_ROUNDS (5) sets the turns.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'

import sharp from 'sharp'

import { photoLikeJpeg } from './photo'

const ROUNDS = Number(process.env.BENCH_ROUNDS || 5)
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'greenroom-bench-media-'))
process.env.DATABASE_URI = `file:${path.join(scratch, 'bench.db')}`
process.env.MEDIA_DIR = path.join(scratch, 'media')
process.env.SEED_DEMO_CONTENT = 'false'
// As the server runs: committed migrations, no schema push.
Object.assign(process.env, { NODE_ENV: 'production' })
process.env.JOBS_AUTORUN = 'false'
process.env.LOG_LEVEL = 'warn'
process.env.PAYLOAD_SECRET ||= 'bench-media-secret-of-at-least-32-characters'

const [{ default: config }, { getPayload }, { migrations }, { imageSizes }] = await Promise.all([
  import('../payload.config'),
  import('payload'),
  import('../src/migrations/sqlite'),
  import('../src/collections/Media/imageSizes'),
])
const payload = await getPayload({ config })
await payload.db.migrate({ migrations: migrations as never })

const photo = await photoLikeJpeg()
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]

/** The sizes as sharp alone makes them: turned upright, resized, encoded with the same options. */
const sharpAlone = async () => {
  const base = sharp(photo).rotate()
  await Promise.all(
    imageSizes.map(async (size) => {
      const { format, options } = size.formatOptions as { format: 'webp' | 'avif' | 'jpeg'; options?: object }
      const resized = base.clone().resize({
        width: size.width,
        height: size.height,
        fit: size.height ? 'cover' : 'inside',
        withoutEnlargement: size.withoutEnlargement,
      })
      return resized.toFormat(format, options).toBuffer()
    }),
  )
}

const upload = (round: number) =>
  payload.create({
    collection: 'media',
    overrideAccess: true,
    data: { alt: `bench ${round}` },
    file: { data: photo, mimetype: 'image/jpeg', name: `bench-${round}.jpg`, size: photo.length },
  })

const timed = async (work: () => Promise<unknown>) => {
  const cpu = process.cpuUsage()
  const started = process.hrtime.bigint()
  await work()
  const wall = Number(process.hrtime.bigint() - started) / 1e6
  const used = process.cpuUsage(cpu)
  return { wall, cpu: (used.user + used.system) / 1000 }
}

// One untimed turn of each: libvips and Payload warm up.
await sharpAlone()
let last = await upload(0)
const uploads: { wall: number; cpu: number }[] = []
const alone: { wall: number; cpu: number }[] = []
for (let round = 1; round <= ROUNDS; round++) {
  alone.push(await timed(sharpAlone))
  uploads.push(
    await timed(async () => {
      last = await upload(round)
    }),
  )
}

console.log(`\n12-megapixel JPEG (${(photo.length / 1e6).toFixed(1)} MB), ${ROUNDS} turns, medians:`)
console.log('                         wall ms    CPU ms')
const row = (label: string, values: { wall: number; cpu: number }[]) =>
  console.log(`${label.padEnd(24)} ${median(values.map((v) => v.wall)).toFixed(0).padStart(7)}   ${median(values.map((v) => v.cpu)).toFixed(0).padStart(7)}`)
row('sharp alone (sizes)', alone)
row('Greenroom upload', uploads)
console.log(
  `ratio (target ≤ 1.3x)    ${(median(uploads.map((v) => v.wall)) / median(alone.map((v) => v.wall))).toFixed(2)}x     ` +
    `${(median(uploads.map((v) => v.cpu)) / median(alone.map((v) => v.cpu))).toFixed(2)}x`,
)

console.log('\nBytes per size and format of that upload:')
const doc = last as unknown as { filesize: number; mimeType: string; sizes: Record<string, { width?: number; height?: number; filesize?: number; mimeType?: string }> }
console.log(`  original      ${String(doc.mimeType).padEnd(11)} ${String(doc.filesize).padStart(9)}`)
for (const [name, size] of Object.entries(doc.sizes)) {
  console.log(`  ${name.padEnd(13)} ${String(size.mimeType).padEnd(11)} ${String(size.filesize).padStart(9)}  ${size.width}×${size.height}`)
}
await payload.destroy()

// Transforms through the production server.
const { startTestServer, TEST_ADMIN } = await import('../test/helpers/server')
const { login } = await import('../test/helpers/http')
const { ensureProductionBuild } = await import('../scripts/lib/build.mjs')
await ensureProductionBuild(process.cwd(), (message: string) => console.log(message))
const server = await startTestServer({ seed: true })
try {
  const auth = await login(server.url, TEST_ADMIN.email, TEST_ADMIN.password)
  const form = new FormData()
  form.append('file', new Blob([new Uint8Array(photo)], { type: 'image/jpeg' }), 'transform.jpg')
  form.append('_payload', JSON.stringify({ alt: 'transform bench' }))
  const created = (await (await fetch(`${server.url}/api/media`, { method: 'POST', headers: { authorization: auth }, body: form })).json()) as {
    doc: { url: string }
  }
  const original = new URL(created.doc.url)
  console.log('\nTransforms of the 12-megapixel JPEG through the production server (ms):')
  console.log('  transform                     first   repeated (median of 20)   bytes')
  for (const query of ['w=1280&fm=avif', 'w=1280&fm=webp', 'w=640&h=640&fm=jpeg', 'w=320&fm=avif&q=40']) {
    const target = `${server.url}${original.pathname}?${query}`
    const get = async () => {
      const started = process.hrtime.bigint()
      const res = await fetch(target)
      const body = Buffer.from(await res.arrayBuffer())
      if (res.status !== 200) throw new Error(`${query}: ${res.status} ${body.toString().slice(0, 200)}`)
      return { ms: Number(process.hrtime.bigint() - started) / 1e6, bytes: body.length }
    }
    const first = await get()
    const repeats: number[] = []
    for (let k = 0; k < 20; k++) repeats.push((await get()).ms)
    console.log(`  ${query.padEnd(28)} ${first.ms.toFixed(0).padStart(6)}   ${median(repeats).toFixed(1).padStart(8)}                 ${first.bytes}`)
  }
} finally {
  await server.stop()
  fs.rmSync(scratch, { recursive: true, force: true })
}
