// `npm run bench:instances`: read throughput of one Greenroom instance against two on the same
// PostgreSQL database and Redis (the production shape of README, Several instances). Four production
// servers start on one seeded database: two with the response store on, two with it off (every
// request rendered by Payload). For each, by turns, the fifty mixed reads of bench/mixed.ts go to one
// server with all connections, then to both with half the connections each (as a round-robin balancer
// would split them). The table gives requests per second, latency, failures, and where the machine's
// CPU went, from the kernel's counters (servers, the load generator, PostgreSQL, Redis, other processes,
// idle): on a machine whose cores are all busy, a second instance cannot add throughput, and the CPU
// columns say which part holds them. Run it on a quiet machine: anything else busy shows as "other".
//
// Needs PostgreSQL (BENCH_POSTGRES_URI or TEST_POSTGRES_URI) and redis-server (or BENCH_REDIS_URL).
// Settings: POST_COUNT (1000), BENCH_ROUNDS (3), BENCH_SECONDS (10 per turn), BENCH_CONNECTIONS (20).
import os from 'node:os'

import { mixedRequests } from './mixed'
import type { CpuShares, Fired } from './cluster'
import { fireAt, measureCpu, startCluster } from './cluster'
import { fixed, percent, rate, table } from './report'

const log = (message: string) => console.log(`[bench:instances] ${message}`)

const POSTS = Number(process.env.POST_COUNT || 1000)
const ROUNDS = Math.max(1, Number(process.env.BENCH_ROUNDS || 3))
const SECONDS = Math.max(2, Number(process.env.BENCH_SECONDS || 10))
const CONNECTIONS = Math.max(2, Number(process.env.BENCH_CONNECTIONS || 20))

type Turn = { fired: Fired; cpu: CpuShares }
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]

const main = async () => {
  const cluster = await startCluster('instances', POSTS, 2, log)
  const storeOff = await startCluster('instances-uncached', POSTS, 2, log, { API_RESPONSE_CACHE_MB: '0' })
  try {
    const set = await mixedRequests(cluster.servers[0].url, POSTS)
    const rows: string[][] = []
    const ratios: string[][] = []
    for (const [scenario, servers] of [
      ['response store on', cluster.servers],
      ['response store off', storeOff.servers],
    ] as const) {
      log(`${scenario}: warming both servers`)
      await fireAt(servers.map((server) => server.url), set.requests, { connections: CONNECTIONS, seconds: 5 })
      const turns: Record<'one' | 'two', Turn[]> = { one: [], two: [] }
      for (let round = 0; round < ROUNDS; round++) {
        for (const count of ['one', 'two'] as const) {
          const used = count === 'one' ? servers.slice(0, 1) : servers
          const turn = await measureCpu(
            used.map((server) => server.pid),
            () => fireAt(used.map((server) => server.url), set.requests, { connections: CONNECTIONS, seconds: SECONDS }),
          )
          turns[count].push({ fired: turn.result, cpu: turn.cpu })
          log(`${scenario}, round ${round + 1}, ${count} instance${count === 'two' ? 's' : ''}: ${rate(turn.result.requestsPerSecond)} req/s, ${turn.result.failures} failures`)
        }
      }
      const summary = (count: 'one' | 'two') => {
        const list = turns[count]
        const pick = (value: (turn: Turn) => number) => median(list.map(value))
        return {
          rps: pick((turn) => turn.fired.requestsPerSecond),
          row: [
            scenario,
            count === 'one' ? '1' : '2',
            rate(pick((turn) => turn.fired.requestsPerSecond)),
            fixed(pick((turn) => turn.fired.p50Ms), 1),
            fixed(pick((turn) => turn.fired.p99Ms), 1),
            String(list.reduce((total, turn) => total + turn.fired.failures, 0)),
            percent(pick((turn) => turn.cpu.servers)),
            percent(pick((turn) => turn.cpu.loadGenerator)),
            percent(pick((turn) => turn.cpu.postgres)),
            percent(pick((turn) => turn.cpu.redis)),
            percent(pick((turn) => turn.cpu.other)),
            percent(pick((turn) => turn.cpu.idle)),
          ],
        }
      }
      const one = summary('one')
      const two = summary('two')
      rows.push(one.row, two.row)
      ratios.push([scenario, fixed(two.rps / one.rps, 2)])
    }
    console.log(
      `\n## One instance against two (PostgreSQL, Redis; ${POSTS.toLocaleString('en-US')} posts, the 50 mixed reads, ${CONNECTIONS} connections, ${ROUNDS} turns of ${SECONDS} s each, medians)\n`,
    )
    console.log(
      table(
        ['scenario', 'instances', 'req/s', 'p50 ms', 'p99 ms', 'failures', 'CPU servers', 'CPU load generator', 'CPU PostgreSQL', 'CPU Redis', 'CPU other processes', 'CPU idle'],
        rows,
      ).join('\n'),
    )
    console.log(`\nCPU columns are shares of all ${os.availableParallelism()} cores' time during the turn.\n`)
    console.log(table(['scenario', 'two instances / one (req/s)'], ratios).join('\n'))
  } finally {
    await storeOff.close()
    await cluster.close()
  }
}

main().catch((error) => {
  console.error(error)
  process.exit(1)
})
