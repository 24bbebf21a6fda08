// Trash (Payload's `trash: true` on posts and pages) and drafts of globals, through the Local API:
// what the team and readers see, what the change log records, links and redirects to a trashed
// document, the search index, delete guards on media, and global drafts readers never see.
// Runs on SQLite and PostgreSQL (TEST_DATABASE=postgres).
import type { Payload } from 'payload'
import { createLocalReq } from 'payload'

import { readChangesAfter, readHeadPosition } from '../../src/changes/changeLog'
import type { RecordedChange } from '../../src/changes/changeLog'
import { closePayload } from '../../src/db/closePayload'
import { exportRedirects } from '../../src/redirects/export'
import { internalLink, paragraph, richText } from '../../src/seed/lexical'
import type { TestUser } from '../helpers/payload'
import { createPost, createUser, initPayload, postData, viaApiKey } from '../helpers/payload'

let payload: Payload
let editor: TestUser
let reader: TestUser

beforeAll(async () => {
  payload = await initPayload()
  editor = await createUser(payload, 'editor')
  reader = viaApiKey(await createUser(payload, 'admin'))
  await payload.updateGlobal({
    slug: 'site-settings',
    overrideAccess: true,
    data: { _status: 'published', siteName: 'Trash site', baseUrl: 'https://trash.example' } as never,
  })
}, 120_000)

afterAll(async () => {
  await closePayload(payload)
})

const changesOf = async (write: () => Promise<unknown>): Promise<RecordedChange[]> => {
  const before = await readHeadPosition(payload)
  await write()
  return readChangesAfter(payload, before, 100)
}


/** What the admin's Delete does by default: a PATCH that sets `deletedAt`, with the editor's rights. */
const trash = (collection: 'posts' | 'pages', id: number | string) =>
  payload.update({ collection, id, data: { deletedAt: new Date().toISOString() } as never, user: editor, overrideAccess: false })

/** What the admin's Restore does: `deletedAt: null`, as published or as a draft. */
const restore = (collection: 'posts' | 'pages', id: number | string, status: 'draft' | 'published') =>
  payload.update({
    collection,
    id,
    trash: true,
    data: { deletedAt: null, _status: status } as never,
    user: editor,
    overrideAccess: false,
  })

const readerFind = (collection: 'posts' | 'pages', extra: Record<string, unknown> = {}) =>
  payload.find({ collection, depth: 0, overrideAccess: false, user: reader, ...extra } as never)

describe('trash', () => {
  test('a trashed post is gone for readers (also with trash=true), stays for the team in the trash, and comes back when restored', async () => {
    const post = await createPost(payload, 'Trash me', 'published', { slug: 'trash-me' })
    const trashed = await changesOf(() => trash('posts', post.id))
    expect(trashed).toEqual([expect.objectContaining({ collectionSlug: 'posts', documentId: String(post.id), event: 'deleted' })])

    const ids = async (args: Record<string, unknown>) => (await readerFind('posts', args)).docs.map((doc) => doc.id)
    expect(await ids({})).not.toContain(post.id)
    expect(await ids({ trash: true })).not.toContain(post.id)
    expect(await ids({ trash: true, where: { deletedAt: { exists: true } } })).toEqual([])
    expect(await ids({ draft: true, trash: true })).not.toContain(post.id)
    await expect(
      payload.findByID({ collection: 'posts', id: post.id, overrideAccess: false, user: reader, trash: true }),
    ).rejects.toThrow()
    const anonymous = await payload.find({ collection: 'posts', overrideAccess: false, trash: true, depth: 0 })
    expect(anonymous.docs.map((doc) => doc.id)).not.toContain(post.id)

    // The team finds it in the trash (the admin's trash view asks for exactly this).
    const inTrash = await payload.find({
      collection: 'posts',
      trash: true,
      where: { deletedAt: { exists: true } },
      user: editor,
      overrideAccess: false,
    })
    expect(inTrash.docs.map((doc) => doc.id)).toContain(post.id)

    const restored = await changesOf(() => restore('posts', post.id, 'published'))
    expect(restored).toEqual([expect.objectContaining({ documentId: String(post.id), event: 'published' })])
    expect(await ids({})).toContain(post.id)
  })

  test('restoring as a draft (Payload\'s default) records nothing, publishing it later does', async () => {
    const post = await createPost(payload, 'Back as draft', 'published')
    await trash('posts', post.id)
    expect(await changesOf(() => restore('posts', post.id, 'draft'))).toEqual([])
    expect((await readerFind('posts', { where: { id: { equals: post.id } } })).docs).toEqual([])
    const published = await changesOf(() =>
      payload.update({ collection: 'posts', id: post.id, data: { _status: 'published' } as never, overrideAccess: true }),
    )
    expect(published).toEqual([expect.objectContaining({ documentId: String(post.id), event: 'published' })])
  })

  test('trashing a draft never published and emptying the trash record nothing readers could miss', async () => {
    const draft = await createPost(payload, 'Never seen', 'draft')
    expect(await changesOf(() => trash('posts', draft.id))).toEqual([])
    const post = await createPost(payload, 'Seen, then trashed', 'published')
    await trash('posts', post.id)
    // Emptying the trash: Payload's delete of a trashed document needs `trash: true`, as the admin sends it.
    const emptied = await changesOf(() =>
      payload.delete({ collection: 'posts', id: post.id, trash: true, user: editor, overrideAccess: false }),
    )
    expect(emptied).toEqual([])
    await expect(payload.findByID({ collection: 'posts', id: post.id, trash: true, overrideAccess: true })).rejects.toThrow()
  })

  test('a delete without trash deletes for good, as in Payload; a trashed document is not found by it', async () => {
    const post = await createPost(payload, 'Gone for good', 'published')
    const deleted = await changesOf(() => payload.delete({ collection: 'posts', id: post.id, user: editor, overrideAccess: false }))
    expect(deleted).toEqual([expect.objectContaining({ documentId: String(post.id), event: 'deleted' })])
    const other = await createPost(payload, 'Trashed first', 'published')
    await trash('posts', other.id)
    await expect(payload.delete({ collection: 'posts', id: other.id, user: editor, overrideAccess: false })).rejects.toThrow()
  })

  test('an author can trash only their own posts', async () => {
    const author = await createUser(payload, 'author')
    const theirs = await payload.create({
      collection: 'posts',
      data: { ...postData('Author post'), _status: 'published' } as never,
      user: author,
      overrideAccess: false,
    })
    const someoneElses = await createPost(payload, 'Not theirs', 'published')
    const asAuthor = (id: number | string) =>
      payload.update({ collection: 'posts', id, data: { deletedAt: new Date().toISOString() } as never, user: author, overrideAccess: false })
    await expect(asAuthor(someoneElses.id)).rejects.toThrow()
    await asAuthor(theirs.id)
    expect((await payload.findByID({ collection: 'posts', id: theirs.id, trash: true, overrideAccess: true })).deletedAt).toBeTruthy()
  })

  test('links and populated relationships to a trashed document lead nowhere; restored, they come back', async () => {
    const target = await payload.create({
      collection: 'pages',
      overrideAccess: true,
      data: { title: 'Linked page', slug: 'linked-page', _status: 'published', layout: [{ blockType: 'cta', links: [] }] } as never,
    })
    const linking = await createPost(payload, 'Links to a page', 'published', {
      relatedPosts: [],
      content: richText(paragraph(internalLink('pages', target.id, 'the page'))),
    })
    const related = await createPost(payload, 'Related to a trashed post', 'published')
    await payload.update({ collection: 'posts', id: linking.id, overrideAccess: true, data: { relatedPosts: [related.id] } as never })
    const read = async (user?: TestUser) =>
      (await payload.findByID({ collection: 'posts', id: linking.id, depth: 1, overrideAccess: !user, user })) as unknown as {
        contentHtml?: string
        relatedPosts: unknown[]
      }
    expect((await read(reader)).contentHtml).toContain('href="/linked-page"')

    await trash('pages', target.id)
    await trash('posts', related.id)
    for (const who of [reader, undefined]) {
      const after = await read(who)
      expect(after.contentHtml).toContain('the page')
      expect(after.contentHtml).not.toContain('linked-page')
      expect(after.relatedPosts.filter((value) => typeof value === 'object' && value !== null)).toEqual([])
    }
    await restore('pages', target.id, 'published')
    expect((await read(reader)).contentHtml).toContain('href="/linked-page"')
  })

  test('the search index drops a trashed post and takes it back when restored', async () => {
    const post = await createPost(payload, 'Searchable trash', 'published')
    const indexed = async () =>
      (
        await payload.find({
          collection: 'search',
          where: { 'doc.value': { equals: post.id } },
          overrideAccess: false,
          user: reader,
        })
      ).docs.length
    expect(await indexed()).toBe(1)
    await trash('posts', post.id)
    expect(await indexed()).toBe(0)
    await restore('posts', post.id, 'published')
    expect(await indexed()).toBe(1)
  })

  test('redirects to a trashed document are left out of the export while it is in the trash', async () => {
    const page = await payload.create({
      collection: 'pages',
      overrideAccess: true,
      data: { title: 'Moving page', slug: 'moving-page', _status: 'published', layout: [{ blockType: 'cta', links: [] }] } as never,
    })
    await payload.update({ collection: 'pages', id: page.id, overrideAccess: true, data: { slug: 'moved-page' } as never })
    const exported = async () => JSON.stringify(await exportRedirects(await createLocalReq({}, payload)))
    expect(await exported()).toContain('/moving-page')
    await trash('pages', page.id)
    expect(await exported()).not.toContain('/moving-page')
    await restore('pages', page.id, 'published')
    expect(await exported()).toContain('/moving-page')
  })

  test('media that only a trashed post uses cannot be deleted until the trash is emptied', async () => {
    const post = await createPost(payload, 'Uses an image', 'published')
    const media = await payload.create({
      collection: 'media',
      overrideAccess: true,
      data: { alt: 'Trash test image' },
      file: { data: Buffer.from(PNG_1X1, 'base64'), mimetype: 'image/png', name: 'trash-test.png', size: 68 },
    })
    await payload.update({ collection: 'posts', id: post.id, overrideAccess: true, data: { heroImage: media.id } as never })
    await trash('posts', post.id)
    await expect(payload.delete({ collection: 'media', id: media.id, overrideAccess: true })).rejects.toThrow(/in the trash/)
    await payload.delete({ collection: 'posts', id: post.id, trash: true, overrideAccess: true })
    await payload.delete({ collection: 'media', id: media.id, overrideAccess: true })
  })
})

describe('drafts of globals', () => {
  const readHeader = async (user?: TestUser, draft = false) =>
    (await payload.findGlobal({ slug: 'header', depth: 0, draft, overrideAccess: !user && !draft ? true : false, user })) as {
      navItems?: { link?: { label?: string } }[]
    }
  const labels = (header: { navItems?: { link?: { label?: string } }[] }) =>
    (header.navItems ?? []).map((item) => item.link?.label)
  const nav = (label: string) => [{ link: { type: 'custom', url: 'https://example.com/', label } }]

  test('a draft is saved without moving the content version; readers keep the published header until it is published', async () => {
    const published = await changesOf(() =>
      payload.updateGlobal({ slug: 'header', overrideAccess: true, data: { _status: 'published', navItems: nav('Live') } as never }),
    )
    expect(published).toEqual([expect.objectContaining({ globalSlug: 'header', event: 'updated' })])

    const draft = await changesOf(() =>
      payload.updateGlobal({ slug: 'header', draft: true, user: editor, overrideAccess: false, data: { navItems: nav('Draft') } as never }),
    )
    expect(draft).toEqual([])
    expect(labels(await readHeader(reader))).toEqual(['Live'])
    expect(labels(await readHeader(reader, true))).toEqual(['Live'])
    expect(labels((await payload.findGlobal({ slug: 'header', draft: true, overrideAccess: false, depth: 0 })) as never)).toEqual(['Live'])
    // The server's own reads see the published version, the editor's draft read the draft.
    expect(labels(await readHeader())).toEqual(['Live'])
    expect(labels(await readHeader(editor, true))).toEqual(['Draft'])
    // Readers see no versions of globals.
    await expect(payload.findGlobalVersions({ slug: 'header', overrideAccess: false, user: reader })).rejects.toThrow()

    const publish = await changesOf(() =>
      payload.updateGlobal({ slug: 'header', user: editor, overrideAccess: false, data: { _status: 'published', navItems: nav('Draft') } as never }),
    )
    expect(publish).toEqual([expect.objectContaining({ globalSlug: 'header', event: 'updated' })])
    expect(labels(await readHeader(reader))).toEqual(['Draft'])
  })

  test('a draft of the URL scheme changes no address until it is published', async () => {
    const page = await payload.create({
      collection: 'pages',
      overrideAccess: true,
      data: { title: 'Scheme page', slug: 'scheme-page', _status: 'published', layout: [{ blockType: 'cta', links: [] }] } as never,
    })
    const path = async () => (await payload.findByID({ collection: 'pages', id: page.id, overrideAccess: false, user: reader })).path
    expect(await path()).toBe('/scheme-page')
    await payload.updateGlobal({
      slug: 'site-settings',
      draft: true,
      user: editor,
      overrideAccess: false,
      data: { urls: { pagePath: '/p/:slug' } } as never,
    })
    expect(await path()).toBe('/scheme-page')
    await payload.updateGlobal({
      slug: 'site-settings',
      user: editor,
      overrideAccess: false,
      data: { _status: 'published', urls: { pagePath: '/p/:slug' } } as never,
    })
    expect(await path()).toBe('/p/scheme-page')
  })

  test('a global never published is empty for readers', async () => {
    await payload.updateGlobal({ slug: 'footer', draft: true, user: editor, overrideAccess: false, data: { copyright: 'Not yet' } as never })
    const footer = (await payload.findGlobal({ slug: 'footer', overrideAccess: false, user: reader })) as { copyright?: string }
    expect(footer.copyright).toBeUndefined()
  })
})

const PNG_1X1 = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=='
