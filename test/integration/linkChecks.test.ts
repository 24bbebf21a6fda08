// Links checked before publish (src/linkChecks/): every kind of reference in every place is found,
// broken ones are listed (warn) or refuse a publish (block), documents linking to one that readers
// lose or get back are checked again without a new version, and readers never see the lists.
import type { Payload } from 'payload'
import { APIError } from 'payload'

import { readChangesAfter, readHeadPosition } from '../../src/changes/changeLog'
import { closePayload } from '../../src/db/closePayload'
import type { BrokenLink } from '../../src/linkChecks/checkLinks'
import { makeDemoImage } from '../../src/seed/images'
import { block, internalLink, paragraph, richText, text, upload } from '../../src/seed/lexical'
import type { TestUser } from '../helpers/payload'
import { createUser, initPayload, postData, viaApiKey } from '../helpers/payload'

let payload: Payload
let editor: TestUser

beforeAll(async () => {
  payload = await initPayload()
  editor = await createUser(payload, 'editor')
})

afterAll(async () => {
  delete process.env.LINK_CHECKS
  await closePayload(payload)
})

type Id = number | string

const page = (title: string, status: 'draft' | 'published', extra: Record<string, unknown> = {}) =>
  payload.create({
    collection: 'pages',
    overrideAccess: true,
    draft: status === 'draft',
    data: { title, _status: status, hero: { type: 'none' }, layout: [{ blockType: 'content', columns: [{ size: 'full' }] }], ...extra } as never,
  })

const post = (title: string, status: 'draft' | 'published', extra: Record<string, unknown> = {}) =>
  payload.create({
    collection: 'posts',
    overrideAccess: true,
    draft: status === 'draft',
    data: { ...postData(title), _status: status, ...extra } as never,
  })

const linkTo = (relationTo: 'pages' | 'posts', id: Id, label: string) => ({
  link: { type: 'reference', reference: { relationTo, value: id }, label },
})

/** What an editor reads: the newest version, as the edit view shows it. */
const brokenOf = async (collection: 'pages' | 'posts', id: Id): Promise<BrokenLink[]> => {
  const doc = (await payload.findByID({ collection, id, draft: true, overrideAccess: false, user: editor })) as unknown as {
    brokenLinks: BrokenLink[]
    brokenLinkCount: number
  }
  expect(doc.brokenLinkCount).toBe(doc.brokenLinks.length)
  return doc.brokenLinks
}

/** The same, as readers get the stored document. */
const storedBrokenOf = async (collection: 'pages' | 'posts', id: Id): Promise<BrokenLink[]> =>
  ((await payload.findByID({ collection, id, overrideAccess: true })) as unknown as { brokenLinks: BrokenLink[] }).brokenLinks

const summary = (broken: BrokenLink[]) =>
  broken.map(({ path, label, reason, target, locale }) => ({ path, label, reason, target: target && `${target.relationTo}:${target.id}`, ...(locale ? { locale } : {}) }))

let image: { id: Id }

beforeAll(async () => {
  const demo = await makeDemoImage('link-check.png', 'Link check', ['#234', '#a52'], { width: 320, height: 200 })
  image = await payload.create({
    collection: 'media',
    overrideAccess: true,
    data: { alt: demo.alt },
    file: { data: demo.data, mimetype: 'image/png', name: demo.name, size: demo.data.length },
  })
})

describe('finding links', () => {
  test('rich-text links, images, link fields, blocks and the hero, in every language', async () => {
    const draftPage = await page('Draft target', 'draft')
    const draftPost = await post('Draft post target', 'draft')
    const live = await page('Live target', 'published')

    const doc = await page('Linking page', 'draft', {
      hero: {
        type: 'lowImpact',
        richText: richText(paragraph(text('See '), internalLink('pages', draftPage.id, 'the hero link'))),
        links: [linkTo('pages', draftPage.id, 'Hero button'), linkTo('pages', live.id, 'Working button')],
      },
      layout: [
        {
          blockType: 'content',
          columns: [
            {
              size: 'half',
              richText: richText(paragraph(internalLink('posts', draftPost.id, 'column text link'))),
              enableLink: true,
              ...linkTo('posts', draftPost.id, 'Column link'),
            },
            // A link switched to a URL keeps its old reference, and a column without "enable link"
            // keeps its link: neither is shown to readers, so neither is reported.
            { size: 'half', enableLink: true, link: { type: 'custom', url: '/x', reference: { relationTo: 'pages', value: draftPage.id }, label: 'Custom' } },
            { size: 'half', enableLink: false, ...linkTo('pages', draftPage.id, 'Disabled link') },
          ],
        },
        {
          blockType: 'cta',
          richText: richText(paragraph(text('Image: ')), upload(image.id)),
        },
      ],
    })
    expect(summary(await brokenOf('pages', doc.id))).toEqual([
      { path: 'hero.richText', label: 'the hero link', reason: 'unpublished', target: `pages:${draftPage.id}`, locale: 'en' },
      { path: 'hero.links.0.link.reference', label: 'Hero button', reason: 'unpublished', target: `pages:${draftPage.id}` },
      { path: 'layout.0.columns.0.richText', label: 'column text link', reason: 'unpublished', target: `posts:${draftPost.id}`, locale: 'en' },
      { path: 'layout.0.columns.0.link.reference', label: 'Column link', reason: 'unpublished', target: `posts:${draftPost.id}` },
    ])
    const stored = (await payload.findByID({ collection: 'pages', id: doc.id, draft: true, overrideAccess: true })) as unknown as {
      linkTargets: string[]
    }
    expect(stored.linkTargets.sort()).toEqual(
      [`pages:${draftPage.id}`, `pages:${live.id}`, `posts:${draftPost.id}`, `media:${image.id}`].sort(),
    )

    // The German text links elsewhere: saved in German, both languages are listed.
    await payload.update({
      collection: 'pages',
      id: doc.id,
      locale: 'de',
      draft: true,
      overrideAccess: true,
      data: { hero: { type: 'lowImpact', richText: richText(paragraph(internalLink('posts', draftPost.id, 'deutscher Link'))) } } as never,
    })
    const both = summary(await brokenOf('pages', doc.id))
    expect(both).toContainEqual({ path: 'hero.richText', label: 'deutscher Link', reason: 'unpublished', target: `posts:${draftPost.id}`, locale: 'de' })
    expect(both).toContainEqual({ path: 'hero.richText', label: 'the hero link', reason: 'unpublished', target: `pages:${draftPage.id}`, locale: 'en' })
  })

  test("a post's body: links, images and media blocks, related posts", async () => {
    const draftPost = await post('Unpublished related', 'draft')
    const doc = await post('Body links', 'draft', {
      content: richText(
        paragraph(internalLink('posts', 999_997, 'a deleted post')),
        upload(image.id),
        block('mediaBlock', { media: image.id, width: 'content' }),
      ),
      relatedPosts: [draftPost.id],
    })
    expect(summary(await brokenOf('posts', doc.id))).toEqual([
      { path: 'content', label: 'a deleted post', reason: 'missing', target: 'posts:999997', locale: 'en' },
      { path: 'relatedPosts', label: 'Related Posts', reason: 'unpublished', target: `posts:${draftPost.id}` },
    ])
    // Images in the body and in media blocks are found (and fine): media are guarded against deletion
    // while content uses them, and SQL databases keep no reference to a missing file.
    const stored = (await payload.findByID({ collection: 'posts', id: doc.id, draft: true, overrideAccess: true })) as unknown as {
      linkTargets: string[]
    }
    expect(stored.linkTargets.sort()).toEqual([`media:${image.id}`, 'posts:999997', `posts:${draftPost.id}`].sort())
  })
})

describe('publishing', () => {
  afterEach(() => {
    delete process.env.LINK_CHECKS
  })

  test('warn (the default): the publish goes through and the answer lists the broken links', async () => {
    const target = await page('Not yet', 'draft')
    const published = (await payload.create({
      collection: 'posts',
      overrideAccess: false,
      user: editor,
      data: { ...postData('Warned'), _status: 'published', content: richText(paragraph(internalLink('pages', target.id, 'soon'))) } as never,
    })) as unknown as { _status: string; brokenLinks: BrokenLink[] }
    expect(published._status).toBe('published')
    expect(summary(published.brokenLinks)).toEqual([
      { path: 'content', label: 'soon', reason: 'unpublished', target: `pages:${target.id}`, locale: 'en' },
    ])
  })

  test('block: a publish with broken links is refused with the list; a draft is saved with it', async () => {
    process.env.LINK_CHECKS = 'block'
    const target = await page('Blocked target', 'draft')
    const content = richText(paragraph(internalLink('pages', target.id, 'blocked link')))
    const refused = await payload
      .create({ collection: 'posts', overrideAccess: true, data: { ...postData('Blocked'), content, _status: 'published' } as never })
      .then(() => undefined, (error: unknown) => error)
    expect(refused).toBeInstanceOf(APIError)
    expect((refused as APIError).status).toBe(400)
    expect((refused as APIError).message).toContain('"blocked link" (content, en) links to pages')
    expect((refused as APIError).message).toContain('which is not published')
    expect(summary((refused as APIError).data?.brokenLinks as BrokenLink[])).toEqual([
      { path: 'content', label: 'blocked link', reason: 'unpublished', target: `pages:${target.id}`, locale: 'en' },
    ])
    expect((await payload.find({ collection: 'posts', where: { title: { equals: 'Blocked' } }, overrideAccess: true })).totalDocs).toBe(0)

    const draft = await post('Blocked', 'draft', { content })
    expect(summary(await brokenOf('posts', draft.id))).toHaveLength(1)

    // Once the target is published, the same publish goes through with nothing to report.
    await payload.update({ collection: 'pages', id: target.id, data: { _status: 'published' } as never, overrideAccess: true })
    const published = await payload.update({ collection: 'posts', id: draft.id, data: { _status: 'published' } as never, overrideAccess: true })
    expect((published as unknown as { brokenLinks: BrokenLink[] }).brokenLinks).toEqual([])
  })

  test('a scheduled publish is checked like any other: listed under warn, refused under block', async () => {
    const target = await page('Scheduled target', 'draft')
    const schedule = async (id: Id) => {
      await payload.jobs.queue({
        task: 'schedulePublish',
        waitUntil: new Date(Date.now() - 1000),
        input: { type: 'publish', doc: { relationTo: 'posts', value: id as number }, user: { relationTo: 'users', value: editor.id } },
      })
      await payload.jobs.run({ queue: 'default' })
      return payload.findByID({ collection: 'posts', id, overrideAccess: true })
    }
    const content = richText(paragraph(internalLink('pages', target.id, 'scheduled link')))

    process.env.LINK_CHECKS = 'block'
    const blocked = await post('Scheduled, blocked', 'draft', { content })
    expect((await schedule(blocked.id))._status).toBe('draft')

    process.env.LINK_CHECKS = 'warn'
    const warned = await post('Scheduled, warned', 'draft', { content })
    const published = (await schedule(warned.id)) as unknown as { _status: string; brokenLinks: BrokenLink[] }
    expect(published._status).toBe('published')
    expect(summary(published.brokenLinks)).toEqual([
      { path: 'content', label: 'scheduled link', reason: 'unpublished', target: `pages:${target.id}`, locale: 'en' },
    ])
  })

  test('off: nothing is checked', async () => {
    process.env.LINK_CHECKS = 'off'
    const target = await page('Off target', 'draft')
    const doc = await post('Unchecked', 'published', { content: richText(paragraph(internalLink('pages', target.id, 'x'))) })
    expect((doc as unknown as { brokenLinks?: unknown }).brokenLinks ?? null).toBeNull()
  })
})

describe('when a linked document changes', () => {
  test('unpublishing, republishing and deleting the target update the documents that link to it', async () => {
    const target = await page('Linked page', 'published')
    const referrer = await page('Referrer', 'published', {
      hero: { type: 'lowImpact', links: [linkTo('pages', target.id, 'To the linked page')] },
    })
    const linkingPost = await post('Linking post', 'published', {
      content: richText(paragraph(internalLink('pages', target.id, 'inline link'))),
    })
    // A newer draft of the post links to it too, in German only.
    await payload.update({
      collection: 'posts',
      id: linkingPost.id,
      locale: 'de',
      draft: true,
      overrideAccess: true,
      data: { content: richText(paragraph(internalLink('pages', target.id, 'Verweis'))) } as never,
    })
    expect(await brokenOf('pages', referrer.id)).toEqual([])
    expect(await brokenOf('posts', linkingPost.id)).toEqual([])

    const before = await payload.findByID({ collection: 'pages', id: referrer.id, overrideAccess: true })
    const versionsBefore = (await payload.findVersions({ collection: 'pages', where: { parent: { equals: referrer.id } }, overrideAccess: true })).totalDocs
    const head = await readHeadPosition(payload)

    await payload.update({ collection: 'pages', id: target.id, data: { _status: 'draft' } as never, overrideAccess: true })
    expect(summary(await brokenOf('pages', referrer.id))).toEqual([
      { path: 'hero.links.0.link.reference', label: 'To the linked page', reason: 'unpublished', target: `pages:${target.id}` },
    ])
    expect(summary(await storedBrokenOf('pages', referrer.id))).toHaveLength(1)
    expect(summary(await brokenOf('posts', linkingPost.id))).toEqual([
      { path: 'content', label: 'inline link', reason: 'unpublished', target: `pages:${target.id}`, locale: 'en' },
      { path: 'content', label: 'Verweis', reason: 'unpublished', target: `pages:${target.id}`, locale: 'de' },
    ])
    // The stored (published) post links in English only.
    expect(summary(await storedBrokenOf('posts', linkingPost.id))).toEqual([
      { path: 'content', label: 'inline link', reason: 'unpublished', target: `pages:${target.id}`, locale: 'en' },
    ])
    // Bookkeeping: no new version, no new updatedAt, and only the target's own change in the log.
    const after = await payload.findByID({ collection: 'pages', id: referrer.id, overrideAccess: true })
    expect(after.updatedAt).toBe(before.updatedAt)
    expect((await payload.findVersions({ collection: 'pages', where: { parent: { equals: referrer.id } }, overrideAccess: true })).totalDocs).toBe(versionsBefore)
    expect((await readChangesAfter(payload, head, 100)).map(({ collectionSlug, documentId }) => `${collectionSlug}:${documentId}`)).toEqual([
      `pages:${target.id}`,
    ])
    // The list view's filter.
    const withBroken = await payload.find({ collection: 'pages', where: { brokenLinkCount: { greater_than: 0 } }, draft: true, overrideAccess: false, user: editor })
    expect(withBroken.docs.map(({ id }) => id)).toContain(referrer.id)

    await payload.update({ collection: 'pages', id: target.id, data: { _status: 'published' } as never, overrideAccess: true })
    expect(await brokenOf('pages', referrer.id)).toEqual([])
    expect(await brokenOf('posts', linkingPost.id)).toEqual([])

    await payload.delete({ collection: 'pages', id: target.id, overrideAccess: true })
    // The link field's reference went with the target (a foreign key); the list still names it.
    expect(summary(await brokenOf('pages', referrer.id))).toEqual([
      { path: 'hero.links.0.link.reference', label: 'To the linked page', reason: 'missing', target: `pages:${target.id}` },
    ])
    expect(summary(await brokenOf('posts', linkingPost.id)).map(({ reason }) => reason)).toEqual(['missing', 'missing'])
    // Saving the referrer again keeps reporting the link that now points nowhere.
    await payload.update({ collection: 'pages', id: referrer.id, draft: true, overrideAccess: true, data: { title: 'Referrer, edited' } as never })
    expect(summary(await brokenOf('pages', referrer.id))).toEqual([
      { path: 'hero.links.0.link.reference', label: 'To the linked page', reason: 'missing', target: `pages:${target.id}` },
    ])
  })
})

test('unpublishing a document that has a newer draft updates the documents that link to it', async () => {
  const target = await page('Target with a draft', 'published')
  const referrer = await post('Links to a page with a draft', 'published', {
    content: richText(paragraph(internalLink('pages', target.id, 'to the page'))),
  })
  await payload.update({ collection: 'pages', id: target.id, draft: true, overrideAccess: true, data: { title: 'Target, edited' } as never })
  expect(await brokenOf('posts', referrer.id)).toEqual([])
  // The admin's Unpublish: a save of the draft as the document's state, over a newer draft.
  await payload.update({ collection: 'pages', id: target.id, overrideAccess: true, data: { _status: 'draft' } as never })
  expect(summary(await brokenOf('posts', referrer.id))).toEqual([
    { path: 'content', label: 'to the page', reason: 'unpublished', target: `pages:${target.id}`, locale: 'en' },
  ])
})

describe('readers', () => {
  test('never read, query or sort by the link checks', async () => {
    const target = await page('Hidden target', 'draft')
    const doc = await post('Reader view', 'published', { content: richText(paragraph(internalLink('pages', target.id, 'hidden'))) })
    for (const user of [undefined, viaApiKey(editor)]) {
      const read = (await payload.findByID({ collection: 'posts', id: doc.id, overrideAccess: false, user })) as unknown as Record<string, unknown>
      expect(read.title).toBe('Reader view')
      expect(read).not.toHaveProperty('brokenLinks')
      expect(read).not.toHaveProperty('brokenLinkCount')
      expect(read).not.toHaveProperty('linkTargets')
      await expect(
        payload.find({ collection: 'posts', where: { linkTargets: { equals: `pages:${target.id}` } }, overrideAccess: false, user }),
      ).rejects.toThrow(/cannot be queried/)
      await expect(payload.find({ collection: 'posts', sort: '-brokenLinkCount', overrideAccess: false, user })).rejects.toThrow(
        /editorial team only/,
      )
    }
  })
})
