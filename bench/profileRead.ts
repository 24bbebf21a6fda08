// `npm run bench:read`: where the time of an uncached read goes. Runs the benchmarked reads (the post
// list `/api/posts?limit=10&depth=1`, the find by slug and the GraphQL list) as an anonymous reader, in
// this process and without the response store: the Local API list, and Payload's own REST and GraphQL
// handlers given Web Requests (what express hands them, without the socket). Times each, interleaved
// round by round so the shared machine's load falls on all alike, then profiles a second series with
// V8's sampling profiler and prints self time by area (Payload's afterRead traversal, population, Lexical,
// Drizzle, row conversion, the SQLite driver, GC, Greenroom's own code) and the costliest functions.
// One request at a time: this is a profile, not a load test (`npm run bench` is that).
//
//   npm run bench:read                          1,000 posts, 150 timed rounds, then a profile of 100
//   PROFILE_ROUNDS=50 npm run bench:read        fewer rounds
//   PROFILE_DIR=/tmp/x npm run bench:read       where the seeded database is kept (reused when present)
//   POST_COUNT=200 npm run bench:read
//
// The seeded database is kept in PROFILE_DIR (default: the system temp folder) and reused by later runs
// with the same post count, so a before/after comparison reads the same rows; the .cpuprofile file is
// written there too (open it in Chrome's DevTools or speedscope).
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'

import type { ProfileArea } from './cpuProfile'
import { ENGINE_AREAS, REMAINING_AREAS, median, percentile, profileAndPrint } from './cpuProfile'

const postCount = Number(process.env.POST_COUNT || 1000)
const dir = process.env.PROFILE_DIR || path.join(os.tmpdir(), `greenroom-profile-read-${postCount}`)
fs.mkdirSync(dir, { recursive: true })
const seededMarker = path.join(dir, 'seeded')
Object.assign(process.env, {
  NODE_ENV: 'production',
  PAYLOAD_SECRET: 'profile-read-secret-profile-read-secret',
  DATABASE_URI: `file:${path.join(dir, 'bench.db')}`,
  MEDIA_DIR: path.join(dir, 'media'),
  SEED_DEMO_CONTENT: 'false',
  LOG_LEVEL: 'warn',
  JOBS_AUTORUN: 'false',
  // No response store: every read runs Payload.
  API_RESPONSE_CACHE_MB: '0',
})

const { getPayload, handleEndpoints } = await import('payload')
const { GRAPHQL_POST } = await import('@payloadcms/next/routes')
const { default: configPromise } = await import('@payload-config')
const { loadSharedContent } = await import('./content')
const { seedBenchContent } = await import('./seed')
const { GRAPHQL_QUERY, LIST_PATH, slugPath } = await import('./verify')
const { closePayload } = await import('../src/db/closePayload')
const { sqlProbe } = await import('./sqlProbe')

const rounds = Number(process.env.PROFILE_ROUNDS || 150)
const profileRounds = Number(process.env.PROFILE_SAMPLED_ROUNDS || Math.ceil(rounds * 0.66))
const config = await configPromise
const payload = await getPayload({ config })
const graphql = GRAPHQL_POST(config)

type Scenario = { name: string; run: () => Promise<number> }

const rest = (pathAndQuery: string) => async () => {
  const response = await handleEndpoints({ config, request: new Request(`http://localhost${pathAndQuery}`) })
  const body = await response.text()
  if (response.status !== 200) throw new Error(`${pathAndQuery}: ${response.status} ${body.slice(0, 200)}`)
  return body.length
}

const SCENARIOS: Scenario[] = [
  {
    name: 'Local API list (limit 10, depth 1)',
    run: async () => {
      const result = await payload.find({ collection: 'posts', limit: 10, depth: 1, overrideAccess: false, draft: false })
      return JSON.stringify(result).length
    },
  },
  { name: `REST ${LIST_PATH}`, run: rest(LIST_PATH) },
  { name: 'REST find by slug (depth 1)', run: rest(slugPath(postCount)) },
  {
    name: 'GraphQL list',
    run: async () => {
      const response = await graphql(
        new Request('http://localhost/api/graphql', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ query: GRAPHQL_QUERY }),
        }),
      )
      const body = await response.text()
      if (response.status !== 200 || body.includes('"errors"')) throw new Error(`GraphQL: ${response.status} ${body.slice(0, 300)}`)
      return body.length
    },
  },
]

// Self time by area, from each sampled function's script URL.
const AREAS: ProfileArea[] = [
  ...ENGINE_AREAS,
  { name: 'Payload afterRead traversal', test: (url) => url.includes('/payload/dist/fields/hooks/afterRead/') },
  { name: 'Payload population (dataloader)', test: (url) => url.includes('/payload/dist/collections/dataloader') },
  { name: 'Payload access / where / select', test: (url) => /\/payload\/dist\/(auth|database|utilities\/(combineQueries|sanitize|getSelect))/.test(url) },
  { name: 'Payload other', test: (url) => url.includes('/node_modules/payload/') },
  { name: 'Drizzle: row conversion (transform/read)', test: (url) => url.includes('/@payloadcms/drizzle/dist/transform/') },
  { name: 'Drizzle: building queries (@payloadcms/drizzle)', test: (url) => url.includes('/@payloadcms/drizzle/') },
  { name: 'Drizzle: SQL text (drizzle-orm)', test: (url) => url.includes('/drizzle-orm/') },
  { name: 'SQLite driver (libsql)', test: (url) => /\/(@libsql|libsql)\//.test(url) },
  { name: 'GraphQL (graphql-js, @payloadcms/graphql)', test: (url) => /\/(graphql|@payloadcms\/graphql|graphql-query-complexity)\//.test(url) },
  { name: 'Lexical / rich text', test: (url) => /\/(@payloadcms\/richtext-lexical|lexical|@lexical)\//.test(url) },
  { name: 'Greenroom: renditions (src/fields, utilities)', test: (url) => /\/src\/(fields|utilities)\//.test(url) },
  ...REMAINING_AREAS,
]


try {
  if (!fs.existsSync(seededMarker)) {
    const content = await loadSharedContent()
    const started = Date.now()
    await seedBenchContent(payload, { ...content, POST_COUNT: postCount })
    fs.writeFileSync(seededMarker, String(postCount))
    console.log(`seeded ${postCount} posts into ${dir} in ${((Date.now() - started) / 1000).toFixed(0)} s`)
  } else {
    console.log(`reusing the ${postCount} posts seeded in ${dir}`)
  }

  for (let warm = 0; warm < 20; warm++) for (const scenario of SCENARIOS) await scenario.run()

  const times = new Map(SCENARIOS.map((scenario) => [scenario.name, [] as number[]]))
  // CPU time of this process (all its threads): on a shared, loaded machine wall-clock time also
  // counts the time other processes held the cores, CPU time does not.
  const cpu = new Map(SCENARIOS.map((scenario) => [scenario.name, [] as number[]]))
  const bytes = new Map<string, number>()
  for (let round = 0; round < rounds; round++) {
    for (const scenario of SCENARIOS) {
      const started = process.hrtime.bigint()
      const cpuStarted = process.cpuUsage()
      const size = await scenario.run()
      const used = process.cpuUsage(cpuStarted)
      times.get(scenario.name)!.push(Number(process.hrtime.bigint() - started) / 1e6)
      cpu.get(scenario.name)!.push((used.user + used.system) / 1000)
      bytes.set(scenario.name, size)
    }
  }
  const probe = sqlProbe(payload)
  const statements = new Map<string, number>()
  for (const scenario of SCENARIOS) statements.set(scenario.name, (await probe.capture(() => scenario.run())).length)
  console.log(`\nOne anonymous read at a time, no response store; ${rounds} interleaved rounds; load ${os.loadavg()[0].toFixed(2)}`)
  for (const scenario of SCENARIOS) {
    const values = times.get(scenario.name)!
    console.log(
      `  ${scenario.name.padEnd(38)} median ${median(values).toFixed(2).padStart(6)} ms (CPU ${median(cpu.get(scenario.name)!).toFixed(2).padStart(6)} ms), ` +
        `p90 ${percentile(values, 0.9).toFixed(2).padStart(6)} ms, ${statements.get(scenario.name)} SQL statements, ` +
        `${bytes.get(scenario.name)!.toLocaleString('en-US')} bytes`,
    )
  }

  // The profile: every scenario, as above.
  await profileAndPrint(
    async () => {
      for (let round = 0; round < profileRounds; round++) for (const scenario of SCENARIOS) await scenario.run()
    },
    {
      dir,
      name: 'read',
      areas: AREAS,
      operations: profileRounds * SCENARIOS.length,
      operation: 'request',
      title: `${profileRounds} rounds of all ${SCENARIOS.length} reads`,
      topFunctions: 25,
    },
  )
} finally {
  await closePayload(payload)
}
