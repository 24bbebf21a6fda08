import type { Payload } from 'payload'

import { paragraph, richText } from '../../src/seed/lexical'
import { initPayload, postData } from '../helpers/payload'
import { closePayload } from '../../src/db/closePayload'

let payload: Payload

beforeAll(async () => {
  payload = await initPayload()
})

afterAll(async () => {
  await closePayload(payload)
})

const post = (title: string, status: 'published' | 'draft', extra: Record<string, unknown> = {}) =>
  payload.create({
    collection: 'posts',
    overrideAccess: true,
    draft: status === 'draft',
    data: { ...postData(title, extra), _status: status } as never,
  })

describe('archive blocks', () => {
  test('list the newest published posts of their categories, resolved when read', async () => {
    const news = await payload.create({ collection: 'categories', overrideAccess: true, data: { title: 'News' } as never })
    const other = await payload.create({ collection: 'categories', overrideAccess: true, data: { title: 'Other' } as never })
    await post('Old news', 'published', { categories: [news.id], publishedAt: '2025-01-01T00:00:00.000Z' })
    await post('New news', 'published', { categories: [news.id], publishedAt: '2025-06-01T00:00:00.000Z' })
    await post('Unpublished news', 'draft', { categories: [news.id] })
    await post('Elsewhere', 'published', { categories: [other.id] })

    const page = await payload.create({
      collection: 'pages',
      overrideAccess: true,
      data: {
        title: 'News page',
        _status: 'published',
        hero: { type: 'none' },
        layout: [{ blockType: 'archive', populateBy: 'collection', categories: [news.id], limit: 5 }],
      } as never,
    })

    const read = await payload.findByID({ collection: 'pages', id: page.id, overrideAccess: false, depth: 1 })
    const archive = read.layout[0] as { populatedDocs: { title: string }[]; populatedDocsTotal: number }
    expect(archive.populatedDocs.map((doc) => doc.title)).toEqual(['New news', 'Old news'])
    expect(archive.populatedDocsTotal).toBe(2)

    // A post published later shows up without the page being saved again.
    await post('Newest news', 'published', { categories: [news.id], publishedAt: '2025-09-01T00:00:00.000Z' })
    const again = await payload.findByID({ collection: 'pages', id: page.id, overrideAccess: false, depth: 1 })
    expect((again.layout[0] as { populatedDocs: { title: string }[] }).populatedDocs[0].title).toBe('Newest news')

    // Depth 0 gives ids only.
    const shallow = await payload.findByID({ collection: 'pages', id: page.id, overrideAccess: false, depth: 0 })
    expect((shallow.layout[0] as { populatedDocs: unknown[] }).populatedDocs.every((id) => typeof id === 'number')).toBe(true)
  })

  test('hand-picked posts keep the editor’s order and drop drafts', async () => {
    const a = await post('Pick A', 'published')
    const b = await post('Pick B', 'published')
    const hidden = await post('Pick hidden', 'draft')
    const page = await payload.create({
      collection: 'pages',
      overrideAccess: true,
      data: {
        title: 'Picks',
        _status: 'published',
        hero: { type: 'none' },
        layout: [{ blockType: 'archive', populateBy: 'selection', selectedDocs: [b.id, hidden.id, a.id] }],
      } as never,
    })
    const read = await payload.findByID({ collection: 'pages', id: page.id, overrideAccess: false, depth: 1 })
    const archive = read.layout[0] as { populatedDocs: { title: string }[] }
    expect(archive.populatedDocs.map((doc) => doc.title)).toEqual(['Pick B', 'Pick A'])
  })
})

describe('pages', () => {
  test('authors cannot create pages', async () => {
    // The first account always becomes admin, so make sure this one is not the first.
    await payload.create({
      collection: 'users',
      overrideAccess: true,
      data: { email: 'admin@pages.test', password: 'password-123456', name: 'Admin', role: 'admin' },
    })
    const author = await payload.create({
      collection: 'users',
      overrideAccess: true,
      data: { email: 'author@pages.test', password: 'password-123456', name: 'A', role: 'author' },
    })
    const data = {
      title: 'Team page',
      hero: { type: 'none' },
      layout: [{ blockType: 'content', columns: [{ size: 'full', richText: richText(paragraph('Hi')) }] }],
    } as never
    await expect(
      payload.create({ collection: 'pages', user: { ...author, collection: 'users' }, overrideAccess: false, data }),
    ).rejects.toMatchObject({ status: 403 })
  })

  test('a high-impact hero needs an image', async () => {
    await expect(
      payload.create({
        collection: 'pages',
        overrideAccess: true,
        data: {
          title: 'Hero without image',
          _status: 'published',
          hero: { type: 'highImpact' },
          layout: [{ blockType: 'content', columns: [{ size: 'full' }] }],
        } as never,
      }),
    ).rejects.toMatchObject({ status: 400 })
  })
})
