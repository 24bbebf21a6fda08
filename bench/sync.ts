// `npm run bench:sync`: what a static site's build costs through `/api/sync` (src/sync/), beside
// paging the same posts through `/api/posts` as builds do without it. Seeds a throw-away database
// with the shared bench content (../shared/bench/content.mjs, 10,000 posts by default) through the
// Local API, starts the production server on it with its response store off (every request runs
// Payload, as a build's first request for a URL does), and times, as one client:
//
//   - a full initial sync (`/api/sync?collections=posts&globals=&depth=1`, every page until
//     `hasMore: false`) at the default limit (100) and the largest (500), against paging
//     `/api/posts?depth=1&limit=100&page=N` (100 is the most a reader may ask for);
//   - an incremental sync after 10 edits (a child process saves them through the Local API), from the
//     cursor the last sync ended with, against the one `/api/posts` query a site without sync would
//     send for the same posts (`where[updatedAt][greater_than]=<last build>`), and against re-paging
//     every post, which is what such a site does to notice deletions.
//
// Runs on SQLite, and on PostgreSQL too when BENCH_POSTGRES_URI, TEST_POSTGRES_URI or a postgres://
// DATABASE_URI names a server (a database of its own is created there and dropped afterwards).
// Settings: POST_COUNT (10000), BENCH_ROUNDS (3 full walks of each kind, 5 incremental rounds),
// BENCH_DATABASE (sqlite,postgres or one of them), BENCH_KEEP=1 keeps the folder and database.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'

import { ensureProductionBuild } from '../scripts/lib/build.mjs'
import type { SeedChildResult } from './child/seed'
import { ROOT, loadSharedContent } from './content'
import type { BenchDatabase, BenchDatabaseKind } from './database'
import { createBenchDatabase } from './database'
import type { BenchPaths } from './processes'
import { benchPaths, payloadEnv, runChild, startGreenroom } from './processes'

const log = (message: string) => console.log(`[bench:sync] ${message}`)

const POSTS = Number(process.env.POST_COUNT || 10_000)
const ROUNDS = Math.max(1, Number(process.env.BENCH_ROUNDS || 3))
const INCREMENTAL_ROUNDS = Math.max(ROUNDS, 5)
const EDITS = 10
const DEPTH = 1
/** The most a reader may ask of `/api/posts` (API_MAX_LIMIT's default). */
const LIST_LIMIT = 100
const TARGETS = { fullMs: 10_000, incrementalMs: 100 }

type Json = Record<string, any>

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]
const elapsedMs = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e6

class BenchCheckError extends Error {}

const getJson = async (url: string): Promise<Json> => {
  const res = await fetch(url)
  const text = await res.text()
  if (res.status !== 200) throw new BenchCheckError(`GET ${url} answered ${res.status}: ${text.slice(0, 300)}`)
  return JSON.parse(text) as Json
}

type Walk = { ms: number; pages: number; ids: (number | string)[]; cursor?: string }

/** Every page of a sync from `cursor` (none: a full sync), as a build reads them. */
const walkSync = async (base: string, limit: number, cursor?: string): Promise<Walk> => {
  const ids: (number | string)[] = []
  let pages = 0
  const started = process.hrtime.bigint()
  for (;;) {
    const body = await getJson(
      `${base}/api/sync?collections=posts&globals=&depth=${DEPTH}&limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`,
    )
    pages += 1
    for (const change of body.changes as Json[]) ids.push(change.id)
    cursor = body.nextCursor as string
    if (!body.hasMore) return { ms: elapsedMs(started), pages, ids, cursor }
  }
}

/** Every published post through the REST list, page after page. */
const walkList = async (base: string): Promise<Walk> => {
  const ids: (number | string)[] = []
  let pages = 0
  const started = process.hrtime.bigint()
  for (let page = 1; ; page++) {
    const body = await getJson(`${base}/api/posts?depth=${DEPTH}&limit=${LIST_LIMIT}&page=${page}`)
    pages += 1
    for (const doc of body.docs as Json[]) ids.push(doc.id)
    if (!body.hasNextPage) return { ms: elapsedMs(started), pages, ids }
  }
}

const checkComplete = (what: string, walk: Walk, expected: number) => {
  const unique = new Set(walk.ids)
  if (walk.ids.length !== expected || unique.size !== expected) {
    throw new BenchCheckError(`${what} gave ${walk.ids.length} posts (${unique.size} distinct), not ${expected}`)
  }
}

type Measured = { ms: number; pages: number }
type SyncRun = {
  database: string
  posts: number
  full: { limit: number; sync: Measured; list: Measured }[]
  incremental: { sync: Measured; listQuery: Measured; listAll: Measured; editMs: number }
  loadAverage: number[]
}

const seed = async (paths: BenchPaths) => {
  const started = process.hrtime.bigint()
  const result = await runChild<SeedChildResult>('bench/child/seed.ts', path.join(paths.dir, 'seed.json'), payloadEnv(paths), (line) => {
    const progress = /^progress (\d+) (\d+)$/.exec(line)
    if (progress) log(`seeded ${Number(progress[1]).toLocaleString('en-US')} of ${Number(progress[2]).toLocaleString('en-US')} posts`)
  })
  log(`seeded in ${(elapsedMs(started) / 1000).toFixed(1)} s (${(result.seed.ms.posts / POSTS).toFixed(2)} ms/post)`)
}

const editPosts = async (paths: BenchPaths, ids: (number | string)[], round: number) => {
  const out = path.join(paths.dir, `edit-${round}.json`)
  const result = await runChild<{ edited: number; ms: number }>('bench/child/edit.ts', out, {
    ...payloadEnv(paths),
    BENCH_EDIT_IDS: ids.join(','),
    BENCH_EDIT_ROUND: String(round),
  })
  return result.ms
}

const benchOne = async (kind: BenchDatabaseKind): Promise<SyncRun> => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `greenroom-bench-sync-${kind}-`))
  let database: BenchDatabase | undefined
  const loads: number[] = []
  try {
    database = await createBenchDatabase(kind, dir, POSTS)
    const paths = benchPaths(dir, database.uri, POSTS)
    log(`seeding ${POSTS.toLocaleString('en-US')} posts into ${database.description}`)
    await seed(paths)
    const prepared = await database.prepareForReads()
    if (prepared.ms > 0) log(`${prepared.step}: ${(prepared.ms / 1000).toFixed(1)} s`)
    const server = await startGreenroom(paths, { API_RESPONSE_CACHE_MB: '0' })
    try {
      const base = server.url
      log('warm-up: one full sync and one walk of the list')
      checkComplete('the warm-up sync', await walkSync(base, 100), POSTS)
      checkComplete('the warm-up list walk', await walkList(base), POSTS)

      const full: SyncRun['full'] = []
      for (const limit of [100, 500]) {
        const sync: Walk[] = []
        const list: Walk[] = []
        for (let round = 0; round < ROUNDS; round++) {
          // By turns, so the shared machine's drift falls on both alike.
          const synced = await walkSync(base, limit)
          checkComplete(`the full sync (limit ${limit})`, synced, POSTS)
          sync.push(synced)
          const listed = await walkList(base)
          checkComplete('the list walk', listed, POSTS)
          list.push(listed)
          loads.push(os.loadavg()[0])
          log(`full sync, limit ${limit}, round ${round + 1}: ${synced.ms.toFixed(0)} ms (${synced.pages} pages); /api/posts ${listed.ms.toFixed(0)} ms (${listed.pages} pages)`)
        }
        full.push({
          limit,
          sync: { ms: median(sync.map((walk) => walk.ms)), pages: sync[0].pages },
          list: { ms: median(list.map((walk) => walk.ms)), pages: list[0].pages },
        })
      }

      // Incremental: each round edits 10 posts and syncs from where the last sync ended.
      let cursor = (await walkSync(base, 100)).cursor!
      const listIds = (await walkList(base)).ids
      const syncMs: number[] = []
      const queryMs: number[] = []
      const listAllMs: number[] = []
      const editMs: number[] = []
      for (let round = 0; round < INCREMENTAL_ROUNDS; round++) {
        const ids = Array.from({ length: EDITS }, (_, k) => listIds[(round * 997 + k * 89) % listIds.length])
        const since = new Date().toISOString()
        editMs.push(await editPosts(paths, ids, round))
        const delta = await walkSync(base, 100, cursor)
        if ([...new Set(delta.ids)].sort().join() !== [...new Set(ids)].sort().join()) {
          throw new BenchCheckError(`the incremental sync gave posts ${delta.ids.join(',')}, not the edited ${ids.join(',')}`)
        }
        cursor = delta.cursor!
        syncMs.push(delta.ms)
        const started = process.hrtime.bigint()
        const changed = await getJson(
          `${base}/api/posts?depth=${DEPTH}&limit=${LIST_LIMIT}&where[updatedAt][greater_than]=${encodeURIComponent(since)}`,
        )
        queryMs.push(elapsedMs(started))
        if (changed.docs.length !== EDITS) throw new BenchCheckError(`/api/posts found ${changed.docs.length} edited posts, not ${EDITS}`)
        if (round < ROUNDS) listAllMs.push((await walkList(base)).ms)
        loads.push(os.loadavg()[0])
        log(`incremental, round ${round + 1}: sync ${delta.ms.toFixed(1)} ms, /api/posts query ${queryMs.at(-1)!.toFixed(1)} ms`)
      }
      return {
        database: kind,
        posts: POSTS,
        full,
        incremental: {
          sync: { ms: median(syncMs), pages: 1 },
          listQuery: { ms: median(queryMs), pages: 1 },
          listAll: { ms: median(listAllMs), pages: Math.ceil(POSTS / LIST_LIMIT) },
          editMs: median(editMs),
        },
        loadAverage: loads,
      }
    } catch (error) {
      console.error(`Server output so far:\n${server.output()}`)
      throw error
    } finally {
      await server.stop()
    }
  } finally {
    if (process.env.BENCH_KEEP === '1') log(`kept ${dir}${database?.kind === 'postgres' ? ` and ${database.description}` : ''}`)
    else {
      fs.rmSync(dir, { recursive: true, force: true })
      await database?.drop().catch((error: unknown) => log(`could not drop ${database?.description}: ${String(error)}`))
    }
  }
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`
const millis = (ms: number) => `${ms.toFixed(1)} ms`
const ratio = (ours: number, theirs: number) => `${(ours / theirs).toFixed(2)}×`
const verdict = (ms: number, target: number) => (ms < target ? 'met' : 'MISSED')

const table = (runs: SyncRun[]) => {
  const lines = [
    `Sync of ${POSTS.toLocaleString('en-US')} posts, depth ${DEPTH}, one client, response store off; medians of ${ROUNDS} full and ${INCREMENTAL_ROUNDS} incremental rounds (${os.cpus().length} cores, load ${runs.flatMap((run) => run.loadAverage).map((load) => load.toFixed(1)).join('/')})`,
    '',
    '| database | measure | /api/sync | /api/posts | sync / posts | target |',
    '|---|---|---|---|---|---|',
  ]
  for (const run of runs) {
    for (const { limit, sync, list } of run.full) {
      lines.push(
        `| ${run.database} | full initial sync, limit ${limit} | ${seconds(sync.ms)} (${sync.pages} pages) | ${seconds(list.ms)} (${list.pages} pages of ${LIST_LIMIT}) | ${ratio(sync.ms, list.ms)} | < 10 s: ${verdict(sync.ms, TARGETS.fullMs)} |`,
      )
    }
    const { sync, listQuery, listAll } = run.incremental
    lines.push(
      `| ${run.database} | incremental sync after ${EDITS} edits | ${millis(sync.ms)} (1 page) | ${millis(listQuery.ms)} (\`where[updatedAt][greater_than]\`, 1 page; sees no deletions) | ${ratio(sync.ms, listQuery.ms)} | < 100 ms: ${verdict(sync.ms, TARGETS.incrementalMs)} |`,
      `| ${run.database} | incremental sync after ${EDITS} edits, against re-paging every post | ${millis(sync.ms)} | ${seconds(listAll.ms)} (${listAll.pages} pages) | ${ratio(sync.ms, listAll.ms)} | |`,
    )
  }
  return lines.join('\n')
}

const databasesToRun = (): BenchDatabaseKind[] => {
  const postgresUri =
    process.env.BENCH_POSTGRES_URI || process.env.TEST_POSTGRES_URI || (/^postgres(ql)?:\/\//.test(process.env.DATABASE_URI ?? '') ? process.env.DATABASE_URI : undefined)
  if (postgresUri) process.env.BENCH_POSTGRES_URI = postgresUri
  const asked = process.env.BENCH_DATABASE?.split(',').map((kind) => kind.trim()).filter(Boolean)
  if (asked?.length) {
    for (const kind of asked) if (kind !== 'sqlite' && kind !== 'postgres') throw new BenchCheckError(`BENCH_DATABASE: unknown database "${kind}"`)
    if (asked.includes('postgres') && !postgresUri) throw new BenchCheckError('BENCH_DATABASE=postgres needs BENCH_POSTGRES_URI, TEST_POSTGRES_URI or a postgres:// DATABASE_URI')
    return asked as BenchDatabaseKind[]
  }
  return postgresUri ? ['sqlite', 'postgres'] : ['sqlite']
}

const main = async () => {
  await loadSharedContent()
  const databases = databasesToRun()
  // The server reads its database from the bench's paths, never from the caller's DATABASE_URI.
  delete process.env.DATABASE_URI
  await ensureProductionBuild(ROOT, log)
  const runs: SyncRun[] = []
  for (const kind of databases) runs.push(await benchOne(kind))
  const results = path.join(ROOT, 'bench', 'results', 'sync.json')
  fs.mkdirSync(path.dirname(results), { recursive: true })
  fs.writeFileSync(results, `${JSON.stringify({ date: new Date().toISOString(), runs }, null, 2)}\n`)
  console.log(`\n${table(runs)}\n`)
  log(`results written to ${path.relative(ROOT, results)}`)
}

main().catch((error: unknown) => {
  console.error(`\nThe sync benchmark failed: ${error instanceof Error ? error.message : String(error)}`)
  if (!(error instanceof BenchCheckError) && error instanceof Error && error.stack) console.error(error.stack)
  process.exitCode = 1
})
