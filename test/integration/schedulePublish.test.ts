import type { Payload } from 'payload'

import { createUser, initPayload, postData } from '../helpers/payload'
import { readChangesAfter, readHeadPosition } from '../../src/changes/changeLog'
import { closePayload } from '../../src/db/closePayload'

let payload: Payload

beforeAll(async () => {
  payload = await initPayload()
})

afterAll(async () => {
  await closePayload(payload)
})

const publishedTitles = async () =>
  (await payload.find({ collection: 'posts', overrideAccess: false, limit: 100 })).docs.map((doc) => doc.title)

test('a scheduled publish runs through the job queue with the scheduling author’s rights', async () => {
  await createUser(payload, 'admin')
  const author = await createUser(payload, 'author')
  const post = await payload.create({
    collection: 'posts',
    user: author,
    overrideAccess: false,
    draft: true,
    data: { ...postData('Scheduled story'), _status: 'draft' } as never,
  })
  expect(await publishedTitles()).not.toContain('Scheduled story')

  // What the admin panel's "Schedule" button queues (see @payloadcms/ui schedulePublishHandler).
  const queue = (waitUntil: Date) =>
    payload.jobs.queue({
      task: 'schedulePublish',
      waitUntil,
      input: { type: 'publish', doc: { relationTo: 'posts', value: post.id }, user: { relationTo: 'users', value: author.id } },
    })

  await queue(new Date(Date.now() + 60 * 60 * 1000))
  await payload.jobs.run({ queue: 'default' })
  expect(await publishedTitles()).not.toContain('Scheduled story')

  const before = await readHeadPosition(payload)
  await queue(new Date(Date.now() - 1000))
  await payload.jobs.run({ queue: 'default' })
  const published = await payload.findByID({ collection: 'posts', id: post.id, overrideAccess: false })
  expect(published).toMatchObject({ title: 'Scheduled story', _status: 'published' })
  expect(published.publishedAt).toBeTruthy()
  // Builds learn of it like of any other publish: from the change log, in the job's own write.
  expect(await readChangesAfter(payload, before, 10)).toMatchObject([
    { collectionSlug: 'posts', documentId: String(post.id), event: 'published', actor: `users:${author.id}` },
  ])
})
