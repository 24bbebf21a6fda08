// `GET /api/sync` (src/sync/) through Payload's own REST handling (handleEndpoints, as the server
// calls it), on this suite's database: full sync in keyset pages while writes happen between them,
// deltas after publish, edit, unpublish and delete, drafts never, and the 400 and 410 answers.
import type { Payload } from 'payload'
import { handleEndpoints } from 'payload'

import { readHeadPosition } from '../../src/changes/changeLog'
import { readContentVersion, retainChangesFrom } from '../../src/changes/contentVersion'
import { closePayload } from '../../src/db/closePayload'
import { encodeCursor } from '../../src/sync/cursor'
import { createUser, initPayload, postData } from '../helpers/payload'

type Json = Record<string, any>

let payload: Payload

beforeAll(async () => {
  payload = await initPayload()
})

afterAll(async () => {
  await closePayload(payload)
})

/** The change log's epoch, which every cursor of this database carries. */
const epoch = async () => (await readContentVersion(payload))!.epoch

const sync = async (query: string, headers: Record<string, string> = {}): Promise<{ status: number; body: Json }> => {
  const response = await handleEndpoints({
    config: payload.config,
    request: new Request(`http://localhost/api/sync${query}`, { headers }),
  })
  return { status: response.status, body: (await response.json()) as Json }
}

/** Pages until `hasMore: false`, with `between` run after every page but the last. */
const syncAll = async (query: string, cursor?: string, between?: (page: number) => Promise<void>) => {
  const changes: Json[] = []
  let pages = 0
  for (;;) {
    const separator = query ? '&' : ''
    const { status, body } = await sync(`?${query}${cursor ? `${separator}cursor=${encodeURIComponent(cursor)}` : ''}`)
    expect(status).toBe(200)
    pages += 1
    changes.push(...body.changes)
    cursor = body.nextCursor as string
    if (!body.hasMore) return { changes, cursor, pages, last: body }
    await between?.(pages)
  }
}

/** A site's copy: what applying the changes in order leaves. */
const apply = (site: Map<string, Json>, changes: Json[]) => {
  for (const change of changes) {
    const key = change.global ? `global:${change.global}` : `${change.collection}:${change.id}`
    if (change.op === 'upsert') site.set(key, change.doc)
    else site.delete(key)
  }
  return site
}

const published = (title: string) =>
  payload.create({ collection: 'posts', overrideAccess: true, depth: 0, data: { ...postData(title), _status: 'published' } as never })
const draftOnly = (title: string) =>
  payload.create({ collection: 'posts', overrideAccess: true, draft: true, depth: 0, data: { ...postData(title), _status: 'draft' } as never })
const edit = (id: number | string, data: Json, draft = false) =>
  payload.update({ collection: 'posts', id, overrideAccess: true, draft, depth: 0, data })

/** Every published post now, as the public sees it: what a synced site must hold. */
const publishedPostTitles = async () => {
  const { docs } = await payload.find({ collection: 'posts', pagination: false, overrideAccess: false, draft: false, depth: 0 })
  return new Map(docs.map((doc) => [`posts:${doc.id}`, doc.title]))
}
const titlesOf = (site: Map<string, Json>) =>
  new Map([...site].filter(([key]) => key.startsWith('posts:')).map(([key, doc]) => [key, doc.title]))

describe('full sync', () => {
  test('pages by id with no duplicates and no gaps while writes happen between pages; the delta after it completes the copy', async () => {
    const posts: Json[] = []
    for (let k = 0; k < 14; k++) posts.push(await published(`Paged ${k}`))
    const hidden = await draftOnly('Paged draft, never shown')
    const laterDraft = await draftOnly('Published during the walk, behind it')

    const seen: Json[] = []
    const { changes, cursor, pages } = await syncAll('collections=posts&globals=&limit=4&depth=0', undefined, async (page) => {
      if (page === 1) {
        // Ahead of the walk: deleted before it gets there, and a new post at the end of the id order.
        await payload.delete({ collection: 'posts', id: posts[10].id, overrideAccess: true })
        await published('Created during the walk')
        // Behind it: edited, deleted, and a draft published with an id the walk has passed.
        await edit(posts[0].id, { title: 'Paged 0, edited during the walk' })
        await payload.delete({ collection: 'posts', id: posts[1].id, overrideAccess: true })
      }
      if (page === 2) await edit(laterDraft.id, { _status: 'published' })
    })
    seen.push(...changes)

    expect(pages).toBeGreaterThanOrEqual(4)
    const ids = seen.map((change) => change.id)
    expect(new Set(ids).size).toBe(ids.length)
    expect([...ids].sort((a, b) => a - b)).toEqual(ids)
    expect(seen.every((change) => change.op === 'upsert' && change.collection === 'posts')).toBe(true)
    expect(ids).not.toContain(hidden.id)
    expect(ids).not.toContain(posts[10].id)
    // Every post that stayed published throughout is there.
    for (const post of posts.slice(2)) if (post.id !== posts[10].id) expect(ids).toContain(post.id)
    expect(seen.map((change) => change.doc.title)).toContain('Created during the walk')

    // The delta from the cursor the full sync ended with brings the copy up to date.
    const delta = await syncAll('collections=posts&globals=&depth=0', cursor)
    const site = apply(apply(new Map(), seen), delta.changes)
    expect(titlesOf(site)).toEqual(await publishedPostTitles())
    expect(delta.changes).toContainEqual(expect.objectContaining({ op: 'delete', id: posts[1].id, event: 'deleted' }))
    expect(delta.changes).toContainEqual(expect.objectContaining({ op: 'upsert', id: laterDraft.id }))
  })

  test('the last page carries the globals and a delta cursor at the position the sync began', async () => {
    await payload.updateGlobal({ slug: 'header', overrideAccess: true, data: { _status: 'published', navItems: [] } })
    const head = await readHeadPosition(payload)
    const { last, changes } = await syncAll('collections=categories&limit=2')
    expect(last.mode).toBe('full')
    expect(last.head).toBe(head)
    expect(last.nextCursor).toBe(encodeCursor({ mode: 'delta', epoch: await epoch(), position: head }))
    expect(changes.filter((change) => change.global).map((change) => change.global)).toEqual(['header', 'footer', 'site-settings'])
    expect(changes.every((change) => change.position === head)).toBe(true)
  })

  test('documents are what the REST API gives the public for the same depth, locale and select', async () => {
    const post = await published('Compared with REST')
    const { changes } = await syncAll('collections=posts&globals=&depth=1&locale=de&select[title]=true&select[categories]=true')
    const synced = changes.find((change) => change.id === post.id)!
    const rest = await handleEndpoints({
      config: payload.config,
      request: new Request(`http://localhost/api/posts/${post.id}?depth=1&locale=de&select[title]=true&select[categories]=true`),
    })
    expect(synced.doc).toEqual(await rest.json())
    expect(Object.keys(synced.doc).sort()).toEqual(['categories', 'id', 'title'])
  })
})

describe('delta sync', () => {
  test('publish, edit, unpublish and delete arrive once per document, at their last change', async () => {
    const edited = await published('Will be edited')
    const unpublished = await published('Will be unpublished')
    const deleted = await published('Will be deleted')
    const { cursor } = await syncAll('collections=posts&globals=&depth=0')

    const created = await published('Published after the cursor')
    await edit(edited.id, { title: 'Edited once' })
    await edit(edited.id, { title: 'Edited twice' })
    await edit(unpublished.id, { _status: 'draft' })
    await payload.delete({ collection: 'posts', id: deleted.id, overrideAccess: true })
    const head = await readHeadPosition(payload)

    const { changes, last } = await syncAll('collections=posts&globals=&depth=0', cursor)
    expect(last.mode).toBe('delta')
    expect(last.head).toBe(head)
    expect(changes.map(({ op, id, event }) => ({ op, id, ...(event ? { event } : {}) }))).toEqual([
      { op: 'upsert', id: created.id },
      { op: 'upsert', id: edited.id },
      { op: 'delete', id: unpublished.id, event: 'unpublished' },
      { op: 'delete', id: deleted.id, event: 'deleted' },
    ])
    expect(changes[1].doc.title).toBe('Edited twice')
    expect(changes.at(-1)!.position).toBe(head)
    // Nothing since: the same cursor back, nothing to do.
    const again = await sync(`?collections=posts&globals=&cursor=${last.nextCursor}`)
    expect(again.body).toMatchObject({ mode: 'delta', changes: [], hasMore: false, nextCursor: last.nextCursor })
  })

  test('pages through many changes with hasMore, and a document no longer readable is a tombstone', async () => {
    const { cursor } = await syncAll('collections=posts&globals=')
    const made = []
    for (let k = 0; k < 5; k++) made.push(await published(`Burst ${k}`))
    await edit(made[0].id, { _status: 'draft' })
    const first = await sync(`?collections=posts&globals=&limit=2&cursor=${cursor}`)
    expect(first.body.hasMore).toBe(true)
    // Published at this position, unpublished later: not readable now, so a tombstone already.
    expect(first.body.changes[0]).toMatchObject({ op: 'delete', id: made[0].id, event: 'unpublished' })
    const rest = await syncAll('collections=posts&globals=&limit=2', first.body.nextCursor)
    const site = apply(new Map(), [...first.body.changes, ...rest.changes])
    expect([...site.keys()]).toEqual(made.slice(1).map((post) => `posts:${post.id}`))
  })

  test('changes to collections and globals not asked for are skipped, the cursor moves past them', async () => {
    const { cursor } = await syncAll('collections=posts&globals=header')
    await payload.updateGlobal({ slug: 'footer', overrideAccess: true, data: { _status: 'published', navItems: [] } })
    await payload.create({ collection: 'categories', overrideAccess: true, data: { title: 'Not asked for' } })
    await payload.updateGlobal({ slug: 'header', overrideAccess: true, data: { _status: 'published', navItems: [] } })
    const { changes, cursor: next } = await syncAll('collections=posts&globals=header', cursor)
    expect(changes).toEqual([expect.objectContaining({ op: 'upsert', global: 'header', position: await readHeadPosition(payload) })])
    expect(next).toBe(encodeCursor({ mode: 'delta', epoch: await epoch(), position: await readHeadPosition(payload) }))
  })
})

describe('drafts never appear', () => {
  test('a draft-only post is in no answer, a published post with a newer draft is its published version, even for an editor', async () => {
    const { cursor } = await syncAll('collections=posts&globals=')
    const onlyDraft = await draftOnly('Draft only, never synced')
    const post = await published('Published title')
    await edit(post.id, { title: 'Newer draft title' }, true)
    await edit(onlyDraft.id, { title: 'Draft only, saved again' }, true)

    const editor = await createUser(payload, 'editor')
    const { token } = await payload.login({ collection: 'users', data: { email: editor.email, password: 'password-123456' } })
    for (const headers of [{}, { authorization: `JWT ${token}` }] as Record<string, string>[]) {
      const full = await sync('?collections=posts&globals=&limit=500', headers)
      const delta = await sync(`?collections=posts&globals=&draft=true&cursor=${cursor}`, headers)
      for (const changes of [full.body.changes, delta.body.changes] as Json[][]) {
        expect(changes.map((change) => change.id)).not.toContain(onlyDraft.id)
        expect(changes.filter((change) => change.id === post.id).map((change) => change.doc.title)).toEqual(['Published title'])
        for (const change of changes) if (change.doc) expect(change.doc._status).toBe('published')
      }
    }
  })
})

describe('refusals', () => {
  const message = (body: Json) => body.errors[0].message as string

  test.each([
    ['a cursor that is not base64 JSON', '?cursor=not-a-cursor', /not one this server gave/],
    ['a cursor of another shape', `?cursor=${Buffer.from('{"v":1,"m":"d","p":-1}').toString('base64url')}`, /not one this server gave/],
    ['a full cursor with an id that is not one', `?cursor=${Buffer.from('{"v":1,"m":"f","h":0,"c":"posts","a":"x"}').toString('base64url')}`, /not one this server gave/],
    ['a full cursor for a collection not asked for', `?collections=pages&cursor=${encodeCursor({ mode: 'full', epoch: 'e', head: 0, collection: 'posts', after: 1 })}`, /ask for the same collections/],
    ['an unknown collection', '?collections=posts,nope', /Unknown collection "nope"/],
    ['a collection readers may not read', '?collections=users', /Unknown collection "users"/],
    ['an unknown global', '?globals=header,nope', /Unknown global "nope"/],
    ['a limit of 0', '?limit=0', /limit must be a whole number from 1 to 500/],
    ['a limit over the cap', '?limit=501', /limit must be a whole number from 1 to 500/],
    ['a limit that is not a number', '?limit=ten', /limit must be a whole number from 1 to 500/],
    ['a depth over the cap', '?depth=9', /depth 9 is deeper than the 3 levels/],
    ['an unknown locale', '?locale=xx', /Unknown locale "xx"/],
    ['a select that is not field names', '?select=title', /Give select as field names/],
    ['collections as a list', '?collections[]=posts', /one comma-separated list/],
  ])('%s is a 400 in the error shape', async (_name, query, expected) => {
    const { status, body } = await sync(query)
    expect(status).toBe(400)
    expect(body).toEqual({ errors: [expect.objectContaining({ message: expect.stringMatching(expected) })] })
    expect(message(body)).toBeTruthy()
  })

  const expectGone = async (cursor: string) => {
    const { status, body } = await sync(`?collections=posts&globals=&cursor=${cursor}`)
    expect(status).toBe(410)
    expect(message(body)).toMatch(/sync from scratch \(call \/api\/sync without a cursor\)/)
  }

  test("a cursor past the head of this log, or of another log (another database, or before a restore), is 410 Gone", async () => {
    const head = await readHeadPosition(payload)
    await expectGone(encodeCursor({ mode: 'delta', epoch: await epoch(), position: head + 1000 }))
    await expectGone(encodeCursor({ mode: 'delta', epoch: 'another-log', position: head }))
    await expectGone(encodeCursor({ mode: 'full', epoch: 'another-log', head, collection: 'posts', after: null }))
  })

  test('a cursor older than what the log keeps is 410 Gone, a delta cursor and an unfinished full sync alike', async () => {
    const first = await sync('?collections=posts&globals=&limit=1')
    expect(first.body.hasMore).toBe(true)
    const { cursor } = await syncAll('collections=posts&globals=')
    await published('After the old cursors')
    // What compaction does once it has dropped rows a cursor before this position would need.
    await retainChangesFrom(payload, await readHeadPosition(payload))
    await expectGone(cursor)
    await expectGone(first.body.nextCursor)
    // From scratch works, and its cursor is served.
    const fresh = await syncAll('collections=posts&globals=')
    expect((await sync(`?collections=posts&globals=&cursor=${fresh.cursor}`)).status).toBe(200)
  })
})
