import type { BenchDatabaseKind } from './database'
import type { LoadResult } from './load'
import type { MixedRun } from './mixed'
import type { ProcessMemory } from './processes'
import type { QueryPlans, QueryReport, StatementReport } from './queryPlan'
import type { SeedTimings } from './seed'
import type { ScenarioName } from './verify'
import { SCENARIOS, SCENARIO_LABELS, UNCACHED_SCENARIOS } from './verify'

/** Stock Payload (`next start` on the same build): see startStock in bench/processes.ts. */
export type StockFigures =
  | { error: string }
  | {
      /** Spawn to the first 200 of /api/posts?limit=1. */
      coldStartMs: number
      load: Partial<Record<ScenarioName, LoadResult>>
      /** Greenroom (store off) req/s over stock's, median of the rounds they took turns in. */
      greenroomRatio: Partial<Record<ScenarioName, number>>
      memory: { afterStart: ProcessMemory | null; afterLoad: ProcessMemory | null }
    }

/** The server with its store off: every read runs Payload. */
export type UncachedFigures = {
  coldStartMs: number
  coldStartApiMs: number
  requests: Record<ScenarioName, { request: string; bytes: number }>
  singleListRequest: LoadResult
  singleCategoryRequest: LoadResult
  load: Record<ScenarioName, LoadResult>
  ceiling: Record<ScenarioName, LoadResult>
  /** Store off / ceiling, median of the rounds' ratios. */
  ratios: Record<ScenarioName, number>
  stock: StockFigures
  memory: { afterStart: ProcessMemory | null; afterLoad: ProcessMemory | null }
  mixed: MixedRun[]
}

export type Comparison = {
  /** Method and path. */
  request: string
  /** The status every answer had (304 for a revalidation answered from its ETag). */
  status: number
  greenroom: LoadResult
  ceiling: LoadResult
  /** Greenroom's req/s as a fraction of the ceiling's. */
  ratio: number
  responseBytes: number
}

/** 1-minute load average over a run, sampled every few seconds: the machine is shared. */
export type LoadAverage = { start: number; end: number; mean: number; max: number; samples: number }

export type Machine = {
  cpus: number
  cpuModel: string
  node: string
  platform: string
  memoryGb: number
}

export type BenchResults = {
  date: string
  machine: Machine
  loadAverage: LoadAverage
  settings: {
    database: BenchDatabaseKind
    posts: number
    connections: number
    durationSeconds: number
    warmupSeconds: number
    rounds: number
    seedConcurrency: number
    seedBatchSize: number
    /** API_RESPONSE_CACHE_MB of the server: 0 means every request runs Payload. */
    responseCacheMb: string
    listRequest: string
    slugRequest: string
    graphqlQuery: string
  }
  database: {
    description: string
    /** After seeding and preparing. */
    sizeBytes: number | null
    prepare: { step: string; ms: number }
  }
  /** `reused`: the folder of the kept seeded copy this run started from (its timings are the original seed's). */
  seed: SeedTimings & { initMs: number; processMs: number; maxRssMb: number; reused?: string }
  coldStartMs: number
  /** Spawn to the first 200 of /api/posts?limit=1, as stock Payload's cold start is timed. */
  coldStartApiMs?: number
  /** The mixed reads with the store on, at each publish rate. */
  mixed?: MixedRun[]
  /** Store off: uncached reads beside the ceiling and stock Payload, and the mixed reads again. */
  uncached?: UncachedFigures
  /** Publishes that failed and reads after a publish that showed an older title. */
  mixedFailures?: string[]
  load: Record<ScenarioName, Comparison>
  /** The same load with the response store off (every request runs Payload); absent when the store was off anyway. */
  loadWithoutStore?: Record<ScenarioName, LoadResult>
  /** The REST list from one connection, one request after the other, with the response store off. */
  singleListRequest: LoadResult
  /** The caching headers the list came with. */
  cacheHeaders: Record<string, string>
  /** afterLoad: after every load of the store-on server, the mixed reads included. */
  memory: { afterStart: ProcessMemory | null; afterLoad: ProcessMemory | null }
  /** What the server printed at LOG_LEVEL=warn. */
  serverOutput: string[]
  queryPlan: QueryPlans | { skipped: string }
  /** Requests that failed under load: any of them voids the figures. */
  failures: string[]
}

/** One cell of a matrix run: its results, or why it has none. */
export type BenchCell = { database: BenchDatabaseKind; posts: number } & ({ results: BenchResults } | { error: string })

export const fixed = (value: number | undefined, digits: number) =>
  value !== undefined && Number.isFinite(value) ? value.toFixed(digits) : 'n/a'
export const seconds = (ms: number) => `${fixed(ms / 1000, ms < 10_000 ? 2 : 1)} s`
export const rate = (value: number) => fixed(value, value < 100 ? 1 : 0)
export const mb = (value: number | undefined) => (value === undefined ? 'n/a' : `${fixed(value, 0)} MiB`)
export const percent = (ratio: number) => `${fixed(ratio * 100, ratio < 0.1 ? 2 : 1)} %`
/** Milliseconds with enough digits for sub-millisecond statements. */
const ms = (value: number | undefined) =>
  value === undefined ? 'n/a' : fixed(value, value < 1 ? 3 : value < 10 ? 2 : 1)
export const thousands = (value: number) => value.toLocaleString('en-US')
export const databaseName = (kind: BenchDatabaseKind) => (kind === 'sqlite' ? 'SQLite' : 'PostgreSQL')

export const table = (header: string[], rows: string[][]) => [
  `| ${header.join(' | ')} |`,
  `|${header.map(() => '---').join('|')}|`,
  ...rows.map((row) => `| ${row.join(' | ')} |`),
]

const loadRow = (
  name: string,
  { request, status, greenroom, ceiling, ratio, responseBytes }: Comparison,
  withoutStore: LoadResult | undefined,
) => [
  `${name}: \`${request}\``,
  `${status}, ${fixed(responseBytes / 1024, 1)} KiB`,
  rate(greenroom.requestsPerSecond),
  fixed(greenroom.p50Ms, 1),
  fixed(greenroom.p99Ms, 1),
  withoutStore
    ? `${rate(withoutStore.requestsPerSecond)} (${fixed(withoutStore.p50Ms, 0)} / ${fixed(withoutStore.p99Ms, 0)})`
    : '–',
  rate(ceiling.requestsPerSecond),
  fixed(ceiling.p50Ms, 1),
  fixed(ceiling.p99Ms, 1),
  percent(ratio),
]

const setupLines = ({ seed, coldStartMs, settings, database }: BenchResults) =>
  table(
    ['step', 'time'],
    [
      [
        `seed process, spawn to exit (peak RSS ${mb(seed.maxRssMb)})${seed.reused ? ': not this run, a kept copy (bench/seedCache.ts)' : ''}`,
        seconds(seed.processMs),
      ],
      ['  Payload start-up on the empty database (migrations)', seconds(seed.initMs)],
      [
        '  1 user, 10 media (4 image sizes each), 10 categories',
        seconds(seed.ms.author + seed.ms.media + seed.ms.categories),
      ],
      [
        `  ${thousands(settings.posts)} posts (${seed.transactions})`,
        `${seconds(seed.ms.posts)} (${fixed(seed.ms.posts / settings.posts, 2)} ms/post)`,
      ],
      [`prepare for reads: ${database.prepare.step}`, seconds(database.prepare.ms)],
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

const shortSql = (sql: string) => (sql.length > 160 ? `${sql.slice(0, 160)}…` : sql)

const sortedRows = (statement: StatementReport) =>
  statement.sortedRows === undefined
    ? ''
    : ` (${thousands(statement.sortedRows)} row${statement.sortedRows === 1 ? '' : 's'})`

/** The SQL time of a statement: server-side execution on PostgreSQL, wall time on (in-process) SQLite. */
const sqlMs = (statement: StatementReport) => statement.executionMs ?? statement.medianMs

const statementLines = (statement: StatementReport, k: number) => [
  `${k + 1}. **${statement.label}**: ` +
    (statement.executionMs === undefined
      ? `${ms(statement.medianMs)} ms (median, run alone)`
      : `execution ${ms(statement.executionMs)} ms, planning ${ms(statement.planningMs)} ms (EXPLAIN ANALYZE with TIMING OFF, median of 5); ` +
        `${ms(statement.medianMs)} ms round trip from Node`) +
    `; indexes: ${statement.indexes.join(', ') || 'none'}` +
    `${statement.fullScans.length ? `; reads without an index condition: ${statement.fullScans.join(', ')}` : ''}${statement.sortsPosts ? `; sorts the posts${sortedRows(statement)}` : ''}`,
  `   \`${shortSql(statement.sql)}\``,
  '',
  '   ```',
  ...statement.plan.map((line) => `   ${line}`),
  '   ```',
]

const queryLines = (query: QueryReport) => [
  `#### ${query.name}: \`${query.request}\``,
  '',
  `Local API find: ${ms(query.find.medianMs)} ms median, ${ms(query.find.p95Ms)} ms p95 (${query.find.repeats} runs); ` +
    `${query.docs} docs of ${query.totalDocs}; ${query.statements.length} statements:`,
  '',
  ...query.statements.flatMap(statementLines),
  '',
]

const queryPlanLines = (plans: BenchResults['queryPlan']) => {
  if ('skipped' in plans) return [`Skipped: ${plans.skipped}`]
  return [
    `Database settings: ${Object.entries(plans.settings)
      .map(([name, value]) => `${name}=${value}`)
      .join(', ')}`,
    '',
    ...plans.queries.flatMap(queryLines),
  ]
}

/** Each layer includes the ones below it: SQL < Local API find < REST handler < HTTP. */
const layerLines = (results: BenchResults) => {
  const list = queryOf(results, 'list')
  const sqlTotal = list?.statements.reduce((sum, statement) => sum + (statement.firstRequestOnly ? 0 : statement.medianMs), 0)
  const layers: [string, number | undefined][] = [
    ['SQL statements, each run alone, summed (round trips from Node)', sqlTotal],
    ['Local API `payload.find` (access control, SQL, population, afterRead hooks)', list?.find.medianMs],
    ["Payload's REST handler in process (Request in, JSON body out)", list?.handler.medianMs],
    ['HTTP through the server, store off, one connection (autocannon p50)', results.singleListRequest.p50Ms],
  ]
  return table(
    ['layer', 'median ms', 'added by this layer'],
    layers.map(([name, value], k) => [
      name,
      ms(value),
      k === 0 || value === undefined || layers[k - 1][1] === undefined ? '' : ms(value - layers[k - 1][1]!),
    ]),
  )
}

const loadAverageText = (load: LoadAverage) =>
  `${fixed(load.start, 2)} at the start, ${fixed(load.end, 2)} at the end, mean ${fixed(load.mean, 2)}, max ${fixed(load.max, 2)}`

const latencyCell = (load: LoadResult | undefined) =>
  load ? `${rate(load.requestsPerSecond)} (${fixed(load.p50Ms, 1)} / ${fixed(load.p99Ms, 1)})` : 'n/a'

const mixedRows = (runs: MixedRun[] | undefined, store: string) =>
  (runs ?? []).map((run) => [
    store,
    String(run.publishesPerSecond),
    rate(run.load.requestsPerSecond),
    fixed(run.load.p50Ms, 1),
    fixed(run.load.p99Ms, 1),
    percent(run.hitShare),
    run.publishes
      ? `${run.publishes.count} (${fixed(run.publishes.perSecond, 2)}/s), ${fixed(run.publishes.p50Ms, 0)} / ${fixed(run.publishes.p99Ms, 0)} / ${fixed(run.publishes.maxMs, 0)} ms`
      : '–',
    run.publishes ? `${run.publishes.stale} of ${run.publishes.freshnessChecks}${run.publishes.failed ? `, ${run.publishes.failed} failed publishes` : ''}` : '–',
    `${thousands(run.load.requests)}${failedCount(run.load) ? `, **${failedCount(run.load)} not 200**` : ''}`,
  ])

const failedCount = (load: LoadResult) => load.unexpectedStatus + load.errors

export const mixedLines = (results: BenchResults) => [
  '### Mixed reads while an editor publishes (50 URLs)',
  '',
  `${results.settings.connections} connections cycle through 50 requests (10 REST list pages, 20 posts by slug, the 10 category lists, 10 GraphQL queries); ` +
    'meanwhile an editor signed in through the REST API publishes a title change to the second newest post (on the first list page) ' +
    'with `PATCH /api/posts/:id`, one at a time. From the store: answers with `Cache-Status: greenroom; hit`. Stale: anonymous reads of the ' +
    'edited post (by slug, and on the first list page) right after a publish returned that did not show the title just published.',
  '',
  ...table(
    ['store', 'publishes/s asked', 'reads/s', 'p50 ms', 'p99 ms', 'from the store', 'publishes done (rate), p50 / p99 / max', 'stale reads after a publish', 'reads'],
    [...mixedRows(results.mixed, 'on'), ...mixedRows(results.uncached?.mixed, 'off')],
  ),
]

const stockCell = (stock: StockFigures, scenario: ScenarioName) => {
  if ('error' in stock) return 'n/a'
  const load = stock.load[scenario]
  const ratio = stock.greenroomRatio[scenario]
  return load ? `${latencyCell(load)}; Greenroom ${fixed(ratio, 2)}x` : '–'
}

export const uncachedLines = (results: BenchResults) => {
  const uncached = results.uncached
  if (!uncached) return ['### Uncached reads', '', 'Not measured: the server ran with its store off (API_RESPONSE_CACHE_MB=0), so the pass with the store off was left out.']
  const stock = uncached.stock
  return [
    '### Uncached reads: store off, beside the ceiling and stock Payload',
    '',
    'req/s (p50 / p99 ms). The server with API_RESPONSE_CACHE_MB=0 (every read runs Payload), the ceiling replaying its answers, and stock ' +
      'Payload (`next start` on the same build: Payload\'s own route handlers, no express layer), loaded by turns; ratios are medians of the rounds\' ratios.',
    '',
    ...table(
      ['request', 'answer', 'Greenroom, store off', 'ceiling', 'of ceiling', 'stock Payload; Greenroom / stock'],
      UNCACHED_SCENARIOS.map((scenario) => [
        `${SCENARIO_LABELS[scenario]}: \`${uncached.requests[scenario].request}\``,
        `${fixed(uncached.requests[scenario].bytes / 1024, 1)} KiB`,
        latencyCell(uncached.load[scenario]),
        latencyCell(uncached.ceiling[scenario]),
        percent(uncached.ratios[scenario]),
        stockCell(stock, scenario),
      ]),
    ),
    '',
    `One connection, one request at a time, store off: REST list p50 ${fixed(uncached.singleListRequest.p50Ms, 1)} ms (p99 ${fixed(uncached.singleListRequest.p99Ms, 1)}), ` +
      `category list p50 ${fixed(uncached.singleCategoryRequest.p50Ms, 1)} ms (p99 ${fixed(uncached.singleCategoryRequest.p99Ms, 1)}).`,
    '',
    '### Stock Payload: memory and cold start',
    '',
    ...table(
      ['server', 'cold start: spawn to first 200 of /api/posts?limit=1', 'RSS after start', 'peak RSS under load (VmHWM)'],
      [
        ['Greenroom, store on', results.coldStartApiMs === undefined ? 'n/a' : seconds(results.coldStartApiMs), mb(results.memory.afterStart?.rssMb), mb(results.memory.afterLoad?.peakRssMb)],
        ['Greenroom, store off', seconds(uncached.coldStartApiMs), mb(uncached.memory.afterStart?.rssMb), mb(uncached.memory.afterLoad?.peakRssMb)],
        'error' in stock
          ? ['stock Payload (next start)', `failed: ${stock.error.split('\n')[0].slice(0, 200)}`, '', '']
          : ['stock Payload (next start)', seconds(stock.coldStartMs), mb(stock.memory.afterStart?.rssMb), mb(stock.memory.afterLoad?.peakRssMb)],
      ],
    ),
  ]
}

/** The report of one run, in Markdown. */
export const formatReport = (results: BenchResults): string => {
  const { machine, settings, database } = results
  const name = databaseName(settings.database)
  return [
    `## Greenroom benchmark: ${name}, ${thousands(settings.posts)} posts (${results.date})`,
    '',
    `Machine: ${machine.cpus} × ${machine.cpuModel}, ${fixed(machine.memoryGb, 1)} GB, ${machine.platform}, Node ${machine.node}; ` +
      `1-min load average ${loadAverageText(results.loadAverage)}.`,
    `Database: ${database.description}, ${database.sizeBytes === null ? 'size n/a' : `${fixed(database.sizeBytes / 1024 ** 2, 0)} MiB`} after seeding.`,
    `Settings: ${thousands(settings.posts)} published posts, ${settings.connections} connections, ${settings.durationSeconds} s measured after ` +
      `${settings.warmupSeconds} s warm-up per row (against the ceiling: by turns, in ${settings.rounds} rounds); production build, NODE_ENV=production, ${name}, anonymous requests; ` +
      `response store API_RESPONSE_CACHE_MB=${settings.responseCacheMb}.`,
    '',
    '### Setup',
    '',
    ...setupLines(results),
    '',
    '### HTTP load (req/s, latency in ms)',
    '',
    ...table(
      [
        'request',
        'answer',
        'Greenroom req/s',
        'p50',
        'p99',
        'store off: req/s (p50 / p99)',
        'ceiling req/s',
        'p50',
        'p99',
        'Greenroom/ceiling',
      ],
      SCENARIOS.map((scenario) =>
        loadRow(SCENARIO_LABELS[scenario], results.load[scenario], results.loadWithoutStore?.[scenario]),
      ),
    ),
    '',
    'Ceiling: a bare node:http server in its own process sending the same status, headers (all but those node:http writes itself) and bytes from memory, ' +
      'loaded by turns with Greenroom (one round of each, then the next); Greenroom/ceiling is the median of the rounds\' ratios.',
    `The list's caching headers: ${
      Object.entries(results.cacheHeaders)
        .filter(([name]) => name !== 'content-type')
        .map(([name, value]) => `${name}: ${value}`)
        .join('; ') || 'none'
    }.`,
    '',
    ...mixedLines(results),
    '',
    ...uncachedLines(results),
    '',
    '### Where the time of one list request goes (one at a time, median ms)',
    '',
    ...layerLines(results),
    '',
    '### Memory',
    '',
    ...memoryLines(results),
    '',
    `### ${name}: the SQL behind an anonymous reader's queries (captured from Payload's REST handler in process; "first request only": what later requests get from a cache)`,
    '',
    ...queryPlanLines(results.queryPlan),
    `### Server output at LOG_LEVEL=warn (${results.serverOutput.length} lines)`,
    '',
    ...(results.serverOutput.length ? results.serverOutput.slice(0, 20).map((line) => `    ${line}`) : ['(none)']),
    ...(results.failures.length ? ['', '### FAILURES', '', ...results.failures.map((failure) => `- ${failure}`)] : []),
    ...(results.mixedFailures?.length
      ? ['', '### PUBLISHES THAT FAILED OR LEFT STALE ANSWERS', '', ...results.mixedFailures.map((failure) => `- ${failure}`)]
      : []),
  ].join('\n')
}

const queryOf = (results: BenchResults, name: QueryReport['name']) =>
  'skipped' in results.queryPlan ? undefined : results.queryPlan.queries.find((query) => query.name === name)

const findCell = (query: QueryReport | undefined) =>
  query ? `${ms(query.find.medianMs)} / ${ms(query.find.p95Ms)}` : 'n/a'

const statementsCell = (query: QueryReport | undefined) =>
  query ? query.statements.map((statement) => `${statement.label} ${ms(sqlMs(statement))}`).join('; ') : 'n/a'

const httpCell = ({ greenroom, status }: Comparison) =>
  `${rate(greenroom.requestsPerSecond)} (${fixed(greenroom.p50Ms, 0)} / ${fixed(greenroom.p99Ms, 0)})${status === 200 ? '' : ` [${status}]`}`

const withoutStoreCell = (load: LoadResult | undefined) =>
  load ? `${rate(load.requestsPerSecond)} (${fixed(load.p50Ms, 0)} / ${fixed(load.p99Ms, 0)})` : 'n/a'

const MATRIX_HEADER = [
  'database',
  'posts',
  'seed ms/post',
  'list find p50 / p95 ms',
  'list SQL per statement, ms',
  'slug find p50 / p95 ms',
  'slug SQL, ms',
  'category find p50 / p95 ms',
  'category SQL, ms',
  'list: handler / HTTP 1 conn. p50 ms',
  'REST list req/s (p50 / p99 ms)',
  'slug req/s (p50 / p99 ms)',
  'GraphQL list req/s (p50 / p99 ms)',
  '304 revalidation req/s (p50 / p99 ms)',
  'of ceiling: list / slug / GraphQL / 304',
  'store off: REST list req/s (p50 / p99 ms)',
  'store off: 304 req/s (p50 / p99 ms)',
  'cold start',
  'server RSS after load',
  'load avg mean / max',
  'response store MB',
]

const matrixRow = (cell: BenchCell): string[] => {
  const head = [databaseName(cell.database), thousands(cell.posts)]
  if ('error' in cell)
    return [...head, `**failed**: ${cell.error.split('\n')[0].slice(0, 200)}`, ...MATRIX_HEADER.slice(3).map(() => '')]
  const { results } = cell
  const [list, slug, category] = (['list', 'slug', 'category'] as const).map((name) => queryOf(results, name))
  return [
    ...head,
    fixed(results.seed.ms.posts / results.settings.posts, 2),
    findCell(list),
    statementsCell(list),
    findCell(slug),
    statementsCell(slug),
    findCell(category),
    statementsCell(category),
    `${ms(list?.handler.medianMs)} / ${ms(results.singleListRequest.p50Ms)}`,
    ...SCENARIOS.map((scenario) => httpCell(results.load[scenario])),
    SCENARIOS.map((scenario) => percent(results.load[scenario].ratio)).join(' / '),
    withoutStoreCell(results.loadWithoutStore?.list),
    withoutStoreCell(results.loadWithoutStore?.conditional),
    seconds(results.coldStartMs),
    mb(results.memory.afterLoad?.rssMb),
    `${fixed(results.loadAverage.mean, 2)} / ${fixed(results.loadAverage.max, 2)}`,
    results.settings.responseCacheMb ?? 'n/a',
  ]
}

const indexRows = (cell: BenchCell): string[][] => {
  if ('error' in cell || 'skipped' in cell.results.queryPlan) return []
  return cell.results.queryPlan.queries.flatMap((query) =>
    query.statements.map((statement) => [
      databaseName(cell.database),
      thousands(cell.posts),
      query.name,
      statement.label,
      statement.indexes.join(', ') || '**none**',
      statement.fullScans.join(', ') || '–',
      statement.sortsPosts ? `yes${sortedRows(statement)}` : 'no',
      ms(sqlMs(statement)),
    ]),
  )
}

/** The table printed at the end of every `npm run bench`: one row per database × post count. */
export const formatMatrix = (cells: BenchCell[], machine: Machine, date: string): string =>
  [
    `## Greenroom benchmark matrix (${date})`,
    '',
    `Machine: ${machine.cpus} × ${machine.cpuModel}, ${fixed(machine.memoryGb, 1)} GB, ${machine.platform}, Node ${machine.node}. ` +
      'Anonymous reader, production build. Find: Local API `payload.find` (access control, SQL, population, hooks), ' +
      'median / p95. SQL: each statement the find runs, in order; PostgreSQL figures are the execution times of EXPLAIN ' +
      '(ANALYZE, TIMING OFF) (server side, median of 5), SQLite figures the statement run alone in-process (median of 30). HTTP: autocannon, ' +
      'req/s with latency p50 / p99 in ms. Load average: 1-minute, sampled during the run (2 cores: above 2 means waiting).',
    '',
    ...table(MATRIX_HEADER, cells.map(matrixRow)),
    '',
    '### Indexes per statement',
    '',
    ...table(
      [
        'database',
        'posts',
        'query',
        'statement',
        'indexes used',
        'scans without an index condition',
        'sorts posts',
        'SQL ms',
      ],
      cells.flatMap(indexRows),
    ),
  ].join('\n')
