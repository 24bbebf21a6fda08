// The change log (src/changes/changeLog.ts): one row per change a reader could see, written in the
// write's own transaction, at positions handed out in commit order. Runs on SQLite, PostgreSQL
// (TEST_DATABASE=postgres) and MongoDB (TEST_DATABASE=mongodb with MONGODB_TEST_URI).
import type { CollectionAfterChangeHook, Payload } from 'payload'
import { createLocalReq } from 'payload'

import { appendChange, readChangesAfter, readHeadPosition, readRetainedFrom } from '../../src/changes/changeLog'
import type { RecordedChange } from '../../src/changes/changeLog'
import { compactChangeLog } from '../../src/changes/compaction'
import { readContentVersion } from '../../src/changes/contentVersion'
import { closePayload } from '../../src/db/closePayload'
import { richTextFromPlain } from '../../src/seed/lexical'
import type { TestUser } from '../helpers/payload'
import { createPost, createUser, initPayload, postData } from '../helpers/payload'

let payload: Payload
let editor: TestUser

const failOnTitle: CollectionAfterChangeHook = ({ doc }) => {
  if (String(doc.title).includes('EXPLODE')) throw new Error('a hook failed after the write')
  return doc
}

beforeAll(async () => {
  payload = await initPayload()
  payload.collections.posts.config.hooks.afterChange.push(failOnTitle)
  editor = await createUser(payload, 'editor')
})

afterAll(async () => {
  await closePayload(payload)
})

/** Runs `write` and returns the rows it appended. */
const changesOf = async (write: () => Promise<unknown>): Promise<RecordedChange[]> => {
  const before = await readHeadPosition(payload)
  await write()
  return readChangesAfter(payload, before, 100)
}


const updatePost = (id: number | string, data: Record<string, unknown>, options: { draft?: boolean; locale?: 'en' | 'de' } = {}) =>
  payload.update({ collection: 'posts', id, overrideAccess: true, data: data as never, ...options })

describe('what is recorded', () => {
  test('publishing, editing, unpublishing, republishing and deleting a post', async () => {
    let id: number | string = 0
    const published = await changesOf(async () => {
      id = (await createPost(payload, 'Logged', 'published')).id
    })
    expect(published).toEqual([
      expect.objectContaining({
        collectionSlug: 'posts',
        documentId: String(id),
        event: 'published',
        locales: ['en', 'de'],
        tags: ['posts', `posts:${id}`],
        actor: null,
      }),
    ])
    expect(await changesOf(() => updatePost(id, { title: 'Logged again' }))).toMatchObject([{ event: 'updated' }])
    expect(await changesOf(() => updatePost(id, { _status: 'draft' }))).toMatchObject([{ event: 'unpublished' }])
    expect(await changesOf(() => updatePost(id, { _status: 'published' }))).toMatchObject([{ event: 'published' }])
    expect(await changesOf(() => payload.delete({ collection: 'posts', id, overrideAccess: true }))).toMatchObject([
      { event: 'deleted', documentId: String(id) },
    ])
  })

  test('a draft saved over a published post changes nothing a reader sees, and is not recorded', async () => {
    const post = await createPost(payload, 'Published under a draft', 'published')
    expect(await changesOf(() => updatePost(post.id, { title: 'Only in the draft' }, { draft: true }))).toEqual([])
    // Publishing the draft is.
    expect(await changesOf(() => updatePost(post.id, { _status: 'published' }))).toMatchObject([{ event: 'updated' }])
  })

  test('unpublishing or deleting a published post that has a newer draft is recorded', async () => {
    // Payload hands the hooks the newest version (the draft) as the previous document, not the published one.
    const post = await createPost(payload, 'Published, then drafted over', 'published')
    await updatePost(post.id, { title: 'Newer draft' }, { draft: true })
    expect(await changesOf(() => updatePost(post.id, { _status: 'draft' }))).toMatchObject([{ event: 'unpublished' }])
    expect(await payload.count({ collection: 'posts', overrideAccess: false, where: { id: { equals: post.id } } })).toEqual({ totalDocs: 0 })
    // Once unpublished, another draft over it is nothing a reader sees.
    expect(await changesOf(() => updatePost(post.id, { title: 'Still a draft' }, { draft: true }))).toEqual([])

    const other = await createPost(payload, 'Published, then drafted over, then deleted', 'published')
    await updatePost(other.id, { title: 'Newer draft' }, { draft: true })
    expect(await changesOf(() => payload.delete({ collection: 'posts', id: other.id, overrideAccess: true }))).toMatchObject([
      { event: 'deleted' },
    ])
  })

  test('a draft save or autosave costs the log no read: one look at the stored document decides', async () => {
    const published = await createPost(payload, 'Autosaved under a draft', 'published')
    const unpublished = await createPost(payload, 'Autosaved, never published', 'draft')
    await updatePost(published.id, { title: 'First draft' }, { draft: true })
    const reads: string[] = []
    const { find, findOne } = payload.db
    payload.db.find = ((args: { collection: string }) => (reads.push(`find ${args.collection}`), find.call(payload.db, args as never))) as never
    payload.db.findOne = ((args: { collection: string }) => (reads.push(`findOne ${args.collection}`), findOne.call(payload.db, args as never))) as never
    try {
      for (const id of [published.id, unpublished.id]) {
        let during: string[] = []
        const changes = await changesOf(async () => {
          reads.length = 0
          await payload.update({ collection: 'posts', id, overrideAccess: true, draft: true, autosave: true, data: { title: 'Autosaved again' } as never })
          during = [...reads]
        })
        expect(changes).toEqual([])
        expect(during.filter((read) => read.endsWith('content-changes'))).toEqual([])
      }
    } finally {
      payload.db.find = find
      payload.db.findOne = findOne
    }
  })

  test('drafts that were never published leave no trace, even when deleted', async () => {
    const changes = await changesOf(async () => {
      const draft = await createPost(payload, 'Never shown', 'draft')
      await updatePost(draft.id, { title: 'Still never shown' }, { draft: true })
      await payload.delete({ collection: 'posts', id: draft.id, overrideAccess: true })
    })
    expect(changes).toEqual([])
  })

  test('an edit in one language names that language', async () => {
    const post = await createPost(payload, 'Bilingual', 'published')
    const german = { title: 'Zweisprachig', content: richTextFromPlain('Auf Deutsch.') }
    expect(await changesOf(() => updatePost(post.id, german, { locale: 'de' }))).toMatchObject([
      { event: 'updated', locales: ['de'] },
    ])
    // A field both languages share changes both.
    expect(await changesOf(() => updatePost(post.id, { publishedAt: '2026-01-02T00:00:00.000Z' }, { locale: 'de' }))).toMatchObject([
      { event: 'updated', locales: ['en', 'de'] },
    ])
  })

  test('an update names the top-level fields readers see changed, only when the previous document is what they saw', async () => {
    const post = await createPost(payload, 'Fields', 'published')
    const retitled = await changesOf(() => updatePost(post.id, { title: 'Fields, retitled' }))
    expect(retitled).toMatchObject([{ event: 'updated' }])
    expect(retitled[0]!.fields).toEqual(expect.arrayContaining(['title', 'updatedAt']))
    expect(retitled[0]!.fields).not.toContain('slug')
    expect(retitled[0]!.fields).not.toContain('categories')
    // A populated answer (depth 2) and the depth-0 previous document name the same references alike.
    const category = await payload.create({ collection: 'categories', overrideAccess: true, data: { title: 'Fields category' } as never })
    const recategorized = await changesOf(() =>
      payload.update({ collection: 'posts', id: post.id, overrideAccess: true, depth: 2, data: { categories: [category.id] } as never }),
    )
    expect(recategorized[0]!.fields).toContain('categories')
    expect(recategorized[0]!.fields).not.toContain('title')
    const again = await changesOf(() =>
      payload.update({ collection: 'posts', id: post.id, overrideAccess: true, depth: 2, data: { title: 'Fields, third title' } as never }),
    )
    expect(again[0]!.fields).not.toContain('categories')
    // Published over a newer draft: Payload passes the draft as the previous document, so the fields are unknown.
    await updatePost(post.id, { slug: 'fields-drafted' }, { draft: true })
    // (A new slug also records the redirects that follow the post.)
    const republished = await changesOf(() => updatePost(post.id, { _status: 'published' }))
    expect(republished.filter(({ collectionSlug }) => collectionSlug === 'posts')).toMatchObject([{ event: 'updated', fields: null }])
    // Membership changes and globals carry none.
    expect(await changesOf(() => updatePost(post.id, { _status: 'draft' }))).toMatchObject([{ event: 'unpublished', fields: null }])
    const header = await changesOf(() => payload.updateGlobal({ slug: 'header', overrideAccess: true, data: { _status: 'published', navItems: [] } }))
    expect(header).toMatchObject([{ fields: null }])
    // Collections without drafts: the previous document is always what readers saw.
    const renamed = await changesOf(() => payload.update({ collection: 'categories', id: category.id, overrideAccess: true, data: { title: 'Renamed' } as never }))
    expect(renamed.find(({ event }) => event === 'updated')!.fields).toContain('title')
  })

  test('who made the change is named by collection and id', async () => {
    const changes = await changesOf(() =>
      payload.create({
        collection: 'posts',
        user: editor,
        overrideAccess: false,
        data: { ...postData('By an editor'), _status: 'published' } as never,
      }),
    )
    expect(changes).toMatchObject([{ actor: `users:${editor.id}` }])
  })

  test('collections without drafts, and globals', async () => {
    const category = await changesOf(() =>
      payload.create({ collection: 'categories', overrideAccess: true, data: { title: 'Logged category' } as never }),
    )
    // The nested-docs plugin saves a new category again in the same transaction (its breadcrumbs).
    expect(category.map(({ event }) => event)).toContain('published')
    expect(new Set(category.map(({ collectionSlug }) => collectionSlug))).toEqual(new Set(['categories']))
    const header = await changesOf(() => payload.updateGlobal({ slug: 'header', overrideAccess: true, data: { _status: 'published', navItems: [] } }))
    expect(header).toEqual([expect.objectContaining({ globalSlug: 'header', event: 'updated', tags: ['global:header'] })])
    expect(header[0]!.collectionSlug).toBeUndefined()
  })

  test('a user is recorded only when what posts show of them changes', async () => {
    const author = await createUser(payload, 'author', 'Ada Writer')
    expect(await changesOf(() => payload.update({ collection: 'users', id: author.id, overrideAccess: true, data: { role: 'editor' } }))).toEqual([])
    expect(
      await changesOf(() => payload.login({ collection: 'users', data: { email: author.email, password: 'password-123456' } })),
    ).toEqual([])
    expect(
      await changesOf(() => payload.update({ collection: 'users', id: author.id, overrideAccess: true, data: { name: 'Ada Lovelace' } })),
    ).toMatchObject([{ collectionSlug: 'users', event: 'updated' }])
  })

  test('form submissions are not content', async () => {
    const form = await payload.create({
      collection: 'forms',
      overrideAccess: true,
      data: {
        title: 'Unlogged',
        confirmationType: 'message',
        confirmationMessage: richTextFromPlain('Thanks.'),
        fields: [{ blockType: 'text', name: 'name', label: 'Name' }],
      } as never,
    })
    const changes = await changesOf(() =>
      payload.create({
        collection: 'form-submissions',
        overrideAccess: true,
        data: { form: form.id, submissionData: [{ field: 'name', value: 'Ada' }] } as never,
      }),
    )
    expect(changes).toEqual([])
  })

  test('a write that fails after its hooks ran leaves no row and no position behind', async () => {
    const before = await readHeadPosition(payload)
    await expect(createPost(payload, 'EXPLODE', 'published')).rejects.toThrow('a hook failed after the write')
    expect(await readHeadPosition(payload)).toBe(before)
    expect(await readChangesAfter(payload, before, 10)).toEqual([])
  })

  test('the content version is the log head', async () => {
    await createPost(payload, 'Head', 'published')
    const version = await readContentVersion(payload)
    const [last] = (await readChangesAfter(payload, version!.position - 1, 10)).slice(-1)
    expect(last!.position).toBe(version!.position)
    expect(version!.version).toBe(`${version!.epoch}.${version!.position}`)
  })
})

describe('order', () => {
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

  test('a writer that starts after another has taken a position commits after it, with the next one', async () => {
    const post = await createPost(payload, 'First writer', 'published')
    const other = await createPost(payload, 'Second writer', 'published')
    const head = await readHeadPosition(payload)

    // Writer A: a transaction that has recorded its change but not committed yet.
    const transactionID = await payload.db.beginTransaction()
    const reqA = await createLocalReq({}, payload)
    reqA.transactionID = transactionID!
    const changeA = await appendChange(reqA, { collection: 'posts', id: post.id, event: 'updated', locales: ['en'] })
    expect(changeA.position).toBe(head + 1)

    // Writer B starts now and must not get ahead of A.
    let settledB: 'committed' | 'failed' | undefined
    const writerB = updatePost(other.id, { title: 'Second writer, edited' }).then(
      () => (settledB = 'committed'),
      (error: unknown) => {
        settledB = 'failed'
        return error
      },
    )
    await sleep(400)
    if (payload.db.name !== 'mongoose') expect(settledB).toBeUndefined()
    // A reader meanwhile sees neither: A has not committed, and B waits behind it.
    expect(await readChangesAfter(payload, head, 10)).toEqual([])

    await payload.db.commitTransaction(transactionID!)
    await writerB
    const seen = await readChangesAfter(payload, head, 10)
    if (payload.db.name === 'mongoose') {
      // MongoDB cannot make B wait: B's transaction fails on the version document instead, and
      // nothing of B is recorded or stored. Either way no reader can see B before A.
      expect(settledB).toBe('failed')
      expect(seen.map(({ position }) => position)).toEqual([head + 1])
    } else {
      expect(settledB).toBe('committed')
      expect(seen.map(({ position, documentId }) => [position, documentId])).toEqual([
        [head + 1, String(post.id)],
        [head + 2, String(other.id)],
      ])
    }
  })

  test('concurrent writers: a reader following the log never skips a change', async () => {
    const posts = await Promise.all(Array.from({ length: 4 }, (_, index) => createPost(payload, `Concurrent ${index}`, 'published')))
    const start = await readHeadPosition(payload)
    const writes = 12
    let writing = true

    const seen: number[] = []
    const reader = (async () => {
      let cursor = start
      while (writing || cursor < (await readHeadPosition(payload))) {
        const rows = await readChangesAfter(payload, cursor, 5)
        for (const row of rows) {
          // Every row a reader gets follows the last one it saw: nothing appeared behind its cursor.
          expect(row.position).toBe(cursor + 1)
          seen.push(row.position)
          cursor = row.position
        }
        await sleep(2)
      }
    })()

    const failures: unknown[] = []
    await Promise.all(
      posts.map(async (post, writer) => {
        for (let round = 0; round < writes / posts.length; round += 1) {
          await updatePost(post.id, { title: `Concurrent ${writer}, round ${round}` }).catch((error: unknown) => {
            // MongoDB refuses a concurrent writer instead of making it wait (see the test above).
            if (payload.db.name !== 'mongoose') throw error
            failures.push(error)
          })
        }
      }),
    )
    writing = false
    await reader

    const head = await readHeadPosition(payload)
    expect(head).toBe(start + writes - failures.length)
    expect(seen).toEqual(Array.from({ length: head - start }, (_, index) => start + 1 + index))
  })
})

describe('compaction', () => {
  test('keeps the last change of each document, drops expired tombstones and refuses cursors before them', async () => {
    const kept = await createPost(payload, 'Compacted, kept', 'published')
    await updatePost(kept.id, { title: 'Compacted, kept, edited' })
    const removed = await createPost(payload, 'Compacted, removed', 'published')
    await payload.delete({ collection: 'posts', id: removed.id, overrideAccess: true })
    const head = await readHeadPosition(payload)

    // Within the retention period: only superseded rows go, and every cursor stays valid.
    const recent = await compactChangeLog(payload, { retentionDays: 30 })
    expect(recent.superseded).toBeGreaterThan(0)
    expect(recent.expiredRemovals).toBe(0)
    expect(await readRetainedFrom(payload)).toBe(0)
    const rows = await readChangesAfter(payload, 0, 10_000)
    const forKept = rows.filter((row) => row.documentId === String(kept.id) && row.collectionSlug === 'posts')
    expect(forKept).toMatchObject([{ event: 'updated' }])
    expect(rows.filter((row) => row.documentId === String(removed.id) && row.collectionSlug === 'posts')).toMatchObject([
      { event: 'deleted' },
    ])
    const keys = rows.map((row) => row.globalSlug ?? `${row.collectionSlug}:${row.documentId}`)
    expect(new Set(keys).size).toBe(keys.length)

    // A year later the tombstone has expired: it goes, and cursors before it must start over.
    const later = await compactChangeLog(payload, { retentionDays: 30, now: new Date(Date.now() + 365 * 86_400_000) })
    expect(later.expiredRemovals).toBeGreaterThan(0)
    const retainedFrom = await readRetainedFrom(payload)
    expect(retainedFrom).toBeGreaterThanOrEqual(rows.find((row) => row.documentId === String(removed.id))!.position)
    expect(retainedFrom).toBeLessThanOrEqual(head)
    // The head never moves back.
    expect(await readHeadPosition(payload)).toBe(head)
  })

  test('runs daily through the jobs queue', async () => {
    const task = payload.config.jobs.tasks?.find(({ slug }) => slug === 'compactChangeLog')
    expect(task?.schedule).toEqual([expect.objectContaining({ cron: expect.any(String), queue: 'default' })])
    const post = await createPost(payload, 'Compacted by the queue', 'published')
    await updatePost(post.id, { title: 'Compacted by the queue, edited' })
    const job = await payload.jobs.queue({ task: 'compactChangeLog', input: {} })
    const result = await payload.jobs.runByID({ id: job.id })
    expect(result.jobStatus?.[String(job.id)]).toMatchObject({ status: 'success' })
    const rows = await readChangesAfter(payload, 0, 10_000)
    expect(rows.filter((row) => row.collectionSlug === 'posts' && row.documentId === String(post.id))).toHaveLength(1)
  })

  test("the schedule's bookkeeping (Payload's payload-jobs-stats global) is Payload's to write: not an editor's", async () => {
    const author = await createUser(payload, 'author')
    await expect(
      payload.updateGlobal({ slug: 'payload-jobs-stats' as never, user: author, overrideAccess: false, data: { stats: {} } as never }),
    ).rejects.toThrow(/not allowed/i)
    await payload.updateGlobal({ slug: 'payload-jobs-stats' as never, data: { stats: { marker: 1 } } as never })
    const reader = await createUser(payload, 'editor')
    await expect(
      payload.findGlobal({ slug: 'payload-jobs-stats' as never, user: reader, overrideAccess: false }),
    ).rejects.toThrow(/not allowed/i)
  })
})
