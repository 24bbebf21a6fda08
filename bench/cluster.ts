// What bench/instances.ts and bench/soak.ts share: a throw-away PostgreSQL database seeded with the
// shared bench content, Redis, production servers on them as REDIS_URL runs them in production, the
// fifty mixed reads of bench/mixed.ts fired at one or several servers at once, and the CPU time each
// part of the machine spent meanwhile (to say what bounds the figures on two cores).
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'

import autocannon from 'autocannon'
import type { Result } from 'autocannon'

import { ensureProductionBuild } from '../scripts/lib/build.mjs'
import type { TestRedis } from '../test/helpers/redis'
import { startRedis } from '../test/helpers/redis'
import type { SeedChildResult } from './child/seed'
import type { BenchDatabase } from './database'
import { createBenchDatabase } from './database'
import type { MixedRequest } from './mixed'
import type { BenchPaths, StartedGreenroom } from './processes'
import { benchPaths, payloadEnv, runChild, startGreenroom, treeCpuMs } from './processes'

export type Cluster = {
  paths: BenchPaths
  database: BenchDatabase
  redisUrl: string
  servers: StartedGreenroom[]
  close: () => Promise<void>
}

/** Seeds `posts` posts into a new PostgreSQL database and starts `instances` servers on it, sharing Redis. */
export const startCluster = async (
  name: string,
  posts: number,
  instances: number,
  log: (message: string) => void,
  extraEnv: Record<string, string> = {},
): Promise<Cluster> => {
  await ensureProductionBuild(process.cwd(), log)
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `greenroom-bench-${name}-`))
  const database = await createBenchDatabase('postgres', dir, posts)
  const paths = benchPaths(dir, database.uri, posts)
  let redis: TestRedis | undefined
  const servers: StartedGreenroom[] = []
  const close = async () => {
    await Promise.all(servers.map((server) => server.stop()))
    await redis?.stop()
    if (!process.env.BENCH_KEEP) {
      await database.drop()
      fs.rmSync(dir, { recursive: true, force: true })
    }
  }
  try {
    log(`seeding ${posts.toLocaleString('en-US')} posts into ${database.description}`)
    await runChild<SeedChildResult>('bench/child/seed.ts', path.join(dir, 'seed.json'), payloadEnv(paths))
    await database.prepareForReads()
    // Redis of its own unless one is named: the soak's keys and channels stay out of anything else's.
    const redisUrl = process.env.BENCH_REDIS_URL || (redis = await startRedis()).url
    const env = { REDIS_URL: redisUrl, REDIS_KEY_PREFIX: `bench-${process.pid}:`, ...extraEnv }
    for (let k = 0; k < instances; k++) servers.push(await startGreenroom(paths, env))
    log(`${instances} servers on one database and one Redis: ${servers.map((server) => server.url).join(', ')}`)
    return { paths, database, redisUrl, servers, close }
  } catch (error) {
    await close()
    throw error
  }
}

export type Fired = {
  requests: number
  requestsPerSecond: number
  p50Ms: number
  p99Ms: number
  /** Answers other than 200, connection errors and timeouts. */
  failures: number
}

type FireOptions = { connections: number; seconds: number; overallRate?: number }

/**
 * The fifty requests at each of `urls` at once, `connections` in all split evenly between them, as a
 * round-robin balancer would send them (without a balancer's own cost on the two cores). Figures are
 * the servers' together; latency percentiles are the worse server's.
 */
export const fireAt = async (urls: string[], requests: MixedRequest[], options: FireOptions): Promise<Fired> => {
  const per = Math.max(1, Math.floor(options.connections / urls.length))
  const results = await Promise.all(
    urls.map((url) =>
      autocannon({
        url,
        connections: per,
        duration: options.seconds,
        ...(options.overallRate && { overallRate: options.overallRate / urls.length }),
        requests: requests.map(({ method, path: route, headers, body }) => ({ method, path: route, headers, body })),
      }),
    ),
  )
  const sum = (pick: (result: Result) => number) => results.reduce((total, result) => total + pick(result), 0)
  return {
    requests: sum((result) => result.requests.total),
    requestsPerSecond: sum((result) => result.requests.average),
    p50Ms: Math.max(...results.map((result) => result.latency.p50)),
    p99Ms: Math.max(...results.map((result) => result.latency.p99)),
    failures: sum((result) => result.non2xx + result.errors + result.timeouts),
  }
}

/** USER_HZ: 100 on every Linux Node runs on. */
const TICK_MS = 10

/**
 * CPU milliseconds of every process whose command is `name` (PostgreSQL's backends, redis-server), with the
 * time of children they have already reaped: a PostgreSQL backend that exits during a turn leaves its time
 * in the postmaster's, instead of taking it out of the sum.
 */
const cpuOfCommand = (name: string): number => {
  let total = 0
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8')
      const close = stat.lastIndexOf(')')
      if (stat.slice(stat.indexOf('(') + 1, close) !== name) continue
      const fields = stat.slice(close + 2).split(' ')
      total += (Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14])) * TICK_MS
    } catch {
      // gone meanwhile
    }
  }
  return total
}

/** The whole machine's CPU time so far (/proc/stat), busy and idle (iowait counted as idle), in ms. */
const machineCpu = (): { busy: number; idle: number } => {
  const [, ...ticks] = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/)
  // user nice system idle iowait irq softirq steal (guest time is already inside user and nice)
  const [user, nice, system, idle, iowait, irq, softirq, steal] = ticks.map(Number)
  return { busy: (user + nice + system + irq + softirq + steal) * TICK_MS, idle: (idle + iowait) * TICK_MS }
}

export type CpuShares = { servers: number; loadGenerator: number; postgres: number; redis: number; other: number; idle: number }

/**
 * Where the machine's CPU went while `work` ran, as shares of every core's time (1 = all cores busy for the
 * whole time), from the kernel's counters: the servers (with their child processes), this process (autocannon),
 * PostgreSQL and Redis; `other` is the busy time of every other process, `idle` the time no process used.
 */
export const measureCpu = async <T>(serverPids: number[], work: () => Promise<T>): Promise<{ result: T; cpu: CpuShares }> => {
  const serversCpu = () => serverPids.reduce((total, pid) => total + (treeCpuMs(pid) ?? 0), 0)
  const own = () => {
    const usage = process.cpuUsage()
    return (usage.user + usage.system) / 1000
  }
  const sample = () => ({ servers: serversCpu(), own: own(), postgres: cpuOfCommand('postgres'), redis: cpuOfCommand('redis-server'), machine: machineCpu() })
  const before = sample()
  const result = await work()
  const after = sample()
  const available = after.machine.busy + after.machine.idle - before.machine.busy - before.machine.idle
  const share = (ms: number) => Math.max(0, ms) / available
  const cpu = {
    servers: share(after.servers - before.servers),
    loadGenerator: share(after.own - before.own),
    postgres: share(after.postgres - before.postgres),
    redis: share(after.redis - before.redis),
    other: 0,
    idle: share(after.machine.idle - before.machine.idle),
  }
  cpu.other = Math.max(0, 1 - cpu.idle - cpu.servers - cpu.loadGenerator - cpu.postgres - cpu.redis)
  return { result, cpu }
}
