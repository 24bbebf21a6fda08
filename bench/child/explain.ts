// Child process of `npm run bench`: explains the SQL behind an anonymous reader's post list, slug
// lookup and category list on the seeded database, from a fresh connection as the server has, and
// writes the report as JSON to argv[2].
import fs from 'node:fs'

import config from '@payload-config'
import { getPayload } from 'payload'

import { loadSharedContent } from '../content'
import { explainReaderQueries } from '../queryPlan'
import { closePayload } from '../../src/db/closePayload'

const outFile = process.argv[2]
if (!outFile) throw new Error('usage: bench/child/explain.ts <result.json>')

const content = await loadSharedContent()
const payload = await getPayload({ config })
try {
  fs.writeFileSync(outFile, JSON.stringify(await explainReaderQueries(payload, content.POST_COUNT), null, 2))
} finally {
  await closePayload(payload)
}
