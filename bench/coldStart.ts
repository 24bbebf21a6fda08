// `npm run bench:start`: cold start, measured many times by turns. Greenroom's production server and stock Payload
// (`next start` on the same build) are spawned one after the other on the same seeded SQLite database, each timed
// from spawn to the first 200 of /api/posts?limit=1 (polled from spawn on both), and Greenroom also to the first 200
// of /readyz; the report gives the median and the range of each, and of the CPU time the server had used by its first
// API 200 (what the start cost, which a busy machine changes less than its wall time). One `npm run bench` keeps the
// seeded copy this uses (bench/seedCache.ts).
//
//   BENCH_START_SPAWNS (7)     spawns of each server, after one of each that is not counted (it warms the disk cache)
//   --posts N (POST_COUNT)     which kept seed (1000)
//   --compare <bundle.mjs>     also spawns that server bundle by turns (say, a build of main in dist/), as "other"
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'

import { SERVER_HEAP_ARGS, ensureProductionBuild } from '../scripts/lib/build.mjs'
import { RUNTIME_NODE_ARGS } from '../scripts/lib/bundle.mjs'
import { ROOT } from './content'
import { createBenchDatabase } from './database'
import { benchPaths, startGreenroom, startStock } from './processes'
import { findKeptSeed, restoreSeed } from './seedCache'

const log = (message: string) => console.log(`[bench:start] ${message}`)

const argument = (flag: string) => {
  const at = process.argv.indexOf(flag)
  return at === -1 ? undefined : process.argv[at + 1]
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`

type Sample = { api: number; apiCpu: number | null; readyz?: number }

const main = async () => {
  const postCount = Number(argument('--posts') ?? process.env.POST_COUNT ?? 1000)
  const spawns = Number(process.env.BENCH_START_SPAWNS || 7)
  const compare = argument('--compare')
  await ensureProductionBuild(ROOT, log)
  const kept = findKeptSeed('sqlite', postCount)
  if (!kept) throw new Error(`No kept seed of ${postCount} posts on SQLite: run \`npm run bench -- --posts ${postCount}\` once first.`)
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'greenroom-bench-start-'))
  try {
    const database = await createBenchDatabase('sqlite', dir, postCount)
    const paths = benchPaths(dir, database.uri, postCount)
    restoreSeed(kept, paths)

    const sides: { name: string; start: () => Promise<Sample & { stop: () => Promise<void> }> }[] = [
      {
        name: 'Greenroom',
        start: async () => {
          const server = await startGreenroom(paths)
          return { api: server.coldStartApiMs, apiCpu: server.coldStartApiCpuMs, readyz: server.coldStartMs, stop: server.stop }
        },
      },
      {
        name: 'stock Payload (next start)',
        start: async () => {
          const stock = await startStock(paths)
          return { api: stock.coldStartMs, apiCpu: stock.coldStartCpuMs, stop: stock.stop }
        },
      },
    ]
    if (compare) {
      sides.push({
        name: `other (${compare})`,
        start: async () => {
          const server = await startGreenroom(paths, {}, 120_000, [...SERVER_HEAP_ARGS, ...RUNTIME_NODE_ARGS, compare])
          return { api: server.coldStartApiMs, apiCpu: server.coldStartApiCpuMs, readyz: server.coldStartMs, stop: server.stop }
        },
      })
    }
    const samples = new Map<string, Sample[]>(sides.map((side) => [side.name, []]))
    // The first round is not counted: it applies pending migrations and warms the disk cache. The order of the
    // sides turns each round, so none always follows the same one.
    for (let round = 0; round <= spawns; round++) {
      const order = sides.map((_, k) => sides[(k + round) % sides.length])
      for (const side of order) {
        const { stop, ...sample } = await side.start()
        await stop()
        if (round > 0) samples.get(side.name)!.push(sample)
        const cpu = sample.apiCpu === null ? '' : `, CPU ${seconds(sample.apiCpu)}`
        const readyz = sample.readyz ? `, /readyz ${seconds(sample.readyz)}` : ''
        log(`${round === 0 ? 'warm-up' : `round ${round}`}: ${side.name} ${seconds(sample.api)}${cpu}${readyz}`)
      }
    }

    console.log(`\nCold start, ${spawns} spawns each by turns, SQLite, ${postCount.toLocaleString('en-US')} posts; median (min-max)\n`)
    console.log('| server | spawn to first 200 of /api/posts?limit=1 | its CPU time by then | spawn to first 200 of /readyz |')
    console.log('|---|---|---|---|')
    const range = (values: number[]) =>
      `${seconds(median(values))} (${seconds(Math.min(...values))}-${seconds(Math.max(...values))})`
    for (const [name, list] of samples) {
      const readyz = list.flatMap((sample) => (sample.readyz === undefined ? [] : [sample.readyz]))
      const cpu = list.flatMap((sample) => (sample.apiCpu === null ? [] : [sample.apiCpu]))
      console.log(
        `| ${name} | ${range(list.map((sample) => sample.api))} | ${cpu.length ? range(cpu) : 'n/a'} | ${readyz.length ? range(readyz) : 'n/a'} |`,
      )
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true })
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error)
  process.exit(1)
})
