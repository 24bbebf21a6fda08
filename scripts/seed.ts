// `npm run seed`: adds the demo content to the database `npm start` uses; safe to run again.
import config from '@payload-config'
import { getPayload } from 'payload'

import { closePayload } from '../src/db/closePayload'
import { reportSeed, seedDemoContent } from '../src/seed'

const payload = await getPayload({ config })
try {
  reportSeed(payload, await seedDemoContent(payload))
} finally {
  await closePayload(payload)
}
