// Child process of `npm run bench`: explains the SQL behind the anonymous post list on the seeded
// database, from a fresh connection as the server has, and writes the report as JSON to argv[2].
import fs from 'node:fs'

import config from '@payload-config'
import { getPayload } from 'payload'

import { explainListQueryAsMigrated } from '../queryPlan'
import { closePayload } from '../../src/db/closePayload'

const outFile = process.argv[2]
if (!outFile) throw new Error('usage: bench/child/explain.ts <result.json>')

const payload = await getPayload({ config })
try {
  fs.writeFileSync(outFile, JSON.stringify(await explainListQueryAsMigrated(payload), null, 2))
} finally {
  await closePayload(payload)
}
