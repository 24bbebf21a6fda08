// Build hooks on real production servers with their own job runners (BUILD_HOOKS_CRON's default,
// every 5 s), against a receiver on 127.0.0.1: a burst of 50 publishes, two servers on one
// database (an SQLite file, or PostgreSQL with TEST_DATABASE=postgres) delivering a burst of due jobs, and `kill -9`
// of both servers with deliveries queued and mid-retry. The figures are printed for the closing note.
import pg from 'pg'
import { Webhook } from 'standardwebhooks'

import { richTextFromPlain } from '../../src/seed/lexical'
import { api, login } from '../helpers/http'
import { startReceiver, waitFor, type Receiver } from '../helpers/receiver'
import type { TestServer } from '../helpers/server'
import { TEST_ADMIN, startTestServer } from '../helpers/server'

const SERVER_ENV = {
  JOBS_AUTORUN: 'true',
  BUILD_HOOKS_ALLOW_PRIVATE_TARGETS: 'true',
  // Long enough for the test to see the delivery between its first attempt and the retry, on a
  // CI machine whose two cores run other test files at the same time.
  BUILD_HOOKS_FIRST_RETRY_SECONDS: '20',
  // "not claimed" lines are counted below.
  LOG_LEVEL: 'info',
}

let receiver: Receiver
let a: TestServer
let b: TestServer
let auth: string
const figures: string[] = []

beforeAll(async () => {
  receiver = await startReceiver((request, index) => (request.path.startsWith('/retrying') && index === 0 ? 500 : 200))
  a = await startTestServer({ env: SERVER_ENV })
  // On SQLite both servers share one file, as a seed or an import beside a running server does.
  b = await startTestServer({ seed: false, databaseUri: a.databaseUri, env: SERVER_ENV })
  auth = await login(a.url, TEST_ADMIN.email, TEST_ADMIN.password)
}, 180_000)

afterAll(async () => {
  await a?.stop()
  await b?.stop()
  await receiver?.close()
  console.log(`Build hooks, measured:\n${figures.join('\n')}`)
})

// Each test's hooks are turned off after it, so a later test's publishes do not reach them.
afterEach(async () => {
  // The kill -9 test leaves no server behind.
  if (a.process.exitCode !== null || a.process.signalCode !== null) return
  const res = await api(a.url, '/api/build-hooks?where[enabled][equals]=true&limit=100', { method: 'PATCH', auth: auth, body: { enabled: false } })
  if (res.status !== 200) console.log(JSON.stringify(res.body), a.output().slice(-4000))
  expect(res.status).toBe(200)
})

const createHook = async (server: TestServer, path: string, data: Record<string, unknown> = {}) => {
  const res = await api(server.url, '/api/build-hooks', { method: 'POST', auth, body: { name: path, url: receiver.url(path), ...data } })
  if (res.status !== 201) console.log(JSON.stringify(res.body), server.output().slice(-4000))
  expect(res.status).toBe(201)
  return res.body.doc as { id: number; secret: string; deliveredThrough: number }
}

let counter = 0
const publish = async (server: TestServer) => {
  const title = `Hooked story ${++counter}`
  const res = await api(server.url, '/api/posts', {
    method: 'POST',
    auth,
    body: { title, content: richTextFromPlain(`${title}.`), _status: 'published' },
  })
  expect(res.status).toBe(201)
}

const deliveriesOf = async (server: TestServer, hook: { id: number }) =>
  (await api(server.url, `/api/build-deliveries?where[hook][equals]=${hook.id}&depth=0&sort=createdAt&limit=100`, { auth })).body.docs as {
    status: string
    webhookId: string
  }[]

const notClaimed = (server: TestServer) => (server.output().match(/not claimed: it is (delivering|delivered)/g) ?? []).length

test('a burst of 50 publishes within the default 30 s window is one delivery of all 50 changes', async () => {
  const hook = await createHook(a, '/burst50')
  const first = Date.now()
  for (let i = 0; i < 50; i++) await publish(i % 2 ? b : a)
  const last = Date.now()
  expect(await waitFor(() => receiver.on('/burst50').length > 0, 45_000, 50)).toBe(true)
  const deliveredAt = receiver.on('/burst50')[0].at
  // Long enough for a second delivery to show up if there were one.
  await new Promise((resolve) => setTimeout(resolve, 11_000))
  const requests = receiver.on('/burst50')
  expect(requests).toHaveLength(1)
  const body = new Webhook(hook.secret).verify(requests[0].body, requests[0].headers) as { data: { changes: unknown[] } }
  expect(body.data.changes).toHaveLength(50)
  figures.push(
    `- burst of 50 publishes (alternating between two servers, ${((last - first) / 1000).toFixed(1)} s): ${requests.length} delivery with ` +
      `${body.data.changes.length} changes, ${((deliveredAt - first) / 1000).toFixed(1)} s after the first publish, ` +
      `${((deliveredAt - last) / 1000).toFixed(1)} s after the last (window 30 s, runner every 5 s)`,
  )
}, 120_000)

test('two servers on one database running a burst of due jobs deliver each burst exactly once', async () => {
  const hooks = await Promise.all(Array.from({ length: 8 }, (_, i) => createHook(i % 2 ? b : a, `/multi-${i}`, { debounceSeconds: 1 })))
  const before = notClaimed(a) + notClaimed(b)
  for (let i = 0; i < 5; i++) await publish(i % 2 ? b : a)
  const paths = hooks.map((_, i) => `/multi-${i}`)
  expect(await waitFor(() => paths.every((path) => receiver.on(path).length > 0), 30_000)).toBe(true)
  await new Promise((resolve) => setTimeout(resolve, 11_000))
  for (const path of paths) {
    const requests = receiver.on(path)
    expect(requests).toHaveLength(1)
    expect(JSON.parse(requests[0].body).data.changes).toHaveLength(5)
  }
  for (const hook of hooks) expect((await deliveriesOf(a, hook)).map((d) => d.status)).toEqual(['delivered'])
  if (a.databaseUri.startsWith('postgres')) {
    // Payload's job runner leaves a transaction open when it updates a job another server already
    // deleted; with Payload deleting completed jobs every such race held a connection until the
    // pool was empty. None is left open.
    await new Promise((resolve) => setTimeout(resolve, 1000))
    const client = new pg.Client({ connectionString: a.databaseUri })
    await client.connect()
    try {
      const { rows } = await client.query(
        "SELECT count(*)::int AS open FROM pg_stat_activity WHERE datname = current_database() AND state LIKE 'idle in transaction%'",
      )
      expect(rows[0].open).toBe(0)
    } finally {
      await client.end()
    }
  }
  const lost = notClaimed(a) + notClaimed(b) - before
  figures.push(
    `- two servers, one ${process.env.TEST_DATABASE || 'sqlite'} database, 8 hooks × a burst of 5 publishes: 8 deliveries, each exactly once; ` +
      `${lost} job runs found their delivery already taken by the other server (Payload ran the same job on both)`,
  )
}, 90_000)

test('kill -9 of both servers with a delivery queued and one mid-retry: after a restart each burst is delivered exactly once', async () => {
  const queuedHook = await createHook(a, '/queued', { debounceSeconds: 25 })
  const retryingHook = await createHook(a, '/retrying', { debounceSeconds: 0 })
  await publish(a)
  // The first attempt answers 500; the retry is due 20 s later.
  const retrying = await waitFor(async () => (await deliveriesOf(a, retryingHook))[0]?.status === 'retrying', 40_000, 100)
  if (!retrying) {
    console.log(JSON.stringify(await deliveriesOf(a, retryingHook)), receiver.received.map((r) => [r.path, r.answered]))
    console.log('server a:', a.output().slice(-8000), '\nserver b:', b.output().slice(-4000))
  }
  expect(retrying).toBe(true)
  expect((await deliveriesOf(a, queuedHook)).map((d) => d.status)).toEqual(['queued'])
  const exited = [a, b].map((server) => new Promise((resolve) => server.process.once('close', resolve)))
  a.process.kill('SIGKILL')
  b.process.kill('SIGKILL')
  const killedAt = Date.now()
  // Not stop(): that removes the server's folder, which on SQLite holds the database.
  await Promise.all(exited)
  const c = await startTestServer({ seed: false, databaseUri: a.databaseUri, env: SERVER_ENV })
  try {
    const delivered = await waitFor(() => receiver.on('/queued').length === 1 && receiver.on('/retrying').length === 2, 45_000)
    if (!delivered) {
      console.log(c.output(), receiver.received.map((r) => [r.path, r.answered, r.at - killedAt]))
      console.log(JSON.stringify([await deliveriesOf(c, queuedHook), await deliveriesOf(c, retryingHook)], null, 1))
    }
    expect(delivered).toBe(true)
    await new Promise((resolve) => setTimeout(resolve, 11_000))
    expect(receiver.on('/queued').map((r) => r.answered)).toEqual([200])
    const retried = receiver.on('/retrying')
    expect(retried.map((r) => r.answered)).toEqual([500, 200])
    expect(retried[0].headers['webhook-id']).toBe(retried[1].headers['webhook-id'])
    expect((await deliveriesOf(c, queuedHook)).map((d) => d.status)).toEqual(['delivered'])
    expect((await deliveriesOf(c, retryingHook)).map((d) => d.status)).toEqual(['delivered'])
    figures.push(
      `- kill -9 of both servers with one delivery queued and one mid-retry, then one server started: each burst delivered exactly once ` +
        `(queued: 1 call; mid-retry: the 500 before the kill and 1 successful retry, same webhook-id), ` +
        `${((Math.max(receiver.on('/queued')[0].at, retried[1].at) - killedAt) / 1000).toFixed(1)} s after the kill`,
    )
  } finally {
    await c.stop()
  }
}, 150_000)
