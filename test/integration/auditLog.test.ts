// The audit log (src/auditLog/): who did what, when and from where, written in the write's own
// transaction. Runs on SQLite and PostgreSQL (TEST_DATABASE=postgres).
import type { CollectionAfterChangeHook, Payload } from 'payload'
import { createLocalReq } from 'payload'

import { AUDIT_LOG } from '../../src/auditLog/collection'
import { AUTOSAVE_WINDOW_MINUTES } from '../../src/auditLog/hooks'
import { isAudited } from '../../src/auditLog/plugin'
import { pruneAuditLog } from '../../src/auditLog/retention'
import { Posts } from '../../src/collections/Posts'
import { closePayload } from '../../src/db/closePayload'
import { richTextFromPlain } from '../../src/seed/lexical'
import type { TestUser } from '../helpers/payload'
import { createUser, initPayload, postData, viaApiKey } from '../helpers/payload'

let payload: Payload
let admin: TestUser
let editor: TestUser
let author: TestUser

type Entry = {
  id: number | string
  action: string
  entity: string
  documentId?: string | null
  changedFields?: string[]
  user?: number | string | { id: number | string } | null
  actorLabel?: string | null
  viaApiKey?: boolean
  ip?: string | null
  userAgent?: string | null
  locale?: string | null
  detail?: string | null
  createdAt: string
}

const failOnTitle: CollectionAfterChangeHook = ({ doc }) => {
  if (String(doc.title).includes('EXPLODE')) throw new Error('a hook failed after the write')
  return doc
}

beforeAll(async () => {
  payload = await initPayload()
  // After the audit log's own hook: a write that fails later must take its entry with it.
  payload.collections.posts.config.hooks.afterChange.push(failOnTitle)
  admin = await createUser(payload, 'admin')
  editor = await createUser(payload, 'editor')
  author = await createUser(payload, 'author')
})

afterAll(async () => {
  await closePayload(payload)
})

/** Where the current test's entries begin: SQLite gives a deleted document's id to the next one. */
let mark: number | string = 0

beforeEach(async () => {
  const { docs } = await payload.find({ collection: AUDIT_LOG, sort: '-id', limit: 1, depth: 0 })
  mark = docs[0]?.id ?? 0
})

const entriesFor = async (entity: string, documentId?: number | string | null): Promise<Entry[]> => {
  const { docs } = await payload.find({
    collection: AUDIT_LOG,
    where: {
      and: [
        { id: { greater_than: mark } },
        { entity: { equals: entity } },
        ...(documentId === undefined ? [] : [documentId === null ? { documentId: { exists: false } } : { documentId: { equals: String(documentId) } }]),
      ],
    },
    sort: 'id',
    depth: 0,
    limit: 0,
    pagination: false,
  })
  return docs as unknown as Entry[]
}

const as = (user: TestUser) => ({ user, overrideAccess: false })

describe('what is recorded', () => {
  test('create, edit, publish, unpublish and delete of a post: who, what, which fields', async () => {
    const post = await payload.create({
      collection: 'posts',
      ...as(editor),
      draft: true,
      data: { ...postData('Audited'), _status: 'draft' } as never,
    })
    await payload.update({ collection: 'posts', id: post.id, ...as(editor), draft: true, data: { title: 'Audited, edited' } })
    await payload.update({ collection: 'posts', id: post.id, ...as(editor), data: { _status: 'published' } })
    await payload.update({ collection: 'posts', id: post.id, ...as(editor), data: { excerpt: 'Now with an excerpt.' } as never })
    await payload.update({ collection: 'posts', id: post.id, ...as(editor), data: { _status: 'draft' } })
    await payload.delete({ collection: 'posts', id: post.id, ...as(editor) })

    const entries = await entriesFor('posts', post.id)
    expect(entries.map(({ action }) => action)).toEqual(['create', 'update', 'publish', 'update', 'unpublish', 'delete'])
    for (const entry of entries) {
      expect(entry).toMatchObject({ user: editor.id, actorLabel: editor.email, viaApiKey: false, documentId: String(post.id) })
      // The Local API has no client.
      expect(entry.ip ?? null).toBeNull()
    }
    expect(entries[0].changedFields).toEqual(expect.arrayContaining(['title', 'content']))
    expect(entries[0].changedFields).not.toContain('updatedAt')
    expect(entries[1].changedFields).toEqual(['title'])
    expect(entries[3].changedFields).toEqual(['excerpt'])
    expect(entries[5].changedFields).toEqual([])
    // Computed fields (reading time, populated authors, HTML renditions) are not edits.
    expect(entries.flatMap(({ changedFields }) => changedFields ?? [])).not.toEqual(
      expect.arrayContaining(['readingTime']),
    )
  })

  test('a draft saved over a published post is an update; publishing it again is an update of what readers see', async () => {
    const post = await payload.create({ collection: 'posts', ...as(editor), data: { ...postData('Live'), _status: 'published' } as never })
    await payload.update({ collection: 'posts', id: post.id, ...as(editor), draft: true, data: { title: 'Live, draft edit' } })
    await payload.update({ collection: 'posts', id: post.id, ...as(editor), data: { _status: 'published' } })
    const actions = (await entriesFor('posts', post.id)).map(({ action }) => action)
    expect(actions).toEqual(['create', 'update', 'update'])
  })

  test('an edit in German names the field and the language', async () => {
    const post = await payload.create({ collection: 'posts', ...as(editor), data: { ...postData('Translated'), _status: 'published' } as never })
    await payload.update({
      collection: 'posts',
      id: post.id,
      ...as(editor),
      locale: 'de',
      data: { title: 'Übersetzt', content: richTextFromPlain('Auf Deutsch.') },
    })
    await payload.update({ collection: 'posts', id: post.id, ...as(editor), locale: 'de', data: { title: 'Übersetzt, neu' } })
    const [, german, again] = await entriesFor('posts', post.id)
    expect(german).toMatchObject({ action: 'update', locale: 'de' })
    expect(german.changedFields!.sort()).toEqual(['content', 'excerpt', 'title'])
    expect(again).toMatchObject({ action: 'update', locale: 'de' })
    expect(again.changedFields).toEqual(['title'])
  })

  test('a global: rows added, then a field inside a row, as paths', async () => {
    await payload.updateGlobal({
      slug: 'header',
      ...as(editor),
      data: { navItems: [{ link: { type: 'custom', url: '/a', label: 'A' } }] },
    })
    const header = await payload.findGlobal({ slug: 'header', depth: 0 })
    await payload.updateGlobal({
      slug: 'header',
      ...as(editor),
      data: { navItems: [{ ...header.navItems![0], link: { ...header.navItems![0].link, label: 'Renamed' } }] },
    })
    const entries = await entriesFor('header')
    expect(entries.slice(-2)).toEqual([
      expect.objectContaining({ action: 'update', documentId: null, changedFields: ['navItems'], user: editor.id }),
      expect.objectContaining({ action: 'update', changedFields: ['navItems.0.link.label'] }),
    ])
  })

  const trashTest = Posts.trash ? test : test.skip
  trashTest('moving to the trash and restoring (Payload trash)', async () => {
    const post = await payload.create({ collection: 'posts', ...as(editor), data: { ...postData('Trashed'), _status: 'published' } as never })
    await payload.update({ collection: 'posts', id: post.id, ...as(editor), data: { deletedAt: new Date().toISOString() } as never })
    await payload.update({ collection: 'posts', id: post.id, ...as(editor), trash: true, data: { deletedAt: null } as never } as never)
    expect((await entriesFor('posts', post.id)).map(({ action }) => action)).toEqual(['create', 'trash', 'restore'])
  })

  test('autosaves of one person on a draft gather into one entry with every field they touched', async () => {
    expect(AUTOSAVE_WINDOW_MINUTES).toBeGreaterThan(0)
    const post = await payload.create({ collection: 'posts', ...as(editor), draft: true, data: { ...postData('Typing'), _status: 'draft' } as never })
    for (const title of ['Typing.', 'Typing..', 'Typing...']) {
      await payload.update({ collection: 'posts', id: post.id, ...as(editor), draft: true, autosave: true, data: { title } })
    }
    await payload.update({ collection: 'posts', id: post.id, ...as(editor), draft: true, autosave: true, data: { excerpt: 'An excerpt.' } as never })
    // Another person's autosave starts their own entry.
    await payload.update({ collection: 'posts', id: post.id, ...as(admin), draft: true, autosave: true, data: { title: 'Typing, admin' } })
    const entries = await entriesFor('posts', post.id)
    expect(entries.map(({ action, detail, user }) => [action, detail ?? null, user])).toEqual([
      ['create', null, editor.id],
      ['update', 'autosave', editor.id],
      ['update', 'autosave', admin.id],
    ])
    expect(entries[1].changedFields!.sort()).toEqual(['excerpt', 'title'])
  })

  test('a sign-in through the Local API is recorded in its transaction', async () => {
    await payload.login({ collection: 'users', data: { email: author.email, password: 'password-123456' } })
    const last = (await entriesFor('users', author.id)).at(-1)!
    expect(last).toMatchObject({ action: 'login', user: author.id, actorLabel: author.email, viaApiKey: false })
  })

  test('a password reset with an emailed link: the new password and the sign-in it leads to, no token', async () => {
    const person = await createUser(payload, 'author')
    const token = await payload.forgotPassword({ collection: 'users', data: { email: person.email }, disableEmail: true })
    expect(token).toEqual(expect.any(String))
    const password = 'reset-secret-password-99'
    await payload.resetPassword({ collection: 'users', data: { token: token!, password }, overrideAccess: true })
    const entries = await entriesFor('users', person.id)
    expect(entries.map(({ action, changedFields, user, detail }) => [action, changedFields, user, detail ?? null])).toEqual([
      ['create', expect.arrayContaining(['password']), null, null],
      // The reset token is a hidden field: the entry says what happened, not the token.
      ['update', [], null, 'password reset link sent'],
      ['update', ['password'], person.id, 'password reset with an emailed link'],
      ['login', [], person.id, null],
    ])
    const raw = JSON.stringify(entries)
    expect(raw).not.toContain(token)
    expect(raw).not.toContain(password)
  })

  test('a new password and a new API key are named, never stored', async () => {
    const user = await payload.create({
      collection: 'users',
      ...as(admin),
      data: { email: `secrets-${Date.now()}@greenroom.test`, password: 'password-123456', name: 'Secretive', role: 'editor' },
    })
    const password = 'a-new-secret-password-4711'
    const apiKey = 'c0ffee00-dead-beef-cafe-0123456789ab'
    await payload.update({ collection: 'users', id: user.id, ...as(admin), data: { password } })
    await payload.update({ collection: 'users', id: user.id, ...as(admin), data: { enableAPIKey: true, apiKey } as never })
    const entries = await entriesFor('users', user.id)
    const [create, passwordChange, keyChange] = entries
    expect(create).toMatchObject({ action: 'create', user: admin.id })
    expect(create.changedFields).toEqual(expect.arrayContaining(['password', 'email', 'name']))
    expect(passwordChange).toMatchObject({ action: 'update', changedFields: ['password'] })
    expect(keyChange.action).toBe('update')
    expect(keyChange.changedFields).toEqual(expect.arrayContaining(['enableAPIKey', 'apiKey']))
    // Nothing of the secrets anywhere in the stored entries, as the database holds them.
    const stored = await payload.db.find({ collection: AUDIT_LOG, where: { entity: { equals: 'users' } }, limit: 0, pagination: false, req: {} })
    const raw = JSON.stringify(stored.docs)
    const { docs: [account] } = await payload.db.find<{ id: number; hash?: string; salt?: string }>({
      collection: 'users',
      where: { id: { equals: user.id } },
      limit: 1,
      req: {},
    })
    expect(account.hash).toEqual(expect.any(String))
    for (const secret of [password, apiKey, account.hash!, account.salt!, 'password-123456']) expect(raw).not.toContain(secret)
  })

  test('a write made with an API key is refused and leaves nothing; a key use that Payload itself lets write is marked', async () => {
    const before = (await entriesFor('posts')).length
    await expect(
      payload.create({ collection: 'posts', ...as(viaApiKey(editor)), data: { ...postData('By key'), _status: 'published' } as never }),
    ).rejects.toThrow(/API key/)
    expect(await entriesFor('posts')).toHaveLength(before)
    // With overrideAccess (a hook acting on a key's request) the write goes through, and the entry says whose key it was.
    const post = await payload.create({ collection: 'posts', user: viaApiKey(editor), data: { ...postData('Key by hook'), _status: 'published' } as never })
    expect((await entriesFor('posts', post.id))[0]).toMatchObject({ viaApiKey: true, actorLabel: `API key of ${editor.email}`, user: editor.id })
  })

  test('every collection is audited unless it is named as left out; every global is audited', () => {
    const audited = payload.config.collections.filter(({ hooks }) =>
      hooks.afterDelete?.some((hook) => hook.name === 'recordCollectionDelete'),
    )
    for (const collection of payload.config.collections) {
      const has = collection.hooks.afterDelete?.some((hook) => hook.name === 'recordCollectionDelete')
      expect([collection.slug, Boolean(has)]).toEqual([collection.slug, isAudited(collection)])
    }
    expect(audited.map(({ slug }) => slug)).toEqual(expect.arrayContaining(['posts', 'pages', 'categories', 'media', 'users', 'redirects', 'forms', 'form-submissions']))
    for (const global of payload.config.globals.filter(({ slug }) => !slug.startsWith('payload-'))) {
      expect([global.slug, global.hooks.afterChange?.some((hook) => hook.name === 'recordGlobalWrite')]).toEqual([global.slug, true])
    }
  })
})

describe('nothing for a write that rolls back', () => {
  test('a hook that fails after the audit entry was written takes the entry with it', async () => {
    const post = await payload.create({ collection: 'posts', ...as(editor), data: { ...postData('Stays'), _status: 'published' } as never })
    const before = await entriesFor('posts', post.id)
    const creates = (await entriesFor('posts')).filter(({ action }) => action === 'create').length
    await expect(
      payload.update({ collection: 'posts', id: post.id, ...as(editor), data: { title: 'EXPLODE now' } }),
    ).rejects.toThrow(/hook failed/)
    await expect(
      payload.create({ collection: 'posts', ...as(editor), data: { ...postData('EXPLODE on create'), _status: 'published' } as never }),
    ).rejects.toThrow(/hook failed/)
    expect(await entriesFor('posts', post.id)).toEqual(before)
    expect((await entriesFor('posts')).filter(({ action }) => action === 'create')).toHaveLength(creates)
  })

  test('a stale publish is refused and recorded nowhere', async () => {
    const post = await payload.create({ collection: 'posts', ...as(editor), draft: true, data: { ...postData('Stale'), _status: 'draft' } as never })
    const staleCopy = post.updatedAt
    await payload.update({ collection: 'posts', id: post.id, ...as(admin), draft: true, data: { title: 'Stale, edited by the admin' } })
    const before = await entriesFor('posts', post.id)
    await expect(
      payload.update({ collection: 'posts', id: post.id, ...as(editor), data: { _status: 'published', updatedAt: staleCopy } as never }),
    ).rejects.toThrow(/changed by someone else/)
    expect(await entriesFor('posts', post.id)).toEqual(before)
  })
})

describe('who may read and write the log', () => {
  test('only admins read it; nobody writes it through the API, not even admins', async () => {
    const { totalDocs } = await payload.count({ collection: AUDIT_LOG, ...as(admin) })
    expect(totalDocs).toBeGreaterThan(0)
    for (const reader of [editor, author, viaApiKey(admin)]) {
      await expect(payload.find({ collection: AUDIT_LOG, ...as(reader) })).rejects.toThrow(/not allowed/i)
    }
    await expect(payload.find({ collection: AUDIT_LOG, overrideAccess: false })).rejects.toThrow(/not allowed/i)
    const [entry] = (await payload.find({ collection: AUDIT_LOG, limit: 1, depth: 0 })).docs
    for (const user of [admin, editor, viaApiKey(admin)]) {
      await expect(
        payload.create({ collection: AUDIT_LOG, ...as(user), data: { action: 'login', entity: 'users' } as never }),
      ).rejects.toThrow(/not allowed|API key/i)
      await expect(payload.update({ collection: AUDIT_LOG, id: entry.id, ...as(user), data: { ip: '1.2.3.4' } as never })).rejects.toThrow(
        /not allowed|API key/i,
      )
      await expect(payload.delete({ collection: AUDIT_LOG, id: entry.id, ...as(user) })).rejects.toThrow(/not allowed|API key/i)
    }
    const again = await payload.findByID({ collection: AUDIT_LOG, id: entry.id, depth: 0 })
    expect(again).toMatchObject({ ip: entry.ip ?? null })
  })

  test("a plugin's follow-up of a create is part of it; a later edit in the same request is its own entry", async () => {
    const req = await createLocalReq({ user: editor }, payload)
    // Nested docs updates a new category from its afterChange hook (its breadcrumbs).
    const category = await payload.create({ collection: 'categories', data: { title: 'Nested' } as never, req })
    await payload.update({ collection: 'categories', id: category.id, data: { title: 'Nested, renamed' } as never, req })
    const entries = await entriesFor('categories', category.id)
    expect(entries.map(({ action, changedFields }) => [action, changedFields])).toEqual([
      ['create', expect.arrayContaining(['title', 'slug'])],
      ['update', expect.arrayContaining(['title'])],
    ])
  })

  test('a deleted user stays named by their email', async () => {
    const leaving = await createUser(payload, 'editor')
    const category = await payload.create({ collection: 'categories', ...as(leaving), data: { title: 'Left behind' } as never })
    await payload.delete({ collection: 'users', id: leaving.id, ...as(admin) })
    const [entry] = await entriesFor('categories', category.id)
    expect(entry).toMatchObject({ action: 'create', actorLabel: leaving.email, documentId: String(category.id) })
    expect(entry.user ?? null).toBeNull()
  })
})

describe('retention', () => {
  test('entries older than the retention period are deleted in batches; newer ones stay; 0 keeps everything', async () => {
    const now = new Date()
    const old = new Date(now.getTime() - 40 * 24 * 60 * 60 * 1000).toISOString()
    const ids: (number | string)[] = []
    for (let index = 0; index < 3; index += 1) {
      const entry = await payload.create({ collection: AUDIT_LOG, data: { action: 'login', entity: 'users', actorLabel: `old ${index}` } as never })
      await payload.db.updateOne({ collection: AUDIT_LOG, id: entry.id, data: { createdAt: old }, req: {} })
      ids.push(entry.id)
    }
    const total = (await payload.count({ collection: AUDIT_LOG })).totalDocs
    expect(await pruneAuditLog(payload, { retentionDays: 0, now })).toEqual({ deleted: 0 })
    expect(await pruneAuditLog(payload, { retentionDays: 30, now })).toEqual({ deleted: 3 })
    expect((await payload.count({ collection: AUDIT_LOG })).totalDocs).toBe(total - 3)
    expect((await payload.count({ collection: AUDIT_LOG, where: { id: { in: ids } } })).totalDocs).toBe(0)
  })

  test('runs daily through the jobs queue', async () => {
    const task = payload.config.jobs.tasks?.find(({ slug }) => slug === 'pruneAuditLog')
    expect(task?.schedule).toEqual([expect.objectContaining({ cron: expect.any(String), queue: 'default' })])
    const entry = await payload.create({ collection: AUDIT_LOG, data: { action: 'login', entity: 'users' } as never })
    await payload.db.updateOne({ collection: AUDIT_LOG, id: entry.id, data: { createdAt: '2000-01-01T00:00:00.000Z' }, req: {} })
    const job = await payload.jobs.queue({ task: 'pruneAuditLog', input: {} })
    const result = await payload.jobs.runByID({ id: job.id })
    expect(result.jobStatus?.[String(job.id)]).toMatchObject({ status: 'success' })
    expect((await payload.count({ collection: AUDIT_LOG, where: { id: { equals: entry.id } } })).totalDocs).toBe(0)
  })
})
