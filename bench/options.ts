// What `npm run bench` runs, from its flags and the environment (flags win):
//   --databases sqlite,postgres  (or --database, BENCH_DATABASE)   default sqlite
//   --posts 1000,100000          (or POST_COUNT)                    default 1000
//   --matrix                     (or BENCH_MATRIX=1)                sqlite,postgres × 1000,100000
//                                                                   for whatever the above leave unset
//   --large                      (or BENCH_LARGE=1)                 adds 100,000 posts to the post counts
//   --fresh-seed                 (or BENCH_FRESH_SEED=1)            seeds again instead of using a kept copy
//                                BENCH_SEED_CACHE=0                 neither uses nor keeps seeded copies
//                                BENCH_PUBLISH_RATES (0,1,5)        publishes/s of the mixed-read scenario
//                                BENCH_BASELINE (bench/results/before) the "before" figures the targets compare with
import path from 'node:path'

import { ROOT } from './content'
import type { BenchDatabaseKind } from './database'
import { BENCH_DATABASES, BenchSetupError } from './database'
import type { LoadSettings } from './load'
import { publishRates } from './mixed'
import type { SeedCacheSettings } from './seedCache'

export type BenchOptions = {
  databases: BenchDatabaseKind[]
  postCounts: number[]
  load: LoadSettings
  seed: { concurrency: number; batchSize: number }
  seedCache: SeedCacheSettings
  /** Publishes per second of the mixed-read scenario's runs. */
  publishRates: number[]
  /** Where the "before" figures are (<database>-<posts>.json). */
  baselineDir: string
}

const BARE_FLAGS = ['matrix', 'large', 'fresh-seed']
const FLAG_HELP = 'Use --databases sqlite,postgres, --posts 1000,100000, --matrix, --large or --fresh-seed.'
const isOn = (value: string | undefined) => value === '1' || value === 'true'

const MATRIX = { databases: ['sqlite', 'postgres'] as BenchDatabaseKind[], postCounts: [1000, 100_000] }

const fail = (message: string): never => {
  throw new BenchSetupError(message)
}

const list = (raw: string) =>
  raw
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '')

const parseDatabases = (raw: string, source: string): BenchDatabaseKind[] => {
  const databases = list(raw).map((item) => {
    const name = item.toLowerCase() === 'postgresql' ? 'postgres' : item.toLowerCase()
    return BENCH_DATABASES.includes(name as BenchDatabaseKind)
      ? (name as BenchDatabaseKind)
      : fail(`${source}: "${item}" is not one of ${BENCH_DATABASES.join(', ')}.`)
  })
  return databases.length ? [...new Set(databases)] : fail(`${source} names no database.`)
}

const parsePostCounts = (raw: string, source: string): number[] => {
  const counts = list(raw).map((item) => {
    // 100k and 100_000 read as they look.
    const value = Number(item.replace(/_/g, '').replace(/k$/i, '000'))
    return Number.isInteger(value) && value >= 10 ? value : fail(`${source}: "${item}" is not a post count (a whole number, at least 10).`)
  })
  return counts.length ? [...new Set(counts)] : fail(`${source} names no post count.`)
}

const numberFromEnv = (env: NodeJS.ProcessEnv, name: string, fallback: number) => {
  const raw = env[name]
  if (raw === undefined || raw === '') return fallback
  const value = Number(raw)
  return Number.isFinite(value) && value >= 0 ? value : fail(`${name}="${raw}" is not a non-negative number.`)
}

/** Reads `--name value`, `--name=value` and bare `--flag` arguments. */
const readFlags = (argv: string[]) => {
  const flags = new Map<string, string>()
  for (let k = 0; k < argv.length; k++) {
    const match = /^--([a-z-]+)(?:=(.*))?$/.exec(argv[k])
    if (!match) fail(`Unknown argument "${argv[k]}". ${FLAG_HELP}`)
    const [, name, inline] = match!
    // Before looking for a value: an unknown bare flag is a typo, not a flag missing its value.
    if (!['databases', 'database', 'posts', ...BARE_FLAGS].includes(name)) fail(`Unknown flag --${name}. ${FLAG_HELP}`)
    if (BARE_FLAGS.includes(name)) flags.set(name, inline ?? '1')
    else if (inline !== undefined) flags.set(name, inline)
    else if (k + 1 < argv.length && !argv[k + 1].startsWith('--')) flags.set(name, argv[++k])
    else fail(`--${name} needs a value.`)
  }
  return flags
}

export const parseBenchOptions = (argv: string[], env: NodeJS.ProcessEnv): BenchOptions => {
  const flags = readFlags(argv)
  const matrix = flags.has('matrix') ? flags.get('matrix') !== '0' : isOn(env.BENCH_MATRIX)

  const databasesFlag = flags.get('databases') ?? flags.get('database')
  const databases = databasesFlag
    ? parseDatabases(databasesFlag, '--databases')
    : env.BENCH_DATABASE
      ? parseDatabases(env.BENCH_DATABASE, 'BENCH_DATABASE')
      : matrix
        ? MATRIX.databases
        : ['sqlite' as const]

  const postsFlag = flags.get('posts')
  const asked = postsFlag
    ? parsePostCounts(postsFlag, '--posts')
    : env.POST_COUNT
      ? parsePostCounts(env.POST_COUNT, 'POST_COUNT')
      : matrix
        ? MATRIX.postCounts
        : [1000]
  // 100,000 posts take minutes to seed the first time (then the kept copy is used): only when asked.
  const large = flags.has('large') ? flags.get('large') !== '0' : isOn(env.BENCH_LARGE)
  const postCounts = large && !asked.includes(100_000) ? [...asked, 100_000] : asked

  return {
    databases,
    postCounts,
    load: {
      connections: numberFromEnv(env, 'BENCH_CONNECTIONS', 20),
      durationSeconds: numberFromEnv(env, 'BENCH_DURATION', 10),
      warmupSeconds: numberFromEnv(env, 'BENCH_WARMUP', 3),
      rounds: Math.max(1, Math.round(numberFromEnv(env, 'BENCH_ROUNDS', 5))),
    },
    seed: {
      concurrency: Math.max(1, numberFromEnv(env, 'BENCH_SEED_CONCURRENCY', 4)),
      batchSize: Math.max(1, numberFromEnv(env, 'BENCH_SEED_BATCH', 250)),
    },
    seedCache: {
      enabled: env.BENCH_SEED_CACHE !== '0',
      fresh: flags.has('fresh-seed') ? flags.get('fresh-seed') !== '0' : isOn(env.BENCH_FRESH_SEED),
    },
    publishRates: publishRates(env),
    baselineDir: path.resolve(ROOT, env.BENCH_BASELINE || path.join('bench', 'results', 'before')),
  }
}
