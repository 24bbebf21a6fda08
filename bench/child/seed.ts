// Child process of `npm run bench`: seeds the throw-away database through Payload's Local API and
// writes its timings as JSON to the file named by argv[2]. It runs with NODE_ENV=production, so
// Payload applies the committed migrations at start-up exactly as the server will: the schema is
// the one production has, not a development push.
import fs from 'node:fs'

import config from '@payload-config'
import { getPayload } from 'payload'

import { loadSharedContent } from '../content'
import { seedBenchContent } from '../seed'
import { closePayload } from '../../src/db/closePayload'

export type SeedChildResult = {
  /** Payload's start-up on the empty file, including the migrations. */
  initMs: number
  seed: Awaited<ReturnType<typeof seedBenchContent>>
}

const outFile = process.argv[2]
if (!outFile) throw new Error('usage: bench/child/seed.ts <result.json>')

const content = await loadSharedContent()
const initStart = process.hrtime.bigint()
const payload = await getPayload({ config })
const initMs = Number(process.hrtime.bigint() - initStart) / 1e6
try {
  const seed = await seedBenchContent(payload, content, Number(process.env.BENCH_SEED_CONCURRENCY || 4))
  const result: SeedChildResult = { initMs, seed }
  fs.writeFileSync(outFile, JSON.stringify(result, null, 2))
} finally {
  await closePayload(payload)
}
