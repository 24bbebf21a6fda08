// `npm run bench:sitemap`: what the sitemap and the feeds (src/siteOutputs/) cost at 1,000 and 100,000
// published posts, on a throw-away SQLite database and the production server with its response store
// on (the default). For each post count it prints the sitemap's total bytes and number of files (the
// index and its files, or the one file), the time to first byte and the total time of fetching all of
// them cold (the first request after a change: every file made by Payload) and stored (asked again:
// answered from the response store), and the same for the three feeds.
//
// Seeding: the first BENCH_PAYLOAD_POSTS (1,000) posts go through Payload's Local API with the shared
// bench content (../shared/bench/content.mjs), as every benchmark here seeds; the rest are copies of
// those rows made by SQL (posts, their translations and relationships, each with its own slug and an
// older publish date), since 100,000 posts through the Local API take 10-20 minutes on two cores and
// the sitemap reads only what the copies have (slug, dates, status). Versions and search rows are not
// copied: the public reads neither. Settings: POST_COUNT (1000,100000), BENCH_PAYLOAD_POSTS,
// SITEMAP_MAX_URLS (the server's default), BENCH_ROUNDS (3: medians), BENCH_KEEP=1.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'

import { createClient } from '@libsql/client'

import { ensureProductionBuild } from '../scripts/lib/build.mjs'
import type { SeedChildResult } from './child/seed'
import { ROOT, loadSharedContent } from './content'
import type { BenchPaths } from './processes'
import { benchPaths, payloadEnv, runChild, startGreenroom } from './processes'

const log = (message: string) => console.log(`[bench:sitemap] ${message}`)

const COUNTS = (process.env.POST_COUNT || '1000,100000').split(',').map((count) => Number(count.replace(/k$/i, '000')))
const PAYLOAD_POSTS = Number(process.env.BENCH_PAYLOAD_POSTS || 1000)
const ROUNDS = Math.max(1, Number(process.env.BENCH_ROUNDS || 3))
const FEEDS = ['/feed.xml', '/atom.xml', '/feed.json']

class BenchCheckError extends Error {}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]
const elapsedMs = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e6

type Fetched = { bytes: number; ttfbMs: number; totalMs: number; text: string; cacheStatus: string | null }

/** One GET, timed to its headers (first byte) and to its last byte. */
const timedGet = async (url: string): Promise<Fetched> => {
  const started = process.hrtime.bigint()
  const res = await fetch(url)
  const ttfbMs = elapsedMs(started)
  const text = await res.text()
  const totalMs = elapsedMs(started)
  if (res.status !== 200) throw new BenchCheckError(`GET ${url} answered ${res.status}: ${text.slice(0, 300)}`)
  return { bytes: Buffer.byteLength(text), ttfbMs, totalMs, text, cacheStatus: res.headers.get('cache-status') }
}

type SitemapPass = { files: number; bytes: number; urls: number; ttfbMs: number; totalMs: number; largestFileMs: number; largestFileBytes: number }

/** /sitemap.xml and, when it is an index, every file it lists, one after another as a crawler reads them. */
const fetchSitemap = async (base: string): Promise<SitemapPass> => {
  const started = process.hrtime.bigint()
  const first = await timedGet(`${base}/sitemap.xml`)
  const pass = { files: 1, bytes: first.bytes, urls: 0, ttfbMs: first.ttfbMs, totalMs: 0, largestFileMs: first.totalMs, largestFileBytes: first.bytes }
  const children = [...first.text.matchAll(/<sitemap><loc>([^<]+)<\/loc>/g)].map((match) => new URL(match[1]).pathname)
  if (children.length === 0) pass.urls = (first.text.match(/<url>/g) ?? []).length
  for (const child of children) {
    const file = await timedGet(`${base}${child}`)
    pass.files += 1
    pass.bytes += file.bytes
    pass.urls += (file.text.match(/<url>/g) ?? []).length
    if (file.totalMs > pass.largestFileMs) pass.largestFileMs = file.totalMs
    if (file.bytes > pass.largestFileBytes) pass.largestFileBytes = file.bytes
  }
  pass.totalMs = elapsedMs(started)
  return pass
}

const seedThroughPayload = async (paths: BenchPaths) => {
  const started = process.hrtime.bigint()
  await runChild<SeedChildResult>('bench/child/seed.ts', path.join(paths.dir, 'seed.json'), payloadEnv(paths), (line) => {
    const progress = /^progress (\d+) (\d+)$/.exec(line)
    if (progress) log(`seeded ${progress[1]} of ${progress[2]} posts through Payload`)
  })
  return elapsedMs(started)
}

/**
 * Copies of the seeded posts, `copies` times over: each copy k gets id + k × (largest id), the slug
 * `<slug>-k` and a publish date k days earlier, with its rows in posts_locales and posts_rels.
 */
const copyPosts = async (databaseUri: string, copies: number) => {
  const client = createClient({ url: databaseUri })
  const started = process.hrtime.bigint()
  try {
    const columns = async (table: string) =>
      (await client.execute(`PRAGMA table_info(${table})`)).rows.map((row) => String(row.name))
    const step = Number((await client.execute('SELECT max(id) AS id FROM posts')).rows[0].id)
    const postColumns = (await columns('posts')).filter((name) => name !== 'id')
    const localeColumns = (await columns('posts_locales')).filter((name) => name !== 'id')
    const relColumns = (await columns('posts_rels')).filter((name) => name !== 'id')
    const quoted = (names: string[]) => names.map((name) => `"${name}"`).join(', ')
    const postValues = postColumns
      .map((name) =>
        name === 'slug'
          ? `slug || '-' || k.n`
          : name === 'published_at'
            ? `strftime('%Y-%m-%dT%H:%M:%fZ', published_at, '-' || k.n || ' days')`
            : `"${name}"`,
      )
      .join(', ')
    const shifted = (names: string[], parent: string) =>
      names.map((name) => (name === parent ? `"${name}" + k.n * ${step}` : `"${name}"`)).join(', ')
    const numbers = `WITH RECURSIVE k(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM k WHERE n < ${copies})`
    await client.batch(
      [
        `${numbers} INSERT INTO posts (id, ${quoted(postColumns)}) SELECT id + k.n * ${step}, ${postValues} FROM posts, k WHERE posts.id <= ${step}`,
        `${numbers} INSERT INTO posts_locales (${quoted(localeColumns)}) SELECT ${shifted(localeColumns, '_parent_id')} FROM posts_locales, k WHERE _parent_id <= ${step}`,
        `${numbers} INSERT INTO posts_rels (${quoted(relColumns)}) SELECT ${shifted(relColumns, 'parent_id')} FROM posts_rels, k WHERE parent_id <= ${step}`,
      ],
      'write',
    )
    const total = Number((await client.execute("SELECT count(*) AS n FROM posts WHERE _status = 'published'")).rows[0].n)
    return { ms: elapsedMs(started), total }
  } finally {
    client.close()
  }
}

type Run = {
  posts: number
  seed: { payloadPosts: number; payloadMs: number; copiedMs: number }
  sitemap: { cold: SitemapPass; stored: SitemapPass }
  feeds: { path: string; bytes: number; coldMs: number; storedMs: number }[]
  loadAverage: number[]
}

const benchOne = async (posts: number): Promise<Run> => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `greenroom-bench-sitemap-${posts}-`))
  const loads: number[] = []
  try {
    const payloadPosts = Math.min(posts, PAYLOAD_POSTS)
    if (posts % payloadPosts !== 0) throw new BenchCheckError(`POST_COUNT ${posts} must be a multiple of BENCH_PAYLOAD_POSTS ${payloadPosts}`)
    const paths = benchPaths(dir, `file:${path.join(dir, 'bench.db')}`, payloadPosts)
    log(`seeding ${payloadPosts.toLocaleString('en-US')} posts through Payload`)
    const payloadMs = await seedThroughPayload(paths)
    let copiedMs = 0
    if (posts > payloadPosts) {
      const copied = await copyPosts(paths.databaseUri, posts / payloadPosts - 1)
      if (copied.total !== posts) throw new BenchCheckError(`the database holds ${copied.total} published posts, not ${posts}`)
      copiedMs = copied.ms
      log(`copied to ${copied.total.toLocaleString('en-US')} posts by SQL in ${(copiedMs / 1000).toFixed(1)} s`)
    }
    const server = await startGreenroom({ ...paths, postCount: posts })
    try {
      const base = server.url
      const cold: SitemapPass[] = []
      const stored: SitemapPass[] = []
      const feedCold: Record<string, number[]> = {}
      const feedStored: Record<string, number[]> = {}
      const feedBytes: Record<string, number> = {}
      for (let round = 0; round < ROUNDS; round++) {
        // A change retires every stored answer: the next pass is cold, the one after it stored.
        await touchContent(paths, round)
        const made = await fetchSitemap(base)
        const kept = await fetchSitemap(base)
        const expectedUrls = posts * 2
        if (made.urls !== expectedUrls) throw new BenchCheckError(`the sitemap lists ${made.urls} URLs, not ${expectedUrls}`)
        cold.push(made)
        stored.push(kept)
        for (const feed of FEEDS) {
          const first = await timedGet(`${base}${feed}`)
          const again = await timedGet(`${base}${feed}`)
          if (again.cacheStatus !== 'greenroom; hit') throw new BenchCheckError(`${feed} asked again was not a stored answer (${again.cacheStatus})`)
          ;(feedCold[feed] ??= []).push(first.totalMs)
          ;(feedStored[feed] ??= []).push(again.totalMs)
          feedBytes[feed] = first.bytes
        }
        loads.push(os.loadavg()[0])
        log(
          `round ${round + 1}: sitemap ${made.files} files, ${(made.bytes / 1e6).toFixed(2)} MB, cold ${made.totalMs.toFixed(0)} ms (first byte ${made.ttfbMs.toFixed(0)} ms), stored ${kept.totalMs.toFixed(0)} ms`,
        )
      }
      const pick = (passes: SitemapPass[]) => {
        const byTotal = [...passes].sort((a, b) => a.totalMs - b.totalMs)
        return { ...byTotal[Math.floor(byTotal.length / 2)], ttfbMs: median(passes.map((pass) => pass.ttfbMs)) }
      }
      return {
        posts,
        seed: { payloadPosts, payloadMs, copiedMs },
        sitemap: { cold: pick(cold), stored: pick(stored) },
        feeds: FEEDS.map((feed) => ({ path: feed, bytes: feedBytes[feed], coldMs: median(feedCold[feed]), storedMs: median(feedStored[feed]) })),
        loadAverage: loads,
      }
    } catch (error) {
      console.error(`Server output so far:\n${server.output()}`)
      throw error
    } finally {
      await server.stop()
    }
  } finally {
    if (process.env.BENCH_KEEP === '1') log(`kept ${dir}`)
    else fs.rmSync(dir, { recursive: true, force: true })
  }
}

/** Moves the content version (a save of the site settings' description), so the response store holds nothing. */
const touchContent = async (paths: BenchPaths, round: number) => {
  if (round === 0) return
  await runChild('bench/child/touchSettings.ts', path.join(paths.dir, `touch-${round}.json`), {
    ...payloadEnv(paths),
    BENCH_TOUCH_ROUND: String(round),
  })
}

const mb = (bytes: number) => `${(bytes / 1e6).toFixed(2)} MB`
const ms = (value: number) => (value >= 1000 ? `${(value / 1000).toFixed(2)} s` : `${value.toFixed(1)} ms`)

const table = (runs: Run[]) => {
  const lines = [
    `Sitemap and feeds, SQLite, one client, response store on; medians of ${ROUNDS} rounds (${os.cpus().length} cores, load ${runs.flatMap((run) => run.loadAverage).map((load) => load.toFixed(1)).join('/')})`,
    '',
    '| posts | sitemap files | URLs | total bytes | largest file | cold: first byte / all files | stored: first byte / all files |',
    '|---|---|---|---|---|---|---|',
  ]
  for (const { posts, sitemap } of runs) {
    lines.push(
      `| ${posts.toLocaleString('en-US')} | ${sitemap.cold.files} | ${sitemap.cold.urls.toLocaleString('en-US')} | ${mb(sitemap.cold.bytes)} | ${mb(sitemap.cold.largestFileBytes)} (${ms(sitemap.cold.largestFileMs)} cold) | ${ms(sitemap.cold.ttfbMs)} / ${ms(sitemap.cold.totalMs)} | ${ms(sitemap.stored.ttfbMs)} / ${ms(sitemap.stored.totalMs)} |`,
    )
  }
  lines.push('', '| posts | feed | bytes | cold | stored |', '|---|---|---|---|---|')
  for (const { posts, feeds } of runs) {
    for (const feed of feeds) lines.push(`| ${posts.toLocaleString('en-US')} | ${feed.path} | ${feed.bytes.toLocaleString('en-US')} | ${ms(feed.coldMs)} | ${ms(feed.storedMs)} |`)
  }
  lines.push('', '| posts | seeded through Payload | copied by SQL |', '|---|---|---|')
  for (const { posts, seed } of runs) {
    lines.push(`| ${posts.toLocaleString('en-US')} | ${seed.payloadPosts.toLocaleString('en-US')} in ${ms(seed.payloadMs)} | ${seed.copiedMs ? ms(seed.copiedMs) : '-'} |`)
  }
  return lines.join('\n')
}

const main = async () => {
  await loadSharedContent()
  delete process.env.DATABASE_URI
  await ensureProductionBuild(ROOT, log)
  const runs: Run[] = []
  for (const posts of COUNTS) runs.push(await benchOne(posts))
  const results = path.join(ROOT, 'bench', 'results', 'sitemap.json')
  fs.mkdirSync(path.dirname(results), { recursive: true })
  fs.writeFileSync(results, `${JSON.stringify({ date: new Date().toISOString(), runs }, null, 2)}\n`)
  console.log(`\n${table(runs)}\n`)
  log(`results written to ${path.relative(ROOT, results)}`)
}

main().catch((error: unknown) => {
  console.error(`\nThe sitemap benchmark failed: ${error instanceof Error ? error.message : String(error)}`)
  if (!(error instanceof BenchCheckError) && error instanceof Error && error.stack) console.error(error.stack)
  process.exitCode = 1
})
