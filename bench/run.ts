// `npm run bench`: seeds a throw-away database with the content the peer CMSs were measured with (or
// copies the seeded database kept from an earlier run: bench/seedCache.ts), starts Greenroom's production
// server on it, checks the answers, loads the REST and GraphQL post lists with autocannon, compares them
// with a bare node:http server sending the same bytes, runs the mixed-read scenario (bench/mixed.ts: 50
// URLs while an editor publishes 0, 1 and 5 times a second), then does it all again with the response
// store off, beside the ceiling and stock Payload, and explains the SQL behind an anonymous reader's list,
// slug lookup and category list. Runs once per database × post count asked for; prints a Markdown report
// per run, one table for them all and the targets of issue 15 (bench/targets.ts); writes
// bench/results/<database>-<posts>.json and bench/results/latest.json.
//
// "Stock Payload" here is the same build served by `next start`: the same .next folder and Payload config,
// so /api/* runs Payload's own route handlers (src/app/(payload)/api: REST_GET and GRAPHQL_POST of
// @payloadcms/next) with Greenroom's collections, hooks and plugins, but none of Greenroom's express layer
// (response store, stored-answer lane, validators, rate limit, security headers, request log). It is what
// a Payload site with the same content model gets without Greenroom's server; it is not Payload's blank
// template, and work in the config's hooks (population, renditions) speeds it up too.
//
// Which runs (flags win over the environment):
//   --databases sqlite,postgres   BENCH_DATABASE (sqlite); `--database postgres` works too
//   --posts 1000,100000           POST_COUNT (1000)
//   --large                       BENCH_LARGE=1: adds 100,000 posts (slow to seed the first time)
//   --matrix                      BENCH_MATRIX=1: sqlite,postgres × 1000,100000 unless given above
//   --fresh-seed                  BENCH_FRESH_SEED=1: seeds again instead of using the kept copy
// PostgreSQL: BENCH_POSTGRES_URI (or TEST_POSTGRES_URI) names a server; each run creates a database
// on it and drops it afterwards.
// Environment: BENCH_DURATION (10 s), BENCH_WARMUP (3 s), BENCH_CONNECTIONS (20), BENCH_ROUNDS (5:
// Greenroom and the ceiling take turns this often per scenario), BENCH_MIXED_DURATION (BENCH_DURATION:
// seconds per publish rate), BENCH_PUBLISH_RATES (0,1,5), BENCH_BASELINE (bench/results/before: the
// "before" runs the targets compare with), BENCH_SEED_CACHE=0 (keep no seeded copies),
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
import type { MixedRun, MixedSet, MixedSettings } from './mixed'
import { mixedRequests, mixedScenario } from './mixed'
import type { BenchPaths, StartedGreenroom, StartedStock } from './processes'
import {
  benchPaths,
  payloadEnv,
  readMemory,
  readTreeMemory,
  runChild,
  startCeiling,
  startGreenroom,
  startStock,
} from './processes'
import type { QueryPlans } from './queryPlan'
import type { BenchCell, BenchResults, Comparison, LoadAverage, Machine, StockFigures, UncachedFigures } from './report'
import { formatMatrix, formatReport } from './report'
import type { SeedCacheSettings } from './seedCache'
import { findKeptSeed, keepSeed, restoreSeed } from './seedCache'
import { formatTargets, readBaselines } from './targets'
import type { Side } from './turns'
import { drain, loadSidesByTurns, ratioOf } from './turns'
import type { RecordedResponse, ScenarioName, VerifiedResponses } from './verify'
import {
  CACHING_HEADERS,
  GRAPHQL_QUERY,
  LIST_PATH,
  SCENARIOS,
  SCENARIO_LABELS,
  UNCACHED_SCENARIOS,
  slugPath,
  verifyCategory,
  verifyResponses,
} from './verify'

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
  coldStartApiMs: number
  mixedSet: MixedSet
  mixed: MixedRun[]
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
    const response = responses[scenario as keyof VerifiedResponses]!
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
    const response = responses[scenario as keyof VerifiedResponses]!
    log(
      `load: ${SCENARIO_LABELS[scenario]}, Greenroom and ceiling by turns (${settings.warmupSeconds} s warm-up each, ` +
        `then ${settings.rounds} rounds of ${round.durationSeconds.toFixed(1)} s each)`,
    )
    if (warmUp.durationSeconds > 0) {
      await measureLoad(targetAt(greenroomUrl, response), warmUp, response.status)
      await drain(targetAt(greenroomUrl, response))
      await measureLoad(targetAt(ceilingUrl, response), warmUp, response.status)
    }
    const ours: LoadResult[] = []
    const bare: LoadResult[] = []
    for (let k = 0; k < settings.rounds; k++) {
      ours.push(await measureLoad(targetAt(greenroomUrl, response), round, response.status))
      await drain(targetAt(greenroomUrl, response))
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

/** The mixed-read scenario's settings: BENCH_MIXED_DURATION (BENCH_DURATION), BENCH_CONNECTIONS, BENCH_WARMUP. */
const mixedSettings = (settings: LoadSettings): MixedSettings => ({
  connections: settings.connections,
  durationSeconds: Number(process.env.BENCH_MIXED_DURATION || settings.durationSeconds),
  warmupSeconds: settings.warmupSeconds,
})

/** Everything measured against the real server, with the ceiling beside it once the answers are known. */
const benchGreenroom = async (paths: BenchPaths, settings: LoadSettings, rates: number[]): Promise<GreenroomRun> => {
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
    await ceilingServer.stop()
    // Last: its publishes change one post, whose answers the scenarios above recorded.
    const mixedSet = await mixedRequests(server.url, paths.postCount)
    const mixed = await mixedScenario(server.url, mixedSet, mixedSettings(settings), rates, log, '')
    const afterLoad = readTreeMemory(server.pid)
    return {
      coldStartMs: server.coldStartMs,
      coldStartApiMs: server.coldStartApiMs,
      mixedSet,
      mixed,
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

type UncachedRun = UncachedFigures & { loadWithoutStore: Record<ScenarioName, LoadResult> }

/** Stock Payload beside the server with its store off; a stock server that fails leaves the rest standing. */
const startStockOrExplain = async (paths: BenchPaths): Promise<StartedStock | { error: string }> => {
  log('starting stock Payload on the same build (next start)')
  try {
    return await startStock(paths)
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error)
    log(`stock Payload did not start: ${message.split('\n')[0]}`)
    return { error: message }
  }
}

/** Checks that stock Payload gives the same answers, so that both do the same work. */
const stockResponses = async (stock: StartedStock, paths: BenchPaths) => {
  const responses = await verifyResponses(stock.url, paths.postCount)
  return { ...responses, category: await verifyCategory(stock.url, paths.postCount) }
}

/**
 * The same reads on the same database with the response store off, so every request runs Payload:
 * what a read costs when nothing is stored yet (after a write, or a URL nobody asked for before). Each
 * scenario is loaded by turns with the ceiling (the same bytes from a bare node:http server) and with
 * stock Payload (`next start`: see startStock); then the mixed reads again, with nothing stored.
 */
const benchWithoutStore = async (
  paths: BenchPaths,
  settings: LoadSettings,
  mixedSet: MixedSet,
  rates: number[],
): Promise<UncachedRun> => {
  log('starting the production server again, with its response store off (API_RESPONSE_CACHE_MB=0)')
  const server = await startGreenroom(paths, { API_RESPONSE_CACHE_MB: '0' })
  let ceilingServer: RunningCeiling | undefined
  let stock: StartedStock | { error: string } | undefined
  try {
    const afterStart = readMemory(server.pid)
    const verified = await verifyResponses(server.url, paths.postCount)
    const responses = { ...verified, category: await verifyCategory(server.url, paths.postCount) }
    const singleListRequest = await measureSingleList(server.url, responses, settings)
    log('load: REST category list from a single connection')
    const singleCategoryRequest = await measureLoad(targetAt(server.url, responses.category), { ...settings, connections: 1 })
    ceilingServer = await startCeilingFor(paths, responses, UNCACHED_SCENARIOS)
    stock = await startStockOrExplain(paths)
    const stockAfterStart = 'error' in stock ? null : readTreeMemory(stock.pid)
    const stockAnswers = 'error' in stock ? undefined : await stockResponses(stock, paths)

    const load = {} as ScenarioLoads
    const ceiling = {} as ScenarioLoads
    const ratios = {} as Record<ScenarioName, number>
    const stockLoad: Partial<ScenarioLoads> = {}
    const againstStock: Partial<Record<ScenarioName, number>> = {}
    for (const scenario of UNCACHED_SCENARIOS) {
      const response = responses[scenario]
      const sides: Side[] = [
        { name: 'greenroom', target: targetAt(server.url, response), expectedStatus: response.status },
        { name: 'ceiling', target: targetAt(ceilingServer.url, response), expectedStatus: response.status },
      ]
      // Stock Payload has no validators: a revalidation is a full answer there, not the same work.
      if (stockAnswers && stock && !('error' in stock) && scenario !== 'conditional') {
        const answer = stockAnswers[scenario]
        sides.push({ name: 'stock', target: targetAt(stock.url, answer), expectedStatus: answer.status })
      }
      log(
        `load: ${SCENARIO_LABELS[scenario]}, store off, by turns with ${sides.slice(1).map((side) => side.name).join(' and ')} ` +
          `(${settings.warmupSeconds} s warm-up each, then ${settings.rounds} rounds of ${(settings.durationSeconds / settings.rounds).toFixed(1)} s)`,
      )
      const turns = await loadSidesByTurns(sides, settings)
      load[scenario] = turns.loads.greenroom
      ceiling[scenario] = turns.loads.ceiling
      ratios[scenario] = ratioOf(turns, 'greenroom', 'ceiling')!
      if (turns.loads.stock) {
        stockLoad[scenario] = turns.loads.stock
        againstStock[scenario] = ratioOf(turns, 'greenroom', 'stock')
      }
    }
    const stockFigures: StockFigures =
      'error' in stock
        ? { error: stock.error }
        : {
            coldStartMs: stock.coldStartMs,
            load: stockLoad,
            greenroomRatio: againstStock,
            memory: { afterStart: stockAfterStart, afterLoad: readTreeMemory(stock.pid) },
          }
    if (!('error' in stock)) await stock.stop()
    await ceilingServer.stop()
    const mixed = await mixedScenario(server.url, mixedSet, mixedSettings(settings), rates, log, 'store off, ')
    return {
      coldStartMs: server.coldStartMs,
      coldStartApiMs: server.coldStartApiMs,
      requests: Object.fromEntries(
        UNCACHED_SCENARIOS.map((scenario) => [
          scenario,
          { request: `${responses[scenario].target.method} ${responses[scenario].path}`, bytes: responses[scenario].body.length },
        ]),
      ) as UncachedFigures['requests'],
      singleListRequest,
      singleCategoryRequest,
      load,
      ceiling,
      ratios,
      stock: stockFigures,
      memory: { afterStart, afterLoad: readTreeMemory(server.pid) },
      mixed,
      loadWithoutStore: Object.fromEntries(SCENARIOS.map((scenario) => [scenario, load[scenario]])) as ScenarioLoads,
    }
  } catch (error) {
    console.error(`Server output so far:\n${server.output()}`)
    throw error
  } finally {
    if (stock && !('error' in stock)) await stock.stop()
    await ceilingServer?.stop()
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
const startCeilingFor = async (
  paths: BenchPaths,
  responses: Partial<Record<ScenarioName, RecordedResponse>>,
  scenarios: ScenarioName[] = SCENARIOS,
) => {
  const routesFile = path.join(paths.dir, 'ceiling-routes.json')
  fs.writeFileSync(routesFile, JSON.stringify(scenarios.map((scenario) => toRoute(responses[scenario]!))))
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
      const response = run.responses[scenario as keyof VerifiedResponses]!
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

/** The store-off figures as the results keep them (loadWithoutStore is kept once, at the top level). */
const withoutUnused = ({ loadWithoutStore: _kept, ...figures }: UncachedRun): UncachedFigures => figures

type RunSettings = { load: LoadSettings; seed: SeedSettings; seedCache: SeedCacheSettings; publishRates: number[] }

type SeedFigures = BenchResults['seed']

/**
 * A kept copy of the same seed when there is a current one (bench/seedCache.ts), else a fresh seed,
 * kept for the next run. PostgreSQL copies the kept database when it creates the run's.
 */
const seededDatabase = async (kind: BenchDatabaseKind, dir: string, postCount: number, settings: RunSettings) => {
  const kept = settings.seedCache.enabled && !settings.seedCache.fresh ? findKeptSeed<SeedFigures>(kind, postCount) : undefined
  if (kept) {
    try {
      const database = await createBenchDatabase(kind, dir, postCount, kept.postgresTemplate)
      const paths = benchPaths(dir, database.uri, postCount)
      restoreSeed(kept, paths)
      log(`using the seeded database kept in ${path.relative(ROOT, kept.dir)} (--fresh-seed seeds again)`)
      return { database, paths, seed: { ...kept.seed, reused: kept.dir }, prepare: { step: 'none: a kept copy, prepared when it was seeded', ms: 0 } }
    } catch (error) {
      log(`the kept seed could not be used (${error instanceof Error ? error.message.split('\n')[0] : String(error)}); seeding`)
    }
  }
  const database = await createBenchDatabase(kind, dir, postCount)
  const paths = benchPaths(dir, database.uri, postCount)
  log(`seeding ${postCount.toLocaleString('en-US')} posts into ${database.description}`)
  const seed: SeedFigures = await seedDatabase(paths, settings.seed)
  log(`seeded in ${(seed.processMs / 1000).toFixed(1)} s (${(seed.ms.posts / postCount).toFixed(2)} ms/post)`)
  const prepare = await database.prepareForReads()
  if (prepare.ms > 0) log(`${prepare.step}: ${(prepare.ms / 1000).toFixed(1)} s`)
  if (settings.seedCache.enabled) {
    await keepSeed(kind, postCount, { ...paths, serverUri: kind === 'postgres' ? postgresServerUri() : undefined }, seed).catch(
      (error: unknown) => log(`could not keep the seeded database: ${error instanceof Error ? error.message : String(error)}`),
    )
  }
  return { database, paths, seed, prepare }
}

/**
 * One start of each server, not timed: the first spawn after a build reads the bundle and Next's
 * output from disk, and whichever server came first would be timed on a cold file cache. Every timed
 * start after this one finds both warm (bench/coldStart.ts does the same before its turns).
 */
const warmFileCache = async (paths: BenchPaths) => {
  log('one untimed start of Greenroom and of stock Payload, so neither cold start is timed on a cold file cache')
  const greenroom = await startGreenroom(paths)
  await greenroom.stop()
  const stock = await startStock(paths).catch(() => undefined)
  await stock?.stop()
}

/** One database × post count: seed, serve, load, explain; then remove the database and its folder. */
const benchOne = async (kind: BenchDatabaseKind, postCount: number, settings: RunSettings): Promise<BenchResults> => {
  const sampler = loadAverageSampler()
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `greenroom-bench-${kind}-${postCount}-`))
  let database: BenchDatabase | undefined
  try {
    const seeded = await seededDatabase(kind, dir, postCount, settings)
    database = seeded.database
    const { paths, seed, prepare } = seeded
    const sizeBytes = await database.sizeBytes()
    await warmFileCache(paths)
    const greenroom = await benchGreenroom(paths, settings.load, settings.publishRates)
    const withoutStore = storeIsOn()
      ? await benchWithoutStore(paths, settings.load, greenroom.mixedSet, settings.publishRates)
      : undefined
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
      coldStartApiMs: greenroom.coldStartApiMs,
      load: compareAll(greenroom),
      loadWithoutStore: withoutStore?.loadWithoutStore,
      mixed: greenroom.mixed,
      uncached: withoutStore && withoutUnused(withoutStore),
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
        ...(withoutStore ? { 'Greenroom REST category list, one connection, store off': withoutStore.singleCategoryRequest } : {}),
        ...Object.fromEntries(
          UNCACHED_SCENARIOS.flatMap((scenario) =>
            withoutStore ? [[`ceiling of the store-off ${SCENARIO_LABELS[scenario]}`, withoutStore.ceiling[scenario]]] : [],
          ),
        ),
        ...(withoutStore ? { 'Greenroom REST category list, store off': withoutStore.load.category } : {}),
        ...(withoutStore && !('error' in withoutStore.stock)
          ? Object.fromEntries(Object.entries(withoutStore.stock.load).map(([scenario, load]) => [`stock Payload ${scenario}`, load!]))
          : {}),
        ...Object.fromEntries(
          [...greenroom.mixed.map((run) => ['store on', run] as const), ...(withoutStore?.mixed ?? []).map((run) => ['store off', run] as const)].map(
            ([store, run]) => [`mixed reads, ${run.publishesPerSecond} publishes/s, ${store}`, run.load],
          ),
        ),
      }),
      mixedFailures: [...greenroom.mixed, ...(withoutStore?.mixed ?? [])].flatMap((run) =>
        run.publishes && (run.publishes.failed > 0 || run.publishes.stale > 0)
          ? [
              `${run.publishesPerSecond} publishes/s: ${run.publishes.failed} failed publishes, ${run.publishes.stale} stale reads of ${run.publishes.freshnessChecks}: ${run.publishes.staleExamples.join('; ')}`,
            ]
          : [],
      ),
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
  const settings: RunSettings = {
    load: options.load,
    seed: options.seed,
    seedCache: options.seedCache,
    publishRates: options.publishRates,
  }
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
  const targets = formatTargets(cells, readBaselines(options.baselineDir))
  writeJson(path.join(RESULTS_DIR, 'latest.json'), { date, machine: machine(), options, cells, table, targets })
  console.log(`\n${table}\n\n${targets}\n`)
  log(`results written to ${path.relative(ROOT, RESULTS_DIR)}/ (latest.json and one file per run)`)
  // Figures from a run with failed requests are not figures: make CI notice.
  const failed = cells.filter(
    (cell) => 'error' in cell || cell.results.failures.length > 0 || (cell.results.mixedFailures ?? []).length > 0,
  )
  if (failed.length) process.exitCode = 1
}

main().catch((error: unknown) => {
  console.error(`\nThe benchmark failed: ${error instanceof Error ? error.message : String(error)}`)
  // Checks and set-up problems explain themselves; anything else gets its stack.
  const explained = error instanceof Error && ['BenchCheckError', 'BenchSetupError'].includes(error.name)
  if (!explained && error instanceof Error && error.stack) console.error(error.stack)
  process.exit(1)
})
