// `npm run bench`: seeds a throw-away database with the content the peer CMSs were measured with,
// starts Greenroom's production server on it, checks the answers, loads the REST and GraphQL post
// lists with autocannon (then again with the response store off), compares them with a bare
// node:http server sending the same bytes, and explains the SQL behind an anonymous reader's list,
// slug lookup and category list. Runs once per
// database × post count asked for; prints a Markdown report per run and one table for them all;
// writes bench/results/<database>-<posts>.json and bench/results/latest.json.
//
// Which runs (flags win over the environment):
//   --databases sqlite,postgres   BENCH_DATABASE (sqlite); `--database postgres` works too
//   --posts 1000,100000           POST_COUNT (1000)
//   --matrix                      BENCH_MATRIX=1: sqlite,postgres × 1000,100000 unless given above
// PostgreSQL: BENCH_POSTGRES_URI (or TEST_POSTGRES_URI) names a server; each run creates a database
// on it and drops it afterwards.
// Environment: BENCH_DURATION (10 s), BENCH_WARMUP (3 s), BENCH_CONNECTIONS (20), BENCH_ROUNDS (5:
// Greenroom and the ceiling take turns this often per scenario),
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
import { combineRounds, failedRequests, measureLoad, medianRatio } from './load'
import { parseBenchOptions } from './options'
import type { BenchPaths, StartedGreenroom } from './processes'
import { benchPaths, payloadEnv, readMemory, runChild, startCeiling, startGreenroom } from './processes'
import type { QueryPlans } from './queryPlan'
import type { BenchCell, BenchResults, Comparison, LoadAverage, Machine } from './report'
import { formatMatrix, formatReport } from './report'
import type { RecordedResponse, ScenarioName, VerifiedResponses } from './verify'
import { CACHING_HEADERS, GRAPHQL_QUERY, LIST_PATH, SCENARIOS, SCENARIO_LABELS, slugPath, verifyResponses } from './verify'

const RESULTS_DIR = path.join(ROOT, 'bench', 'results')

const log = (message: string) => console.log(`[bench] ${message}`)

type SeedSettings = { concurrency: number; batchSize: number }

/** A seed attempt that died part-way leaves rows and files behind; the next one starts clean. */
const seedDatabase = async (paths: BenchPaths, seed: SeedSettings) => {
  const started = process.hrtime.bigint()
  const result = await runChild<SeedChildResult>(
    'bench/child/seed.ts',
    path.join(paths.dir, 'seed.json'),
    {
      ...payloadEnv(paths),
      BENCH_SEED_CONCURRENCY: String(seed.concurrency),
      BENCH_SEED_BATCH: String(seed.batchSize),
    },
    (line) => {
      const progress = /^progress (\d+) (\d+)$/.exec(line)
      if (!progress) return
      const seconds = Number(process.hrtime.bigint() - started) / 1e9
      log(
        `  ${Number(progress[1]).toLocaleString('en-US')} of ${Number(progress[2]).toLocaleString('en-US')} posts after ${seconds.toFixed(0)} s`,
      )
    },
  )
  const processMs = Number(process.hrtime.bigint() - started) / 1e6
  return { ...result.seed, initMs: result.initMs, maxRssMb: result.maxRssMb, processMs }
}

type ScenarioLoads = Record<ScenarioName, LoadResult>

type GreenroomRun = {
  coldStartMs: number
  responses: VerifiedResponses
  load: ScenarioLoads
  ceiling: ScenarioLoads
  /** Per scenario, the median of the rounds' Greenroom/ceiling ratios. */
  ratios: Record<ScenarioName, number>
  /** The list from one connection, one request at a time, on a server whose response store is off. */
  singleListRequest?: LoadResult
  memory: BenchResults['memory']
  serverOutput: string[]
}

const targetAt = (baseUrl: string, response: RecordedResponse) => ({ ...response.target, url: baseUrl + response.path })

/** Loads each scenario in turn; a revalidation must be answered with the status it was verified with. */
const loadScenarios = async (baseUrl: string, responses: VerifiedResponses, settings: LoadSettings, who: string) => {
  const load = {} as ScenarioLoads
  for (const scenario of SCENARIOS) {
    const response = responses[scenario]
    log(
      `load: ${who}${SCENARIO_LABELS[scenario]} (${settings.warmupSeconds} s warm-up + ${settings.durationSeconds} s)`,
    )
    load[scenario] = await measureLoad(targetAt(baseUrl, response), settings, response.status)
  }
  return load
}

/**
 * Greenroom and the ceiling, loaded by turns: for each scenario a warm-up of each, then `rounds`
 * rounds of Greenroom followed at once by the ceiling. The machine's speed drifts by tens of percent
 * from one minute to the next on a shared two-core host; measured minutes apart, the two sides'
 * ratio showed that drift more than either server.
 */
const loadByTurns = async (
  greenroomUrl: string,
  ceilingUrl: string,
  responses: VerifiedResponses,
  settings: LoadSettings,
) => {
  const greenroom = {} as ScenarioLoads
  const ceiling = {} as ScenarioLoads
  const ratios = {} as Record<ScenarioName, number>
  const round = { ...settings, durationSeconds: settings.durationSeconds / settings.rounds, warmupSeconds: 0 }
  const warmUp = { ...settings, durationSeconds: settings.warmupSeconds, warmupSeconds: 0 }
  for (const scenario of SCENARIOS) {
    const response = responses[scenario]
    log(
      `load: ${SCENARIO_LABELS[scenario]}, Greenroom and ceiling by turns (${settings.warmupSeconds} s warm-up each, ` +
        `then ${settings.rounds} rounds of ${round.durationSeconds.toFixed(1)} s each)`,
    )
    if (warmUp.durationSeconds > 0) {
      await measureLoad(targetAt(greenroomUrl, response), warmUp, response.status)
      await measureLoad(targetAt(ceilingUrl, response), warmUp, response.status)
    }
    const ours: LoadResult[] = []
    const bare: LoadResult[] = []
    for (let k = 0; k < settings.rounds; k++) {
      ours.push(await measureLoad(targetAt(greenroomUrl, response), round, response.status))
      bare.push(await measureLoad(targetAt(ceilingUrl, response), round, response.status))
    }
    greenroom[scenario] = combineRounds(ours)
    ceiling[scenario] = combineRounds(bare)
    ratios[scenario] = medianRatio(ours, bare)
  }
  return { greenroom, ceiling, ratios }
}

/** Response store of the measured server: what API_RESPONSE_CACHE_MB says, or the server's default. */
const storeIsOn = () => process.env.API_RESPONSE_CACHE_MB !== '0'

/** The latency of a single read through every layer: one connection, one request at a time. */
const measureSingleList = (baseUrl: string, responses: VerifiedResponses, settings: LoadSettings) => {
  log('load: REST list from a single connection')
  return measureLoad(targetAt(baseUrl, responses.list), { ...settings, connections: 1 })
}

/** Everything measured against the real server, with the ceiling beside it once the answers are known. */
const benchGreenroom = async (paths: BenchPaths, settings: LoadSettings): Promise<GreenroomRun> => {
  log('starting the production server')
  const server: StartedGreenroom = await startGreenroom(paths)
  let ceilingServer: RunningCeiling | undefined
  try {
    const afterStart = readMemory(server.pid)
    log(`ready after ${server.coldStartMs.toFixed(0)} ms; checking the answers`)
    const responses = await verifyResponses(server.url, paths.postCount)
    // With the store on, this would time the store, not the layers below it.
    const singleListRequest = storeIsOn() ? undefined : await measureSingleList(server.url, responses, settings)
    ceilingServer = await startCeilingFor(paths, responses)
    const { greenroom: load, ceiling, ratios } = await loadByTurns(server.url, ceilingServer.url, responses, settings)
    const afterLoad = readMemory(server.pid)
    return {
      coldStartMs: server.coldStartMs,
      responses,
      load,
      ceiling,
      ratios,
      singleListRequest,
      memory: { afterStart, afterLoad },
      serverOutput: server
        .output()
        .split('\n')
        .filter((line) => line.trim() !== ''),
    }
  } catch (error) {
    console.error(`Server output so far:\n${server.output()}`)
    throw error
  } finally {
    await ceilingServer?.stop()
    await server.stop()
  }
}

/**
 * The same load on the same database with the response store off, so every request runs Payload:
 * what a read costs when nothing is stored yet (after a write, or a URL nobody asked for before).
 */
const benchWithoutStore = async (paths: BenchPaths, responses: VerifiedResponses, settings: LoadSettings) => {
  log('starting the production server again, with its response store off (API_RESPONSE_CACHE_MB=0)')
  const server = await startGreenroom(paths, { API_RESPONSE_CACHE_MB: '0' })
  try {
    const singleListRequest = await measureSingleList(server.url, responses, settings)
    return { singleListRequest, load: await loadScenarios(server.url, responses, settings, 'store off, ') }
  } catch (error) {
    console.error(`Server output so far:\n${server.output()}`)
    throw error
  } finally {
    await server.stop()
  }
}

const toRoute = ({ target, path: routePath, status, headers, body }: RecordedResponse): CeilingRoute => ({
  method: target.method,
  path: routePath,
  ifNoneMatch: target.headers?.['if-none-match'],
  status,
  headers,
  bodyBase64: body.toString('base64'),
})

type RunningCeiling = Awaited<ReturnType<typeof startCeiling>>

/** A bare node:http server in its own process, replaying Greenroom's recorded answers. */
const startCeilingFor = async (paths: BenchPaths, responses: VerifiedResponses) => {
  const routesFile = path.join(paths.dir, 'ceiling-routes.json')
  fs.writeFileSync(routesFile, JSON.stringify(SCENARIOS.map((scenario) => toRoute(responses[scenario]))))
  return startCeiling(routesFile)
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

const compareAll = (run: GreenroomRun) =>
  Object.fromEntries(
    SCENARIOS.map((scenario): [ScenarioName, Comparison] => {
      const response = run.responses[scenario]
      return [
        scenario,
        {
          request: `${response.target.method} ${response.path}`,
          status: response.status,
          greenroom: run.load[scenario],
          ceiling: run.ceiling[scenario],
          ratio: run.ratios[scenario],
          responseBytes: response.body.length,
        },
      ]
    }),
  ) as Record<ScenarioName, Comparison>

const loadFailures = (runs: Record<string, LoadResult>) =>
  Object.entries(runs)
    .filter(([, result]) => failedRequests(result) > 0)
    .map(
      ([name, result]) =>
        `${name}: ${result.unexpectedStatus} answers other than ${result.expectedStatus} (${JSON.stringify(result.statusCounts)}), ${result.errors} errors (${result.timeouts} timeouts)`,
    )

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
    const withoutStore = storeIsOn() ? await benchWithoutStore(paths, greenroom.responses, settings.load) : undefined
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
        responseCacheMb: process.env.API_RESPONSE_CACHE_MB || '64 (default)',
        listRequest: LIST_PATH,
        slugRequest: slugPath(postCount),
        graphqlQuery: GRAPHQL_QUERY,
      },
      database: { description: database.description, sizeBytes, prepare },
      seed,
      coldStartMs: greenroom.coldStartMs,
      load: compareAll(greenroom),
      loadWithoutStore: withoutStore?.load,
      singleListRequest: (withoutStore ?? greenroom).singleListRequest!,
      cacheHeaders: Object.fromEntries(
        Object.entries(greenroom.responses.list.headers).filter(([name]) => CACHING_HEADERS.includes(name)),
      ),
      memory: greenroom.memory,
      serverOutput: greenroom.serverOutput,
      queryPlan,
      failures: loadFailures({
        ...Object.fromEntries(
          SCENARIOS.map((scenario) => [`Greenroom ${SCENARIO_LABELS[scenario]}`, greenroom.load[scenario]]),
        ),
        ...Object.fromEntries(
          SCENARIOS.map((scenario) => [`ceiling ${SCENARIO_LABELS[scenario]}`, greenroom.ceiling[scenario]]),
        ),
        ...Object.fromEntries(
          SCENARIOS.flatMap((scenario) =>
            withoutStore ? [[`Greenroom ${SCENARIO_LABELS[scenario]}, store off`, withoutStore.load[scenario]]] : [],
          ),
        ),
        'Greenroom REST list, one connection': (withoutStore ?? greenroom).singleListRequest!,
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
    log(
      `run ${k + 1} of ${runs.length}: ${database}, ${posts.toLocaleString('en-US')} posts (1-min load average ${os.loadavg()[0].toFixed(2)})`,
    )
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
