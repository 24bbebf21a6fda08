// `npm run bench`: seeds a throw-away SQLite database with the content the peer CMSs were measured
// with, starts Greenroom's production server on it, checks the answers, loads the REST and GraphQL
// post lists with autocannon, compares them with a bare node:http server sending the same bytes,
// and explains the SQL behind the list. Prints a Markdown report; writes bench/results/latest.json.
//
// Environment: POST_COUNT (1000), BENCH_DURATION (10 s), BENCH_WARMUP (3 s), BENCH_CONNECTIONS (20),
// BENCH_SEED_CONCURRENCY (4); BENCH_KEEP=1 keeps the temporary folder (database, media, outputs).
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'

import { ensureProductionBuild } from '../scripts/lib/build.mjs'
import type { CeilingRoute } from './child/ceiling'
import type { SeedChildResult } from './child/seed'
import { ROOT, loadSharedContent } from './content'
import type { LoadResult, LoadSettings } from './load'
import { failedRequests, measureLoad } from './load'
import type { BenchPaths, StartedGreenroom } from './processes'
import { benchPaths, payloadEnv, readMemory, runChild, startCeiling, startGreenroom } from './processes'
import type { ListQueryPlans } from './queryPlan'
import type { BenchResults, Comparison } from './report'
import { formatReport } from './report'
import type { RecordedResponse } from './verify'
import { GRAPHQL_QUERY, LIST_PATH, graphqlTarget, listTarget, verifyGraphql, verifyList } from './verify'

const RESULTS_FILE = path.join(ROOT, 'bench', 'results', 'latest.json')

const numberFromEnv = (name: string, fallback: number) => {
  const raw = process.env[name]
  if (raw === undefined || raw === '') return fallback
  const value = Number(raw)
  if (!Number.isFinite(value) || value < 0) throw new Error(`${name}="${raw}" is not a non-negative number.`)
  return value
}

const log = (message: string) => console.log(`[bench] ${message}`)

/** A seed attempt that died part-way leaves rows and files behind; the next one starts clean. */
const seedDatabase = async (paths: BenchPaths, concurrency: number) => {
  const started = process.hrtime.bigint()
  const result = await runChild<SeedChildResult>(
    'bench/child/seed.ts',
    path.join(paths.dir, 'seed.json'),
    { ...payloadEnv(paths), BENCH_SEED_CONCURRENCY: String(concurrency) },
  )
  const processMs = Number(process.hrtime.bigint() - started) / 1e6
  return { ...result.seed, initMs: result.initMs, processMs }
}

type GreenroomRun = {
  coldStartMs: number
  responses: { list: RecordedResponse; graphql: RecordedResponse }
  load: { list: LoadResult; graphql: LoadResult }
  memory: BenchResults['memory']
  serverOutput: string[]
}

/** Everything measured against the real server; it is stopped before the ceiling runs. */
const benchGreenroom = async (paths: BenchPaths, postCount: number, settings: LoadSettings): Promise<GreenroomRun> => {
  log('starting the production server')
  const server: StartedGreenroom = await startGreenroom(paths)
  try {
    const afterStart = readMemory(server.pid)
    log(`ready after ${server.coldStartMs.toFixed(0)} ms; checking the answers`)
    const responses = { list: await verifyList(server.url, postCount), graphql: await verifyGraphql(server.url, postCount) }
    log(`load: REST list (${settings.warmupSeconds} s warm-up + ${settings.durationSeconds} s)`)
    const list = await measureLoad(listTarget(server.url), settings)
    log('load: GraphQL list')
    const graphql = await measureLoad(graphqlTarget(server.url), settings)
    const afterLoad = readMemory(server.pid)
    return {
      coldStartMs: server.coldStartMs,
      responses,
      load: { list, graphql },
      memory: { afterStart, afterLoad },
      serverOutput: server.output().split('\n').filter((line) => line.trim() !== ''),
    }
  } catch (error) {
    console.error(`Server output so far:\n${server.output()}`)
    throw error
  } finally {
    await server.stop()
  }
}

const toRoute = ({ method, path: routePath, contentType, body }: RecordedResponse): CeilingRoute => ({
  method,
  path: routePath,
  contentType,
  bodyBase64: body.toString('base64'),
})

/** The same load against a bare node:http server replaying Greenroom's recorded bytes. */
const benchCeiling = async (paths: BenchPaths, responses: GreenroomRun['responses'], settings: LoadSettings) => {
  const routesFile = path.join(paths.dir, 'ceiling-routes.json')
  fs.writeFileSync(routesFile, JSON.stringify([toRoute(responses.list), toRoute(responses.graphql)]))
  const ceiling = await startCeiling(routesFile)
  try {
    log('load: ceiling, REST list bytes')
    const list = await measureLoad(listTarget(ceiling.url), settings)
    log('load: ceiling, GraphQL list bytes')
    const graphql = await measureLoad(graphqlTarget(ceiling.url), settings)
    return { list, graphql }
  } finally {
    await ceiling.stop()
  }
}

/** Informational: a failure here is reported, not fatal. */
const explainQueries = async (paths: BenchPaths): Promise<ListQueryPlans | { skipped: string }> => {
  log('explaining the list query')
  try {
    return await runChild<ListQueryPlans>('bench/child/explain.ts', path.join(paths.dir, 'explain.json'), payloadEnv(paths))
  } catch (error) {
    return { skipped: error instanceof Error ? error.message.split('\n')[0] : String(error) }
  }
}

const compare = (greenroom: LoadResult, ceiling: LoadResult, response: RecordedResponse): Comparison => ({
  greenroom,
  ceiling,
  ratio: greenroom.requestsPerSecond / ceiling.requestsPerSecond,
  responseBytes: response.body.length,
})

const loadFailures = (runs: Record<string, LoadResult>) =>
  Object.entries(runs)
    .filter(([, result]) => failedRequests(result) > 0)
    .map(([name, result]) => `${name}: ${result.non2xx} non-2xx answers, ${result.errors} errors (${result.timeouts} timeouts)`)

const machine = (loadAverageStart: number): BenchResults['machine'] => ({
  cpus: os.cpus().length,
  cpuModel: os.cpus()[0]?.model.trim() ?? 'unknown',
  node: process.version,
  platform: `${os.platform()} ${os.arch()}`,
  memoryGb: os.totalmem() / 1024 ** 3,
  loadAverageStart,
  loadAverageEnd: os.loadavg()[0],
})

const main = async () => {
  const content = await loadSharedContent()
  const settings: LoadSettings = {
    connections: numberFromEnv('BENCH_CONNECTIONS', 20),
    durationSeconds: numberFromEnv('BENCH_DURATION', 10),
    warmupSeconds: numberFromEnv('BENCH_WARMUP', 3),
  }
  const seedConcurrency = Math.max(1, numberFromEnv('BENCH_SEED_CONCURRENCY', 4))
  const loadAverageStart = os.loadavg()[0]

  await ensureProductionBuild(ROOT, log)
  const paths = benchPaths(fs.mkdtempSync(path.join(os.tmpdir(), 'greenroom-bench-')))
  try {
    log(`seeding ${content.POST_COUNT} posts into ${paths.databaseUri}`)
    const seed = await seedDatabase(paths, seedConcurrency)
    log(`seeded in ${(seed.processMs / 1000).toFixed(1)} s`)
    const greenroom = await benchGreenroom(paths, content.POST_COUNT, settings)
    const ceiling = await benchCeiling(paths, greenroom.responses, settings)
    const queryPlan = await explainQueries(paths)

    const results: BenchResults = {
      date: new Date().toISOString(),
      machine: machine(loadAverageStart),
      settings: {
        posts: content.POST_COUNT,
        ...settings,
        seedConcurrency,
        listRequest: LIST_PATH,
        graphqlQuery: GRAPHQL_QUERY,
      },
      seed,
      coldStartMs: greenroom.coldStartMs,
      load: {
        list: compare(greenroom.load.list, ceiling.list, greenroom.responses.list),
        graphql: compare(greenroom.load.graphql, ceiling.graphql, greenroom.responses.graphql),
      },
      memory: greenroom.memory,
      serverOutput: greenroom.serverOutput,
      queryPlan,
      failures: loadFailures({
        'Greenroom REST list': greenroom.load.list,
        'Greenroom GraphQL list': greenroom.load.graphql,
        'ceiling REST list': ceiling.list,
        'ceiling GraphQL list': ceiling.graphql,
      }),
    }
    fs.mkdirSync(path.dirname(RESULTS_FILE), { recursive: true })
    fs.writeFileSync(RESULTS_FILE, `${JSON.stringify(results, null, 2)}\n`)
    console.log(`\n${formatReport(results)}\n`)
    log(`results written to ${path.relative(ROOT, RESULTS_FILE)}`)
    // Figures from a run with failed requests are not figures: make CI notice.
    if (results.failures.length) process.exitCode = 1
  } finally {
    if (process.env.BENCH_KEEP === '1') log(`kept ${paths.dir}`)
    else fs.rmSync(paths.dir, { recursive: true, force: true })
  }
}

main().catch((error: unknown) => {
  console.error(`\nThe benchmark failed: ${error instanceof Error ? error.message : String(error)}`)
  // Checks and set-up problems explain themselves; anything else gets its stack.
  const explained = error instanceof Error && ['BenchCheckError', 'BenchSetupError'].includes(error.name)
  if (!explained && error instanceof Error && error.stack) console.error(error.stack)
  process.exit(1)
})
