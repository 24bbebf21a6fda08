// Issue 13: media files served as a CDN's origin should serve them (src/server/mediaFiles.ts): strong
// validators and 304s, Range with one or several ranges, If-Range, `immutable` only for a URL that
// names the current bytes, only files of readable media documents, and a rate limit of their own.
import { createHash } from 'node:crypto'
import fs from 'node:fs'
import http from 'node:http'
import path from 'node:path'

import sharp from 'sharp'

import { api, login } from '../helpers/http'
import type { Json } from '../helpers/http'
import { assertConformsToSpec } from '../helpers/openapi'
import type { TestServer } from '../helpers/server'
import { TEST_ADMIN, startTestServer } from '../helpers/server'

const SITE = 'http://site.test'
let server: TestServer
let url: string
let adminAuth: string

beforeAll(async () => {
  server = await startTestServer({
    seed: true,
    env: { RATE_LIMIT_PER_IP: '5', RATE_LIMIT_MEDIA_PER_IP: '20', CORS_ORIGINS: SITE },
  })
  url = server.url
  adminAuth = await login(url, TEST_ADMIN.email, TEST_ADMIN.password)
}, 120_000)

afterAll(async () => {
  await server?.stop()
})

/** Every request comes from an address of its own (the server trusts X-Forwarded-For from loopback), so rate limits do not mix. */
let nextAddress = 1
const fromNewAddress = () => ({ 'x-forwarded-for': `198.51.100.${nextAddress++}` })

type FileAnswer = { status: number; headers: Headers; body: Buffer }

/** A request for a file, checked against the OpenAPI document like every other answer. */
const file = async (
  pathAndQuery: string,
  { method = 'GET', headers = {} }: { method?: string; headers?: Record<string, string> } = {},
): Promise<FileAnswer> => {
  const target = pathAndQuery.startsWith('http') ? pathAndQuery : `${url}${pathAndQuery}`
  const res = await fetch(target, { method, headers: { ...fromNewAddress(), ...headers } })
  const body = Buffer.from(await res.arrayBuffer())
  await assertConformsToSpec(url, {
    method,
    url: target,
    status: res.status,
    contentType: res.headers.get('content-type'),
    text: body.toString('latin1'),
  })
  return { status: res.status, headers: res.headers, body }
}

const pathOf = (fileUrl: string) => {
  const parsed = new URL(fileUrl, url)
  return `${parsed.pathname}${parsed.search}`
}
const withoutVersion = (fileUrl: string) => new URL(fileUrl, url).pathname

const photo = (seed: number, width = 900, height = 600) =>
  sharp({
    create: { width, height, channels: 3, background: { r: seed % 256, g: (seed * 7) % 256, b: (seed * 13) % 256 }, noise: { type: 'gaussian', mean: 128, sigma: 30 } },
  })
    .png()
    .toBuffer()

const upload = async (bytes: Buffer, filename: string, id?: number | string): Promise<Json> => {
  const form = new FormData()
  form.append('file', new Blob([new Uint8Array(bytes)], { type: 'image/png' }), filename)
  form.append('_payload', JSON.stringify({ alt: filename }))
  const res = await fetch(`${url}/api/media${id === undefined ? '' : `/${id}`}`, {
    method: id === undefined ? 'POST' : 'PATCH',
    headers: { authorization: adminAuth },
    body: form,
  })
  const body = (await res.json()) as Json
  if (res.status !== (id === undefined ? 201 : 200)) throw new Error(`upload failed: ${res.status} ${JSON.stringify(body)}`)
  return body.doc
}

const strongTagOf = (bytes: Buffer) => `"${createHash('sha256').update(bytes).digest('base64url')}"`

describe('one uploaded image', () => {
  let doc: Json
  let bytes: Buffer

  beforeAll(async () => {
    bytes = await photo(1)
    doc = await upload(bytes, 'validators.png')
  }, 60_000)

  test('its URLs carry the version of their bytes', () => {
    expect(doc.url).toMatch(/\/api\/media\/file\/validators\.png\?v=[0-9a-f]{16}$/)
    const sized = Object.entries(doc.sizes as Record<string, { url: string | null }>).filter(([, size]) => size.url)
    expect(sized.map(([name]) => name)).toEqual(expect.arrayContaining(['thumbnail', 'card', 'feature']))
    for (const [name, size] of sized) expect([name, size.url]).toEqual([name, expect.stringMatching(/\?v=[0-9a-f]{16}$/)])
    expect(doc.thumbnailURL).toBe(doc.sizes.thumbnail.url)
    expect(new URL(doc.url, url).searchParams.get('v')).toBe(createHash('sha256').update(bytes).digest('hex').slice(0, 16))
  })

  test('a plain GET: the bytes, a strong content ETag, Last-Modified, type, and headers that keep it inert', async () => {
    const res = await file(withoutVersion(doc.url), { headers: { origin: SITE } })
    expect(res.status).toBe(200)
    expect(res.body.equals(bytes)).toBe(true)
    expect(res.headers.get('etag')).toBe(strongTagOf(bytes))
    expect(new Date(res.headers.get('last-modified')!).getTime()).toBeGreaterThan(Date.now() - 600_000)
    expect(res.headers.get('content-type')).toBe('image/png')
    expect(res.headers.get('content-length')).toBe(String(bytes.length))
    expect(res.headers.get('accept-ranges')).toBe('bytes')
    expect(res.headers.get('x-content-type-options')).toBe('nosniff')
    expect(res.headers.get('content-security-policy')).toMatch(/(^|; )sandbox($|;)/)
    expect(res.headers.get('content-disposition')).toBe('inline')
    // A bare URL can name other bytes tomorrow: caches keep it only while it revalidates.
    expect(res.headers.get('cache-control')).toBe('public, no-cache')
    expect(res.headers.get('access-control-allow-origin')).toBe(SITE)
    expect(res.headers.get('vary')).toMatch(/\bOrigin\b/)
    expect(res.headers.get('ratelimit-policy')).toMatch(/^"media"; q=20;/)
    expect(res.headers.get('cache-status')).toBeNull()
  })

  test('immutable only when the URL carries the current version', async () => {
    const current = await file(pathOf(doc.url))
    expect(current.status).toBe(200)
    expect(current.headers.get('cache-control')).toBe('public, max-age=31536000, immutable')
    const outdated = await file(`${withoutVersion(doc.url)}?v=0123456789abcdef`)
    expect(outdated.status).toBe(200)
    expect(outdated.body.equals(bytes)).toBe(true)
    expect(outdated.headers.get('cache-control')).toBe('public, no-cache')
    const size = await file(pathOf(doc.sizes.card.url))
    expect(size.status).toBe(200)
    expect(size.headers.get('content-type')).toBe('image/webp')
    expect(size.headers.get('cache-control')).toBe('public, max-age=31536000, immutable')
    expect(size.headers.get('etag')).toBe(strongTagOf(size.body))
  })

  test('304 on If-None-Match and on If-Modified-Since; 200 for another tag', async () => {
    const first = await file(pathOf(doc.url))
    const etag = first.headers.get('etag')!
    const byTag = await file(pathOf(doc.url), { headers: { 'if-none-match': etag } })
    expect(byTag.status).toBe(304)
    expect(byTag.body.length).toBe(0)
    expect(byTag.headers.get('etag')).toBe(etag)
    expect(byTag.headers.get('cache-control')).toBe('public, max-age=31536000, immutable')
    const byList = await file(pathOf(doc.url), { headers: { 'if-none-match': `"other", ${etag}` } })
    expect(byList.status).toBe(304)
    const byDate = await file(pathOf(doc.url), { headers: { 'if-modified-since': first.headers.get('last-modified')! } })
    expect(byDate.status).toBe(304)
    const otherTag = await file(pathOf(doc.url), { headers: { 'if-none-match': '"something-else"' } })
    expect(otherTag.status).toBe(200)
    expect(otherTag.body.equals(bytes)).toBe(true)
  })

  test('HEAD: the headers of a GET, no body', async () => {
    const res = await file(pathOf(doc.url), { method: 'HEAD' })
    expect(res.status).toBe(200)
    expect(res.body.length).toBe(0)
    expect(res.headers.get('content-length')).toBe(String(bytes.length))
    expect(res.headers.get('etag')).toBe(strongTagOf(bytes))
    expect((await file(pathOf(doc.url), { method: 'HEAD', headers: { 'if-none-match': strongTagOf(bytes) } })).status).toBe(304)
  })

  test('ranges: first bytes, a suffix, several at once, one past the end, and If-Range', async () => {
    const first = await file(pathOf(doc.url), { headers: { range: 'bytes=0-99' } })
    expect(first.status).toBe(206)
    expect(first.headers.get('content-range')).toBe(`bytes 0-99/${bytes.length}`)
    expect(first.body.equals(bytes.subarray(0, 100))).toBe(true)

    const suffix = await file(pathOf(doc.url), { headers: { range: 'bytes=-50' } })
    expect(suffix.status).toBe(206)
    expect(suffix.headers.get('content-range')).toBe(`bytes ${bytes.length - 50}-${bytes.length - 1}/${bytes.length}`)
    expect(suffix.body.equals(bytes.subarray(-50))).toBe(true)

    const several = await file(pathOf(doc.url), { headers: { range: 'bytes=0-9, 200-299, -5' } })
    expect(several.status).toBe(206)
    const boundary = /^multipart\/byteranges; boundary=(.+)$/.exec(several.headers.get('content-type') ?? '')?.[1]
    expect(boundary).toBeDefined()
    expect(several.headers.get('content-length')).toBe(String(several.body.length))
    const parts = several.body
      .toString('latin1')
      .split(`--${boundary}`)
      .slice(1, -1)
      .map((part) => {
        const [head, ...rest] = part.replace(/^\r\n/, '').split('\r\n\r\n')
        return { head, body: Buffer.from(rest.join('\r\n\r\n').replace(/\r\n$/, ''), 'latin1') }
      })
    expect(parts.map(({ head }) => /Content-Range: (.+)/.exec(head)?.[1])).toEqual([
      `bytes 0-9/${bytes.length}`,
      `bytes 200-299/${bytes.length}`,
      `bytes ${bytes.length - 5}-${bytes.length - 1}/${bytes.length}`,
    ])
    expect(parts.every(({ head }) => head.includes('Content-Type: image/png'))).toBe(true)
    expect(parts[0].body.equals(bytes.subarray(0, 10))).toBe(true)
    expect(parts[1].body.equals(bytes.subarray(200, 300))).toBe(true)
    expect(parts[2].body.equals(bytes.subarray(-5))).toBe(true)
    expect(several.body.toString('latin1').endsWith(`--${boundary}--\r\n`)).toBe(true)

    const beyond = await file(pathOf(doc.url), { headers: { range: `bytes=${bytes.length}-` } })
    expect(beyond.status).toBe(416)
    expect(beyond.headers.get('content-range')).toBe(`bytes */${bytes.length}`)
    expect(JSON.parse(beyond.body.toString()).errors[0].message).toMatch(/range/)

    const etag = strongTagOf(bytes)
    const stillSame = await file(pathOf(doc.url), { headers: { range: 'bytes=0-9', 'if-range': etag } })
    expect(stillSame.status).toBe(206)
    expect(stillSame.body.equals(bytes.subarray(0, 10))).toBe(true)
    for (const ifRange of ['"not-this-file"', 'Thu, 01 Jan 2015 00:00:00 GMT']) {
      const changed = await file(pathOf(doc.url), { headers: { range: 'bytes=0-9, 20-29', 'if-range': ifRange } })
      expect([ifRange, changed.status, changed.body.equals(bytes)]).toEqual([ifRange, 200, true])
      const single = await file(pathOf(doc.url), { headers: { range: 'bytes=0-9', 'if-range': ifRange } })
      expect([ifRange, single.status, single.body.equals(bytes)]).toEqual([ifRange, 200, true])
    }
  })

  test('an editor gets the same public answer', async () => {
    const res = await file(pathOf(doc.url), { headers: { authorization: adminAuth } })
    expect(res.status).toBe(200)
    expect(res.body.equals(bytes)).toBe(true)
    expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable')
  })
})

test('a replaced file gets a new validator and a new versioned URL', async () => {
  const before = await upload(await photo(2), 'replaced.png')
  const oldOriginal = await file(pathOf(before.url))
  const newBytes = await photo(3)
  const after = await upload(newBytes, 'replaced.png', before.id)
  expect(after.url).not.toBe(before.url)
  const newOriginal = await file(pathOf(after.url))
  expect(newOriginal.status).toBe(200)
  expect(newOriginal.body.equals(newBytes)).toBe(true)
  expect(newOriginal.headers.get('etag')).not.toBe(oldOriginal.headers.get('etag'))
  expect(newOriginal.headers.get('cache-control')).toBe('public, max-age=31536000, immutable')

  // A resized image rewritten under its own name (Payload does that when an image is cropped again).
  const card = after.sizes.card
  const cardBefore = await file(pathOf(card.url))
  const rewritten = await sharp(newBytes).resize(640).webp({ quality: 50 }).toBuffer()
  expect(rewritten.equals(cardBefore.body)).toBe(false)
  fs.writeFileSync(path.join(server.dir, 'media', card.filename), rewritten)
  const stale = await file(pathOf(card.url), { headers: { 'if-none-match': cardBefore.headers.get('etag')! } })
  expect(stale.status).toBe(200)
  expect(stale.body.equals(rewritten)).toBe(true)
  expect(stale.headers.get('etag')).toBe(strongTagOf(rewritten))
  // The old version in the URL names bytes the file no longer holds: not immutable any more.
  expect(stale.headers.get('cache-control')).toBe('public, no-cache')
  const reread = (await api(url, `/api/media/${after.id}`, { auth: adminAuth })).body
  expect(reread.sizes.card.url).not.toBe(card.url)
  expect((await file(pathOf(reread.sizes.card.url))).headers.get('cache-control')).toBe('public, max-age=31536000, immutable')
})

test('only files of media documents: an orphan, a hidden file and a deleted document\'s files are 404', async () => {
  const media = path.join(server.dir, 'media')
  const orphan = await photo(4, 64, 64)
  fs.writeFileSync(path.join(media, 'orphan.png'), orphan)
  fs.writeFileSync(path.join(media, '.hidden.png'), orphan)
  const res = await file('/api/media/file/orphan.png')
  expect(res.status).toBe(404)
  expect(JSON.parse(res.body.toString())).toEqual({ errors: [{ message: 'There is no file "orphan.png" in media.' }] })
  expect(res.headers.get('cache-control')).toBe('no-store')
  // Signed in makes no difference: no document names it.
  expect((await file('/api/media/file/orphan.png', { headers: { authorization: adminAuth } })).status).toBe(404)
  expect((await file('/api/media/file/.hidden.png')).status).toBe(404)
  expect((await file('/api/media/file/nothing-here.png')).status).toBe(404)

  const doc = await upload(await photo(5), 'deleted.png')
  expect((await file(pathOf(doc.url))).status).toBe(200)
  expect((await api(url, `/api/media/${doc.id}`, { method: 'DELETE', auth: adminAuth })).status).toBe(200)
  expect((await file(pathOf(doc.url))).status).toBe(404)
  expect((await file(pathOf(doc.sizes.card.url))).status).toBe(404)
})

/** A request exactly as written: fetch would resolve `..` segments before sending. */
const rawGet = (rawPath: string): Promise<{ status: number; body: string }> =>
  new Promise((resolve, reject) => {
    const { hostname, port } = new URL(url)
    const req = http.request({ hostname, port, path: rawPath, method: 'GET', headers: fromNewAddress() }, (res) => {
      let body = ''
      res.on('data', (chunk) => (body += chunk))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }))
    })
    req.on('error', reject)
    req.end()
  })

test('names that could leave the folder are refused, never served', async () => {
  // A file beside the media folder that a way out would reach.
  fs.writeFileSync(path.join(server.dir, 'secret.png'), 'not for readers')
  const attempts = [
    '/api/media/file/..%2Fsecret.png',
    '/api/media/file/%2e%2e%2fsecret.png',
    '/api/media/file/%2E%2E/secret.png',
    '/api/media/file/..%5Csecret.png',
    '/api/media/file/../secret.png',
    '/api/media/file/..',
    '/api/media/file/%2e%2e',
    '/api/media/file/sub%2Fsecret.png',
    '/api/media/file/secret.png%00.png',
    '/api/media/file/%00',
    '/api/media/file/%E0%A4%A',
    '/api/media/file/',
    '/api/media/file/..%2F..%2Fpackage.json',
    '/api/media/file/%2Fetc%2Fpasswd',
  ]
  for (const attempt of attempts) {
    const res = await rawGet(attempt)
    expect([attempt, [400, 404].includes(res.status), res.body.includes('not for readers')]).toEqual([attempt, true, false])
  }
})

test('media files have their own rate limit, higher than the API\'s; 304s and HEADs count', async () => {
  const client = { 'x-forwarded-for': '203.0.113.77' }
  const doc = await upload(await photo(6, 64, 64), 'limited.png')
  // The anonymous API budget (5) runs out first.
  const apiAnswers = []
  for (let k = 0; k < 6; k++) apiAnswers.push((await api(url, `/api/media/${doc.id}`, { headers: client })).status)
  expect(apiAnswers).toEqual([200, 200, 200, 200, 200, 429])
  // Media files still answer: a budget of their own (20), spent by GETs, 304s and HEADs alike.
  const first = await file(pathOf(doc.url), { headers: client })
  expect(first.status).toBe(200)
  expect(first.headers.get('ratelimit')).toMatch(/^"media"; r=19;/)
  const mediaAnswers = []
  for (let k = 0; k < 19; k++) {
    const headers = k % 3 === 0 ? { ...client, 'if-none-match': first.headers.get('etag')! } : client
    mediaAnswers.push((await file(pathOf(doc.url), { method: k % 3 === 1 ? 'HEAD' : 'GET', headers })).status)
  }
  expect(new Set(mediaAnswers)).toEqual(new Set([200, 304]))
  const over = await file(pathOf(doc.url), { headers: client })
  expect(over.status).toBe(429)
  expect(over.headers.get('retry-after')).toMatch(/^\d+$/)
  expect(JSON.parse(over.body.toString()).errors[0].message).toMatch(/^Too many media file requests/)
  // Another address is not affected.
  expect((await file(pathOf(doc.url))).status).toBe(200)
})
