import { testDatabaseKind } from '../helpers/database'
import { api } from '../helpers/http'
import type { TestServer } from '../helpers/server'
import { startTestServer } from '../helpers/server'

let server: TestServer

beforeAll(async () => {
  server = await startTestServer({ seed: false })
}, 120_000)

afterAll(async () => {
  await server?.stop()
})

test('/healthz answers without touching the database', async () => {
  const res = await api(server.url, '/healthz')
  expect(res.status).toBe(200)
  expect(res.headers.get('cache-control')).toBe('no-store')
  expect(res.body).toMatchObject({ status: 'ok' })
})

test('/readyz reports the database as ready', async () => {
  const res = await api(server.url, '/readyz')
  expect(res.status).toBe(200)
  expect(res.body).toMatchObject({
    status: 'ready',
    database: testDatabaseKind() === 'mongodb' ? 'mongoose' : testDatabaseKind(),
  })
})
