// Two production servers on one database (PostgreSQL in CI's PostgreSQL pass), media in one bucket
// (S3_BUCKET) and state shared through Redis (REDIS_URL; src/cluster), as in production behind a load
// balancer: an upload through one is served by the other, the rate limit holds across both, a publish
// through one is seen by a reader of the other at once, a burst of due scheduled publishes run by both
// publishes each post once, and Redis going away degrades to per-process limits and database checks,
// logged once, never a 5xx.
import type { Payload } from 'payload'
import sharp from 'sharp'

import { closePayload } from '../../src/db/closePayload'
import { openPayload, tempDir } from '../helpers/backup'
import { login } from '../helpers/http'
import { createTestBucket, testS3Endpoint } from '../helpers/objectStorage'
import { createUser, postData } from '../helpers/payload'
import type { TestRedis } from '../helpers/redis'
import { hasRedisServer, startRedis } from '../helpers/redis'
import type { TestServer } from '../helpers/server'
import { TEST_ADMIN, startTestServer } from '../helpers/server'

const s3Endpoint = testS3Endpoint()
const describeWithRedis = hasRedisServer() && s3Endpoint ? describe : describe.skip

const LIMIT = 6

describeWithRedis('two servers sharing a database, a bucket and Redis', () => {
  let redis: TestRedis
  let a: TestServer
  let b: TestServer
  let adminAuth: string
  let postId: number

  beforeAll(async () => {
    redis = await startRedis()
    // At info level the servers log Redis coming back.
    const bucket = await createTestBucket(s3Endpoint!, 'two')
    const env = { ...bucket, LOG_LEVEL: 'info', REDIS_URL: redis.url, REDIS_KEY_PREFIX: `test-${process.pid}:`, RATE_LIMIT_PER_IP: String(LIMIT), RATE_LIMIT_PER_SESSION: '100000' }
    a = await startTestServer({ seed: true, env })
    b = await startTestServer({ seed: false, env, databaseUri: a.databaseUri })
    adminAuth = await login(a.url, TEST_ADMIN.email, TEST_ADMIN.password)
    const posts = (await (await fetch(`${a.url}/api/posts?limit=1&depth=0`, { headers: from('192.0.2.200') })).json()) as { docs: { id: number }[] }
    postId = posts.docs[0].id
  }, 180_000)

  afterAll(async () => {
    await b?.stop()
    await a?.stop()
    await redis?.stop()
  })

  let addresses = 0
  const newAddress = () => `198.51.100.${++addresses}`
  function from(address: string) {
    return { 'x-forwarded-for': address }
  }
  const read = (server: TestServer, address: string) => fetch(`${server.url}/api/posts/${postId}?depth=0`, { headers: from(address) })
  const titleOn = async (server: TestServer) => ((await (await read(server, newAddress())).json()) as { title: string }).title
  const setTitle = async (title: string) => {
    const res = await fetch(`${a.url}/api/posts/${postId}`, {
      method: 'PATCH',
      headers: { authorization: adminAuth, 'content-type': 'application/json' },
      body: JSON.stringify({ title }),
    })
    expect(res.status).toBe(200)
  }
  /**
   * Milliseconds from now (the write's answer) until the request that got the title was sent, asking
   * as fast as `server` answers: how long the change took to reach it, without the time of the read.
   */
  const timeUntilSeen = async (server: TestServer, title: string, giveUpMs: number) => {
    const started = performance.now()
    while (performance.now() - started < giveUpMs) {
      const sent = performance.now()
      if ((await titleOn(server)) === title) return sent - started
    }
    return Infinity
  }
  const statuses = async (server: TestServer, address: string, count: number) => {
    const seen: number[] = []
    for (let k = 0; k < count; k++) seen.push((await read(server, address)).status)
    return seen
  }

  test('a file uploaded through one server is served by the other', async () => {
    const bytes = await sharp({ create: { width: 800, height: 500, channels: 3, background: '#c63' } }).png().toBuffer()
    const form = new FormData()
    form.append('file', new Blob([new Uint8Array(bytes)], { type: 'image/png' }), 'through-a.png')
    form.append('_payload', JSON.stringify({ alt: 'Uploaded through A' }))
    const created = await fetch(`${a.url}/api/media`, { method: 'POST', headers: { authorization: adminAuth }, body: form })
    expect(created.status).toBe(201)
    const { doc } = (await created.json()) as { doc: { id: number; url: string; sizes: Record<string, { url: string | null }> } }
    const path = new URL(doc.url).pathname + new URL(doc.url).search
    const served = await fetch(`${b.url}${path}`, { headers: from(newAddress()) })
    expect(served.status).toBe(200)
    expect(Buffer.from(await served.arrayBuffer()).equals(bytes)).toBe(true)
    const card = new URL(doc.sizes.card.url!)
    expect((await fetch(`${b.url}${card.pathname}${card.search}`, { headers: from(newAddress()) })).status).toBe(200)
    // The document itself, read through B, names the same versioned addresses.
    const readThroughB = (await (await fetch(`${b.url}/api/media/${doc.id}?depth=0`, { headers: from(newAddress()) })).json()) as { url: string }
    expect(new URL(readThroughB.url).search).toBe(new URL(doc.url).search)
  })

  test('due scheduled publishes, run by both servers at once, publish each post once', async () => {
    // The test's own Payload on the servers' database queues the jobs; the servers run them.
    const local = await openPayload(a.databaseUri, tempDir('two-instances-media'))
    const payload: Payload = local.payload
    try {
      const admin = await createUser(payload, 'admin')
      const posts = []
      for (let i = 0; i < 12; i++) {
        posts.push(await payload.create({ collection: 'posts', overrideAccess: true, draft: true, data: postData(`Due ${i} ${Date.now()}`, { _status: 'draft' }) as never }))
      }
      for (const post of posts) {
        await payload.jobs.queue({
          task: 'schedulePublish',
          waitUntil: new Date(Date.now() - 1000),
          input: { type: 'publish', doc: { relationTo: 'posts', value: post.id }, user: { relationTo: 'users', value: admin.id } } as never,
        })
      }
      // Each server runs the queue in small batches, twice at once, as their schedules would.
      const run = async (server: TestServer) => {
        for (let round = 0; round < 8; round++) {
          const res = await fetch(`${server.url}/api/payload-jobs/run?queue=default&limit=2`, { headers: { authorization: adminAuth, ...from(newAddress()) } })
          expect(res.status).toBe(200)
        }
      }
      await Promise.all([run(a), run(b), run(a), run(b)])
      for (const post of posts) {
        const published = await payload.countVersions({
          collection: 'posts',
          where: { parent: { equals: post.id }, 'version._status': { equals: 'published' } },
        })
        expect([post.id, published.totalDocs]).toEqual([post.id, 1])
      }
    } finally {
      await closePayload(payload)
    }
  })

  test('the rate limit counts the requests to both servers together', async () => {
    const address = newAddress()
    expect([...(await statuses(a, address, LIMIT / 2)), ...(await statuses(b, address, LIMIT / 2))]).toEqual(Array(LIMIT).fill(200))
    expect(await statuses(a, address, 1)).toEqual([429])
    expect(await statuses(b, address, 1)).toEqual([429])
  })

  test('a publish through one server is read from the other within 100 ms', async () => {
    const seenWithin: number[] = []
    for (let round = 1; round <= 5; round++) {
      // Both servers hold the post in their response stores before the change.
      await titleOn(a)
      await titleOn(b)
      const title = `Shared title ${round} ${Date.now()}`
      await setTitle(title)
      seenWithin.push(await timeUntilSeen(b, title, 2000))
    }
    console.log(`publish through A seen through B after (ms): ${seenWithin.map((ms) => ms.toFixed(1)).join(', ')}`)
    for (const ms of seenWithin) expect(ms).toBeLessThan(100)
  })

  test('without Redis both servers go on: limits per server, changes from the database, one log line each', async () => {
    await redis.kill()
    const address = newAddress()
    // Each server counts on its own now: the full limit on each, no 5xx anywhere.
    expect(await statuses(a, address, LIMIT)).toEqual(Array(LIMIT).fill(200))
    expect(await statuses(b, address, LIMIT)).toEqual(Array(LIMIT).fill(200))
    expect(await statuses(a, address, 1)).toEqual([429])

    const title = `Without Redis ${Date.now()}`
    await setTitle(title)
    expect(await timeUntilSeen(b, title, 5000)).toBeLessThan(5000)
    for (const server of [a, b]) expect(server.output().match(/Redis is unreachable/g)).toHaveLength(1)

    await redis.restart()
    for (const server of [a, b]) {
      const deadline = Date.now() + 15_000
      while (!/Redis is back/.test(server.output()) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100))
      expect(server.output()).toMatch(/Redis is back/)
    }
    // The shared store is set up again once the connection is ready.
    await new Promise((resolve) => setTimeout(resolve, 500))
    const again = newAddress()
    expect([...(await statuses(a, again, LIMIT / 2)), ...(await statuses(b, again, LIMIT / 2))]).toEqual(Array(LIMIT).fill(200))
    expect(await statuses(b, again, 1)).toEqual([429])
  })
})
