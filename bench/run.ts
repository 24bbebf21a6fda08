// `npm run bench`: seeds a throw-away database with the content the peer CMSs were measured with,
// starts Greenroom's production server on it, checks the answers, loads the REST and GraphQL post
// lists with autocannon, compares them with a bare node:http server sending the same bytes, and
// explains the SQL behind an anonymous reader's list, slug lookup and category list. Runs once per
// database × post count asked for; prints a Markdown report per run and one table for them all;
// writes bench/results/<database>-<posts>.json and bench/results/latest.json.
//
// Which runs (flags win over the environment):
//   --databases sqlite,postgres   BENCH_DATABASE (sqlite); `--database postgres` works too
//   --posts 1000,100000           POST_COUNT (1000)
//   --matrix                      BENCH_MATRIX=1: sqlite,postgres × 1000,100000 unless given above
// PostgreSQL: BENCH_POSTGRES_URI (or TEST_POSTGRES_URI) names a server; each run creates a database
// on it and drops it afterwards.
// Environment: BENCH_DURATION (10 s), BENCH_WARMUP (3 s), BENCH_CONNECTIONS (20),
// BENCH_SEED_CONCURRENCY (4), BENCH_SEED_BATCH (250 posts per transaction); BENCH_KEEP=1 keeps the
// temporary folder and the PostgreSQL database.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'

import { ensureProductionBuild } from '../scripts/lib/build.mjs'
import type { CeilingRoute } from './child/ceiling'
import type { SeedChildResult } from './child/seed'
import { ROOT, loadSharedContent } from './content'
import type { BenchDatabase, BenchDatabaseKind } from './database'
import { createBenchDatabase, postgresServerUri } from './database'
import type { LoadResult, LoadSettings } from './load'
import { failedRequests, measureLoad } from './load'
import { parseBenchOptions } from './options'
import type { BenchPaths, StartedGreenroom } from './processes'
import { benchPaths, payloadEnv, readMemory, runChild, startCeiling, startGreenroom } from './processes'
import type { QueryPlans } from './queryPlan'
import type { BenchCell, BenchResults, Comparison, LoadAverage, Machine } from './report'
import { formatMatrix, formatReport } from './report'
import type { RecordedResponse } from './verify'
import { GRAPHQL_QUERY, LIST_PATH, graphqlTarget, listTarget, verifyGraphql, verifyList } from './verify'

const RESULTS_DIR = path.join(ROOT, 'bench', 'results')

const log = (message: string) => console.log(`[bench] ${message}`)

type SeedSettings = { concurrency: number; batchSize: number }

/** A seed attempt that died part-way leaves rows and files behind; the next one starts clean. */
const seedDatabase = async (paths: BenchPaths, seed: SeedSettings) => {
  const started = process.hrtime.bigint()
  const result = await runChild<SeedChildResult>(
    'bench/child/seed.ts',
    path.join(paths.dir, 'seed.json'),
    { ...payloadEnv(paths), BENCH_SEED_CONCURRENCY: String(seed.concurrency), BENCH_SEED_BATCH: String(seed.batchSize) },
    (line) => {
      const progress = /^progress (\d+) (\d+)$/.exec(line)
      if (!progress) return
      const seconds = Number(process.hrtime.bigint() - started) / 1e9
      log(`  ${Number(progress[1]).toLocaleString('en-US')} of ${Number(progress[2]).toLocaleString('en-US')} posts after ${seconds.toFixed(0)} s`)
    },
  )
  const processMs = Number(process.hrtime.bigint() - started) / 1e6
  return { ...result.seed, initMs: result.initMs, maxRssMb: result.maxRssMb, processMs }
}

type GreenroomRun = {
  coldStartMs: number
  responses: { list: RecordedResponse; graphql: RecordedResponse }
  load: { list: LoadResult; graphql: LoadResult }
  memory: BenchResults['memory']
  serverOutput: string[]
}

/** Everything measured against the real server; it is stopped before the ceiling runs. */
const benchGreenroom = async (paths: BenchPaths, settings: LoadSettings): Promise<GreenroomRun> => {
  log('starting the production server')
  const server: StartedGreenroom = await startGreenroom(paths)
  try {
    const afterStart = readMemory(server.pid)
    log(`ready after ${server.coldStartMs.toFixed(0)} ms; checking the answers`)
    const responses = { list: await verifyList(server.url, paths.postCount), graphql: await verifyGraphql(server.url, paths.postCount) }
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
const explainQueries = async (paths: BenchPaths): Promise<QueryPlans | { skipped: string }> => {
  log('explaining the list, slug and category queries')
  try {
    return await runChild<QueryPlans>('bench/child/explain.ts', path.join(paths.dir, 'explain.json'), payloadEnv(paths))
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

const machine = (): Machine => ({
  cpus: os.cpus().length,
  cpuModel: os.cpus()[0]?.model.trim() ?? 'unknown',
  node: process.version,
  platform: `${os.platform()} ${os.arch()}`,
  memoryGb: os.totalmem() / 1024 ** 3,
})

/** Samples the 1-minute load average every 5 s while a run lasts. */
const loadAverageSampler = () => {
  const samples = [os.loadavg()[0]]
  const timer = setInterval(() => samples.push(os.loadavg()[0]), 5000)
  timer.unref()
  return (): LoadAverage => {
    clearInterval(timer)
    samples.push(os.loadavg()[0])
    return {
      start: samples[0],
      end: samples[samples.length - 1],
      mean: samples.reduce((sum, value) => sum + value, 0) / samples.length,
      max: Math.max(...samples),
      samples: samples.length,
    }
  }
}

type RunSettings = { load: LoadSettings; seed: SeedSettings }

/** One database × post count: seed, serve, load, explain; then remove the database and its folder. */
const benchOne = async (kind: BenchDatabaseKind, postCount: number, settings: RunSettings): Promise<BenchResults> => {
  const sampler = loadAverageSampler()
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `greenroom-bench-${kind}-${postCount}-`))
  let database: BenchDatabase | undefined
  try {
    database = await createBenchDatabase(kind, dir, postCount)
    const paths = benchPaths(dir, database.uri, postCount)
    log(`seeding ${postCount.toLocaleString('en-US')} posts into ${database.description}`)
    const seed = await seedDatabase(paths, settings.seed)
    log(`seeded in ${(seed.processMs / 1000).toFixed(1)} s (${(seed.ms.posts / postCount).toFixed(2)} ms/post)`)
    const prepare = await database.prepareForReads()
    if (prepare.ms > 0) log(`${prepare.step}: ${(prepare.ms / 1000).toFixed(1)} s`)
    const sizeBytes = await database.sizeBytes()
    const greenroom = await benchGreenroom(paths, settings.load)
    const ceiling = await benchCeiling(paths, greenroom.responses, settings.load)
    const queryPlan = await explainQueries(paths)
    return {
      date: new Date().toISOString(),
      machine: machine(),
      loadAverage: sampler(),
      settings: {
        database: kind,
        posts: postCount,
        ...settings.load,
        seedConcurrency: settings.seed.concurrency,
        seedBatchSize: settings.seed.batchSize,
        listRequest: LIST_PATH,
        graphqlQuery: GRAPHQL_QUERY,
      },
      database: { description: database.description, sizeBytes, prepare },
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
  } finally {
    sampler()
    if (process.env.BENCH_KEEP === '1') {
      log(`kept ${dir}${database?.kind === 'postgres' ? ` and ${database.description}` : ''}`)
    } else {
      fs.rmSync(dir, { recursive: true, force: true })
      await database?.drop().catch((error: unknown) => log(`could not drop ${database?.description}: ${String(error)}`))
    }
  }
}

const writeJson = (file: string, value: unknown) => {
  fs.mkdirSync(path.dirname(file), { recursive: true })
  fs.writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`)
}

const main = async () => {
  const options = parseBenchOptions(process.argv.slice(2), process.env)
  // Fail before the build and the first seed, not an hour into a matrix.
  await loadSharedContent()
  if (options.databases.includes('postgres')) postgresServerUri()
  const settings: RunSettings = { load: options.load, seed: options.seed }
  const runs = options.postCounts.flatMap((posts) => options.databases.map((database) => ({ database, posts })))
  const date = new Date().toISOString()
  log(`runs: ${runs.map(({ database, posts }) => `${database} × ${posts.toLocaleString('en-US')}`).join(', ')}`)

  await ensureProductionBuild(ROOT, log)
  const cells: BenchCell[] = []
  for (const [k, { database, posts }] of runs.entries()) {
    log(`run ${k + 1} of ${runs.length}: ${database}, ${posts.toLocaleString('en-US')} posts (1-min load average ${os.loadavg()[0].toFixed(2)})`)
    try {
      const results = await benchOne(database, posts, settings)
      cells.push({ database, posts, results })
      writeJson(path.join(RESULTS_DIR, `${database}-${posts}.json`), results)
      console.log(`\n${formatReport(results)}\n`)
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error)
      console.error(`\n[bench] ${database} × ${posts} failed: ${message}`)
      const explained = error instanceof Error && ['BenchCheckError', 'BenchSetupError'].includes(error.name)
      if (!explained && error instanceof Error && error.stack) console.error(error.stack)
      cells.push({ database, posts, error: message })
    }
  }

  const table = formatMatrix(cells, machine(), date)
  writeJson(path.join(RESULTS_DIR, 'latest.json'), { date, machine: machine(), options, cells, table })
  console.log(`\n${table}\n`)
  log(`results written to ${path.relative(ROOT, RESULTS_DIR)}/ (latest.json and one file per run)`)
  // Figures from a run with failed requests are not figures: make CI notice.
  const failed = cells.filter((cell) => 'error' in cell || cell.results.failures.length > 0)
  if (failed.length) process.exitCode = 1
}

main().catch((error: unknown) => {
  console.error(`\nThe benchmark failed: ${error instanceof Error ? error.message : String(error)}`)
  // Checks and set-up problems explain themselves; anything else gets its stack.
  const explained = error instanceof Error && ['BenchCheckError', 'BenchSetupError'].includes(error.name)
  if (!explained && error instanceof Error && error.stack) console.error(error.stack)
  process.exit(1)
})
