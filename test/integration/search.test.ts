import type { Payload } from 'payload'

import { initPayload, postData } from '../helpers/payload'
import { closePayload } from '../../src/db/closePayload'

let payload: Payload

beforeAll(async () => {
  payload = await initPayload()
})

afterAll(async () => {
  await closePayload(payload)
})

const searchTitles = async () =>
  (await payload.find({ collection: 'search', overrideAccess: false, limit: 100, depth: 0 })).docs.map((doc) => doc.title)

test('drafts are never indexed; publishing indexes, unpublished edits do not leak', async () => {
  const draft = await payload.create({
    collection: 'posts',
    overrideAccess: true,
    draft: true,
    data: { ...postData('Hidden draft'), _status: 'draft' } as never,
  })
  expect(await searchTitles()).not.toContain('Hidden draft')

  await payload.update({ collection: 'posts', id: draft.id, overrideAccess: true, data: { _status: 'published' } })
  expect(await searchTitles()).toContain('Hidden draft')

  await payload.update({
    collection: 'posts',
    id: draft.id,
    overrideAccess: true,
    draft: true,
    data: { title: 'Unpublished rename', _status: 'draft' },
  })
  const titles = await searchTitles()
  expect(titles).toContain('Hidden draft')
  expect(titles).not.toContain('Unpublished rename')
})

test('search rows carry slug and excerpt for result lists', async () => {
  await payload.create({
    collection: 'posts',
    overrideAccess: true,
    data: { ...postData('Indexed post', { excerpt: 'Short teaser.' }), _status: 'published' } as never,
  })
  const { docs } = await payload.find({ collection: 'search', overrideAccess: false, where: { title: { equals: 'Indexed post' } } })
  expect(docs[0]).toMatchObject({ slug: 'indexed-post', excerpt: 'Short teaser.' })
})

test('deleting a post removes it from search', async () => {
  const post = await payload.create({
    collection: 'posts',
    overrideAccess: true,
    data: { ...postData('Short-lived'), _status: 'published' } as never,
  })
  expect(await searchTitles()).toContain('Short-lived')
  await payload.delete({ collection: 'posts', id: post.id, overrideAccess: true })
  expect(await searchTitles()).not.toContain('Short-lived')
})

test('readers cannot write to the index', async () => {
  await expect(
    payload.create({ collection: 'search', overrideAccess: false, data: { title: 'Spam' } as never }),
  ).rejects.toMatchObject({ status: 403 })
})

test("the plugin's read of the synced document is at depth 0, and the row holds what it did at depth 2", async () => {
  const category = await payload.create({ collection: 'categories', overrideAccess: true, data: { title: 'Search depth' } as never })
  const post = await payload.create({
    collection: 'posts',
    overrideAccess: true,
    data: { ...postData('Depth probe', { excerpt: 'Teaser.', categories: [category.id] }), _status: 'published' } as never,
  })
  // Every findByID of the post during the next save, as the operation gets it (after the hooks before this one).
  const depths: unknown[] = []
  const hooks = payload.collections.posts.config.hooks
  const observe = ({ args, operation }: { args: { id?: unknown; depth?: unknown }; operation: string }) => {
    if (operation === 'read' && args.id === post.id) depths.push(args.depth)
    return args
  }
  hooks.beforeOperation.push(observe as never)
  try {
    await payload.update({ collection: 'posts', id: post.id, overrideAccess: true, data: { title: 'Depth probe renamed', _status: 'published' } })
  } finally {
    hooks.beforeOperation.splice(hooks.beforeOperation.indexOf(observe as never), 1)
  }
  expect(depths).toEqual([0])
  const { docs } = await payload.find({ collection: 'search', overrideAccess: false, depth: 0, where: { 'doc.value': { equals: post.id } } })
  expect(docs).toHaveLength(1)
  expect(docs[0]).toMatchObject({ title: 'Depth probe renamed', slug: 'depth-probe', excerpt: 'Teaser.', categories: [category.id] })
})
