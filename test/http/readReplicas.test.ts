// Two production servers on one PostgreSQL primary with a streaming read replica (scripts/services.sh
// makes one with pg_basebackup) and Redis, as DATABASE_READ_REPLICAS runs in production: reads go to
// the replica, and for DATABASE_READ_REPLICA_AFTER_WRITE_MS after a write made through either server,
// both read the primary, so that an editor's save followed by a reload through the other sees the save.
// The replica's replay is paused while the test writes: any read the replica answered would be stale.
import pg from 'pg'

import { writeAnnouncementSpacingMs } from '../../src/cluster/recentWrites'
import { createTestDatabase, testDatabaseKind } from '../helpers/database'
import { login } from '../helpers/http'
import { waitFor } from '../helpers/receiver'
import type { TestRedis } from '../helpers/redis'
import { hasRedisServer, startRedis } from '../helpers/redis'
import type { TestServer } from '../helpers/server'
import { TEST_ADMIN, startTestServer } from '../helpers/server'

const replicaServer = process.env.TEST_POSTGRES_REPLICA_URI
const runsHere = testDatabaseKind() === 'postgres' && Boolean(replicaServer) && hasRedisServer()
if (!runsHere) console.warn('Skipping the read-replica test: it runs in the PostgreSQL pass, with TEST_POSTGRES_REPLICA_URI (scripts/services.sh).')
const suite = runsHere ? describe : describe.skip

const WINDOW_MS = 3000
/** How long after a write announced to it another instance may still read the primary (src/cluster/recentWrites.ts). */
const ANNOUNCED_WINDOW_MS = WINDOW_MS + writeAnnouncementSpacingMs(WINDOW_MS)

suite('a PostgreSQL read replica behind two servers', () => {
  let redis: TestRedis
  let a: TestServer
  let b: TestServer
  let replica: pg.Client
  let primary: pg.Client
  let editor: string
  let postId: number

  /** The replica's URI for the database the servers use (a standby carries every database of its primary). */
  const onReplica = (primaryUri: string) => {
    const url = new URL(replicaServer!)
    url.pathname = new URL(primaryUri).pathname
    return url.toString()
  }

  beforeAll(async () => {
    redis = await startRedis()
    const databaseUri = (await createTestDatabase())!
    const replicaUri = onReplica(databaseUri)
    // The new database reaches the standby with the next WAL it replays.
    const deadline = Date.now() + 20_000
    for (;;) {
      replica = new pg.Client({ connectionString: replicaUri })
      try {
        await replica.connect()
        break
      } catch (error) {
        await replica.end().catch(() => undefined)
        if (Date.now() > deadline) throw error
        await new Promise((resolve) => setTimeout(resolve, 100))
      }
    }
    expect((await replica.query('SELECT pg_is_in_recovery() AS standby')).rows[0].standby).toBe(true)
    primary = new pg.Client({ connectionString: databaseUri })
    await primary.connect()
    const env = {
      DATABASE_READ_REPLICAS: replicaUri,
      DATABASE_READ_REPLICA_AFTER_WRITE_MS: String(WINDOW_MS),
      REDIS_URL: redis.url,
      REDIS_KEY_PREFIX: `replica-${process.pid}:`,
      // No job runs in the background: the only writes are the test's.
      JOBS_AUTORUN: 'false',
      RATE_LIMIT_PER_IP: '100000',
      RATE_LIMIT_PER_SESSION: '100000',
    }
    a = await startTestServer({ seed: true, env, databaseUri })
    b = await startTestServer({ seed: false, env, databaseUri })
    editor = await login(a.url, TEST_ADMIN.email, TEST_ADMIN.password)
    const posts = (await (await fetch(`${a.url}/api/posts?limit=1&depth=0`)).json()) as { docs: { id: number }[] }
    postId = posts.docs[0].id
  }, 240_000)

  afterAll(async () => {
    await replica?.query('SELECT pg_wal_replay_resume()').catch(() => undefined)
    await replica?.end().catch(() => undefined)
    await primary?.end().catch(() => undefined)
    await b?.stop()
    await a?.stop()
    await redis?.stop()
  })

  const editorTitle = async (server: TestServer) => {
    const res = await fetch(`${server.url}/api/posts/${postId}?depth=0&draft=true`, { headers: { authorization: editor } })
    expect(res.status).toBe(200)
    return ((await res.json()) as { title: string }).title
  }
  const save = async (server: TestServer, title: string) => {
    const res = await fetch(`${server.url}/api/posts/${postId}`, {
      method: 'PATCH',
      headers: { authorization: editor, 'content-type': 'application/json' },
      body: JSON.stringify({ title }),
    })
    expect(res.status).toBe(200)
  }
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
  /** Until the replica has replayed everything the primary has written so far. */
  const waitForReplay = async () => {
    // The insert position: the test cluster commits asynchronously (scripts/services.sh), so the write
    // position can still be short of a commit the servers have answered.
    const { lsn } = (await primary.query('SELECT pg_current_wal_insert_lsn()::text AS lsn')).rows[0]
    const caughtUp = async () =>
      (await replica.query('SELECT pg_wal_lsn_diff(pg_last_wal_replay_lsn(), $1::pg_lsn) >= 0 AS caught_up', [lsn])).rows[0]
        .caught_up === true
    if (!(await waitFor(caughtUp, 10_000, 50))) throw new Error(`the replica did not replay up to ${lsn}`)
  }

  /** A pause is only requested by pg_wal_replay_pause(): the replica may replay a little more before it stops. */
  const pauseReplay = async () => {
    await replica.query('SELECT pg_wal_replay_pause()')
    const paused = async () => (await replica.query('SELECT pg_get_wal_replay_pause_state() AS state')).rows[0].state === 'paused'
    if (!(await waitFor(paused, 10_000, 20))) throw new Error('the replica did not pause its replay')
  }

  test('a save through one server is seen at once by a reload through either, while the replica lags', async () => {
    // Ready means both answer: a replica (the count) and the primary (the content version).
    for (const server of [a, b]) expect((await fetch(`${server.url}/readyz`)).status).toBe(200)
    await waitForReplay()
    await pauseReplay()
    try {
      for (let round = 0; round < 5; round++) {
        const [writer, reader] = round % 2 ? [b, a] : [a, b]
        const title = `Saved through ${writer === a ? 'A' : 'B'}, round ${round}`
        await save(writer, title)
        // The replica has not replayed the save: only reads on the primary can see it.
        expect(await editorTitle(reader)).toBe(title)
        expect(await editorTitle(writer)).toBe(title)
      }
    } finally {
      await replica.query('SELECT pg_wal_replay_resume()')
    }
    await waitForReplay()
  })

  test('outside the window reads are answered by the replica', async () => {
    await waitForReplay()
    await pauseReplay()
    try {
      await save(a, 'Saved while the replica is paused')
      expect(await editorTitle(b)).toBe('Saved while the replica is paused')
      // B heard of the save before A answered it; its window is the longest one.
      await sleep(ANNOUNCED_WINDOW_MS + 500)
      // The replica still has the title from before the save: this read went to it, on both servers.
      expect(await editorTitle(a)).toBe('Saved through A, round 4')
      expect(await editorTitle(b)).toBe('Saved through A, round 4')
    } finally {
      await replica.query('SELECT pg_wal_replay_resume()')
    }
    await waitForReplay()
    expect(await editorTitle(b)).toBe('Saved while the replica is paused')
  })
})
