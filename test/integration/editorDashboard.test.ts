// The dashboard's queries (src/admin/dashboard/queries.ts) on a real database, read as the signed-in
// person: their drafts, what the jobs queue will publish or unpublish, and the site's address.
import type { Payload, PayloadRequest } from 'payload'
import { createLocalReq } from 'payload'

import { AUDIT_LOG, myDrafts, recentChangesByOthers, scheduled, siteUrl } from '../../src/admin/dashboard/queries'
import { closePayload } from '../../src/db/closePayload'
import type { TestUser } from '../helpers/payload'
import { createUser, initPayload, postData, viaApiKey } from '../helpers/payload'

let payload: Payload
let admin: TestUser
let editor: TestUser
let author: TestUser
let otherAuthor: TestUser

const as = (user: TestUser): Promise<PayloadRequest> => createLocalReq({ user: user as never }, payload)

const post = (title: string, authorOf: TestUser, status: 'draft' | 'published') =>
  payload.create({
    collection: 'posts',
    overrideAccess: true,
    draft: status === 'draft',
    data: { ...postData(title), authors: [authorOf.id], _status: status } as never,
  })

const page = (title: string, status: 'draft' | 'published') =>
  payload.create({
    collection: 'pages',
    overrideAccess: true,
    draft: status === 'draft',
    data: { title, _status: status, hero: { type: 'none' }, layout: [{ blockType: 'archive', populateBy: 'collection', limit: 3 }] } as never,
  })

const pause = () => new Promise((resolve) => setTimeout(resolve, 15))

beforeAll(async () => {
  payload = await initPayload()
  admin = await createUser(payload, 'admin')
  editor = await createUser(payload, 'editor')
  author = await createUser(payload, 'author')
  otherAuthor = await createUser(payload, 'author')
})

afterAll(async () => {
  await closePayload(payload)
})

test('drafts: the person’s own posts and (for editors) pages whose newest version is not published, newest first', async () => {
  const never = await post('Never published', author, 'draft')
  await pause()
  const live = await post('Live with changes', author, 'published')
  await payload.update({ collection: 'posts', id: live.id, draft: true, overrideAccess: true, data: { title: 'Live with changes, edited' } as never })
  await pause()
  await post('Live as is', author, 'published')
  await post('Someone else’s draft', otherAuthor, 'draft')
  await pause()
  const draftPage = await page('Draft page', 'draft')

  expect(await myDrafts(await as(author))).toEqual([
    expect.objectContaining({ collection: 'posts', id: live.id, title: 'Live with changes, edited', hasPublishedVersion: true }),
    expect.objectContaining({ collection: 'posts', id: never.id, title: 'Never published', hasPublishedVersion: false }),
  ])
  // Editors own every page; their posts are the ones that list them.
  expect((await myDrafts(await as(editor))).map(({ collection, id }) => [collection, id])).toEqual([['pages', draftPage.id]])
  expect((await myDrafts(await as(author), 1)).map(({ title }) => title)).toEqual(['Live with changes, edited'])
})

test('scheduled: waiting schedulePublish jobs, soonest first, only for documents the person may read', async () => {
  const target = await post('Goes live on Friday', author, 'draft')
  const hidden = await page('Secret launch page', 'draft')
  const queue = (relationTo: 'posts' | 'pages', id: number | string, type: 'publish' | 'unpublish', waitUntil: string) =>
    payload.jobs.queue({
      task: 'schedulePublish',
      waitUntil: new Date(waitUntil),
      input: { type, doc: { relationTo, value: id }, user: { relationTo: 'users', value: admin.id } } as never,
    })
  await queue('posts', target.id, 'unpublish', '2099-02-01T10:00:00.000Z')
  await queue('posts', target.id, 'publish', '2099-01-01T10:00:00.000Z')
  await queue('pages', hidden.id, 'publish', '2099-01-15T10:00:00.000Z')

  const forEditor = await scheduled(await as(editor))
  expect(forEditor.map(({ type, title, waitUntil }) => [type, title, waitUntil])).toEqual([
    ['publish', 'Goes live on Friday', '2099-01-01T10:00:00.000Z'],
    ['publish', 'Secret launch page', '2099-01-15T10:00:00.000Z'],
    ['unpublish', 'Goes live on Friday', '2099-02-01T10:00:00.000Z'],
  ])
  expect(forEditor[0]).toMatchObject({ collection: 'posts', id: target.id, failed: false })
  // The whole team reads drafts; readers (an API key) see no schedule at all.
  expect((await scheduled(await as(otherAuthor))).map(({ title }) => title)).toEqual(forEditor.map(({ title }) => title))
  expect(await scheduled(await as(viaApiKey(editor)))).toEqual([])

  // A job whose document is gone lists nothing (it could only fail).
  const gone = await post('Deleted before its time', author, 'draft')
  await queue('posts', gone.id, 'publish', '2099-01-02T10:00:00.000Z')
  await payload.delete({ collection: 'posts', id: gone.id, overrideAccess: true })
  expect((await scheduled(await as(editor))).map(({ title }) => title)).toEqual(forEditor.map(({ title }) => title))

  // A job that ran is no longer waiting.
  await payload.update({
    collection: 'payload-jobs',
    where: { 'input.doc.relationTo': { equals: 'pages' } },
    data: { completedAt: new Date().toISOString() } as never,
    overrideAccess: true,
  })
  expect((await scheduled(await as(editor))).map(({ title }) => title)).toEqual(['Goes live on Friday', 'Goes live on Friday'])
})

test("recent changes by others: the audit log's newest entries by anyone but the admin reading it; nothing for others", async () => {
  expect(payload.collections[AUDIT_LOG as never]).toBeDefined()
  const mine = await payload.create({ collection: 'categories', user: admin, overrideAccess: false, data: { title: 'Mine' } as never })
  const theirs = await payload.create({ collection: 'categories', user: editor, overrideAccess: false, data: { title: 'Theirs' } as never })
  let changes = (await recentChangesByOthers(await as(admin)))!
  expect(changes[0]).toMatchObject({ action: 'create', entity: 'categories', documentId: String(theirs.id), actorLabel: editor.email })
  // A change with no person behind it (scheduled publishing, the seed) is someone else's too; sign-ins are no change.
  const byNobody = await payload.create({ collection: 'categories', overrideAccess: true, data: { title: 'By nobody' } as never })
  await payload.login({ collection: 'users', data: { email: editor.email, password: 'password-123456' } })
  changes = (await recentChangesByOthers(await as(admin)))!
  expect(changes[0]).toMatchObject({ action: 'create', entity: 'categories', documentId: String(byNobody.id) })
  expect(changes.some(({ action }) => action.startsWith('login'))).toBe(false)
  expect(changes.some(({ entity, documentId }) => entity === 'categories' && documentId === String(mine.id))).toBe(false)
  // The trail is admins' to read.
  expect(await recentChangesByOthers(await as(editor))).toBeNull()
})

test('the site link is the URL scheme’s site address', async () => {
  await payload.updateGlobal({ slug: 'site-settings', overrideAccess: true, data: { baseUrl: 'https://www.example.com/' } as never })
  expect(await siteUrl(await as(editor))).toBe('https://www.example.com')
})
