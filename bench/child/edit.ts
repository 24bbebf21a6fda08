// Child process of `npm run bench:sync`: edits the published posts whose ids BENCH_EDIT_IDS lists
// (comma-separated), one Payload update (one transaction, one change-log row) each, as an editor's
// saves would, and writes how long they took as JSON to the file named by argv[2].
import fs from 'node:fs'

import config from '@payload-config'
import { getPayload } from 'payload'

import { closePayload } from '../../src/db/closePayload'

const outFile = process.argv[2]
if (!outFile) throw new Error('usage: bench/child/edit.ts <result.json>')
const ids = (process.env.BENCH_EDIT_IDS ?? '').split(',').filter(Boolean).map(Number)
const round = process.env.BENCH_EDIT_ROUND ?? '0'

const payload = await getPayload({ config })
try {
  const started = process.hrtime.bigint()
  for (const id of ids) {
    await payload.update({ collection: 'posts', id, overrideAccess: true, depth: 0, data: { title: `Post ${id}, edit ${round}` } })
  }
  fs.writeFileSync(outFile, JSON.stringify({ edited: ids.length, ms: Number(process.hrtime.bigint() - started) / 1e6 }))
} finally {
  await closePayload(payload)
}
