import type { Payload } from 'payload'
import { ValidationError } from 'payload'

import { paragraph, richText, richTextFromPlain } from '../../src/seed/lexical'
import type { TestUser } from '../helpers/payload'
import { createUser, initPayload, postData, viaApiKey } from '../helpers/payload'
import { closePayload } from '../../src/db/closePayload'

let payload: Payload
let admin: TestUser
let editor: TestUser
let author: TestUser
let otherAuthor: TestUser

beforeAll(async () => {
  payload = await initPayload()
  admin = await createUser(payload, 'admin', 'Ada Admin')
  editor = await createUser(payload, 'editor', 'Eddie Editor')
  author = await createUser(payload, 'author', 'Ann Author')
  otherAuthor = await createUser(payload, 'author', 'Otto Other')
})

afterAll(async () => {
  await closePayload(payload)
})

const publish = (title: string, extra: Record<string, unknown> = {}) =>
  payload.create({ collection: 'posts', overrideAccess: true, data: { ...postData(title, extra), _status: 'published' } as never })

const draft = (title: string, extra: Record<string, unknown> = {}) =>
  payload.create({ collection: 'posts', overrideAccess: true, draft: true, data: { ...postData(title, extra), _status: 'draft' } as never })

describe('slugs', () => {
  test('are generated from the title, transliterated', async () => {
    const post = await publish('Größe & Ärger: ein Überblick')
    expect(post.slug).toBe('groesse-aerger-ein-ueberblick')
  })

  test('get a numeric suffix when a generated slug is taken', async () => {
    const first = await publish('Same Title')
    const second = await publish('Same Title')
    const third = await draft('Same Title')
    expect([first.slug, second.slug, third.slug]).toEqual(['same-title', 'same-title-2', 'same-title-3'])
  })

  test('fall back to "untitled" when nothing in the title transliterates', async () => {
    const post = await publish('東京')
    expect(post.slug).toMatch(/^untitled(-\d+)?$/)
  })

  test('typed by hand are kept', async () => {
    const post = await publish('Anything', { slug: 'my-own-slug' })
    expect(post.slug).toBe('my-own-slug')
  })

  test('malformed ones are refused with a suggestion, drafts included', async () => {
    await expect(publish('Bad', { slug: 'Not A Slug!' })).rejects.toThrow(ValidationError)
    await expect(draft('Bad draft', { slug: 'Not A Slug!' })).rejects.toMatchObject({
      data: { errors: [expect.objectContaining({ path: 'slug', message: expect.stringContaining('"not-a-slug"') })] },
    })
  })

  test('taken ones typed by hand are refused, not renamed', async () => {
    await publish('Original', { slug: 'taken-slug' })
    const attempt = publish('Different title', { slug: 'taken-slug' })
    await expect(attempt).rejects.toThrow(ValidationError)
    await expect(publish('Different title', { slug: 'taken-slug' })).rejects.toMatchObject({
      data: { errors: [expect.objectContaining({ message: expect.stringContaining('already used') })] },
    })
  })

  test('survive updates that do not touch them', async () => {
    const post = await publish('Stable slug')
    const updated = await payload.update({ collection: 'posts', id: post.id, overrideAccess: true, data: { excerpt: 'Changed.' } })
    expect(updated.slug).toBe('stable-slug')
  })
})

describe('publishedAt', () => {
  test('is set on first publication and kept afterwards', async () => {
    const created = await draft('Dated later')
    expect(created.publishedAt ?? null).toBeNull()
    const published = await payload.update({ collection: 'posts', id: created.id, overrideAccess: true, data: { _status: 'published' } })
    expect(published.publishedAt).toBeTruthy()
    const republished = await payload.update({
      collection: 'posts',
      id: created.id,
      overrideAccess: true,
      data: { title: 'Dated later, edited', _status: 'published' },
    })
    expect(republished.publishedAt).toBe(published.publishedAt)
  })
})

describe('computed fields', () => {
  test('reading time and excerpt come from the content', async () => {
    const post = await publish('Long read', { content: richTextFromPlain(`${'word '.repeat(1100)}\n\nEnd.`) })
    expect(post.readingTime).toBe(5)
    expect(post.excerpt?.startsWith('word word')).toBe(true)
    expect(post.excerpt?.length).toBeLessThanOrEqual(200)
  })

  test('clients cannot set the reading time', async () => {
    const post = await payload.create({
      collection: 'posts',
      user: editor,
      overrideAccess: false,
      data: { ...postData('Cheating'), readingTime: 99, _status: 'published' } as never,
    })
    expect(post.readingTime).toBe(1)
  })
})

describe('authors', () => {
  test('readers see public profiles, never email or role', async () => {
    const post = await publish('Credited', { authors: [author.id, editor.id] })
    const read = await payload.findByID({ collection: 'posts', id: post.id, overrideAccess: false, depth: 1 })
    expect(read.populatedAuthors?.map((a) => a.name)).toEqual(['Ann Author', 'Eddie Editor'])
    const serialized = JSON.stringify(read)
    expect(serialized).not.toContain(author.email)
    expect(serialized).not.toContain('"role"')
    // Readers cannot read users, so the relationship itself stays unpopulated.
    expect(read.authors).toEqual([author.id, editor.id])
  })

  test('a new post is credited to its writer', async () => {
    const post = await payload.create({ collection: 'posts', user: author, overrideAccess: false, depth: 0, data: postData('Mine') as never })
    expect(post.authors).toEqual([author.id])
  })

  test('authors edit their own posts only', async () => {
    const own = await payload.create({ collection: 'posts', user: author, overrideAccess: false, data: postData('Own') as never })
    const others = await publish('Not mine', { authors: [otherAuthor.id] })

    const edited = await payload.update({ collection: 'posts', id: own.id, user: author, overrideAccess: false, data: { title: 'Own, edited' } })
    expect(edited.title).toBe('Own, edited')
    await expect(
      payload.update({ collection: 'posts', id: others.id, user: author, overrideAccess: false, data: { title: 'Hijacked' } }),
    ).rejects.toMatchObject({ status: 403 })
    await expect(
      payload.delete({ collection: 'posts', id: others.id, user: author, overrideAccess: false }),
    ).rejects.toMatchObject({ status: 403 })
    const unchanged = await payload.findByID({ collection: 'posts', id: others.id, overrideAccess: true })
    expect(unchanged.title).toBe('Not mine')
  })

  test('an author cannot drop themselves from their post', async () => {
    const own = await payload.create({ collection: 'posts', user: author, overrideAccess: false, data: postData('Keep me') as never })
    await expect(
      payload.update({ collection: 'posts', id: own.id, user: author, overrideAccess: false, data: { authors: [otherAuthor.id] } }),
    ).rejects.toThrow(ValidationError)
  })

  test('editors edit every post', async () => {
    const others = await publish('Editable', { authors: [otherAuthor.id] })
    const edited = await payload.update({ collection: 'posts', id: others.id, user: editor, overrideAccess: false, data: { title: 'Edited by editor' } })
    expect(edited.title).toBe('Edited by editor')
  })
})

describe('drafts never reach readers', () => {
  let publishedId: number
  let draftId: number

  beforeAll(async () => {
    const published = await publish('Visible post')
    publishedId = published.id
    // A newer, unpublished edit of a published post.
    await payload.update({
      collection: 'posts',
      id: published.id,
      overrideAccess: true,
      draft: true,
      data: { title: 'Secret new title', _status: 'draft' },
    })
    draftId = (await draft('Secret draft post')).id
  })

  test.each([
    ['anonymous', () => undefined],
    ['API key', () => viaApiKey(admin)],
  ])('%s readers see only published content', async (_name, who) => {
    const user = who()
    const list = await payload.find({ collection: 'posts', user, overrideAccess: false, limit: 100 })
    const titles = list.docs.map((doc) => doc.title)
    expect(titles).toContain('Visible post')
    expect(titles).not.toContain('Secret new title')
    expect(titles).not.toContain('Secret draft post')
    await expect(payload.findByID({ collection: 'posts', id: draftId, user, overrideAccess: false })).rejects.toMatchObject({ status: 404 })
  })

  test('asking for drafts gives readers the published version, not nothing', async () => {
    const list = await payload.find({ collection: 'posts', draft: true, overrideAccess: false, where: { id: { equals: publishedId } } })
    expect(list.docs.map((doc) => doc.title)).toEqual(['Visible post'])
    const one = await payload.findByID({ collection: 'posts', id: publishedId, draft: true, overrideAccess: false })
    expect(one.title).toBe('Visible post')
  })

  test('readers cannot read versions', async () => {
    await expect(
      payload.findVersions({ collection: 'posts', overrideAccess: false, where: { parent: { equals: publishedId } } }),
    ).rejects.toMatchObject({ status: 403 })
  })

  test('the editorial team sees the draft', async () => {
    const one = await payload.findByID({ collection: 'posts', id: publishedId, draft: true, user: author, overrideAccess: false })
    expect(one.title).toBe('Secret new title')
  })

  test('readers cannot write', async () => {
    await expect(
      payload.create({ collection: 'posts', overrideAccess: false, data: postData('Anon') as never }),
    ).rejects.toMatchObject({ status: 403 })
    await expect(
      payload.create({ collection: 'posts', user: viaApiKey(admin), overrideAccess: false, data: postData('Key') as never }),
    ).rejects.toMatchObject({ status: 403 })
  })
})

test('related posts cannot point at the post itself', async () => {
  const post = await publish('Self related')
  await expect(
    payload.update({ collection: 'posts', id: post.id, overrideAccess: true, data: { relatedPosts: [post.id] } }),
  ).rejects.toThrow(ValidationError)
})

test('content is required', async () => {
  await expect(
    payload.create({ collection: 'posts', overrideAccess: true, data: { title: 'Empty', _status: 'published', content: richText(paragraph('')) } as never }),
  ).rejects.toThrow(ValidationError)
})
