// Child process of `npm run bench:export`: one `export:site` run in its own process (so its peak
// RSS is its own), as the CLI does it, writing the summary as JSON to the file named by argv[2].
import fs from 'node:fs'

import config from '@payload-config'
import { getPayload } from 'payload'

import { closePayload } from '../../src/db/closePayload'
import { exportSite } from '../../src/siteExport/export'
import type { ContentFormat } from '../../src/siteExport/manifest'
import { checkTarget } from '../../src/siteExport/target'

const outFile = process.argv[2]
if (!outFile) throw new Error('usage: bench/child/exportSite.ts <result.json>')
const format = (process.env.BENCH_EXPORT_FORMAT || 'json') as ContentFormat
const dir = process.env.BENCH_EXPORT_DIR!

const payload = await getPayload({ config })
try {
  const target = checkTarget(dir, format)
  const started = process.hrtime.bigint()
  const summary = await exportSite(payload, target, { format, media: 'copy' })
  const ms = Number(process.hrtime.bigint() - started) / 1e6
  fs.writeFileSync(outFile, JSON.stringify({ summary, ms, maxRssMb: process.resourceUsage().maxRSS / 1024 }))
} finally {
  await closePayload(payload)
}
