// Seeded databases kept between `npm run bench` runs: seeding 100,000 posts through the Local API takes
// 7-15 minutes on two cores, and the reads measured afterwards do not depend on who seeded them. A run
// reseeds only when what the seed is made of changed (the migrations, the seed code, the shared content,
// the locked dependencies) or when asked to (--fresh-seed, BENCH_FRESH_SEED=1; BENCH_SEED_CACHE=0 keeps
// nothing). Each run gets its own copy, so the mixed-read scenario's publishes never reach the cache.
//
// SQLite: the database file and the media folder, copied. PostgreSQL: a database kept on the server,
// copied with CREATE DATABASE … TEMPLATE (which needs no connection to the template), plus the media folder.
import crypto from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'

import { SCRATCH_DIR } from '../scripts/lib/bundle.mjs'
import { ROOT, SHARED_CONTENT_PATH } from './content'
import type { BenchDatabaseKind } from './database'
import { withClient } from './database'

/** What a seeded database is made of: a change to any of it makes the kept copies stale. */
const SEED_INPUTS = ['src/migrations', 'bench/seed.ts', 'bench/child/seed.ts', 'bench/amplify.ts', 'package-lock.json']

const CACHE_DIR = path.join(ROOT, SCRATCH_DIR, 'bench-seeds')

const filesOf = (entry: string): string[] => {
  const full = path.join(ROOT, entry)
  if (!fs.existsSync(full)) return []
  if (!fs.statSync(full).isDirectory()) return [entry]
  return fs.readdirSync(full).flatMap((child) => filesOf(path.join(entry, child)))
}

export const seedKey = (kind: BenchDatabaseKind, postCount: number) => {
  const hash = crypto.createHash('sha256').update(`${kind}\0${postCount}\0`)
  for (const file of SEED_INPUTS.flatMap(filesOf).sort()) hash.update(file).update('\0').update(fs.readFileSync(path.join(ROOT, file)))
  hash.update(fs.readFileSync(SHARED_CONTENT_PATH))
  return hash.digest('hex').slice(0, 16)
}

export type SeedCacheSettings = { enabled: boolean; fresh: boolean }

export type KeptSeed<T> = {
  /** Folder of the kept copy: seed.json (the seed's own timings), media/, bench.db (SQLite). */
  dir: string
  /** The PostgreSQL database kept on the server. */
  postgresTemplate?: string
  seed: T
}

const folderOf = (kind: BenchDatabaseKind, postCount: number) =>
  path.join(CACHE_DIR, `${kind}-${postCount}-${seedKey(kind, postCount)}`)

const templateNameOf = (postCount: number) => `greenroom_bench_seed_${postCount}_${seedKey('postgres', postCount)}`

/** The kept copy for this database and post count, if there is a current one. */
export const findKeptSeed = <T>(kind: BenchDatabaseKind, postCount: number): KeptSeed<T> | undefined => {
  const dir = folderOf(kind, postCount)
  const seedFile = path.join(dir, 'seed.json')
  if (!fs.existsSync(seedFile)) return undefined
  const seed = JSON.parse(fs.readFileSync(seedFile, 'utf8')) as T
  return kind === 'sqlite' ? { dir, seed } : { dir, seed, postgresTemplate: templateNameOf(postCount) }
}

const databaseNameOf = (uri: string) => decodeURIComponent(new URL(uri).pathname.slice(1))

/**
 * Keeps a freshly seeded (and prepared) database. The stale copies of the same database and post count
 * go: one kept copy per post count is what a 100,000-post database's disk space allows.
 */
export const keepSeed = async <T>(
  kind: BenchDatabaseKind,
  postCount: number,
  from: { databaseUri: string; mediaDir: string; serverUri?: string },
  seed: T,
) => {
  fs.mkdirSync(CACHE_DIR, { recursive: true })
  const dir = folderOf(kind, postCount)
  for (const stale of fs.readdirSync(CACHE_DIR).filter((name) => name.startsWith(`${kind}-${postCount}-`))) {
    fs.rmSync(path.join(CACHE_DIR, stale), { recursive: true, force: true })
  }
  const partial = `${dir}.partial`
  fs.rmSync(partial, { recursive: true, force: true })
  fs.mkdirSync(partial, { recursive: true })
  if (fs.existsSync(from.mediaDir)) fs.cpSync(from.mediaDir, path.join(partial, 'media'), { recursive: true })
  if (kind === 'sqlite') {
    const file = from.databaseUri.replace(/^file:/, '')
    fs.copyFileSync(file, path.join(partial, 'bench.db'))
    if (fs.existsSync(`${file}-wal`)) fs.copyFileSync(`${file}-wal`, path.join(partial, 'bench.db-wal'))
  } else {
    const template = templateNameOf(postCount)
    await withClient(from.serverUri!, async (client) => {
      const kept = await client.query(`SELECT datname FROM pg_database WHERE datname LIKE $1`, [`greenroom_bench_seed_${postCount}_%`])
      for (const { datname } of kept.rows as { datname: string }[]) await client.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`)
      await client.query(`CREATE DATABASE "${template}" TEMPLATE "${databaseNameOf(from.databaseUri)}"`)
    })
  }
  // Last: a copy without seed.json is never used.
  fs.writeFileSync(path.join(partial, 'seed.json'), JSON.stringify(seed, null, 2))
  fs.renameSync(partial, dir)
}

/** Copies the kept SQLite file and media into a run's folder (PostgreSQL copies at CREATE DATABASE). */
export const restoreSeed = (kept: KeptSeed<unknown>, to: { databaseUri: string; mediaDir: string }) => {
  const media = path.join(kept.dir, 'media')
  if (fs.existsSync(media)) fs.cpSync(media, to.mediaDir, { recursive: true })
  if (kept.postgresTemplate) return
  const file = to.databaseUri.replace(/^file:/, '')
  fs.copyFileSync(path.join(kept.dir, 'bench.db'), file)
  if (fs.existsSync(path.join(kept.dir, 'bench.db-wal'))) fs.copyFileSync(path.join(kept.dir, 'bench.db-wal'), `${file}-wal`)
}
