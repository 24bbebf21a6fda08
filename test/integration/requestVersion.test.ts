// One content-version read per API request (src/changes/contentVersion.ts, withRequestVersion): the
// response store reads the version and catches the change feed up before it looks; the caches the
// render then goes through (populated documents, counts) take the version the request caught up to
// instead of each reading it again in a later turn. Counted at the database: the version statement's
// runs on SQLite (its prepared statement) and PostgreSQL (its named statement).
import http from 'node:http'
import type { AddressInfo } from 'node:net'

import Database from 'libsql'
import type { Payload } from 'payload'

import { closePayload } from '../../src/db/closePayload'
import { createHttpCache, DEFAULT_PUBLIC_CACHE_CONTROL } from '../../src/server/cache/httpCache'
import { createReaders } from '../../src/server/readers'
import { createPost, initPayload, uploadDemoImage } from '../helpers/payload'

const VERSION_SQL = 'SELECT data FROM payload_kv WHERE key = ?'
let versionReads = 0

// Before Payload starts, so the SQLite version statement, prepared once, is one whose runs are counted.
type Statement = { get: (...args: unknown[]) => unknown }
const prepare = Database.prototype.prepare
Database.prototype.prepare = function (this: InstanceType<typeof Database>, sql: string) {
  const statement = prepare.call(this, sql) as unknown as Statement
  if (sql === VERSION_SQL) {
    const get = statement.get.bind(statement)
    statement.get = (...args: unknown[]) => {
      versionReads++
      return get(...args)
    }
  }
  return statement as never
} as typeof prepare

let payload: Payload
let server: http.Server
let base: string
const queried: string[] = []

beforeAll(async () => {
  payload = await initPayload()
  const pool = (payload.db as unknown as { pool?: { query: (...args: unknown[]) => unknown } }).pool
  if (payload.db.name === 'postgres' && pool) {
    const query = pool.query.bind(pool)
    pool.query = (...args: unknown[]) => {
      const [statement] = args as [{ text?: string } | string]
      const text = typeof statement === 'object' ? statement.text : statement
      if (text?.startsWith('SELECT data FROM payload_kv WHERE key =')) versionReads++
      return query(...args)
    }
  }
  const find = payload.db.find
  payload.db.find = ((args: { collection: string }) => {
    queried.push(args.collection)
    return find.call(payload.db, args as never)
  }) as typeof find

  const image = await uploadDemoImage(payload, 'request-version.png', 'Request version')
  const category = await payload.create({
    collection: 'categories',
    overrideAccess: true,
    data: { title: 'Request version', slug: 'request-version' },
  })
  for (let k = 0; k < 3; k++) {
    await createPost(payload, `Request version ${k}`, 'published', { heroImage: image.id, categories: [category.id] })
  }

  const cache = createHttpCache(
    payload,
    { publicCacheControl: DEFAULT_PUBLIC_CACHE_CONTROL, responseCacheBytes: 1024 * 1024 },
    createReaders('payload'),
  )
  // Payload's REST list as the Local API reads it for the public, behind the response store.
  server = http.createServer((req, res) => {
    const limit = Number(new URL(req.url ?? '', 'http://x').searchParams.get('limit'))
    const produce = async () => ({
      response: Response.json(await payload.find({ collection: 'posts', depth: 1, limit, overrideAccess: false })),
      verdict: 'anonymous' as const,
    })
    cache.serve(req, res, produce).then(
      async (response) => {
        if (!response) return
        res.statusCode = response.status
        res.end(await response.text())
      },
      (error: unknown) => {
        res.statusCode = 500
        res.end(String(error))
      },
    )
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
}, 60_000)

afterAll(async () => {
  Database.prototype.prepare = prepare
  await new Promise((resolve) => server?.close(resolve))
  await closePayload(payload)
})

/** A request alone on this process, with the version reads and collection queries it made. */
const request = async (path: string) => {
  versionReads = 0
  queried.length = 0
  const response = await fetch(`${base}${path}`)
  const body = (await response.json()) as { docs: unknown[]; totalDocs: number }
  const cacheStatus = response.headers.get('cache-status')
  return { status: response.status, cacheStatus, body, reads: versionReads, queried: [...queried] }
}

test('an uncached list reads the content version once, however many caches its render goes through', async () => {
  const first = await request('/api/posts?limit=2&depth=1')
  expect(first).toMatchObject({ status: 200, cacheStatus: 'greenroom; fwd=miss', body: { totalDocs: 3 } })
  expect(first.queried).toEqual(expect.arrayContaining(['posts', 'media', 'categories']))
  expect(first.reads).toBe(1)

  // Another list: its populated documents come from the cache, which took the request's version.
  const second = await request('/api/posts?limit=3&depth=1')
  expect(second).toMatchObject({ status: 200, cacheStatus: 'greenroom; fwd=miss', body: { totalDocs: 3 } })
  expect(second.body.docs).toHaveLength(3)
  expect(second.queried).not.toContain('media')
  expect(second.queried).not.toContain('categories')
  expect(second.reads).toBe(1)

  const stored = await request('/api/posts?limit=2&depth=1')
  expect(stored).toMatchObject({ status: 200, cacheStatus: 'greenroom; hit', reads: 1, queried: [] })
})

test('a change committed before a request is seen by the caches inside it', async () => {
  const before = await request('/api/posts?limit=5&depth=1')
  expect(before.body.totalDocs).toBe(3)
  await createPost(payload, 'Request version 3', 'published')
  const after = await request('/api/posts?limit=5&depth=1')
  expect(after).toMatchObject({ cacheStatus: 'greenroom; fwd=miss', body: { totalDocs: 4 }, reads: 1 })
  expect(after.body.docs).toHaveLength(4)
})
