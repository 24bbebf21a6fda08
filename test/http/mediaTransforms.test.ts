// Transforms on request through the production server: /api/media/file/<original>?w=&h=&fit=&fm=&q=
// (src/server/mediaFiles.ts, src/media/transforms.ts). Real uploads, real renders through sharp.
import fs from 'node:fs'
import path from 'node:path'

import sharp from 'sharp'

import { login } from '../helpers/http'
import type { Json } from '../helpers/http'
import { assertConformsToSpec } from '../helpers/openapi'
import type { TestServer } from '../helpers/server'
import { TEST_ADMIN, startTestServer } from '../helpers/server'

let server: TestServer
let busy: TestServer
let adminAuth: string
let doc: Json

let nextAddress = 1
const fromNewAddress = () => ({ 'x-forwarded-for': `198.51.100.${nextAddress++}` })

/** Every answer is checked against the OpenAPI document, except to queries with parameters it does not name, on purpose. */
const fetchFile = async (base: string, pathAndQuery: string, headers: Record<string, string> = {}, method = 'GET') => {
  const target = `${base}${pathAndQuery}`
  const res = await fetch(target, { method, headers: { ...fromNewAddress(), ...headers } })
  const body = Buffer.from(await res.arrayBuffer())
  const undocumented = [...new URL(target).searchParams.keys()].some((name) => !['w', 'h', 'fit', 'fm', 'q', 'v'].includes(name))
  if (!undocumented) await assertConformsToSpec(base, { method, url: target, status: res.status, contentType: res.headers.get('content-type'), text: body.toString('latin1') })
  return { status: res.status, headers: res.headers, body }
}

const upload = async (base: string, auth: string, bytes: Buffer, filename: string, data: Record<string, unknown> = {}): Promise<Json> => {
  const form = new FormData()
  form.append('file', new Blob([new Uint8Array(bytes)], { type: 'image/png' }), filename)
  form.append('_payload', JSON.stringify({ alt: filename, ...data }))
  const res = await fetch(`${base}/api/media`, { method: 'POST', headers: { authorization: auth }, body: form })
  const body = (await res.json()) as Json
  if (res.status !== 201) throw new Error(`upload failed: ${res.status} ${JSON.stringify(body)}`)
  return body.doc
}

/** Left half red, right half blue: where a crop was taken shows in its colour. */
const halves = async (width = 2400, height = 1200) => {
  const red = await sharp({ create: { width: width / 2, height, channels: 3, background: '#ff0000' } }).png().toBuffer()
  return sharp({ create: { width, height, channels: 3, background: '#0000ff' } })
    .composite([{ input: red, left: 0, top: 0 }])
    .png()
    .toBuffer()
}

const meanColour = async (bytes: Buffer) => (await sharp(bytes).stats()).channels.slice(0, 3).map((channel) => Math.round(channel.mean))

let fileName: string
let version: string

beforeAll(async () => {
  server = await startTestServer({ seed: true })
  adminAuth = await login(server.url, TEST_ADMIN.email, TEST_ADMIN.password)
  // The focal point on the blue side.
  doc = await upload(server.url, adminAuth, await halves(), 'halves.png', { focalX: 80, focalY: 50 })
  fileName = new URL(doc.url).pathname.split('/').pop() as string
  version = new URL(doc.url).searchParams.get('v') as string
}, 180_000)

afterAll(async () => {
  await server?.stop()
  await busy?.stop()
})

test('each format at the asked width, with its own type, strong validators and immutable caching under v', async () => {
  const expected = { avif: ['image/avif', 'heif'], webp: ['image/webp', 'webp'], jpeg: ['image/jpeg', 'jpeg'], png: ['image/png', 'png'] }
  for (const [fm, [type, format]] of Object.entries(expected)) {
    const res = await fetchFile(server.url, `/api/media/file/${fileName}?w=640&fm=${fm}&v=${version}`)
    expect([fm, res.status, res.headers.get('content-type')]).toEqual([fm, 200, type])
    const meta = await sharp(res.body).metadata()
    expect([fm, meta.format, meta.width, meta.height]).toEqual([fm, format, 640, 320])
    expect(res.headers.get('etag')).toMatch(/^"[A-Za-z0-9_-]{43}"$/)
    expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable')
    expect(res.headers.get('content-disposition')).toBe('inline')
  }
  // Without v, or an outdated one: kept only while it revalidates, as for any file.
  const bare = await fetchFile(server.url, `/api/media/file/${fileName}?w=640&fm=webp`)
  expect(bare.headers.get('cache-control')).toBe('public, no-cache')
})

test('rendered once and stored: a repeat is the same bytes and ETag, and answers If-None-Match with 304', async () => {
  const query = `/api/media/file/${fileName}?fm=webp&w=320&h=320`
  const first = await fetchFile(server.url, query)
  const stored = path.join(server.dir, 'media', '.transforms', fileName)
  expect(fs.existsSync(stored)).toBe(true)
  const files = fs.readdirSync(stored, { recursive: true }) as string[]
  expect(files).toContain(path.join(version, 'w320-h320-cover-q80.webp'))
  // The same transform asked in another order is the same file.
  const again = await fetchFile(server.url, `/api/media/file/${fileName}?h=320&w=320&fit=cover&q=80&fm=webp`)
  expect(again.body.equals(first.body)).toBe(true)
  expect(again.headers.get('etag')).toBe(first.headers.get('etag'))
  const revalidated = await fetchFile(server.url, query, { 'if-none-match': first.headers.get('etag') as string })
  expect(revalidated.status).toBe(304)
  const head = await fetchFile(server.url, query, {}, 'HEAD')
  expect([head.status, head.headers.get('content-length')]).toEqual([200, String(first.body.length)])
  const range = await fetchFile(server.url, query, { range: 'bytes=0-9' })
  expect([range.status, range.body.equals(first.body.subarray(0, 10))]).toEqual([206, true])
})

test('cover crops around the focal point; inside keeps the whole picture; nothing is enlarged', async () => {
  const cover = await fetchFile(server.url, `/api/media/file/${fileName}?w=480&h=480&fm=png`)
  expect(await meanColour(cover.body)).toEqual([0, 0, 255])
  const inside = await fetchFile(server.url, `/api/media/file/${fileName}?w=480&h=480&fit=inside&fm=png`)
  const meta = await sharp(inside.body).metadata()
  expect([meta.width, meta.height]).toEqual([480, 240])
  const widest = await sharp((await fetchFile(server.url, `/api/media/file/${fileName}?w=1920&fm=webp`)).body).metadata()
  expect([widest.width, widest.height]).toEqual([1920, 960])

  const small = await upload(server.url, adminAuth, await halves(400, 200), 'small-halves.png')
  const smallName = new URL(small.url).pathname.split('/').pop() as string
  const notEnlarged = await sharp((await fetchFile(server.url, `/api/media/file/${smallName}?w=1280&fm=webp`)).body).metadata()
  expect([notEnlarged.width, notEnlarged.height]).toEqual([400, 200])
})

const storedTransforms = () => (fs.readdirSync(path.join(server.dir, 'media', '.transforms'), { recursive: true }) as string[]).sort()

test('anything outside the allowed set is a 400 with a message; a resized image takes no parameters', async () => {
  const storedBefore = storedTransforms()
  for (const query of ['w=641', 'w=99999', 'h=abc', 'fm=gif', 'fm=tiff', 'q=85', 'q=100', 'w=640&fit=cover', 'fit=fill&w=640&h=640', 'fm=png&q=80', 'w=640&w=320', 'w=640&width=640', 'w[]=640']) {
    const res = await fetchFile(server.url, `/api/media/file/${fileName}?${query}`)
    expect([query, res.status, res.headers.get('cache-control')]).toEqual([query, 400, 'no-store'])
    expect([query, JSON.parse(res.body.toString()).errors[0].message]).toEqual([query, expect.any(String)])
  }
  const card = new URL(doc.sizes.card.url).pathname
  const sized = await fetchFile(server.url, `${card}?w=320`)
  expect(sized.status).toBe(400)
  expect(JSON.parse(sized.body.toString()).errors[0].message).toMatch(/original upload only/)
  // A name no document has is a 404 whatever the parameters, as without them.
  expect((await fetchFile(server.url, '/api/media/file/nobody.png?w=320')).status).toBe(404)
  // Plain files keep ignoring parameters they never took.
  expect((await fetchFile(server.url, `/api/media/file/${fileName}?utm_source=x`)).status).toBe(200)
  // Nothing of any of that was rendered or stored.
  expect(storedTransforms()).toEqual(storedBefore)
})

test('deleting the document removes its stored transforms with its files', async () => {
  const gone = await upload(server.url, adminAuth, await halves(800, 400), 'short-lived.png')
  const goneName = new URL(gone.url).pathname.split('/').pop() as string
  expect((await fetchFile(server.url, `/api/media/file/${goneName}?w=320&fm=avif`)).status).toBe(200)
  expect(fs.existsSync(path.join(server.dir, 'media', '.transforms', goneName))).toBe(true)
  const res = await fetch(`${server.url}/api/media/${gone.id}`, { method: 'DELETE', headers: { authorization: adminAuth } })
  expect(res.status).toBe(200)
  expect(fs.existsSync(path.join(server.dir, 'media', '.transforms', goneName))).toBe(false)
  const left = fs.readdirSync(path.join(server.dir, 'media'), { recursive: true }) as string[]
  expect(left.filter((name) => name.includes('short-lived'))).toEqual([])
  expect((await fetchFile(server.url, `/api/media/file/${goneName}?w=320&fm=avif`)).status).toBe(404)
})

test('past its render slots and queue the server answers 503 with Retry-After; stored transforms are still served', async () => {
  busy = await startTestServer({ seed: true, env: { MEDIA_TRANSFORM_CONCURRENCY: '1', MEDIA_TRANSFORM_QUEUE: '1' } })
  const auth = await login(busy.url, TEST_ADMIN.email, TEST_ADMIN.password)
  const big = await upload(busy.url, auth, await halves(2400, 1200), 'busy.png')
  const name = new URL(big.url).pathname.split('/').pop() as string
  const warm = await fetchFile(busy.url, `/api/media/file/${name}?w=160&fm=webp`)
  expect(warm.status).toBe(200)
  const answers = await Promise.all(
    [320, 480, 640, 768, 960, 1280, 1600, 1920].map((w) => fetchFile(busy.url, `/api/media/file/${name}?w=${w}&fm=avif&q=90`)),
  )
  const statuses = answers.map((answer) => answer.status)
  expect(statuses.filter((status) => status === 200).length).toBeGreaterThanOrEqual(2)
  expect(statuses.filter((status) => status === 503).length).toBeGreaterThanOrEqual(1)
  for (const answer of answers.filter((a) => a.status === 503)) expect(answer.headers.get('retry-after')).toBe('2')
  expect((await fetchFile(busy.url, `/api/media/file/${name}?w=160&fm=webp`)).status).toBe(200)
})
