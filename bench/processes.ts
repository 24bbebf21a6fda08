import type { ChildProcess } from 'node:child_process'
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'

import { SERVER_NODE_ARGS } from '../scripts/lib/build.mjs'
import { RUNTIME_NODE_ARGS, SCRATCH_DIR, bundleEntry } from '../scripts/lib/bundle.mjs'
import { freePort } from '../test/helpers/server'

import { ROOT } from './content'

/** A fixed secret: the database is thrown away, and production mode refuses to run without one. */
export const BENCH_SECRET = 'bench-secret-0123456789abcdef0123456789abcdef'

/** Where one run keeps its things: a temporary folder (media, outputs) and its throw-away database. */
export type BenchPaths = { dir: string; databaseUri: string; mediaDir: string; postCount: number }

export const benchPaths = (dir: string, databaseUri: string, postCount: number): BenchPaths => ({
  dir,
  databaseUri,
  mediaDir: path.join(dir, 'media'),
  postCount,
})

/**
 * What every Payload process of the bench gets: production mode on the throw-away database, and
 * the run's post count for ../shared/bench/content.mjs (which reads POST_COUNT).
 */
export const payloadEnv = (paths: BenchPaths): NodeJS.ProcessEnv => ({
  ...process.env,
  NODE_OPTIONS: '',
  NODE_ENV: 'production',
  NEXT_TELEMETRY_DISABLED: '1',
  PAYLOAD_SECRET: BENCH_SECRET,
  DATABASE_URI: paths.databaseUri,
  POST_COUNT: String(paths.postCount),
  MEDIA_DIR: paths.mediaDir,
  SEED_DEMO_CONTENT: 'false',
  LOG_LEVEL: 'warn',
  JOBS_AUTORUN: 'false',
  // One client sends every request: the limiter runs (its cost is measured) but never refuses.
  RATE_LIMIT_PER_IP: '1000000000',
})

/**
 * Child scripts are compiled with esbuild and run on plain Node (like the server), with Lexical
 * preloaded (see scripts/preload-lexical.mjs).
 */
const spawnTs = async (script: string, args: string[], env: NodeJS.ProcessEnv) => {
  const compiled = await bundleEntry(script, path.join(SCRATCH_DIR, 'bench', `${path.basename(script, '.ts')}.mjs`), ROOT)
  return spawn(process.execPath, [...RUNTIME_NODE_ARGS, compiled, ...args], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
}

const collectOutput = (child: ChildProcess) => {
  let output = ''
  child.stdout?.on('data', (chunk) => (output += chunk))
  child.stderr?.on('data', (chunk) => (output += chunk))
  return () => output
}

const isRunning = (child: ChildProcess) => child.exitCode === null && child.signalCode === null

const exitOf = (child: ChildProcess) =>
  new Promise<number | null>((resolve) => {
    if (!isRunning(child)) resolve(child.exitCode)
    else child.once('exit', (code) => resolve(code))
  })

/**
 * Runs a bench/child script to completion; it writes its result as JSON to the file it is given.
 * `onLine` sees each line the child prints on stdout as it comes (progress).
 */
export const runChild = async <T>(script: string, outFile: string, env: NodeJS.ProcessEnv, onLine?: (line: string) => void): Promise<T> => {
  const child = await spawnTs(script, [outFile], env)
  const output = collectOutput(child)
  if (onLine) {
    let pending = ''
    child.stdout?.on('data', (chunk: Buffer) => {
      const lines = (pending + chunk.toString()).split('\n')
      pending = lines.pop() ?? ''
      for (const line of lines) onLine(line)
    })
  }
  const code = await exitOf(child)
  if (code === 0 && fs.existsSync(outFile)) return JSON.parse(fs.readFileSync(outFile, 'utf8')) as T
  throw new Error(`${script} failed (exit code ${String(code)}). Its output:\n${output()}`)
}

export type RunningProcess = {
  url: string
  pid: number
  output: () => string
  stop: () => Promise<void>
}

const stopper = (child: ChildProcess) => async () => {
  if (!isRunning(child)) return
  child.kill('SIGTERM')
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000)
  await exitOf(child)
  clearTimeout(timer)
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** Polls often: the time to the first 200 is one of the figures. */
const READY_POLL_MS = 25

/**
 * coldStartMs: spawn to the first 200 on /readyz; coldStartApiMs: spawn to the first 200 of COLD_START_PATH, polled
 * from spawn on its own (as stock Payload is timed), not after /readyz.
 */
export type StartedGreenroom = RunningProcess & { coldStartMs: number; coldStartApiMs: number; coldStartApiCpuMs: number | null }

/** A start that ended before the process was up: its exit code and everything it printed. */
type LaunchFailure = { failed: number | null; output: string }

/**
 * Starts the production server (the compiled bundle, as `npm start` runs it) on a free port and times it
 * from spawn to the first 200 on /readyz and, polled alongside, to the first 200 of the API read stock
 * Payload is timed with.
 */
const launchGreenroom = async (
  paths: BenchPaths,
  timeoutMs: number,
  extraEnv: Record<string, string>,
  nodeArgs: string[],
): Promise<StartedGreenroom | LaunchFailure> => {
  const port = await freePort()
  const url = `http://127.0.0.1:${port}`
  const started = process.hrtime.bigint()
  const child = spawn(process.execPath, nodeArgs, {
    cwd: ROOT,
    env: { ...payloadEnv(paths), ...extraEnv, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const output = collectOutput(child)
  const stop = stopper(child)
  const alive = () => isRunning(child)
  let coldStartApiCpuMs: number | null = null
  const [coldStartMs, coldStartApiMs] = await Promise.all([
    firstOk(`${url}/readyz`, started, alive, timeoutMs),
    firstOk(`${url}${COLD_START_PATH}`, started, alive, timeoutMs).then((ms) => {
      coldStartApiCpuMs = treeCpuMs(child.pid!)
      return ms
    }),
  ])
  if (coldStartMs !== null && coldStartApiMs !== null) {
    return { url, pid: child.pid!, output, stop, coldStartMs, coldStartApiMs, coldStartApiCpuMs }
  }
  await stop()
  return { failed: child.exitCode, output: output() }
}

/** `nodeArgs`: how Node runs the server (another bundle, when bench/coldStart.ts compares two builds). */
export const startGreenroom = async (
  paths: BenchPaths,
  extraEnv: Record<string, string> = {},
  timeoutMs = 120_000,
  /** Node's arguments: its options (`--cpu-prof`, which NODE_OPTIONS does not take) and the bundle to run. */
  nodeArgs: string[] = SERVER_NODE_ARGS,
): Promise<StartedGreenroom> => {
  const launch = await launchGreenroom(paths, timeoutMs, extraEnv, nodeArgs)
  if ('failed' in launch) {
    throw new Error(`Greenroom did not become ready (exit code ${String(launch.failed)}). Its output:\n${launch.output}`)
  }
  return launch
}

const launchCeiling = async (routesFile: string): Promise<RunningProcess | LaunchFailure> => {
  const child = await spawnTs('bench/child/ceiling.ts', [routesFile], { ...process.env, NODE_OPTIONS: '', NODE_ENV: 'production' })
  const output = collectOutput(child)
  const port = await new Promise<number | null>((resolve) => {
    child.stdout?.on('data', () => {
      const match = /\{"port":(\d+)\}/.exec(output())
      if (match) resolve(Number(match[1]))
    })
    child.once('exit', () => resolve(null))
  })
  if (port === null) return { failed: child.exitCode, output: output() }
  return { url: `http://127.0.0.1:${port}`, pid: child.pid!, output, stop: stopper(child) }
}

/** Starts bench/child/ceiling.ts, which serves the recorded responses, and waits for its port. */
export const startCeiling = async (routesFile: string): Promise<RunningProcess> => {
  const launch = await launchCeiling(routesFile)
  if ('failed' in launch) throw new Error(`The ceiling server exited (code ${String(launch.failed)}):\n${launch.output}`)
  return launch
}

export type ProcessMemory = { rssMb: number; peakRssMb: number }

/** VmRSS (now) and VmHWM (the peak since start) from /proc, in MiB; Linux only. */
export const readMemory = (pid: number): ProcessMemory | null => {
  let status: string
  try {
    status = fs.readFileSync(`/proc/${pid}/status`, 'utf8')
  } catch {
    return null
  }
  const kib = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN)
  return { rssMb: kib('VmRSS') / 1024, peakRssMb: kib('VmHWM') / 1024 }
}

/**
 * CPU time (user + system) a process and every process below it used so far, in ms; Linux only, null elsewhere.
 * On a loaded machine a start's wall time mostly says how busy the machine was; its CPU time says what it cost.
 */
export const treeCpuMs = (pid: number): number | null => {
  let stat: string
  try {
    stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8')
  } catch {
    return null
  }
  // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th, in clock ticks.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  const own = ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_SECOND
  let children: number[] = []
  try {
    children = fs.readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').split(/\s+/).filter(Boolean).map(Number)
  } catch {
    // No children file: its own time is all there is.
  }
  return children.reduce((sum, child) => sum + (treeCpuMs(child) ?? 0), own)
}

/** USER_HZ: 100 on every Linux Node runs on. */
const CLOCK_TICKS_PER_SECOND = 100

/** Peak and current RSS of a process and every process below it (Next may start workers), in MiB. */
export const readTreeMemory = (pid: number): ProcessMemory | null => {
  const own = readMemory(pid)
  if (!own) return null
  let children: number[] = []
  try {
    children = fs
      .readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8')
      .split(/\s+/)
      .filter(Boolean)
      .map(Number)
  } catch {
    // No children file (or the process just ended): its own figures are all there is.
  }
  return children
    .map(readTreeMemory)
    .reduce<ProcessMemory>((sum, child) => (child ? { rssMb: sum.rssMb + child.rssMb, peakRssMb: sum.peakRssMb + child.peakRssMb } : sum), own)
}

/**
 * The first 200 of one post from the API's list: what cold start means for both Greenroom and stock Payload (whose
 * Next loads the route and Payload on that first request).
 */
export const COLD_START_PATH = '/api/posts?limit=1'

/** Polls `url` until it answers 200; milliseconds since `started`, or null when the process ended or time ran out. */
export const firstOk = async (url: string, started: bigint, alive: () => boolean, timeoutMs: number): Promise<number | null> => {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline && alive()) {
    const ok = await fetch(url).then(
      async (res) => (await res.arrayBuffer(), res.status === 200),
      () => false,
    )
    if (ok) return Number(process.hrtime.bigint() - started) / 1e6
    await sleep(READY_POLL_MS)
  }
  return null
}

export type StartedStock = RunningProcess & { coldStartMs: number; coldStartCpuMs: number | null }

/**
 * Stock Payload on the same build: `next start` serving the same .next folder, so /api/* goes through
 * Payload's own route handlers (src/app/(payload)/api, REST_GET and GRAPHQL_POST of @payloadcms/next)
 * with the same config, and nothing of Greenroom's express layer (no response store, no stored-answer
 * lane, no validators, rate limit, security headers or request log). Cold start: spawn to the first 200
 * of /api/posts?limit=1 (Next loads the route and Payload on that first request).
 */
export const startStock = async (paths: BenchPaths, timeoutMs = 120_000): Promise<StartedStock> => {
  const port = await freePort()
  const url = `http://127.0.0.1:${port}`
  const started = process.hrtime.bigint()
  const child = spawn(
    process.execPath,
    [...RUNTIME_NODE_ARGS, path.join('node_modules', 'next', 'dist', 'bin', 'next'), 'start', '-p', String(port), '-H', '127.0.0.1'],
    { cwd: ROOT, env: { ...payloadEnv(paths), PORT: String(port) }, stdio: ['ignore', 'pipe', 'pipe'] },
  )
  const output = collectOutput(child)
  const stop = stopper(child)
  const coldStartMs = await firstOk(`${url}${COLD_START_PATH}`, started, () => isRunning(child), timeoutMs)
  const coldStartCpuMs = treeCpuMs(child.pid!)
  if (coldStartMs === null) {
    await stop()
    throw new Error(`next start did not answer 200 on ${COLD_START_PATH} (exit code ${String(child.exitCode)}). Its output:\n${output()}`)
  }
  return { url, pid: child.pid!, output, stop, coldStartMs, coldStartCpuMs }
}
