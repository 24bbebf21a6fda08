// What the README promises about text queries on every database ("Where MongoDB and the SQL
// databases differ"): `like` matches every word, case-insensitively; SQLite sorts text by bytes.
import type { Payload } from 'payload'

import { closePayload } from '../../src/db/closePayload'
import { initPayload } from '../helpers/payload'

let payload: Payload

beforeAll(async () => {
  payload = await initPayload()
  for (const title of ['Zebra crossings', 'apple harvest', 'Hello World', 'hello there', 'World news']) {
    await payload.create({ collection: 'categories', overrideAccess: true, data: { title } })
  }
})

afterAll(async () => {
  await closePayload(payload)
})

const titles = async (where: Record<string, unknown>, sort = 'title') =>
  (await payload.find({ collection: 'categories', overrideAccess: true, where: where as never, sort, limit: 50 })).docs.map(
    (doc) => doc.title,
  )

test('`like` matches every word, in any order and case', async () => {
  expect(await titles({ title: { like: 'WORLD hello' } })).toEqual(['Hello World'])
  expect((await titles({ title: { like: 'hello' } })).sort()).toEqual(['Hello World', 'hello there'])
})

test('`contains` matches a part of the text, case-insensitively', async () => {
  expect((await titles({ title: { contains: 'ORL' } })).sort()).toEqual(['Hello World', 'World news'])
})

test('SQLite sorts text by bytes: capitals first', async () => {
  if (payload.db.name !== 'sqlite') return
  expect(await titles({})).toEqual(['Hello World', 'World news', 'Zebra crossings', 'apple harvest', 'hello there'])
})
