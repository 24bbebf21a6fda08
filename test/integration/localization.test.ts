import type { Payload } from 'payload'
import { APIError } from 'payload'

import { closePayload } from '../../src/db/closePayload'
import { paragraph, richText, richTextFromPlain } from '../../src/seed/lexical'
import type { TestUser } from '../helpers/payload'
import { createUser, initPayload, postData } from '../helpers/payload'

let payload: Payload
let editor: TestUser

beforeAll(async () => {
  payload = await initPayload()
  editor = await createUser(payload, 'editor')
})

afterAll(async () => {
  await closePayload(payload)
})

const publish = (title: string, extra: Record<string, unknown> = {}) =>
  payload.create({
    collection: 'posts',
    overrideAccess: true,
    data: { ...postData(title), _status: 'published', ...extra } as never,
  })

const translate = (id: number | string, data: Record<string, unknown>, options: { draft?: boolean } = {}) =>
  payload.update({
    collection: 'posts',
    id,
    locale: 'de',
    overrideAccess: true,
    draft: options.draft,
    data: data as never,
  })

describe('hooks work per language', () => {
  test('a translation keeps the slug; excerpt and reading time come from each language’s own text', async () => {
    const post = await publish('Shared slug')
    const german = await translate(post.id, {
      title: 'Gemeinsamer Slug',
      content: richTextFromPlain('Wort '.repeat(700)),
    })
    expect(german.slug).toBe('shared-slug')
    expect(german.excerpt).toMatch(/^Wort Wort/)
    expect(german.readingTime).toBe(3)
    const english = await payload.findByID({ collection: 'posts', id: post.id, locale: 'en' })
    expect(english).toMatchObject({ slug: 'shared-slug', title: 'Shared slug', readingTime: 1 })
    expect(english.excerpt).toBe('Shared slug body text.')
  })

  test('while a new post follows its title, only the English title renames it', async () => {
    // As the admin panel autosaves a new post: no title yet, so the slug follows the title for now.
    const post = await payload.create({
      collection: 'posts',
      overrideAccess: true,
      draft: true,
      data: { title: '', content: richTextFromPlain('Text.'), _status: 'draft' } as never,
    })
    expect(post).toMatchObject({ slug: 'untitled', generateSlug: true })
    const asAdminSends = (title: string) => ({
      title,
      slug: 'untitled',
      content: richTextFromPlain('Text.'),
      _status: 'draft',
    })
    const german = await translate(post.id, asAdminSends('Frischer Entwurf'), { draft: true })
    expect(german.slug).toBe('untitled')
    const english = await payload.update({
      collection: 'posts',
      id: post.id,
      overrideAccess: true,
      draft: true,
      data: asAdminSends('Fresh draft') as never,
    })
    expect(english.slug).toBe('fresh-draft')
  })

  test('search rows carry each language’s title and excerpt', async () => {
    const post = await publish('Searchable in two languages')
    await translate(post.id, { title: 'Suchbar in zwei Sprachen', content: richTextFromPlain('Deutscher Text.') })
    const row = async (locale: 'en' | 'de') =>
      (await payload.find({ collection: 'search', locale, where: { 'doc.value': { equals: post.id } }, depth: 0 }))
        .docs[0]
    expect(await row('en')).toMatchObject({ title: 'Searchable in two languages', slug: 'searchable-in-two-languages' })
    expect(await row('de')).toMatchObject({ title: 'Suchbar in zwei Sprachen', excerpt: 'Deutscher Text.' })
  })

  test('the HTML and text renditions follow the language, and locale "all" gives one per language', async () => {
    const post = await publish('Rendered twice', { content: richText(paragraph('English words.')) })
    await translate(post.id, { title: 'Zweimal gerendert', content: richText(paragraph('Deutsche Wörter.')) })
    expect((await payload.findByID({ collection: 'posts', id: post.id, locale: 'de' })).contentHtml).toBe(
      '<p>Deutsche Wörter.</p>',
    )
    const all = (await payload.findByID({ collection: 'posts', id: post.id, locale: 'all' })) as unknown as Record<
      string,
      unknown
    >
    expect(all.title).toEqual({ en: 'Rendered twice', de: 'Zweimal gerendert' })
    expect(all.contentHtml).toEqual({ en: '<p>English words.</p>', de: '<p>Deutsche Wörter.</p>' })
    expect(all.contentText).toEqual({ en: 'English words.', de: 'Deutsche Wörter.' })
  })

  test('a stale German save is refused like any other', async () => {
    const post = await publish('Edited twice')
    const copy = await payload.findByID({ collection: 'posts', id: post.id, locale: 'de' })
    await payload.update({
      collection: 'posts',
      id: post.id,
      overrideAccess: true,
      data: { excerpt: 'Changed meanwhile.' },
    })
    const error = await translate(post.id, {
      title: 'Zweimal bearbeitet',
      content: richTextFromPlain('Text.'),
      updatedAt: copy.updatedAt,
    }).then(
      () => undefined,
      (thrown: unknown) => thrown,
    )
    expect(error).toBeInstanceOf(APIError)
    expect((error as APIError).status).toBe(409)
  })
})

describe('readers', () => {
  test('never see a German draft; they get the published German text or the English fallback', async () => {
    const post = await publish('Draft translation')
    await translate(
      post.id,
      { title: 'Geheimer Entwurf', content: richTextFromPlain('Noch nicht fertig.'), _status: 'draft' },
      { draft: true },
    )
    const asReader = await payload.findByID({
      collection: 'posts',
      id: post.id,
      locale: 'de',
      overrideAccess: false,
      draft: true,
    })
    expect(asReader.title).toBe('Draft translation')
    expect(JSON.stringify(asReader)).not.toMatch(/Geheimer|Noch nicht/)
    const asEditor = await payload.findByID({
      collection: 'posts',
      id: post.id,
      locale: 'de',
      overrideAccess: false,
      user: editor,
      draft: true,
    })
    expect(asEditor.title).toBe('Geheimer Entwurf')
  })
})
