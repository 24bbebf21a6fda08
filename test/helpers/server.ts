import type { ChildProcess } from 'node:child_process'
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'

import { SERVER_NODE_ARGS } from '../../scripts/lib/build.mjs'
import { createTestDatabase } from './database'

export const ROOT = path.resolve(import.meta.dirname, '../..')

export const TEST_ADMIN = { email: 'admin@greenroom.test', password: 'test-admin-password-1' }

export type TestServer = {
  url: string
  dir: string
  /** The database it runs on: a second server can be started on it (`databaseUri` option). */
  databaseUri: string
  /** Everything the server printed so far, for failure messages. */
  output: () => string
  stop: () => Promise<number | null>
  process: ChildProcess
}

export const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = net.createServer()
    server.unref()
    server.on('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo
      server.close(() => resolve(port))
    })
  })

export type StartOptions = {
  /** Seed the demo content (admin: TEST_ADMIN). */
  seed?: boolean
  env?: Record<string, string | undefined>
  timeoutMs?: number
  /** Run on this database (another test server's) instead of a new one. */
  databaseUri?: string
  /**
   * Set PUBLIC_SERVER_URL to the address the test reaches the server at (http://127.0.0.1:PORT), so
   * absolute media URLs share the admin's origin; without it they name http://localhost:PORT.
   */
  publicServerUrl?: boolean
}

/** Spawns the production server on its own SQLite file and media folder in `dir`. */
export const spawnServer = ({ dir, port, seed, env = {} }: { dir: string; port: number; seed: boolean; env?: StartOptions['env'] }) =>
  spawn(process.execPath, SERVER_NODE_ARGS, {
    cwd: ROOT,
    env: {
      ...process.env,
      NODE_OPTIONS: '',
      NODE_ENV: 'production',
      NEXT_TELEMETRY_DISABLED: '1',
      PORT: String(port),
      HOST: '127.0.0.1',
      PAYLOAD_SECRET: 'test-secret-0123456789abcdef0123456789abcdef',
      DATABASE_URI: `file:${path.join(dir, 'greenroom.db')}`,
      MEDIA_DIR: path.join(dir, 'media'),
      SEED_DEMO_CONTENT: seed ? 'true' : 'false',
      SEED_ADMIN_EMAIL: TEST_ADMIN.email,
      SEED_ADMIN_PASSWORD: TEST_ADMIN.password,
      LOG_LEVEL: process.env.TEST_SERVER_LOG_LEVEL || 'warn',
      JOBS_AUTORUN: 'false',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })

/**
 * Starts the real production server (the compiled `dist/server.mjs` under NODE_ENV=production,
 * migrations applied) on a free port with its own database (see ./database) and media folder,
 * and waits for /readyz.
 * Needs a current `next build` (the http and e2e projects' global setup makes sure of it).
 */
export const startTestServer = async ({ seed = true, env = {}, timeoutMs = 90_000, ...options }: StartOptions = {}): Promise<TestServer> => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'greenroom-server-'))
  const port = await freePort()
  const databaseUri = options.databaseUri ?? (await createTestDatabase()) ?? `file:${path.join(dir, 'greenroom.db')}`
  const ownUrl = options.publicServerUrl ? { PUBLIC_SERVER_URL: `http://127.0.0.1:${port}` } : {}
  const child = spawnServer({ dir, port, seed, env: { DATABASE_URI: databaseUri, ...ownUrl, ...env } })
  let output = ''
  child.stdout?.on('data', (chunk) => (output += chunk))
  child.stderr?.on('data', (chunk) => (output += chunk))
  const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)))

  const url = `http://127.0.0.1:${port}`
  const deadline = Date.now() + timeoutMs
  let ready = false
  let early: number | null | undefined
  void exited.then((code) => (early = code))
  while (!ready && Date.now() < deadline && early === undefined) {
    try {
      ready = (await fetch(`${url}/readyz`)).ok
    } catch {
      // not listening yet
    }
    if (!ready) await new Promise((resolve) => setTimeout(resolve, 200))
  }
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM')
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000)
      const code = await exited
      clearTimeout(timer)
      fs.rmSync(dir, { recursive: true, force: true })
      return code
    }
    fs.rmSync(dir, { recursive: true, force: true })
    return child.exitCode
  }
  if (!ready) {
    await stop()
    throw new Error(`The test server did not become ready (exit code ${String(early)}). Its output:\n${output}`)
  }
  return { url, dir, databaseUri, output: () => output, stop, process: child }
}
