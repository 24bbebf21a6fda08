// The content version (src/changes/contentVersion.ts) keys the API's response cache on every
// instance: it must change with each write a reader can see, commit with it and roll back with it.
import type { CollectionAfterChangeHook, Payload } from 'payload'

import { closePayload } from '../../src/db/closePayload'
import { ensureContentVersion, readContentVersion } from '../../src/changes/contentVersion'
import { richTextFromPlain } from '../../src/seed/lexical'
import { createPost, initPayload } from '../helpers/payload'

let payload: Payload

const failOnTitle: CollectionAfterChangeHook = ({ doc }) => {
  if (String(doc.title).includes('EXPLODE')) throw new Error('a hook failed after the write')
  return doc
}

beforeAll(async () => {
  payload = await initPayload()
  payload.collections.posts.config.hooks.afterChange.push(failOnTitle)
  await ensureContentVersion(payload)
})

afterAll(async () => {
  await closePayload(payload)
})

const version = async () => (await readContentVersion(payload))?.version


test('a start on a database without one records the first version, and a second start keeps it', async () => {
  const first = await version()
  expect(first).toEqual(expect.any(String))
  expect((await ensureContentVersion(payload)).version).toBe(first)
})

test('publishing, editing, unpublishing and deleting each record a new version', async () => {
  const seen = new Set([await version()])
  const post = await createPost(payload, 'Versioned', 'published')
  seen.add(await version())
  await payload.update({ collection: 'posts', id: post.id, overrideAccess: true, data: { title: 'Versioned again' } })
  seen.add(await version())
  await payload.update({ collection: 'posts', id: post.id, overrideAccess: true, data: { _status: 'draft' } })
  seen.add(await version())
  const other = await createPost(payload, 'Versioned, deleted', 'published')
  seen.add(await version())
  await payload.delete({ collection: 'posts', id: other.id, overrideAccess: true })
  seen.add(await version())
  expect(seen.size).toBe(6)
  // Deleting a post readers no longer see (it was unpublished) changes nothing they see.
  const before = await version()
  await payload.delete({ collection: 'posts', id: post.id, overrideAccess: true })
  expect(await version()).toBe(before)
})

test('a global counts as content too', async () => {
  const before = await version()
  await payload.updateGlobal({ slug: 'header', overrideAccess: true, data: { _status: 'published', navItems: [] } })
  expect(await version()).not.toBe(before)
})

test('a draft saved over a draft records nothing', async () => {
  const draft = await createPost(payload, 'Only a draft', 'draft')
  const before = await version()
  await payload.update({
    collection: 'posts',
    id: draft.id,
    overrideAccess: true,
    draft: true,
    data: { title: 'Still only a draft' },
  })
  expect(await version()).toBe(before)
})

test('a form submission records nothing', async () => {
  const form = await payload.create({
    collection: 'forms',
    overrideAccess: true,
    data: {
      title: 'Versionless',
      confirmationType: 'message',
      confirmationMessage: richTextFromPlain('Thanks.'),
      fields: [{ blockType: 'text', name: 'name', label: 'Name' }],
    } as never,
  })
  const before = await version()
  await payload.create({
    collection: 'form-submissions',
    overrideAccess: true,
    data: { form: form.id, submissionData: [{ field: 'name', value: 'Ada' }] } as never,
  })
  expect(await version()).toBe(before)
})

test('a write that fails after its hooks ran rolls its version back with it', async () => {
  const before = await version()
  await expect(createPost(payload, 'EXPLODE', 'published')).rejects.toThrow('a hook failed after the write')
  expect(await version()).toBe(before)
})

test('the direct read agrees with what Payload reads from the key-value collection', async () => {
  const stored = await payload.db.findOne<{ id: number; data: unknown }>({
    collection: 'payload-kv',
    req: {},
    where: { key: { equals: 'greenroom:content-version' } },
  })
  expect(await readContentVersion(payload)).toEqual(stored?.data)
})
