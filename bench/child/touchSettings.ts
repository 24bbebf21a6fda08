// Child process of `npm run bench:sitemap`: saves the site settings' description through Payload (one
// change-log row), which moves the content version, so the server's response store holds nothing and
// the next sitemap and feeds are made afresh. Writes how long it took as JSON to the file named by argv[2].
import fs from 'node:fs'

import config from '@payload-config'
import { getPayload } from 'payload'

import { closePayload } from '../../src/db/closePayload'

const outFile = process.argv[2]
if (!outFile) throw new Error('usage: bench/child/touchSettings.ts <result.json>')

const payload = await getPayload({ config })
try {
  const started = process.hrtime.bigint()
  await payload.updateGlobal({
    slug: 'site-settings',
    overrideAccess: true,
    depth: 0,
    data: { _status: 'published', description: `Benchmark round ${process.env.BENCH_TOUCH_ROUND ?? '0'}` },
  })
  fs.writeFileSync(outFile, JSON.stringify({ ms: Number(process.hrtime.bigint() - started) / 1e6 }))
} finally {
  await closePayload(payload)
}
