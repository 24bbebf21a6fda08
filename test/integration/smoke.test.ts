import config from '@payload-config'
import { getPayload } from 'payload'

test('payload boots', async () => {
  const payload = await getPayload({ config })
  const res = await payload.find({ collection: 'posts' })
  expect(res.totalDocs).toBe(0)
  await payload.destroy()
})
