// A PostgreSQL server that stops under a running Greenroom and comes back: /readyz says 503 while it
// is gone, API requests fail fast with a 503 that says why, the process survives, and everything
// works again once the database returns, without a restart. Runs in the PostgreSQL pass of
// `npm run test:databases`, on a cluster of its own (scripts/services.sh), so that stopping it
// disturbs no other test file.
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'

import { testDatabaseKind } from '../helpers/database'
import { assertConformsToSpec, responseValidator } from '../helpers/openapi'
import type { TestServer } from '../helpers/server'
import { ROOT, startTestServer } from '../helpers/server'

const runsHere = testDatabaseKind() === 'postgres'
if (!runsHere)
  console.warn('Skipping the database outage test: it runs in the PostgreSQL pass (TEST_DATABASE=postgres).')
const suite = runsHere ? describe : describe.skip

suite('PostgreSQL goes away and comes back', () => {
  const servicesDir = fs.mkdtempSync(path.join(os.tmpdir(), 'greenroom-outage-'))
  const services = (command: 'start' | 'stop' | 'halt' | 'resume') =>
    execFileSync(path.join(ROOT, 'scripts', 'services.sh'), [command], {
      env: { ...process.env, GREENROOM_SERVICES_DIR: servicesDir },
      encoding: 'utf8',
    })
  let server: TestServer | undefined

  beforeAll(async () => {
    const printed = services('start')
    const uri = /TEST_POSTGRES_URI=(\S+)/.exec(printed)?.[1]
    if (!uri) throw new Error(`scripts/services.sh printed no URI:\n${printed}`)
    server = await startTestServer({ seed: true, env: { DATABASE_URI: uri, LOG_LEVEL: 'error' } })
    // Loaded while the database is up, so that the outage's answers can be checked against the spec.
    await responseValidator(server.url)
  }, 180_000)

  afterAll(async () => {
    try {
      await server?.stop()
    } finally {
      services('stop')
    }
  }, 60_000)

  /** A GET whose answer must conform to the OpenAPI document, outage or not. */
  const get = async (route: string) => {
    const started = Date.now()
    const res = await fetch(`${server!.url}${route}`, { signal: AbortSignal.timeout(20_000) })
    const text = await res.text()
    const ms = Date.now() - started
    const contentType = res.headers.get('content-type')
    await assertConformsToSpec(server!.url, {
      method: 'GET',
      url: `${server!.url}${route}`,
      status: res.status,
      contentType,
      text,
    })
    return { res, body: JSON.parse(text), ms }
  }

  const waitFor = async (what: string, check: () => Promise<boolean>, timeoutMs: number) => {
    const deadline = Date.now() + timeoutMs
    while (Date.now() < deadline) {
      if (await check().catch(() => false)) return
      await new Promise((resolve) => setTimeout(resolve, 250))
    }
    throw new Error(`${what} did not happen within ${timeoutMs} ms. Server output:\n${server!.output()}`)
  }

  test('503 on /readyz and on the API while it is down, then recovery by itself', async () => {
    expect((await get('/readyz')).res.status).toBe(200)
    expect((await get('/api/posts?limit=1')).res.status).toBe(200)

    services('halt')

    const ready = await get('/readyz')
    expect(ready.res.status).toBe(503)
    expect(ready.body).toEqual({ status: 'unavailable', database: 'postgres', error: 'The database did not answer.' })
    expect(ready.ms).toBeLessThan(5_000)

    const list = await get('/api/posts?limit=1')
    expect(list.res.status).toBe(503)
    expect(list.res.headers.get('retry-after')).toBe('5')
    expect(list.body).toEqual({
      errors: [{ message: 'The database is not available right now. Try again in a few seconds.' }],
    })
    expect(list.ms).toBeLessThan(10_000)
    expect((await get('/healthz')).res.status).toBe(200)

    services('resume')

    await waitFor('/readyz answering 200 again', async () => (await get('/readyz')).res.status === 200, 30_000)
    const after = await get('/api/posts?limit=1')
    expect(after.res.status).toBe(200)
    expect(after.body.totalDocs).toBeGreaterThan(0)
    expect(server!.process.exitCode).toBeNull()
  }, 120_000)
})
