// Request ids on every log line and in X-Request-Id, and /metrics in Prometheus's format behind
// METRICS_TOKEN (src/server/requestLogger.ts, src/server/requestContext.ts, src/metrics).
import type { TestServer } from '../helpers/server'
import { TEST_ADMIN, startTestServer } from '../helpers/server'

const TOKEN = 'metrics-token-for-tests-0123456789'
let server: TestServer

beforeAll(async () => {
  server = await startTestServer({
    seed: true,
    env: { METRICS_TOKEN: TOKEN, LOG_LEVEL: 'info', LOG_FORMAT: 'json', RATE_LIMIT_PER_IP: '5' },
  })
}, 120_000)

afterAll(async () => {
  await server?.stop()
})

type LogLine = Record<string, unknown> & { msg?: string; reqId?: string }
const logLines = (): LogLine[] =>
  server
    .output()
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as LogLine)

const waitForLine = async (match: (line: LogLine) => boolean) => {
  const deadline = Date.now() + 5000
  while (Date.now() < deadline) {
    const found = logLines().find(match)
    if (found) return found
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  throw new Error(`no such log line in:\n${server.output().slice(-3000)}`)
}

let addresses = 0
const from = () => ({ 'x-forwarded-for': `203.0.113.${++addresses}` })

test('every answer carries a request id: the one a proxy sent when it is a plain token, else a new one', async () => {
  const own = await fetch(`${server.url}/api/posts?limit=1`, { headers: from() })
  expect(own.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/)
  const given = await fetch(`${server.url}/api/posts?limit=1`, { headers: { ...from(), 'x-request-id': 'edge-7f3a.42' } })
  expect(given.headers.get('x-request-id')).toBe('edge-7f3a.42')
  const forged = await fetch(`${server.url}/api/posts?limit=1`, { headers: { ...from(), 'x-request-id': 'a b {"level":60}' } })
  expect(forged.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/)

  const line = await waitForLine((entry) => entry.msg === 'request' && entry.reqId === 'edge-7f3a.42')
  expect(line).toMatchObject({ method: 'GET', url: '/api/posts?limit=1', status: 200 })
  expect(typeof line.durationMs).toBe('number')
})

test('what Payload logs while serving a request names the request too', async () => {
  const res = await fetch(`${server.url}/api/users/login`, {
    method: 'POST',
    headers: { ...from(), 'content-type': 'application/json', 'x-request-id': 'wrong-password-1' },
    body: JSON.stringify({ email: TEST_ADMIN.email, password: 'not the password' }),
  })
  expect(res.status).toBe(401)
  const lines = logLines().filter((entry) => entry.reqId === 'wrong-password-1')
  await waitForLine((entry) => entry.reqId === 'wrong-password-1' && entry.msg === 'request')
  const all = logLines().filter((entry) => entry.reqId === 'wrong-password-1')
  // Payload's own warning about the failed sign-in, and the request's line.
  expect(all.length).toBeGreaterThanOrEqual(Math.max(2, lines.length))
  expect(all.some((entry) => entry.msg !== 'request')).toBe(true)
})

test('/metrics needs the token, and counts requests, the store, the database, refusals and the queues', async () => {
  expect((await fetch(`${server.url}/metrics`)).status).toBe(401)
  expect((await fetch(`${server.url}/metrics`, { headers: { authorization: 'Bearer wrong' } })).status).toBe(401)

  // Two reads of one list (the second from the response store), then an address over its limit.
  await fetch(`${server.url}/api/posts?limit=2&depth=0`, { headers: from() })
  await fetch(`${server.url}/api/posts?limit=2&depth=0`, { headers: from() })
  const address = from()
  for (let k = 0; k < 6; k++) await fetch(`${server.url}/api/categories?limit=1`, { headers: address })

  const res = await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } })
  expect(res.status).toBe(200)
  expect(res.headers.get('content-type')).toMatch(/^text\/plain/)
  const text = await res.text()
  const value = (pattern: RegExp) => Number(pattern.exec(text)?.[1] ?? NaN)

  expect(value(/^greenroom_http_requests_total\{method="GET",route="\/api\/posts",status="200"\} (\d+)/m)).toBeGreaterThanOrEqual(2)
  expect(value(/^greenroom_http_requests_total\{method="GET",route="\/api\/categories",status="429"\} (\d+)/m)).toBeGreaterThanOrEqual(1)
  expect(text).toMatch(/^greenroom_http_request_duration_seconds_bucket\{le="0\.1",method="GET",route="\/api\/posts",status="200"\} \d+/m)
  expect(value(/^greenroom_response_store_total\{result="hit"\} (\d+)/m)).toBeGreaterThanOrEqual(1)
  expect(value(/^greenroom_response_store_total\{result="miss"\} (\d+)/m)).toBeGreaterThanOrEqual(1)
  expect(value(/^greenroom_rate_limit_refusals_total\{policy="per-ip"\} (\d+)/m)).toBeGreaterThanOrEqual(1)
  expect(value(/^greenroom_db_operation_duration_seconds_count\{operation="find"\} (\d+)/m)).toBeGreaterThan(0)
  expect(text).toMatch(/^greenroom_jobs\{state="queued"\} \d+/m)
  expect(text).toMatch(/^greenroom_build_deliveries\{status="delivered"\} \d+/m)
  expect(value(/^greenroom_process_resident_memory_bytes (\d+)/m)).toBeGreaterThan(0)
  // Ids and file names never become labels.
  expect(text).not.toMatch(/route="[^"]*\/\d+"/)
})
