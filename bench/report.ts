import type { LoadResult } from './load'
import type { ProcessMemory } from './processes'
import type { ListQueryPlans, ListQueryReport } from './queryPlan'
import type { SeedTimings } from './seed'

export type Comparison = {
  greenroom: LoadResult
  ceiling: LoadResult
  /** Greenroom's req/s as a fraction of the ceiling's. */
  ratio: number
  responseBytes: number
}

export type BenchResults = {
  date: string
  machine: {
    cpus: number
    cpuModel: string
    node: string
    platform: string
    memoryGb: number
    /** 1-minute load average before and after: the machine is shared, so this says how noisy the run was. */
    loadAverageStart: number
    loadAverageEnd: number
  }
  settings: {
    posts: number
    connections: number
    durationSeconds: number
    warmupSeconds: number
    seedConcurrency: number
    listRequest: string
    graphqlQuery: string
  }
  seed: SeedTimings & { initMs: number; processMs: number }
  coldStartMs: number
  load: { list: Comparison; graphql: Comparison }
  memory: { afterStart: ProcessMemory | null; afterLoad: ProcessMemory | null }
  /** What the server printed at LOG_LEVEL=warn. */
  serverOutput: string[]
  queryPlan: ListQueryPlans | { skipped: string }
  /** Child processes that died silently while loading modules and were started again. */
  failures: string[]
}

const fixed = (value: number, digits: number) => (Number.isFinite(value) ? value.toFixed(digits) : 'n/a')
const seconds = (ms: number) => `${fixed(ms / 1000, 2)} s`
const rate = (value: number) => fixed(value, value < 100 ? 1 : 0)
const mb = (value: number | undefined) => (value === undefined ? 'n/a' : `${fixed(value, 0)} MiB`)
const percent = (ratio: number) => `${fixed(ratio * 100, ratio < 0.1 ? 2 : 1)} %`

const table = (header: string[], rows: string[][]) => [
  `| ${header.join(' | ')} |`,
  `|${header.map(() => '---').join('|')}|`,
  ...rows.map((row) => `| ${row.join(' | ')} |`),
]

const loadRow = (name: string, { greenroom, ceiling, ratio, responseBytes }: Comparison) => [
  name,
  `${fixed(responseBytes / 1024, 1)} KiB`,
  rate(greenroom.requestsPerSecond),
  fixed(greenroom.p50Ms, 1),
  fixed(greenroom.p99Ms, 1),
  rate(ceiling.requestsPerSecond),
  fixed(ceiling.p50Ms, 1),
  fixed(ceiling.p99Ms, 1),
  percent(ratio),
]

const setupLines = ({ seed, coldStartMs, settings }: BenchResults) =>
  table(
    ['step', 'time'],
    [
      ['seed process, spawn to exit', seconds(seed.processMs)],
      ['  Payload start-up on the empty file (migrations)', seconds(seed.initMs)],
      ['  1 user, 10 media (4 image sizes each), 10 categories', seconds(seed.ms.author + seed.ms.media + seed.ms.categories)],
      [`  ${settings.posts} posts (${seed.concurrency} at a time)`, `${seconds(seed.ms.posts)} (${fixed(seed.ms.posts / settings.posts, 1)} ms/post)`],
      ['cold start, spawn to first 200 on /readyz', seconds(coldStartMs)],
    ],
  )

const memoryLines = ({ memory }: BenchResults) =>
  table(
    ['server process', 'RSS (VmRSS)', 'peak RSS (VmHWM)'],
    [
      ['just after start', mb(memory.afterStart?.rssMb), mb(memory.afterStart?.peakRssMb)],
      ['after the load', mb(memory.afterLoad?.rssMb), mb(memory.afterLoad?.peakRssMb)],
    ],
  )

const shortSql = (sql: string) => (sql.length > 150 ? `${sql.slice(0, 150)}…` : sql)

const planLines = (title: string, report: ListQueryReport) => [
  `${title}: the whole Local API find takes ${fixed(report.findMedianMs, 2)} ms (median); its ${report.statements.length} statements:`,
  '',
  ...report.statements.flatMap((statement, k) => [
    `${k + 1}. ${fixed(statement.medianMs, 2)} ms  ${shortSql(statement.sql)}`,
    ...statement.plan.map((line) => `       ${line}`),
  ]),
]

const queryPlanLines = (plans: BenchResults['queryPlan']) => {
  if ('skipped' in plans) return [`Skipped: ${plans.skipped}`]
  return planLines('As migrated', plans.asMigrated)
}

/** The report printed at the end of `npm run bench`, in Markdown. */
export const formatReport = (results: BenchResults): string => {
  const { machine, settings } = results
  return [
    `## Greenroom benchmark (${results.date})`,
    '',
    `Machine: ${machine.cpus} × ${machine.cpuModel}, ${fixed(machine.memoryGb, 1)} GB, ${machine.platform}, Node ${machine.node}; ` +
      `1-min load average ${fixed(machine.loadAverageStart, 2)} before, ${fixed(machine.loadAverageEnd, 2)} after.`,
    `Settings: ${settings.posts} published posts, ${settings.connections} connections, ${settings.durationSeconds} s measured after ` +
      `${settings.warmupSeconds} s warm-up per row; production build, NODE_ENV=production, SQLite, anonymous requests.`,
    '',
    '### Setup',
    '',
    ...setupLines(results),
    '',
    '### HTTP load (req/s, latency in ms)',
    '',
    ...table(
      ['request', 'response', 'Greenroom req/s', 'p50', 'p99', 'ceiling req/s', 'p50', 'p99', 'Greenroom/ceiling'],
      [
        loadRow(`REST \`GET ${settings.listRequest}\``, results.load.list),
        loadRow('GraphQL list `POST /api/graphql`', results.load.graphql),
      ],
    ),
    '',
    'Ceiling: a bare node:http server in its own process sending the same bytes and content-type from memory.',
    '',
    '### Memory',
    '',
    ...memoryLines(results),
    '',
    '### SQLite: the anonymous list query (Local API equivalent of the REST list)',
    '',
    ...queryPlanLines(results.queryPlan),
    '',
    `### Server output at LOG_LEVEL=warn (${results.serverOutput.length} lines)`,
    '',
    ...(results.serverOutput.length ? results.serverOutput.slice(0, 20).map((line) => `    ${line}`) : ['(none)']),
    ...(results.failures.length ? ['', '### FAILURES', '', ...results.failures.map((failure) => `- ${failure}`)] : []),
  ].join('\n')
}
