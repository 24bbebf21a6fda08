// `npm run bench:list`: the benchmarked post list (`GET /api/posts?limit=10&depth=1`, an anonymous
// reader) timed through the Local API, without HTTP, on a throw-away SQLite database seeded with the
// shared bench content. It isolates what a change to the collection's fields or hooks costs per
// request: each variant below runs the same query, interleaved round by round so that the load of
// the shared machine falls on all of them alike. Figures are medians over the rounds. Then prints the SQL
// the default list runs, with SQLite's plan for each statement.
//
//   npm run bench:list                       1,000 posts, 300 rounds
//   POST_COUNT=200 BENCH_ROUNDS=100 npm run bench:list
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'greenroom-list-timing-'))
Object.assign(process.env, {
  NODE_ENV: 'production',
  PAYLOAD_SECRET: 'list-timing-secret-list-timing-secret',
  DATABASE_URI: `file:${path.join(dir, 'bench.db')}`,
  MEDIA_DIR: path.join(dir, 'media'),
  SEED_DEMO_CONTENT: 'false',
  LOG_LEVEL: 'warn',
  JOBS_AUTORUN: 'false',
})

const { getPayload } = await import('payload')
const { default: config } = await import('@payload-config')
const { loadSharedContent } = await import('./content')
const { seedBenchContent } = await import('./seed')
const { closePayload } = await import('../src/db/closePayload')
const { indexesUsed, sqlProbe } = await import('./sqlProbe')

const rounds = Number(process.env.BENCH_ROUNDS || 300)
const content = await loadSharedContent()
const postCount = Number(process.env.POST_COUNT || 1000)
const payload = await getPayload({ config })

type Variant = { name: string; select?: Record<string, false> }
const VARIANTS: Variant[] = [
  { name: 'default (what REST answers)' },
  { name: 'without contentHtml/contentText', select: { contentHtml: false, contentText: false } },
]

const listOnce = (variant: Variant) =>
  payload.find({
    collection: 'posts',
    limit: 10,
    depth: 1,
    overrideAccess: false,
    draft: false,
    select: variant.select as never,
  })

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]
const percentile = (values: number[], p: number) =>
  [...values].sort((a, b) => a - b)[Math.floor((values.length - 1) * p)]

try {
  const seeded = Date.now()
  await seedBenchContent(payload, { ...content, POST_COUNT: postCount })
  console.log(`seeded ${postCount} posts in ${((Date.now() - seeded) / 1000).toFixed(0)} s`)

  for (let warm = 0; warm < 30; warm++) for (const variant of VARIANTS) await listOnce(variant)
  const times = new Map(VARIANTS.map((variant) => [variant.name, [] as number[]]))
  const bytes = new Map<string, number>()
  for (let round = 0; round < rounds; round++) {
    for (const variant of VARIANTS) {
      const started = process.hrtime.bigint()
      const result = await listOnce(variant)
      times.get(variant.name)!.push(Number(process.hrtime.bigint() - started) / 1e6)
      if (round === 0) bytes.set(variant.name, JSON.stringify(result).length)
    }
  }
  console.log(
    `Local API find: 10 published posts, depth 1, anonymous; ${rounds} interleaved rounds; ${os.loadavg()[0].toFixed(2)} load`,
  )
  for (const variant of VARIANTS) {
    const values = times.get(variant.name)!
    console.log(
      `  ${variant.name.padEnd(36)} median ${median(values).toFixed(2)} ms, p90 ${percentile(values, 0.9).toFixed(2)} ms, ` +
        `${bytes.get(variant.name)!.toLocaleString('en-US')} bytes of JSON`,
    )
  }

  // The statements behind the default list, each with the indexes SQLite plans to use.
  const probe = sqlProbe(payload)
  const statements = await probe.capture(() => listOnce(VARIANTS[0]))
  console.log(`SQL of the default list (${statements.length} statements):`)
  for (const statement of statements) {
    const plan = await probe.explain(statement)
    console.log(`  ${statement.sql}\n    indexes: ${indexesUsed(plan).join(', ') || 'none'}`)
    for (const line of plan.lines) console.log(`      ${line}`)
  }
} finally {
  await closePayload(payload)
  fs.rmSync(dir, { recursive: true, force: true })
}
