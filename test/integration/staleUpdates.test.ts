import type { Payload } from 'payload'
import { APIError } from 'payload'

import { closePayload } from '../../src/db/closePayload'
import type { TestUser } from '../helpers/payload'
import { createUser, initPayload, postData } from '../helpers/payload'

let payload: Payload
let firstEditor: TestUser
let secondEditor: TestUser

beforeAll(async () => {
  payload = await initPayload()
  firstEditor = await createUser(payload, 'editor', 'First Editor')
  secondEditor = await createUser(payload, 'editor', 'Second Editor')
})

afterAll(async () => {
  await closePayload(payload)
})

const rejection = (attempt: Promise<unknown>) =>
  attempt.then(
    () => {
      throw new Error('the save was accepted')
    },
    (error: unknown) => error as APIError,
  )

test('the later of two editors saving from the same copy gets 409, and the first save stays', async () => {
  const post = await payload.create({
    collection: 'posts',
    user: firstEditor,
    overrideAccess: false,
    data: { ...postData('Shared post'), _status: 'published' } as never,
  })
  const copyBoth = await payload.findByID({
    collection: 'posts',
    id: post.id,
    user: firstEditor,
    overrideAccess: false,
  })

  const first = await payload.update({
    collection: 'posts',
    id: post.id,
    user: firstEditor,
    overrideAccess: false,
    data: { title: 'First editor wins', updatedAt: copyBoth.updatedAt },
  })
  expect(first.title).toBe('First editor wins')
  expect(Date.parse(first.updatedAt)).toBeGreaterThanOrEqual(Date.parse(copyBoth.updatedAt))

  const error = await rejection(
    payload.update({
      collection: 'posts',
      id: post.id,
      user: secondEditor,
      overrideAccess: false,
      data: { title: 'Second editor overwrites', updatedAt: copyBoth.updatedAt },
    }),
  )
  expect(error).toBeInstanceOf(APIError)
  expect(error.status).toBe(409)
  expect(error.message).toMatch(
    /^This post has been changed by someone else since your copy was loaded\. Load it again/,
  )

  const stored = await payload.findByID({ collection: 'posts', id: post.id, overrideAccess: true })
  expect(stored.title).toBe('First editor wins')

  // Reloading and saving again works.
  const retried = await payload.update({
    collection: 'posts',
    id: post.id,
    user: secondEditor,
    overrideAccess: false,
    data: { title: 'Second editor, after reloading', updatedAt: stored.updatedAt },
  })
  expect(retried.title).toBe('Second editor, after reloading')
})

test('successive draft saves that each send the updatedAt they got back all succeed', async () => {
  let post = await payload.create({
    collection: 'posts',
    user: firstEditor,
    overrideAccess: false,
    draft: true,
    data: { ...postData('Autosaved'), _status: 'draft' } as never,
  })
  for (const title of ['Autosaved 1', 'Autosaved 2', 'Autosaved 3']) {
    post = await payload.update({
      collection: 'posts',
      id: post.id,
      user: firstEditor,
      overrideAccess: false,
      draft: true,
      data: { title, updatedAt: post.updatedAt },
    })
  }
  const published = await payload.update({
    collection: 'posts',
    id: post.id,
    user: firstEditor,
    overrideAccess: false,
    data: { _status: 'published', updatedAt: post.updatedAt },
  })
  expect(published.title).toBe('Autosaved 3')
})

test('saves without updatedAt are not checked; a malformed one is a 400', async () => {
  const category = await payload.create({
    collection: 'categories',
    overrideAccess: true,
    data: { title: 'Unchecked' },
  })
  await payload.update({
    collection: 'categories',
    id: category.id,
    overrideAccess: true,
    data: { title: 'Changed once' },
  })
  const updated = await payload.update({
    collection: 'categories',
    id: category.id,
    overrideAccess: true,
    data: { title: 'Changed twice' },
  })
  expect(updated.title).toBe('Changed twice')

  const error = await rejection(
    payload.update({
      collection: 'categories',
      id: category.id,
      overrideAccess: true,
      data: { title: 'x', updatedAt: 'yesterday' },
    }),
  )
  expect(error.status).toBe(400)
  expect(error.message).toMatch(/"updatedAt" must be the date-time of the copy you edited/)
})

test('globals are protected the same way', async () => {
  await payload.updateGlobal({ slug: 'site-settings', overrideAccess: true, data: { _status: 'published', siteName: 'Saved once' } as never })
  const copy = await payload.findGlobal({ slug: 'site-settings', overrideAccess: true })
  await payload.updateGlobal({
    slug: 'site-settings',
    overrideAccess: true,
    data: { _status: 'published', siteName: 'First', updatedAt: copy.updatedAt } as never,
  })
  const error = await rejection(
    payload.updateGlobal({
      slug: 'site-settings',
      overrideAccess: true,
      data: { _status: 'published', siteName: 'Second', updatedAt: copy.updatedAt } as never,
    }),
  )
  expect(error.status).toBe(409)
  expect((await payload.findGlobal({ slug: 'site-settings', overrideAccess: true })).siteName).toBe('First')
})

test("a new category's answer carries the stored updatedAt, so saving with it right away works", async () => {
  const created = await payload.create({ collection: 'categories', overrideAccess: true, data: { title: 'Fresh' } })
  const stored = await payload.findByID({ collection: 'categories', id: created.id, overrideAccess: true })
  expect(created.updatedAt).toBe(stored.updatedAt)
  expect(created.breadcrumbs?.at(-1)?.doc).toBe(created.id)
  const saved = await payload.update({
    collection: 'categories',
    id: created.id,
    overrideAccess: true,
    data: { title: 'Fresh, edited', updatedAt: created.updatedAt },
  })
  expect(saved.title).toBe('Fresh, edited')
})
