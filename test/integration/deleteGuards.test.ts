import fs from 'node:fs'
import path from 'node:path'

import type { Payload } from 'payload'
import { APIError } from 'payload'

import { closePayload } from '../../src/db/closePayload'
import { makeDemoImage } from '../../src/seed/images'
import { block, paragraph, richText } from '../../src/seed/lexical'
import { initPayload, postData } from '../helpers/payload'

let payload: Payload

beforeAll(async () => {
  payload = await initPayload()
})

afterAll(async () => {
  await closePayload(payload)
})

let imageCount = 0
const upload = async () => {
  const image = await makeDemoImage(`guard-${++imageCount}.png`, `Guard ${imageCount}`, ['#234', '#a52'], {
    width: 320,
    height: 200,
  })
  return payload.create({
    collection: 'media',
    overrideAccess: true,
    data: { alt: image.alt },
    file: { data: image.data, mimetype: 'image/png', name: image.name, size: image.data.length },
  })
}

const category = (title: string, parent?: number | string) =>
  payload.create({
    collection: 'categories',
    overrideAccess: true,
    data: { title, ...(parent ? { parent } : {}) } as never,
  })

const publishPost = (title: string, extra: Record<string, unknown> = {}) =>
  payload.create({
    collection: 'posts',
    overrideAccess: true,
    data: { ...postData(title), _status: 'published', ...extra } as never,
  })

const deleteMedia = (id: number | string) => payload.delete({ collection: 'media', id, overrideAccess: true })
const deleteCategory = (id: number | string) => payload.delete({ collection: 'categories', id, overrideAccess: true })

const expectInUse = async (attempt: Promise<unknown>, ...mentions: string[]) => {
  const error = await attempt.then(
    () => undefined,
    (thrown: unknown) => thrown,
  )
  expect(error).toBeInstanceOf(APIError)
  expect((error as APIError).status).toBe(409)
  expect((error as APIError).message).toMatch(/cannot be deleted while it is in use/)
  for (const mention of mentions) expect((error as APIError).message).toContain(mention)
}

describe('media', () => {
  test("used as a post's hero image cannot be deleted; the file stays on disk", async () => {
    const image = await upload()
    await publishPost('Hero user', { heroImage: image.id })

    await expectInUse(deleteMedia(image.id), 'posts "Hero user"')
    const stored = await payload.findByID({ collection: 'media', id: image.id, overrideAccess: true })
    expect(fs.existsSync(path.join(process.env.MEDIA_DIR!, stored.filename!))).toBe(true)
  })

  test('used inside rich text (an upload node or a media block) cannot be deleted', async () => {
    const inline = await upload()
    const inBlock = await upload()
    await publishPost('Inline user', {
      content: richText(
        paragraph('Look:'),
        { type: 'upload', version: 3, format: '', relationTo: 'media', value: inline.id, fields: null, id: 'u1' },
        block('mediaBlock', { media: inBlock.id, width: 'content' }),
      ),
    })
    await expectInUse(deleteMedia(inline.id), 'posts "Inline user"')
    await expectInUse(deleteMedia(inBlock.id), 'posts "Inline user"')
  })

  test('used only in a translation (German rich text, published or draft) cannot be deleted', async () => {
    const german = await upload()
    const post = await publishPost('Translated user')
    await payload.update({
      collection: 'posts',
      id: post.id,
      locale: 'de',
      overrideAccess: true,
      data: { title: 'Übersetzt', content: richText(paragraph('Schau:'), block('mediaBlock', { media: german.id })) },
    })
    await expectInUse(deleteMedia(german.id), 'posts "Translated user"')

    const draftOnly = await upload()
    const page = await payload.create({
      collection: 'pages',
      overrideAccess: true,
      data: {
        title: 'Translated page',
        _status: 'published',
        hero: { type: 'none' },
        layout: [{ blockType: 'cta', links: [] }],
      } as never,
    })
    await payload.update({
      collection: 'pages',
      id: page.id,
      locale: 'de',
      draft: true,
      overrideAccess: true,
      data: {
        title: 'Übersetzte Seite',
        hero: { type: 'lowImpact', richText: richText(block('mediaBlock', { media: draftOnly.id })) },
        _status: 'draft',
      } as never,
    })
    await expectInUse(deleteMedia(draftOnly.id), 'pages "Translated page" (id')
  })

  test('used in a page layout block, a user avatar or the site settings cannot be deleted', async () => {
    const inLayout = await upload()
    await payload.create({
      collection: 'pages',
      overrideAccess: true,
      data: {
        title: 'Gallery',
        _status: 'published',
        hero: { type: 'none' },
        layout: [{ blockType: 'mediaBlock', media: inLayout.id, width: 'wide' }],
      } as never,
    })
    await expectInUse(deleteMedia(inLayout.id), 'pages "Gallery"')

    const avatar = await upload()
    await payload.create({
      collection: 'users',
      overrideAccess: true,
      data: {
        email: 'pictured@greenroom.test',
        password: 'password-123456',
        name: 'Pictured',
        role: 'author',
        avatar: avatar.id,
      },
    })
    await expectInUse(deleteMedia(avatar.id), 'users')

    const ogImage = await upload()
    await payload.updateGlobal({
      slug: 'site-settings',
      overrideAccess: true,
      data: { _status: 'published', defaultOgImage: ogImage.id } as never,
    })
    await expectInUse(deleteMedia(ogImage.id), 'settings')
    await payload.updateGlobal({ slug: 'site-settings', overrideAccess: true, data: { _status: 'published', defaultOgImage: null } as never })
    await deleteMedia(ogImage.id)
  })

  test('used only by an unpublished draft of a published post cannot be deleted either', async () => {
    const image = await upload()
    const post = await publishPost('Draft user')
    await payload.update({
      collection: 'posts',
      id: post.id,
      overrideAccess: true,
      draft: true,
      data: { heroImage: image.id, _status: 'draft' } as never,
    })
    await expectInUse(deleteMedia(image.id), 'unpublished draft')
  })

  test('is deleted, files included, once nothing uses it any more', async () => {
    const image = await upload()
    const post = await publishPost('Let go', { heroImage: image.id })
    await expectInUse(deleteMedia(image.id))
    await payload.update({ collection: 'posts', id: post.id, overrideAccess: true, data: { heroImage: null } as never })

    await deleteMedia(image.id)
    expect(fs.existsSync(path.join(process.env.MEDIA_DIR!, image.filename!))).toBe(false)
  })

  test('a partial update keeps the list of images used in rich text', async () => {
    const image = await upload()
    const post = await publishPost('Partial', {
      content: richText(block('mediaBlock', { media: image.id, width: 'content' })),
    })
    await payload.update({
      collection: 'posts',
      id: post.id,
      overrideAccess: true,
      data: { title: 'Partial, renamed' },
    })
    await expectInUse(deleteMedia(image.id), 'Partial, renamed')
  })
})

describe('categories', () => {
  test('with posts in them cannot be deleted, and the posts keep them', async () => {
    const news = await category('News in use')
    const post = await publishPost('Filed', { categories: [news.id] })

    await expectInUse(deleteCategory(news.id), 'posts "Filed"')
    const stored = await payload.findByID({ collection: 'posts', id: post.id, overrideAccess: true, depth: 0 })
    expect(stored.categories).toEqual([news.id])
  })

  test('with subcategories cannot be deleted', async () => {
    const parent = await category('Parent in use')
    await category('Child', parent.id)
    await expectInUse(deleteCategory(parent.id), 'categories "Child"')
  })

  test('chosen in a page archive block cannot be deleted', async () => {
    const featured = await category('Featured in archive')
    await payload.create({
      collection: 'pages',
      overrideAccess: true,
      data: {
        title: 'Archive page',
        _status: 'published',
        hero: { type: 'none' },
        layout: [{ blockType: 'archive', populateBy: 'collection', categories: [featured.id], limit: 5 }],
      } as never,
    })
    await expectInUse(deleteCategory(featured.id), 'pages "Archive page"')
  })

  test('that nothing uses is deleted (its own breadcrumbs do not count)', async () => {
    const unused = await category('Unused')
    await deleteCategory(unused.id)
    expect(
      (await payload.count({ collection: 'categories', overrideAccess: true, where: { id: { equals: unused.id } } }))
        .totalDocs,
    ).toBe(0)
  })
})

describe('forms', () => {
  // Found by the fuzzer (test/fuzz): an admin's bulk delete of forms left a page whose form block
  // requires its form answering `form: null`, which the spec (and every client) takes for invalid.
  test("used by a page's form block cannot be deleted", async () => {
    const form = await payload.create({
      collection: 'forms',
      overrideAccess: true,
      data: {
        title: 'Guarded form',
        submitButtonLabel: 'Send',
        confirmationType: 'message',
        confirmationMessage: richText(paragraph('Thanks.')),
        fields: [{ blockType: 'email', name: 'email', label: 'Email', required: true, width: 100 }],
      } as never,
    })
    await payload.create({
      collection: 'pages',
      overrideAccess: true,
      data: { title: 'Form user', slug: 'form-user', _status: 'published', hero: { type: 'lowImpact' }, layout: [{ blockType: 'formBlock', form: form.id }] } as never,
    })
    await expectInUse(payload.delete({ collection: 'forms', id: form.id, overrideAccess: true }), 'pages "Form user"')
    const unused = await payload.create({
      collection: 'forms',
      overrideAccess: true,
      data: { title: 'Unused form', submitButtonLabel: 'Send', confirmationType: 'message', confirmationMessage: richText(paragraph('Thanks.')), fields: [] } as never,
    })
    await payload.delete({ collection: 'forms', id: unused.id, overrideAccess: true })
  })
})
