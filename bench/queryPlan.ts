// The SQL behind three reads an anonymous reader makes, captured from Payload's own adapter and
// explained on the database it ran on (see bench/sqlProbe.ts):
//   list      GET /api/posts?limit=10&depth=1                      (the REST list the bench loads)
//   slug      GET /api/posts?where[slug][equals]=post-N&depth=1    (a front end's page lookup)
//   category  GET /api/posts?where[categories][in]=ID&limit=10&depth=1
// Each runs through the Local API with overrideAccess: false and no user, so access control adds
// `_status = 'published'` exactly as it does over HTTP, and the collection's default sort
// (-publishedAt) applies.
import type { Payload, Where } from 'payload'
import { handleEndpoints } from 'payload'

import type { ProbeDatabase, Statement, StatementPlan } from './sqlProbe'
import { indexesUsed, planNodes, sortOf, sqlProbe, statementLabel } from './sqlProbe'

export type QueryName = 'list' | 'slug' | 'category'

export type StatementReport = {
  label: string
  sql: string
  params: unknown[]
  /** Median wall time of the statement alone, run again with the same parameters from this process. */
  medianMs: number
  /** PostgreSQL: median "Execution Time" of EXPLAIN (ANALYZE, TIMING OFF): server side, no round trip. */
  executionMs?: number
  planningMs?: number
  indexes: string[]
  /**
   * Tables the statement reads without an index condition: SQLite SCAN, PostgreSQL Seq Scan or an
   * index scan with only a Filter (whole table, or until a LIMIT is satisfied).
   */
  fullScans: string[]
  /** The statement reads posts and sorts them (temp B-tree / Sort node) instead of reading an index in order. */
  sortsPosts: boolean
  /** PostgreSQL: how many rows that sort took in (one row from a unique lookup costs nothing). */
  sortedRows?: number
  plan: string[]
  /** Run by the first request only (the count before src/db/countCache.ts keeps it), not by later ones. */
  firstRequestOnly?: boolean
}

export type QueryReport = {
  name: QueryName
  /** The REST request this Local API call stands for. */
  request: string
  docs: number
  totalDocs: number
  /** The whole Local API find: access control, SQL, population, hooks. */
  find: { medianMs: number; p95Ms: number; repeats: number }
  /**
   * Payload's Web-standard REST handler in this process, a Request in and the whole JSON body read
   * out: the find plus request parsing, query-string `where` parsing and serialisation, no HTTP.
   */
  handler: { medianMs: number; p95Ms: number; repeats: number }
  statements: StatementReport[]
}

export type QueryPlans = {
  database: ProbeDatabase
  /** The settings that decide what a write costs and how the planner plans. */
  settings: Record<string, string>
  queries: QueryReport[]
}

const FIND_REPEATS = { list: 100, slug: 50, category: 50 } as const
const STATEMENT_REPEATS = 30
const EXPLAIN_REPEATS = 5

const quantile = (values: number[], q: number) => {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * q))]
}
const median = (values: number[]) => quantile(values, 0.5)

const timeMs = async (fn: () => Promise<unknown>): Promise<number> => {
  const start = process.hrtime.bigint()
  await fn()
  return Number(process.hrtime.bigint() - start) / 1e6
}

const timesOf = async (fn: () => Promise<unknown>, repeats: number) => {
  const times: number[] = []
  for (let k = 0; k < repeats; k++) times.push(await timeMs(fn))
  return times
}

type ReaderQuery = { name: QueryName; request: string; where?: Where; limit?: number }

/** `GET /api/posts?...` from a ReaderQuery's request line. */
const requestPath = (request: string) => request.replace(/^GET /, '')

export const handleInProcess = async (payload: Payload, query: ReaderQuery) => {
  const response = await handleEndpoints({
    config: payload.config,
    request: new Request(`http://bench.local${requestPath(query.request)}`),
  })
  if (response.status !== 200)
    throw new Error(`${query.request} answered ${response.status} in process: ${await response.text()}`)
  return response.arrayBuffer()
}

/** What the REST route does for an anonymous reader, through the Local API. */
export const anonymousFind = (payload: Payload, where?: Where, limit = 10) =>
  payload.find({ collection: 'posts', limit, depth: 1, overrideAccess: false, draft: false, where })

/** The reads to explain, given the seeded content: a slug in the middle, the fourth category. */
export const readerQueries = async (payload: Payload, postCount: number): Promise<ReaderQuery[]> => {
  const slug = `post-${Math.ceil(postCount / 2)}`
  const category = await payload.find({
    collection: 'categories',
    where: { slug: { equals: 'category-3' } },
    limit: 1,
    depth: 0,
  })
  const categoryId = category.docs[0]?.id
  if (categoryId === undefined) throw new Error('The seeded category "category-3" is missing.')
  return [
    { name: 'list', request: 'GET /api/posts?limit=10&depth=1' },
    {
      name: 'slug',
      request: `GET /api/posts?where[slug][equals]=${slug}&depth=1&limit=1`,
      where: { slug: { equals: slug } },
      limit: 1,
    },
    {
      name: 'category',
      request: `GET /api/posts?where[categories][in]=${categoryId}&limit=10&depth=1`,
      where: { categories: { in: [categoryId] } },
    },
  ]
}

const explainStatement = async (payload: Payload, statement: Statement): Promise<StatementReport> => {
  const probe = sqlProbe(payload)
  await probe.run(statement)
  const medianMs = median(await timesOf(() => probe.run(statement), STATEMENT_REPEATS))
  // SQLite's EXPLAIN QUERY PLAN runs nothing: once is enough. PostgreSQL: the plan shown comes from
  // EXPLAIN (ANALYZE, BUFFERS); the times from EXPLAIN ANALYZE with TIMING OFF (median of a few),
  // which do not carry the cost of timing every row.
  const plan = await probe.explain(statement)
  const timed: StatementPlan[] = []
  if (probe.database === 'postgres') {
    for (let k = 0; k < EXPLAIN_REPEATS; k++) timed.push(await probe.explain(statement, { timing: false }))
  }
  const executionTimes = timed.flatMap((p) => (p.executionMs === undefined ? [] : [p.executionMs]))
  const planningTimes = timed.flatMap((p) => (p.planningMs === undefined ? [] : [p.planningMs]))
  const postsSort = /\bfrom "posts"/.test(statement.sql) ? sortOf(plan, 'posts', probe.database) : undefined
  return {
    label: statementLabel(statement.sql),
    sql: statement.sql,
    params: statement.params,
    medianMs,
    executionMs: executionTimes.length ? median(executionTimes) : undefined,
    planningMs: planningTimes.length ? median(planningTimes) : undefined,
    indexes: indexesUsed(plan),
    fullScans: [
      ...new Set(planNodes(plan.tree).flatMap((node) => (node.fullScan && node.relation ? [node.relation] : []))),
    ],
    sortsPosts: Boolean(postsSort),
    sortedRows: postsSort?.children[0]?.rows,
    plan: plan.lines,
  }
}

export const explainQuery = async (payload: Payload, query: ReaderQuery): Promise<QueryReport> => {
  const run = () => anonymousFind(payload, query.where, query.limit)
  const probe = sqlProbe(payload)
  // The statements are the REST handler's, not the Local API find's: the handler parses the query
  // string, and `where[categories][in]=ID` becomes `in (?)` where a Local where gave `in (?, ?)`, which
  // SQLite plans the other way round. The first request also runs what later ones no longer do (the
  // count for totalDocs, src/db/countCache.ts): what a reader meets after a publish.
  const firstStatements = await probe.capture(() => handleInProcess(payload, query))
  // Warm the caches first so the timings describe the steady state the HTTP load sees.
  const first = await run()
  await run()
  const times = await timesOf(run, FIND_REPEATS[query.name])
  await handleInProcess(payload, query)
  const handlerTimes = await timesOf(() => handleInProcess(payload, query), FIND_REPEATS[query.name])
  const steady = await probe.capture(() => handleInProcess(payload, query))
  const steadyLabels = new Set(steady.map((statement) => statementLabel(statement.sql)))
  const statements: StatementReport[] = []
  for (const statement of steady) statements.push(await explainStatement(payload, statement))
  for (const statement of firstStatements) {
    if (steadyLabels.has(statementLabel(statement.sql))) continue
    const report = await explainStatement(payload, statement)
    statements.push({ ...report, label: `${report.label} (first request only)`, firstRequestOnly: true })
  }
  return {
    name: query.name,
    request: query.request,
    docs: first.docs.length,
    totalDocs: first.totalDocs,
    find: { medianMs: median(times), p95Ms: quantile(times, 0.95), repeats: times.length },
    handler: { medianMs: median(handlerTimes), p95Ms: quantile(handlerTimes, 0.95), repeats: handlerTimes.length },
    statements,
  }
}

const POSTGRES_SETTINGS = [
  'server_version',
  'max_parallel_workers_per_gather',
  'fsync',
  'synchronous_commit',
  'full_page_writes',
  'shared_buffers',
  'work_mem',
  'effective_cache_size',
  'random_page_cost',
  'jit',
]

const SQLITE_SYNCHRONOUS: Record<string, string> = { '0': 'OFF', '1': 'NORMAL', '2': 'FULL', '3': 'EXTRA' }

export const databaseSettings = async (payload: Payload): Promise<Record<string, string>> => {
  const probe = sqlProbe(payload)
  const settings: Record<string, string> = {}
  if (probe.database === 'postgres') {
    for (const name of POSTGRES_SETTINGS) settings[name] = String((await probe.exec(`SHOW ${name}`))[0]?.[name])
    return settings
  }
  settings.sqlite_version = String((await probe.exec('SELECT sqlite_version() AS v'))[0]?.v)
  settings.journal_mode = String((await probe.exec('PRAGMA journal_mode'))[0]?.journal_mode)
  const synchronous = String((await probe.exec('PRAGMA synchronous'))[0]?.synchronous)
  settings.synchronous = SQLITE_SYNCHRONOUS[synchronous] ?? synchronous
  settings.statistics = (await probe.exec("SELECT name FROM sqlite_master WHERE name = 'sqlite_stat1'")).length
    ? 'sqlite_stat1 present'
    : 'none (never ANALYZEd)'
  return settings
}

/** Explains the reader queries on the schema the migrations made, on whichever SQL database Payload uses. */
export const explainReaderQueries = async (payload: Payload, postCount: number): Promise<QueryPlans> => {
  const database = sqlProbe(payload).database
  const settings = await databaseSettings(payload)
  const queries: QueryReport[] = []
  for (const query of await readerQueries(payload, postCount)) queries.push(await explainQuery(payload, query))
  return { database, settings, queries }
}
