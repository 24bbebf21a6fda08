import { spawn, spawnSync } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'

import { freePort } from './server'

/** Whether Debian's redis-server is installed; under CI its absence fails the tests that need it. */
export const hasRedisServer = (): boolean => {
  const found = spawnSync('redis-server', ['--version']).status === 0
  if (!found && process.env.CI) throw new Error('redis-server is not installed: apt-get install -y redis-server')
  return found
}

export type TestRedis = {
  url: string
  /** Kills the server (SIGKILL): an outage. */
  kill: () => Promise<void>
  /** Starts it again on the same port, empty. */
  restart: () => Promise<void>
  stop: () => Promise<void>
}

const waitForPort = async (port: number) => {
  for (let attempt = 0; attempt < 100; attempt++) {
    const open = await new Promise<boolean>((resolve) =>
      net
        .connect(port, '127.0.0.1')
        .on('connect', function (this: net.Socket) {
          this.destroy()
          resolve(true)
        })
        .on('error', () => resolve(false)),
    )
    if (open) return
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  throw new Error(`redis-server did not listen on ${port}`)
}

/** A Redis server of the test's own (so it can be stopped), on a free port of 127.0.0.1. */
export const startRedis = async (): Promise<TestRedis> => {
  const port = await freePort()
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'greenroom-redis-'))
  let child: ChildProcess | undefined
  const start = async () => {
    child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'no'], {
      stdio: 'ignore',
    })
    await waitForPort(port)
  }
  const kill = async () => {
    if (!child || child.exitCode !== null) return
    const exited = new Promise((resolve) => child!.once('exit', resolve))
    child.kill('SIGKILL')
    await exited
  }
  await start()
  return {
    url: `redis://127.0.0.1:${port}`,
    kill,
    restart: start,
    stop: async () => {
      await kill()
      fs.rmSync(dir, { recursive: true, force: true })
    },
  }
}
