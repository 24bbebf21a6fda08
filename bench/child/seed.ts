// Child process of `npm run bench`: seeds the throw-away database through Payload's Local API and
// writes its timings as JSON to the file named by argv[2]. It runs with NODE_ENV=production, so
// Payload applies the committed migrations at start-up exactly as the server will: the schema is
// the one production has, not a development push. Prints `progress <done> <total>` lines as it goes.
// Posts beyond BENCH_SEED_POSTS (1,000) are copies made in SQL after Payload has closed (../amplify.ts):
// seeding 100,000 through Payload takes over half an hour here, copying them about a minute.
import fs from 'node:fs'

import config from '@payload-config'
import { getPayload } from 'payload'

import { amplifyPosts } from '../amplify'
import { loadSharedContent } from '../content'
import { seedBenchContent } from '../seed'
import { closePayload } from '../../src/db/closePayload'

export type SeedChildResult = {
  /** Payload's start-up on the empty database, including the migrations. */
  initMs: number
  /** Peak resident memory of this process (a leak in the write path shows here first). */
  maxRssMb: number
  seed: Awaited<ReturnType<typeof seedBenchContent>>
}

const outFile = process.argv[2]
if (!outFile) throw new Error('usage: bench/child/seed.ts <result.json>')

const content = await loadSharedContent()
const throughPayload = Math.min(content.POST_COUNT, Number(process.env.BENCH_SEED_POSTS || 1000))
const initStart = process.hrtime.bigint()
const payload = await getPayload({ config })
const initMs = Number(process.hrtime.bigint() - initStart) / 1e6
let result: SeedChildResult
try {
  let reported = 0
  const seed = await seedBenchContent(payload, content, {
    concurrency: Number(process.env.BENCH_SEED_CONCURRENCY || 4),
    batchSize: Number(process.env.BENCH_SEED_BATCH || 250),
    posts: throughPayload,
    // About twenty lines for any post count.
    onProgress: (done, total) => {
      if (done === total || done - reported >= total / 20) {
        reported = done
        console.log(`progress ${done} ${total}`)
      }
    },
  })
  result = { initMs, maxRssMb: process.resourceUsage().maxRSS / 1024, seed }
} finally {
  await closePayload(payload)
}
if (content.POST_COUNT > throughPayload) {
  const kind = process.env.DATABASE_URI!.startsWith('file:') ? 'sqlite' : 'postgres'
  const { copied, ms, rows } = await amplifyPosts(kind, process.env.DATABASE_URI!, content.POST_COUNT)
  console.log(`copied ${copied} posts in SQL in ${(ms / 1000).toFixed(1)} s: ${JSON.stringify(rows)}`)
  result.seed = {
    ...result.seed,
    posts: content.POST_COUNT,
    rowsAfterCopy: rows,
    transactions: `${result.seed.transactions}; ${copied.toLocaleString('en-US')} more copied in SQL (bench/amplify.ts) in ${(ms / 1000).toFixed(1)} s`,
    ms: { ...result.seed.ms, posts: result.seed.ms.posts + ms, total: result.seed.ms.total + ms },
  }
}
fs.writeFileSync(outFile, JSON.stringify(result, null, 2))
