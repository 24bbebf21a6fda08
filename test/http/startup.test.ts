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
