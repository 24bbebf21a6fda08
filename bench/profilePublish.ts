// `npm run bench:publish`: where the time of one publish goes. The mixed-read scenario's editor publishes a
// title change to a post (PATCH /api/posts/:id, as the admin panel sends it); each of those blocks the one
// Node thread that also serves every reader. This runs the same request in process through Payload's REST
// handler (what express hands it), on a copy of the seeded database `npm run bench` keeps, one at a time:
// - wall time of each hook of the collection and of every database call, by name, per publish;
// - a sampled CPU profile of a second series, self time by area and the costliest functions.
// One publish at a time: this is a profile, not a load test.
//
//   npm run bench:publish                   1,000 posts, 60 timed publishes, then a profile of 60
//   PROFILE_ROUNDS=30 npm run bench:publish
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { performance } from 'node:perf_hooks'

import type { ProfileArea } from './cpuProfile'
import { ENGINE_AREAS, REMAINING_AREAS, median, profileAndPrint } from './cpuProfile'

const postCount = Number(process.env.POST_COUNT || 1000)
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'greenroom-profile-publish-'))
Object.assign(process.env, {
  NODE_ENV: 'production',
  PAYLOAD_SECRET: 'profile-publish-secret-profile-publish-secret',
  DATABASE_URI: `file:${path.join(dir, 'bench.db')}`,
  MEDIA_DIR: path.join(dir, 'media'),
  SEED_DEMO_CONTENT: 'false',
  LOG_LEVEL: 'warn',
  JOBS_AUTORUN: 'false',
})

const { findKeptSeed, restoreSeed } = await import('./seedCache')
const kept = findKeptSeed('sqlite', postCount)
if (!kept) throw new Error(`no kept SQLite seed of ${postCount} posts: run \`npm run bench -- --posts ${postCount}\` once`)
restoreSeed(kept, { databaseUri: process.env.DATABASE_URI!, mediaDir: process.env.MEDIA_DIR! })

const { getPayload, handleEndpoints } = await import('payload')
const { default: configPromise } = await import('@payload-config')
const { BENCH_EDITOR_EMAIL, BENCH_EDITOR_PASSWORD } = await import('./seed')
const { PUBLISH_QUERY } = await import('./mixed')
const { closePayload } = await import('../src/db/closePayload')

const rounds = Number(process.env.PROFILE_ROUNDS || 60)
const config = await configPromise
const payload = await getPayload({ config })

/** Wall time by name, summed over a series: hooks and database calls, one publish at a time. */
const spent = new Map<string, number>()
const calls = new Map<string, number>()
const timed =
  <A extends unknown[], R>(name: string, fn: (...args: A) => R) =>
  async (...args: A) => {
    const started = performance.now()
    calls.set(name, (calls.get(name) ?? 0) + 1)
    try {
      return await fn(...args)
    } finally {
      spent.set(name, (spent.get(name) ?? 0) + performance.now() - started)
    }
  }

const collection = payload.collections.posts.config
const hooks = collection.hooks as unknown as Record<string, ((...args: unknown[]) => unknown)[]>
for (const [phase, list] of Object.entries(hooks)) {
  if (!Array.isArray(list)) continue
  hooks[phase] = list.map((hook, k) => timed(`hook ${phase} ${hook.name || `#${k}`}`, hook) as (...args: unknown[]) => unknown)
}
const db = payload.db as unknown as Record<string, unknown>
for (const method of ['find', 'findOne', 'create', 'updateOne', 'updateMany', 'createVersion', 'updateVersion', 'findVersions', 'deleteMany', 'deleteVersions', 'count', 'countVersions', 'queryDrafts', 'upsert', 'beginTransaction', 'commitTransaction']) {
  const original = db[method]
  if (typeof original !== 'function') continue
  db[method] = timed(`db.${method}`, (original as (...args: unknown[]) => unknown).bind(payload.db))
}

// Local API calls that hooks make inside the publish (the search plugin's, the audit log's), by collection.
const local = payload as unknown as Record<string, unknown>
for (const method of ['find', 'findByID', 'update', 'create', 'delete', 'count']) {
  const original = (local[method] as (options: { collection?: string }) => unknown).bind(payload)
  local[method] = (options: { collection?: string }) => timed(`payload.${method} ${options?.collection ?? ''}`, original)(options)
}

const { token } = await payload.login({ collection: 'users', data: { email: BENCH_EDITOR_EMAIL, password: BENCH_EDITOR_PASSWORD } })
const { docs } = await payload.find({ collection: 'posts', where: { slug: { equals: `post-${postCount - 1}` } }, limit: 1, depth: 0 })
const post = docs[0]!

let k = 0
const publish = async () => {
  const response = await handleEndpoints({
    config,
    request: new Request(`http://localhost/api/posts/${post.id}${PUBLISH_QUERY}`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json', authorization: `JWT ${token}` },
      body: JSON.stringify({ title: `${post.title}, profiled ${k++}`, _status: 'published' }),
    }),
  })
  const body = await response.text()
  if (response.status !== 200) throw new Error(`publish: ${response.status} ${body.slice(0, 300)}`)
}

const AREAS: ProfileArea[] = [
  ...ENGINE_AREAS,
  { name: 'Payload fields: beforeValidate/beforeChange/validate', test: (url) => /\/payload\/dist\/fields\/(hooks\/(beforeValidate|beforeChange|beforeDuplicate)|validations)/.test(url) },
  { name: 'Payload fields: afterRead', test: (url) => url.includes('/payload/dist/fields/hooks/afterRead/') },
  { name: 'Payload fields: afterChange', test: (url) => url.includes('/payload/dist/fields/hooks/afterChange/') },
  { name: 'Payload versions', test: (url) => url.includes('/payload/dist/versions/') },
  { name: 'Payload other', test: (url) => url.includes('/node_modules/payload/') },
  { name: 'Drizzle (@payloadcms/drizzle, drizzle-orm)', test: (url) => /\/(@payloadcms\/drizzle|drizzle-orm)\//.test(url) },
  { name: 'SQLite driver (libsql)', test: (url) => /\/(@libsql|libsql)\//.test(url) },
  { name: 'Lexical / rich text', test: (url) => /\/(@payloadcms\/richtext-lexical|lexical|@lexical)\//.test(url) },
  { name: 'Greenroom: src/auditLog', test: (url) => url.includes('/src/auditLog/') },
  { name: 'Greenroom: src/linkChecks', test: (url) => url.includes('/src/linkChecks/') },
  { name: 'Greenroom: src/changes', test: (url) => url.includes('/src/changes/') },
  ...REMAINING_AREAS,
]


try {
  for (let warm = 0; warm < 10; warm++) await publish()
  spent.clear()
  calls.clear()
  const wall: number[] = []
  const cpu: number[] = []
  for (let round = 0; round < rounds; round++) {
    const started = performance.now()
    const cpuStarted = process.cpuUsage()
    await publish()
    const used = process.cpuUsage(cpuStarted)
    wall.push(performance.now() - started)
    cpu.push((used.user + used.system) / 1000)
  }
  console.log(`\nOne publish at a time (PATCH /api/posts/:id${PUBLISH_QUERY}), ${rounds} rounds; load ${os.loadavg()[0].toFixed(2)}`)
  console.log(`  median ${median(wall).toFixed(2)} ms (CPU ${median(cpu).toFixed(2)} ms)`)
  console.log('\nWall time and calls per publish, by hook, database call and Local API call (nested: a hook includes the calls it makes):')
  for (const [name, ms] of [...spent].sort((a, b) => b[1] - a[1])) {
    console.log(`  ${name.padEnd(60)} ${(ms / rounds).toFixed(3).padStart(8)} ms  ${((calls.get(name) ?? 0) / rounds).toFixed(1).padStart(5)} calls`)
  }

  await profileAndPrint(
    async () => {
      for (let round = 0; round < rounds; round++) await publish()
    },
    { dir: os.tmpdir(), name: 'publish', areas: AREAS, operations: rounds, operation: 'publish', title: `${rounds} publishes`, topFunctions: 30 },
  )
} finally {
  await closePayload(payload)
  fs.rmSync(dir, { recursive: true, force: true })
}
