import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'

import { freePort, spawnServer, startTestServer } from '../helpers/server'

/** Runs the production server with the given settings and returns how it ended and what it said. */
const runServer = async (env: Record<string, string | undefined>) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'greenroom-startup-'))
  const child = spawnServer({ dir, port: await freePort(), seed: false, env })
  let output = ''
  child.stdout?.on('data', (chunk) => (output += chunk))
  child.stderr?.on('data', (chunk) => (output += chunk))
  const timer = setTimeout(() => child.kill('SIGKILL'), 60_000)
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve))
  clearTimeout(timer)
  fs.rmSync(dir, { recursive: true, force: true })
  return { code, output }
}

test('production refuses to start without PAYLOAD_SECRET', async () => {
  const { code, output } = await runServer({ PAYLOAD_SECRET: '' })
  expect(code).toBe(1)
  expect(output).toContain('Greenroom could not start: PAYLOAD_SECRET is not set')
  expect(output).not.toMatch(/^\s+at /m) // a message, not a stack trace
})

test('an unknown DATABASE_URI stops start-up with a clear message', async () => {
  const { code, output } = await runServer({ DATABASE_URI: 'mysql://root:hunter2@db/greenroom' })
  expect(code).toBe(1)
  expect(output).toContain('DATABASE_URI uses "mysql:", which Greenroom does not support')
  expect(output).not.toContain('hunter2')
})

test('a bad PORT stops start-up with a clear message', async () => {
  const { code, output } = await runServer({ PORT: 'eighty' })
  expect(code).toBe(1)
  expect(output).toContain('PORT "eighty" is not a port number')
})

test('SIGTERM stops the server cleanly', async () => {
  const server = await startTestServer({ seed: false })
  const started = Date.now()
  const code = await server.stop()
  expect(code).toBe(0)
  expect(Date.now() - started).toBeLessThan(15_000)
})

test('an unknown SITE_TIME_ZONE stops start-up with a clear message', async () => {
  const { code, output } = await runServer({ SITE_TIME_ZONE: 'Mars/Olympus' })
  expect(code).toBe(1)
  expect(output).toContain('SITE_TIME_ZONE "Mars/Olympus" is not a time zone name')
})

test('while it starts, no request fails, and /readyz says ready only once the admin panel and GraphQL answer too', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'greenroom-startup-'))
  const port = await freePort()
  const child = spawnServer({ dir, port, seed: false })
  let output = ''
  child.stdout?.on('data', (chunk) => (output += chunk))
  child.stderr?.on('data', (chunk) => (output += chunk))
  const url = `http://127.0.0.1:${port}`
  const probe = async (pathAndQuery: string, init?: RequestInit) => {
    try {
      const res = await fetch(`${url}${pathAndQuery}`, { redirect: 'manual', ...init })
      return { pathAndQuery, status: res.status, text: await res.text() }
    } catch {
      return null // not listening yet
    }
  }
  const graphqlQuery = { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{ __typename }"}' }
  try {
    let answered = 0
    let ready = false
    const deadline = Date.now() + 90_000
    while (!ready && Date.now() < deadline && child.exitCode === null) {
      const answers = await Promise.all([
        probe('/readyz'),
        probe('/api/posts?limit=1'),
        probe('/admin'),
        probe('/api/graphql', graphqlQuery),
      ])
      for (const answer of answers) {
        if (!answer) continue
        answered++
        // The one 5xx allowed: /readyz saying the server is still starting.
        const starting = answer.pathAndQuery === '/readyz' && answer.status === 503
        if (starting) expect(JSON.parse(answer.text)).toEqual({ status: 'starting' })
        else expect([answer.pathAndQuery, answer.status < 500]).toEqual([answer.pathAndQuery, true])
      }
      ready = answers[0]?.status === 200
      if (!ready) await new Promise((resolve) => setTimeout(resolve, 50))
    }
    expect([ready, output.slice(-2000)]).toEqual([true, expect.any(String)])
    expect(answered).toBeGreaterThan(1)
    // Once ready, the admin panel and GraphQL answer at once.
    expect((await probe('/api/graphql', graphqlQuery))?.status).toBe(200)
    expect((await probe('/admin'))?.status).toBeLessThan(500)
  } finally {
    child.kill('SIGTERM')
    await new Promise((resolve) => (child.exitCode === null ? child.once('exit', resolve) : resolve(null)))
    fs.rmSync(dir, { recursive: true, force: true })
  }
}, 120_000)
