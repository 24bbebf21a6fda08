import fs from 'node:fs'

import type { CollectionAfterChangeHook, Payload } from 'payload'

import { closePayload } from '../../src/db/closePayload'
import { initPayload, postData } from '../helpers/payload'

let payload: Payload

/** A hook that fails after the document and its version have been written: the worst moment. */
const failOnTitle: CollectionAfterChangeHook = ({ doc }) => {
  if (String(doc.title).includes('EXPLODE')) throw new Error('a hook failed after the write')
  return doc
}

beforeAll(async () => {
  payload = await initPayload()
  payload.collections.posts.config.hooks.afterChange.push(failOnTitle)
})

afterAll(async () => {
  await closePayload(payload)
})

const countEverywhere = async (title: string) => ({
  posts: (await payload.count({ collection: 'posts', overrideAccess: true, where: { title: { equals: title } } }))
    .totalDocs,
  versions: (
    await payload.countVersions({
      collection: 'posts',
      overrideAccess: true,
      where: { 'version.title': { equals: title } },
    })
  ).totalDocs,
  search: (await payload.count({ collection: 'search', overrideAccess: true, where: { title: { equals: title } } }))
    .totalDocs,
})

test('a create whose hook fails after the write leaves no post, version or search entry behind', async () => {
  await expect(
    payload.create({
      collection: 'posts',
      overrideAccess: true,
      data: { ...postData('EXPLODE on create'), _status: 'published' } as never,
    }),
  ).rejects.toThrow('a hook failed after the write')

  expect(await countEverywhere('EXPLODE on create')).toEqual({ posts: 0, versions: 0, search: 0 })
})

test('an update whose hook fails keeps the stored post, its versions and its search entry as they were', async () => {
  const post = await payload.create({
    collection: 'posts',
    overrideAccess: true,
    data: { ...postData('Stays as it was'), _status: 'published' } as never,
  })
  const versionsBefore = (
    await payload.countVersions({ collection: 'posts', overrideAccess: true, where: { parent: { equals: post.id } } })
  ).totalDocs

  await expect(
    payload.update({ collection: 'posts', id: post.id, overrideAccess: true, data: { title: 'EXPLODE on update' } }),
  ).rejects.toThrow('a hook failed after the write')

  const stored = await payload.findByID({ collection: 'posts', id: post.id, overrideAccess: true, draft: true })
  expect(stored.title).toBe('Stays as it was')
  expect(stored.updatedAt).toBe(post.updatedAt)
  expect(await countEverywhere('EXPLODE on update')).toEqual({ posts: 0, versions: 0, search: 0 })
  expect(await countEverywhere('Stays as it was')).toMatchObject({ posts: 1, search: 1 })
  const versionsAfter = (
    await payload.countVersions({ collection: 'posts', overrideAccess: true, where: { parent: { equals: post.id } } })
  ).totalDocs
  expect(versionsAfter).toBe(versionsBefore)
})

test('concurrent writes all succeed: each waits for the write lock instead of failing', async () => {
  const titles = Array.from({ length: 24 }, (_, index) => `Concurrent ${index}`)
  const created = await Promise.all(
    titles.map((title) =>
      payload.create({
        collection: 'posts',
        overrideAccess: true,
        data: { ...postData(title), _status: 'published' } as never,
      }),
    ),
  )
  expect(created.map((post) => post.title).sort()).toEqual([...titles].sort())
  await Promise.all(
    created.map((post) =>
      payload.update({ collection: 'posts', id: post.id, overrideAccess: true, data: { excerpt: 'Edited at once' } }),
    ),
  )
  const edited = await payload.count({
    collection: 'posts',
    overrideAccess: true,
    where: { excerpt: { equals: 'Edited at once' } },
  })
  expect(edited.totalDocs).toBe(titles.length)
})

const openFileDescriptors = () => fs.readdirSync('/proc/self/fd').length

test('transactions give their connections back (no file descriptor per write)', async () => {
  if (payload.db.name !== 'sqlite' || !fs.existsSync('/proc/self/fd')) return
  const post = await payload.create({
    collection: 'posts',
    overrideAccess: true,
    data: { ...postData('Counted'), _status: 'published' } as never,
  })
  const before = openFileDescriptors()
  for (let index = 0; index < 60; index++) {
    await payload.update({ collection: 'posts', id: post.id, overrideAccess: true, data: { excerpt: `Edit ${index}` } })
  }
  // Without the pool, every transaction left its connection (database and WAL file) open until a full GC.
  expect(openFileDescriptors() - before).toBeLessThan(20)
})
