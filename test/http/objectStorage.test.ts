// The production server with media in an S3-compatible bucket (S3_BUCKET; the S3 API server of
// scripts/services.sh): demo content seeded into the bucket, uploads and replacements through the
// REST API, and files served by the media route (validators, ranges, transforms) from the bucket.
import { createHash } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'

import sharp from 'sharp'

import { api, login } from '../helpers/http'
import type { Json } from '../helpers/http'
import { createTestBucket, listBucket, readObject, testS3Endpoint } from '../helpers/objectStorage'
import type { TestServer } from '../helpers/server'
import { TEST_ADMIN, startTestServer } from '../helpers/server'

const endpoint = testS3Endpoint()
const describeWithS3 = endpoint ? describe : describe.skip

describeWithS3('the server with media in a bucket', () => {
  let server: TestServer
  let bucket: Record<string, string>
  let adminAuth: string

  beforeAll(async () => {
    bucket = await createTestBucket(endpoint!, 'http')
    server = await startTestServer({ seed: true, env: bucket })
    adminAuth = await login(server.url, TEST_ADMIN.email, TEST_ADMIN.password)
  }, 180_000)

  afterAll(async () => {
    await server?.stop()
  })

  const upload = async (bytes: Buffer, filename: string, id?: number | string): Promise<Json> => {
    const form = new FormData()
    form.append('file', new Blob([new Uint8Array(bytes)], { type: 'image/png' }), filename)
    form.append('_payload', JSON.stringify({ alt: filename }))
    const res = await fetch(`${server.url}/api/media${id === undefined ? '' : `/${id}`}`, {
      method: id === undefined ? 'POST' : 'PATCH',
      headers: { authorization: adminAuth },
      body: form,
    })
    const body = (await res.json()) as Json
    if (res.status !== (id === undefined ? 201 : 200)) throw new Error(`upload failed: ${res.status} ${JSON.stringify(body)}`)
    return body.doc
  }
  const photo = (seed: number, width = 900, height = 600) =>
    sharp({ create: { width, height, channels: 3, background: { r: seed * 40, g: 90, b: 200 - seed * 30 }, noise: { type: 'gaussian', mean: 128, sigma: 30 } } })
      .png()
      .toBuffer()
  const get = (fileUrl: string, headers: Record<string, string> = {}) => fetch(new URL(fileUrl, server.url), { headers })
  const visibleFilesOnDisk = () => {
    const dir = path.join(server.dir, 'media')
    return fs.existsSync(dir) ? fs.readdirSync(dir).filter((name) => !name.startsWith('.')) : []
  }

  test('the demo images were seeded into the bucket and are served from it', async () => {
    const { docs } = (await api(server.url, '/api/media?limit=100&depth=0')).body as { docs: Json[] }
    expect(docs.length).toBeGreaterThan(0)
    const keys = await listBucket(bucket)
    for (const doc of docs) expect(keys).toContain(doc.filename)
    expect(visibleFilesOnDisk()).toEqual([])
    const res = await get(docs[0].url)
    expect(res.status).toBe(200)
    expect(Buffer.from(await res.arrayBuffer()).equals(await readObject(bucket, docs[0].filename))).toBe(true)
  })

  test('an upload is in the bucket and served with validators, ranges and transforms', async () => {
    const bytes = await photo(1)
    const doc = await upload(bytes, 'in-bucket.png')
    expect(doc.url).toMatch(/\/api\/media\/file\/in-bucket\.png\?v=[0-9a-f]{16}$/)
    expect((await readObject(bucket, doc.filename)).equals(bytes)).toBe(true)

    const res = await get(doc.url)
    expect(res.status).toBe(200)
    expect(res.headers.get('cache-control')).toContain('immutable')
    const etag = res.headers.get('etag')!
    expect(etag).toBe(`"${createHash('sha256').update(bytes).digest('base64url')}"`)
    expect(Buffer.from(await res.arrayBuffer()).equals(bytes)).toBe(true)

    expect((await get(doc.url, { 'if-none-match': etag })).status).toBe(304)
    const range = await get(doc.url, { range: 'bytes=0-9' })
    expect(range.status).toBe(206)
    expect(Buffer.from(await range.arrayBuffer()).equals(bytes.subarray(0, 10))).toBe(true)

    const transformed = await get(`${new URL(doc.url).pathname}?w=160&fm=webp`)
    expect(transformed.status).toBe(200)
    const meta = await sharp(Buffer.from(await transformed.arrayBuffer())).metadata()
    expect([meta.format, meta.width]).toEqual(['webp', 160])

    const sized = Object.values(doc.sizes as Record<string, { url: string | null }>).filter((size) => size.url)
    for (const size of sized) expect([size.url, (await get(size.url!)).status]).toEqual([size.url, 200])
  })

  test('replacing and deleting a file change the bucket, and the old addresses answer 404', async () => {
    const doc = await upload(await photo(2), 'to-replace.png')
    const replaced = await upload(await photo(3, 700, 700), 'replacement.png', doc.id)
    expect(replaced.filename).not.toBe(doc.filename)
    expect((await get(new URL(doc.url).pathname)).status).toBe(404)
    expect((await get(replaced.url)).status).toBe(200)
    let keys = await listBucket(bucket)
    expect(keys).not.toContain(doc.filename)
    expect(keys).toContain(replaced.filename)

    const deleted = await fetch(`${server.url}/api/media/${doc.id}`, { method: 'DELETE', headers: { authorization: adminAuth } })
    expect(deleted.status).toBe(200)
    expect((await get(new URL(replaced.url).pathname)).status).toBe(404)
    keys = await listBucket(bucket)
    expect(keys.filter((key) => key.startsWith(path.parse(replaced.filename).name))).toEqual([])
    expect(keys.filter((key) => key.startsWith('.greenroom/'))).toEqual([])
  })
})
