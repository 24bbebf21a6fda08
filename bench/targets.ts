// The targets of issue 15 ("Fast when content changes"), checked against one `npm run bench` run: each
// prints its figure and pass or FAIL. "Today's direct figure" is the uncached list of the "before" run
// (bench/results/before/<database>-<posts>.json, main before issue 15), compared through each run's own
// ceiling: the machine's speed drifts between runs, a bare node:http server's drifts with it, and no
// part of issue 15 changes it. (Stock Payload would not do as the yardstick: it runs Greenroom's config, so
// work in Payload's hooks speeds it up too.)
import fs from 'node:fs'
import path from 'node:path'

import type { BenchCell, BenchResults } from './report'
import { databaseName, fixed, mb, percent, rate, seconds, table, thousands } from './report'

export type Baselines = Map<string, BenchResults>

const keyOf = (database: string, posts: number) => `${database}-${posts}`

/** The "before" runs kept in `dir`, by database and post count. */
export const readBaselines = (dir: string): Baselines => {
  const baselines: Baselines = new Map()
  if (!fs.existsSync(dir)) return baselines
  for (const file of fs.readdirSync(dir).filter((name) => /^(sqlite|postgres)-\d+\.json$/.test(name))) {
    const results = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as BenchResults
    baselines.set(keyOf(results.settings.database, results.settings.posts), results)
  }
  return baselines
}

type Check = { target: string; figure: string; pass: boolean | undefined }

const verdict = (pass: boolean | undefined) => (pass === undefined ? 'n/a' : pass ? 'pass' : '**FAIL**')

const notMeasured = (target: string, why: string): Check => ({ target, figure: `not measured: ${why}`, pass: undefined })

const mixedChecks = (results: BenchResults): Check[] => {
  const quiet = results.mixed?.find((run) => run.publishesPerSecond === 0)
  const busy = results.mixed?.find((run) => run.publishesPerSecond === 5)
  const targets = [
    '5 publishes/s: at least 90 % of the mixed reads from the store',
    '5 publishes/s: reads/s within 2x of the no-write run',
    '5 publishes/s: p99 within 2x of the no-write run',
  ]
  if (!quiet || !busy) return targets.map((target) => notMeasured(target, 'needs publish rates 0 and 5 (BENCH_PUBLISH_RATES)'))
  const runs = [...(results.mixed ?? []), ...(results.uncached?.mixed ?? [])]
  const stale = runs.reduce((sum, run) => sum + (run.publishes?.stale ?? 0), 0)
  const failed = runs.reduce((sum, run) => sum + (run.publishes?.failed ?? 0), 0)
  const checks = runs.reduce((sum, run) => sum + (run.publishes?.freshnessChecks ?? 0), 0)
  return [
    { target: targets[0], figure: `${percent(busy.hitShare)} (no writes: ${percent(quiet.hitShare)})`, pass: busy.hitShare >= 0.9 },
    {
      target: targets[1],
      figure: `${rate(busy.load.requestsPerSecond)} against ${rate(quiet.load.requestsPerSecond)} (${fixed(quiet.load.requestsPerSecond / busy.load.requestsPerSecond, 2)}x slower)`,
      pass: busy.load.requestsPerSecond * 2 >= quiet.load.requestsPerSecond,
    },
    {
      target: targets[2],
      figure: `${fixed(busy.load.p99Ms, 1)} ms against ${fixed(quiet.load.p99Ms, 1)} ms (${fixed(busy.load.p99Ms / Math.max(quiet.load.p99Ms, 1e-9), 2)}x)`,
      pass: busy.load.p99Ms <= 2 * quiet.load.p99Ms,
    },
    {
      target: 'correctness: every read after a publish shows it, every publish and read answered 200',
      figure: `${stale} stale of ${checks} reads after a publish, ${failed} failed publishes, ${runs.reduce((sum, run) => sum + run.load.unexpectedStatus + run.load.errors, 0)} mixed reads not 200`,
      pass: stale === 0 && failed === 0 && runs.every((run) => run.load.unexpectedStatus + run.load.errors === 0),
    },
  ]
}

const uncachedListCheck = (results: BenchResults, before: BenchResults | undefined): Check => {
  const target = "uncached list of 10 at depth 1: at least 3x today's direct figure (as a share of the ceiling)"
  const now = results.uncached
  if (!now) return notMeasured(target, 'the store-off pass did not run')
  if (!before?.uncached) return notMeasured(target, `no "before" run for this database and post count in BENCH_BASELINE`)
  const gain = now.ratios.list / before.uncached.ratios.list
  const stockNow = 'error' in now.stock ? undefined : now.stock.greenroomRatio.list
  const stockBefore = 'error' in before.uncached.stock ? undefined : before.uncached.stock.greenroomRatio.list
  return {
    target,
    figure:
      `${fixed(gain, 2)}x: ${percent(now.ratios.list)} of the ceiling against ${percent(before.uncached.ratios.list)} before ` +
      `(${rate(now.load.list.requestsPerSecond)} req/s against ${rate(before.uncached.load.list.requestsPerSecond)}; ` +
      `against stock Payload ${fixed(stockNow, 2)}x, before ${fixed(stockBefore, 2)}x)`,
    pass: gain >= 3,
  }
}

const storedChecks = (results: BenchResults): Check[] => [
  {
    target: 'stored GraphQL list: at least 50 % of the ceiling',
    figure: `${percent(results.load.graphql.ratio)} (${rate(results.load.graphql.greenroom.requestsPerSecond)} req/s)`,
    pass: results.load.graphql.ratio >= 0.5,
  },
  {
    target: 'stored REST list: at least 90 % of the ceiling',
    figure: `${percent(results.load.list.ratio)} (${rate(results.load.list.greenroom.requestsPerSecond)} req/s)`,
    pass: results.load.list.ratio >= 0.9,
  },
  {
    target: '304 revalidation: at least 90 % of the ceiling',
    figure: `${percent(results.load.conditional.ratio)} (${rate(results.load.conditional.greenroom.requestsPerSecond)} req/s)`,
    pass: results.load.conditional.ratio >= 0.9,
  },
]

const stockChecks = (results: BenchResults): Check[] => {
  const targets = ['peak RSS under load no worse than stock Payload', 'cold start (spawn to first 200 of /api/posts?limit=1) no worse than stock Payload']
  const stock = results.uncached?.stock
  if (!stock || 'error' in stock) return targets.map((target) => notMeasured(target, stock ? 'stock Payload did not start' : 'the store-off pass did not run'))
  const ours = results.memory.afterLoad?.peakRssMb
  const oursOff = results.uncached!.memory.afterLoad?.peakRssMb
  const theirs = stock.memory.afterLoad?.peakRssMb
  const coldStart = results.coldStartApiMs
  return [
    {
      target: targets[0],
      figure: `${mb(ours)} store on (${mb(oursOff)} store off) against ${mb(theirs)}`,
      pass: ours === undefined || theirs === undefined ? undefined : ours <= theirs,
    },
    {
      target: targets[1],
      figure: `${coldStart === undefined ? 'n/a' : seconds(coldStart)} (store off ${seconds(results.uncached!.coldStartApiMs)}) against ${seconds(stock.coldStartMs)}`,
      pass: coldStart === undefined ? undefined : coldStart <= stock.coldStartMs,
    },
  ]
}

/** Checks that need runs at 1,000 and 100,000 posts of the same database. */
const scalingChecks = (cells: BenchCell[], database: string): Check[] => {
  const at = (posts: number) => {
    const cell = cells.find((candidate) => candidate.database === database && candidate.posts === posts)
    return cell && 'results' in cell ? cell.results : undefined
  }
  const small = at(1000)
  const large = at(100_000)
  const why = 'needs runs at 1,000 and 100,000 posts (--posts 1000,100000 or --large)'
  const within = 'uncached list of 10 at depth 1: within 1.5x between 1,000 and 100,000 posts'
  const category = 'category list at 100,000 posts: under 20 ms in a single request'
  const checks: Check[] = []
  if (small?.uncached && large?.uncached) {
    const slower = small.uncached.load.list.requestsPerSecond / large.uncached.load.list.requestsPerSecond
    checks.push({
      target: within,
      figure: `${fixed(slower, 2)}x (${rate(small.uncached.load.list.requestsPerSecond)} against ${rate(large.uncached.load.list.requestsPerSecond)} req/s; ` +
        `as shares of their ceilings ${percent(small.uncached.ratios.list)} and ${percent(large.uncached.ratios.list)})`,
      pass: slower <= 1.5,
    })
  } else checks.push(notMeasured(within, why))
  if (large?.uncached) {
    const single = large.uncached.singleCategoryRequest
    checks.push({
      target: category,
      figure: `${fixed(single.p50Ms, 1)} ms p50, ${fixed(single.p99Ms, 1)} ms p99 (one connection, store off)`,
      pass: single.p50Ms < 20,
    })
  } else checks.push(notMeasured(category, 'needs a run at 100,000 posts (--large)'))
  return checks
}

/** The targets table printed at the end of `npm run bench`. */
export const formatTargets = (cells: BenchCell[], baselines: Baselines): string => {
  const rows: string[][] = []
  for (const cell of cells) {
    const where = [databaseName(cell.database), thousands(cell.posts)]
    if ('error' in cell) {
      rows.push([...where, 'every target', `run failed: ${cell.error.split('\n')[0].slice(0, 160)}`, 'n/a'])
      continue
    }
    const checks = [
      ...mixedChecks(cell.results),
      uncachedListCheck(cell.results, baselines.get(keyOf(cell.database, cell.posts))),
      ...storedChecks(cell.results),
      ...stockChecks(cell.results),
    ]
    rows.push(...checks.map((check) => [...where, check.target, check.figure, verdict(check.pass)]))
  }
  for (const database of [...new Set(cells.map((cell) => cell.database))]) {
    rows.push(...scalingChecks(cells, database).map((check) => [databaseName(database), '1,000 / 100,000', check.target, check.figure, verdict(check.pass)]))
  }
  return [
    '## Issue 15 targets',
    '',
    'Each target of issue 15 against this run. Ratios come from servers loaded by turns in the same run; "today\'s direct figure" is the ' +
      'store-off list of the "before" run (BENCH_BASELINE, default bench/results/before/), compared as a share of each run\'s own ceiling.',
    '',
    ...table(['database', 'posts', 'target', 'figure', 'verdict'], rows),
  ].join('\n')
}
