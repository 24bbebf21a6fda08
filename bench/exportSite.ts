// `npm run bench:export`: what `npm run export:site` costs. Seeds a throw-away SQLite database with
// the shared bench content (../shared/bench/content.mjs) at each post count, then times, each in a
// process of its own (peak RSS is that process's): a full export, a second run with nothing changed,
// and a run after one post was edited, for each format. BENCH_SEED_POSTS (1,000) are seeded through
// Payload and the rest copied in SQL (./amplify.ts). Settings: POST_COUNTS (1000,100000),
// BENCH_FORMATS (json,markdown), BENCH_SEED_POSTS, BENCH_KEEP=1 keeps the folders.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'

import type { SiteExportSummary } from '../src/siteExport/export'
import { loadSharedContent } from './content'
import { createBenchDatabase } from './database'
import type { BenchPaths } from './processes'
import { benchPaths, payloadEnv, runChild } from './processes'

const log = (message: string) => console.log(`[bench:export] ${message}`)
const COUNTS = (process.env.POST_COUNTS || '1000,100000').split(',').map(Number)
const FORMATS = (process.env.BENCH_FORMATS || 'json,markdown').split(',')
/** Posts seeded through Payload; more are copies made in SQL (see ./amplify.ts). */
const SEED_POSTS = Number(process.env.BENCH_SEED_POSTS || 1000)

type Run = { summary: SiteExportSummary; ms: number; maxRssMb: number }
type Row = { posts: number; format: string; run: string; result: Run }

const exportOnce = (paths: BenchPaths, format: string, out: string, name: string) =>
  runChild<Run>('bench/child/exportSite.ts', path.join(paths.dir, `${name}.json`), {
    ...payloadEnv(paths),
    BENCH_EXPORT_FORMAT: format,
    BENCH_EXPORT_DIR: out,
  })

const benchCount = async (posts: number, rows: Row[]) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'greenroom-bench-export-'))
  try {
    const database = await createBenchDatabase('sqlite', dir, posts)
    const paths = benchPaths(dir, database.uri, posts)
    log(`seeding ${Math.min(posts, SEED_POSTS).toLocaleString('en-US')} posts through Payload, copying the rest in SQL`)
    const seedStarted = Date.now()
    await runChild('bench/child/seed.ts', path.join(dir, 'seed.json'), { ...payloadEnv(paths), BENCH_SEED_POSTS: String(SEED_POSTS) })
    log(`seeded in ${((Date.now() - seedStarted) / 1000).toFixed(1)} s`)
    for (const format of FORMATS) {
      const out = path.join(dir, `export-${format}`)
      const record = (run: string, result: Run) => {
        rows.push({ posts, format, run, result })
        const { summary } = result
        log(`${posts} posts, ${format}, ${run}: ${(result.ms / 1000).toFixed(2)} s, ${summary.written} written, ${summary.unchanged} unchanged, ${summary.removed} removed, ${summary.files} files, ${(summary.totalBytes / 1e6).toFixed(1)} MB, RSS ${result.maxRssMb.toFixed(0)} MB`)
      }
      record('full', await exportOnce(paths, format, out, `${format}-full`))
      record('no change', await exportOnce(paths, format, out, `${format}-again`))
      const edited = await runChild<{ ms: number }>('bench/child/edit.ts', path.join(dir, `${format}-edit.json`), {
        ...payloadEnv(paths),
        BENCH_EDIT_IDS: String(Math.ceil(posts / 2)),
        BENCH_EDIT_ROUND: format,
      })
      void edited
      record('one post edited', await exportOnce(paths, format, out, `${format}-one`))
    }
  } finally {
    if (process.env.BENCH_KEEP === '1') log(`kept ${dir}`)
    else fs.rmSync(dir, { recursive: true, force: true })
  }
}

const main = async () => {
  await loadSharedContent()
  const rows: Row[] = []
  for (const posts of COUNTS) await benchCount(posts, rows)
  console.log('\n| posts | format | run | time | files written / unchanged / removed | files | size | peak RSS |')
  console.log('|---|---|---|---|---|---|---|---|')
  for (const { posts, format, run, result } of rows) {
    const { summary } = result
    console.log(
      `| ${posts.toLocaleString('en-US')} | ${format} | ${run} (${summary.mode}) | ${(result.ms / 1000).toFixed(2)} s | ${summary.written} / ${summary.unchanged} / ${summary.removed} | ${summary.files.toLocaleString('en-US')} | ${(summary.totalBytes / 1e6).toFixed(1)} MB | ${result.maxRssMb.toFixed(0)} MB |`,
    )
  }
}

await main()
