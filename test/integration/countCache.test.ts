// totalDocs from the count cache (src/db/countCache.ts) stays exact through every kind of change a
// reader's list can see: creates, publishes, unpublishes, the trash, deletes, category changes. Each
// step compares a reader's totalDocs with the rows counted without the cache, and the cache is shown
// to be used: a read that repeats sends no count.
// Runs on SQLite and PostgreSQL (TEST_DATABASE=postgres); MongoDB has no such cache.
import type { Payload, Where } from 'payload'

import { anonymousFind } from '../../bench/queryPlan'
import { sqlProbe } from '../../bench/sqlProbe'
import { closePayload } from '../../src/db/closePayload'
import { countDependencies } from '../../src/db/countCache'
import { testDatabaseKind } from '../helpers/database'
import type { TestUser } from '../helpers/payload'
import { createUser, initPayload, postData } from '../helpers/payload'

const sql = testDatabaseKind() !== 'mongodb'
const describeSql = sql ? describe : describe.skip

let payload: Payload
let editor: TestUser
let news: number
let sport: number

const createCategory = async (slug: string) =>
  (await payload.create({ collection: 'categories', overrideAccess: true, data: { title: slug, slug } })).id

const createPost = async (title: string, status: 'draft' | 'published', categories: number[]) =>
  payload.create({
    collection: 'posts',
    overrideAccess: true,
    draft: status === 'draft',
    depth: 0,
    data: { ...postData(title), _status: status, categories } as never,
  })

const updatePost = (id: number, data: Record<string, unknown>, draft = false) =>
  payload.update({ collection: 'posts', id, overrideAccess: true, draft, depth: 0, data: data as never })

/** The admin's Restore: out of the trash, published. */
const restorePost = (id: number) =>
  payload.update({ collection: 'posts', id, overrideAccess: true, trash: true, depth: 0, data: { deletedAt: null, _status: 'published' } as never })

/** What a reader may see, counted from the rows without any count (pagination off), as the truth. */
const truth = async (where?: Where) =>
  (
    await payload.find({
      collection: 'posts',
      overrideAccess: true,
      pagination: false,
      depth: 0,
      select: { id: true } as never,
      where: { and: [{ _status: { equals: 'published' } }, ...(where ? [where] : [])] },
    })
  ).docs.length

const inCategory = (id: number): Where => ({ categories: { in: [id] } })

/** A reader's totalDocs for the plain list and each category list, beside the truth. */
const readersCounts = async () => {
  const seen = {
    all: (await anonymousFind(payload)).totalDocs,
    news: (await anonymousFind(payload, inCategory(news))).totalDocs,
    sport: (await anonymousFind(payload, inCategory(sport))).totalDocs,
  }
  const exact = { all: await truth(), news: await truth(inCategory(news)), sport: await truth(inCategory(sport)) }
  return { seen, exact }
}

/** The count statements a reader's read of these lists sends. */
const countsSent = async () => {
  const statements = await sqlProbe(payload).capture(async () => {
    await anonymousFind(payload)
    await anonymousFind(payload, inCategory(news))
    await anonymousFind(payload, inCategory(sport))
  })
  return statements.filter((statement) => /^select (count\(\*\)|COUNT\(1\) OVER\(\)) from "posts"/i.test(statement.sql)).length
}

const expectExact = async (expected: { all: number; news: number; sport: number }) => {
  const { seen, exact } = await readersCounts()
  expect(exact).toEqual(expected)
  expect(seen).toEqual(expected)
  // Kept now: reading again counts nothing.
  expect(await countsSent()).toBe(0)
}

beforeAll(async () => {
  if (!sql) return
  payload = await initPayload()
  editor = await createUser(payload, 'editor')
  news = await createCategory('news')
  sport = await createCategory('sport')
  await createPost('News one', 'published', [news])
  await createPost('News two', 'published', [news])
  await createPost('Sport one', 'published', [sport])
  await createPost('Both', 'published', [news, sport])
  await createPost('Nowhere', 'published', [])
  await createPost('A draft', 'draft', [news])
}, 120_000)

afterAll(async () => {
  if (payload) await closePayload(payload)
})

describeSql(`counts from the cache on ${testDatabaseKind()}`, () => {
  test('are counted once, then kept', async () => {
    expect(await countsSent()).toBe(3)
    await expectExact({ all: 5, news: 3, sport: 2 })
  })

  test('stay exact through creates, drafts, publishes and unpublishes', async () => {
    const created = await createPost('News three', 'published', [news])
    await expectExact({ all: 6, news: 4, sport: 2 })

    // A draft is nothing a reader counts, and is not followed by the change log either.
    const draft = await createPost('Sport draft', 'draft', [sport])
    await expectExact({ all: 6, news: 4, sport: 2 })

    await updatePost(draft.id, { _status: 'published' })
    await expectExact({ all: 7, news: 4, sport: 3 })

    await updatePost(created.id, { _status: 'draft' })
    await expectExact({ all: 6, news: 3, sport: 3 })

    // A new draft over a published post leaves the published one counted.
    await updatePost(draft.id, { title: 'Sport draft, edited', _status: 'draft' }, true)
    await expectExact({ all: 6, news: 3, sport: 3 })
  })

  test('stay exact through category changes, the trash and deletes', async () => {
    const moving = await createPost('Moving', 'published', [news])
    await expectExact({ all: 7, news: 4, sport: 3 })

    await updatePost(moving.id, { categories: [sport], _status: 'published' })
    await expectExact({ all: 7, news: 3, sport: 4 })

    await updatePost(moving.id, { deletedAt: new Date().toISOString() })
    await expectExact({ all: 6, news: 3, sport: 3 })

    await restorePost(moving.id)
    await expectExact({ all: 7, news: 3, sport: 4 })

    await payload.delete({ collection: 'posts', id: moving.id, overrideAccess: true })
    await expectExact({ all: 6, news: 3, sport: 3 })
  })

  test('an edit the where does not use keeps them; one it uses retires them', async () => {
    const { docs } = await payload.find({ collection: 'posts', overrideAccess: true, where: { title: { equals: 'News one' } }, depth: 0 })
    await updatePost(docs[0]!.id, { title: 'News one, retitled', _status: 'published' })
    // The title is in no where here: the counts stay kept.
    expect(await countsSent()).toBe(0)
    await expectExact({ all: 6, news: 3, sport: 3 })

    await updatePost(docs[0]!.id, { categories: [], _status: 'published' })
    await expectExact({ all: 6, news: 2, sport: 3 })
  })

  test('an editor, a draft read and a transaction always count afresh', async () => {
    const editorCount = async () =>
      (await payload.find({ collection: 'posts', user: editor, overrideAccess: false, depth: 0, limit: 1 })).totalDocs
    const before = await editorCount()
    await createPost('Another draft', 'draft', [])
    expect(await editorCount()).toBe(before + 1)

    const draftCount = async () =>
      (await payload.find({ collection: 'posts', user: editor, overrideAccess: false, draft: true, depth: 0, limit: 1 })).totalDocs
    const drafts = await draftCount()
    await createPost('Yet another draft', 'draft', [])
    expect(await draftCount()).toBe(drafts + 1)

    // Inside a transaction a read sees its own uncommitted rows; outside it, nothing changed.
    const outside = (await anonymousFind(payload)).totalDocs
    const transactionID = await payload.db.beginTransaction()
    if (transactionID === null) return
    const req = { transactionID }
    try {
      await payload.create({
        collection: 'posts',
        overrideAccess: true,
        depth: 0,
        req,
        data: { ...postData('Uncommitted'), _status: 'published' } as never,
      })
      const inside = await payload.find({ collection: 'posts', overrideAccess: false, depth: 0, limit: 1, req })
      expect(inside.totalDocs).toBe(outside + 1)
    } finally {
      await payload.db.rollbackTransaction(transactionID)
    }
    expect((await anonymousFind(payload)).totalDocs).toBe(outside)
  })

  test('only reads the change log follows are kept', () => {
    const published = { _status: { equals: 'published' } }
    const outOfTrash = { deletedAt: { exists: false } }
    // A reader's list: published, out of the trash.
    expect(countDependencies(payload, 'posts', { and: [outOfTrash, { and: [inCategory(news), published] }] })).toEqual([
      { collection: 'posts', fields: ['deletedAt', 'categories', '_status'] },
      { collection: 'categories', fields: [] },
    ])
    // Drafts (an editor's where, or a Local API read that overrides access) and the trash are not followed.
    expect(countDependencies(payload, 'posts', { and: [outOfTrash] })).toBeUndefined()
    expect(countDependencies(payload, 'posts', { and: [published] })).toBeUndefined()
    expect(countDependencies(payload, 'posts', { or: [published, outOfTrash] })).toBeUndefined()
    // Users' private fields are not in the log; nor is anything two relationships away.
    expect(countDependencies(payload, 'users', {})).toBeUndefined()
    expect(countDependencies(payload, 'posts', { and: [published, outOfTrash, { authors: { in: [1] } }] })).toBeUndefined()
    expect(countDependencies(payload, 'posts', { and: [published, outOfTrash, { 'categories.slug': { equals: 'news' } }] })).toEqual([
      { collection: 'posts', fields: ['_status', 'deletedAt', 'categories'] },
      { collection: 'categories', fields: ['slug'] },
    ])
  })
})
