import type { Payload } from 'payload'

import { closePayload } from '../../src/db/closePayload'
import {
  BOLD,
  block,
  bulletList,
  heading,
  internalLink,
  link,
  paragraph,
  richText,
  text,
  upload,
} from '../../src/seed/lexical'
import type { TestUser } from '../helpers/payload'
import { createPost, createUser, initPayload, uploadDemoImage } from '../helpers/payload'

let payload: Payload
let editor: TestUser

beforeAll(async () => {
  payload = await initPayload()
  editor = await createUser(payload, 'editor')
})

afterAll(async () => {
  await closePayload(payload)
})

let imageCount = 0
const uploadImage = (alt: string) => uploadDemoImage(payload, `rendition-${++imageCount}.png`, alt)


/** What an anonymous REST or GraphQL reader gets. */
const readAsAnonymous = (id: number | string, depth = 1) =>
  payload.findByID({ collection: 'posts', id, depth, overrideAccess: false })

describe('posts', () => {
  test('expose their content as HTML and plain text: headings, lists, links, an image and our blocks', async () => {
    const image = await uploadImage('A green room')
    const target = await createPost(payload, 'Link target', 'published', { slug: 'link-target' })
    const hidden = await createPost(payload, 'Unpublished target', 'draft', { slug: 'unpublished-target' })
    const post = await createPost(payload, 'Everything', 'published', {
      content: richText(
        heading('h2', 'Getting <started>'),
        paragraph(text('Bold', BOLD), ' text with ', link('https://example.com/a?b=1&c=2', 'a link'), '.'),
        bulletList('First', 'Second'),
        paragraph(
          internalLink('posts', target.id, 'published post'),
          ' and ',
          internalLink('posts', hidden.id, 'draft post'),
        ),
        upload(image.id),
        block('banner', { style: 'warning', content: richText(paragraph('Mind the gap.')) }),
        block('code', { language: 'bash', code: 'echo "<hi>"' }),
        block('mediaBlock', { media: image.id, width: 'wide' }),
        paragraph(link('javascript:alert(1)', 'not a link')),
      ),
    })

    const read = await readAsAnonymous(post.id)
    const html = read.contentHtml!
    expect(html).toContain('<h2>Getting &lt;started&gt;</h2>')
    expect(html).toContain(
      '<p><strong>Bold</strong> text with <a href="https://example.com/a?b=1&amp;c=2">a link</a>.</p>',
    )
    expect(html).toMatch(/<ul class="list-bullet"><li[^>]*>First<\/li><li[^>]*>Second<\/li><\/ul>/)
    // The reader may not see the draft, so its link keeps only its text.
    expect(html).toContain('<p><a href="/posts/link-target">published post</a> and draft post</p>')
    expect(html).toMatch(new RegExp(`<figure class="upload"><picture><source type="image/avif" srcset="[^"]+\\.avif\\?v=[0-9a-f]{16} \\d+w"[^>]*/><source type="image/webp" [^>]*/><img src="${String(image.url).replace(/[.?]/g, '\\$&')}" alt="A green room" width="320" height="200"`))
    expect(html).toContain('<aside class="banner banner-warning" role="note"><p>Mind the gap.</p></aside>')
    expect(html).toContain('<pre><code class="language-bash">echo &quot;&lt;hi&gt;&quot;</code></pre>')
    expect(html).toContain(`<figure class="media-block media-block-wide"><picture><source type="image/avif"`)
    expect(html).toContain('<p>not a link</p>')
    expect(html).not.toMatch(/javascript|unpublished-target/)

    expect(read.contentText).toBe(
      [
        'Getting <started>',
        'Bold text with a link.',
        'First\nSecond',
        'published post and draft post',
        'Mind the gap.',
        'echo "<hi>"',
        'not a link',
      ].join('\n\n'),
    )

    // The editorial Local API (full rights) links the draft too.
    const asEditor = await payload.findByID({ collection: 'posts', id: post.id, depth: 0 })
    expect(asEditor.contentHtml).toContain('<a href="/posts/unpublished-target">draft post</a>')
    // Images are resolved even at depth 0, where the content itself only carries ids.
    expect(asEditor.contentHtml).toContain(`<img src="${image.url}"`)
  })

  test('follow what they point at: a new alt text or a renamed target shows without saving the post', async () => {
    const image = await uploadImage('Old alt')
    const target = await createPost(payload, 'Renamed target', 'published', { slug: 'before-rename' })
    const post = await createPost(payload, 'Follower', 'published', {
      content: richText(paragraph(internalLink('posts', target.id, 'there')), upload(image.id)),
    })

    await payload.update({ collection: 'media', id: image.id, overrideAccess: true, data: { alt: 'New alt' } })
    await payload.update({ collection: 'posts', id: target.id, overrideAccess: true, data: { slug: 'after-rename' } })

    const html = (await readAsAnonymous(post.id)).contentHtml
    expect(html).toContain('alt="New alt"')
    expect(html).toContain('href="/posts/after-rename"')
  })

  test('a kept rendition follows every change: to what it points at, and to the content itself', async () => {
    const image = await uploadImage('First alt')
    const post = await createPost(payload, 'Kept rendition', 'published', {
      content: richText(paragraph('First words.'), upload(image.id)),
    })
    const htmlNow = async () => (await readAsAnonymous(post.id)).contentHtml as string
    const first = await htmlNow()
    expect(first).toContain('First words.')
    expect(first).toContain('alt="First alt"')
    // Read again (kept now), and after a change elsewhere in the post.
    expect(await htmlNow()).toBe(first)
    await payload.update({ collection: 'posts', id: post.id, overrideAccess: true, data: { title: 'Kept rendition, renamed' } })
    expect(await htmlNow()).toBe(first)

    await payload.update({ collection: 'media', id: image.id, overrideAccess: true, data: { alt: 'Second alt' } })
    expect(await htmlNow()).toBe(first.replace('alt="First alt"', 'alt="Second alt"'))

    await payload.update({
      collection: 'posts',
      id: post.id,
      overrideAccess: true,
      data: { content: richText(paragraph('Second words.'), upload(image.id)) },
    })
    const second = await htmlNow()
    expect(second).toBe(first.replace('First words.', 'Second words.').replace('alt="First alt"', 'alt="Second alt"'))
    expect((await readAsAnonymous(post.id)).contentText).toContain('Second words.')
  })

  test('a reader gets the HTML of the published version, never of a newer draft', async () => {
    const post = await createPost(payload, 'Drafted later', 'published', { content: richText(paragraph('Published words.')) })
    await payload.update({
      collection: 'posts',
      id: post.id,
      overrideAccess: true,
      draft: true,
      data: { content: richText(paragraph('Secret draft words.')), _status: 'draft' } as never,
    })

    for (const draft of [false, true]) {
      const read = await payload.findByID({ collection: 'posts', id: post.id, overrideAccess: false, draft })
      expect(read.contentHtml).toBe('<p>Published words.</p>')
      expect(read.contentText).toBe('Published words.')
    }
    const listed = await payload.find({
      collection: 'posts',
      overrideAccess: false,
      where: { id: { equals: post.id } },
    })
    expect(listed.docs[0].contentHtml).toBe('<p>Published words.</p>')
    const editorView = await payload.findByID({
      collection: 'posts',
      id: post.id,
      draft: true,
      overrideAccess: false,
      user: editor,
    })
    expect(editorView.contentHtml).toBe('<p>Secret draft words.</p>')
  })

  test('ignore HTML and text sent on create or update', async () => {
    const post = await createPost(payload, 'Sent renditions', 'published', {
      contentHtml: '<script>alert(1)</script>',
      contentText: 'forged',
    })
    expect(post.contentHtml).toBe('<p>Sent renditions body text.</p>')
    const updated = await payload.update({
      collection: 'posts',
      id: post.id,
      overrideAccess: false,
      user: editor,
      data: { contentText: 'forged again', contentHtml: '<b>forged</b>' } as never,
    })
    expect(updated.contentText).toBe('Sent renditions body text.')
    const read = await readAsAnonymous(post.id)
    expect(read.contentText).toBe('Sent renditions body text.')
    expect(read.contentHtml).toBe('<p>Sent renditions body text.</p>')
  })

  test('populated elsewhere, a post carries its default fields, not its HTML', async () => {
    const related = await createPost(payload, 'Related', 'published')
    const post = await createPost(payload, 'With related', 'published', { relatedPosts: [related.id] })
    const read = await readAsAnonymous(post.id, 1)
    const populated = read.relatedPosts![0] as unknown as Record<string, unknown>
    expect(populated.title).toBe('Related')
    expect(populated).not.toHaveProperty('contentHtml')
    expect(populated).not.toHaveProperty('contentText')
  })
})

test('a select that names only the HTML still gets it', async () => {
  const post = await createPost(payload, 'Selected rendition', 'published')
  const read = await payload.findByID({
    collection: 'posts',
    id: post.id,
    overrideAccess: false,
    select: { contentHtml: true, contentText: true },
  })
  expect(read.contentHtml).toBe('<p>Selected rendition body text.</p>')
  expect(read.contentText).toBe('Selected rendition body text.')
  expect(read).not.toHaveProperty('title')
  const page = await payload.create({
    collection: 'pages',
    overrideAccess: true,
    data: {
      title: 'Selected hero',
      _status: 'published',
      hero: { type: 'lowImpact', richText: richText(paragraph('Hi')) },
      layout: [{ blockType: 'cta', links: [] }],
    } as never,
  })
  const hero = await payload.findByID({
    collection: 'pages',
    id: page.id,
    overrideAccess: false,
    select: { hero: { richTextHtml: true } },
  })
  expect(hero.hero.richTextHtml).toBe('<p>Hi</p>')
})

describe('pages', () => {
  test('expose the hero and every rich-text block as HTML and plain text', async () => {
    const target = await createPost(payload, 'Page link target', 'published', { slug: 'page-link-target' })
    const page = await payload.create({
      collection: 'pages',
      overrideAccess: true,
      data: {
        title: 'Rendered page',
        _status: 'published',
        hero: { type: 'lowImpact', richText: richText(heading('h2', 'Hero & more')) },
        layout: [
          {
            blockType: 'content',
            columns: [
              { size: 'half', richText: richText(paragraph('Left ', internalLink('posts', target.id, 'column'))) },
              { size: 'half', richText: richText(bulletList('Right')) },
            ],
          },
          { blockType: 'cta', richText: richText(paragraph('Act <now>')), links: [] },
          {
            blockType: 'archive',
            introContent: richText(paragraph('Latest posts')),
            populateBy: 'collection',
            limit: 2,
          },
        ],
      } as never,
    })

    const read = await payload.findByID({ collection: 'pages', id: page.id, overrideAccess: false, depth: 1 })
    expect(read.hero.richTextHtml).toBe('<h2>Hero &amp; more</h2>')
    expect(read.hero.richTextText).toBe('Hero & more')
    const [content, cta, archive] = read.layout as Record<string, any>[]
    expect(content.columns[0].richTextHtml).toBe('<p>Left <a href="/posts/page-link-target">column</a></p>')
    expect(content.columns[0].richTextText).toBe('Left column')
    expect(content.columns[1].richTextHtml).toMatch(/^<ul class="list-bullet"><li[^>]*>Right<\/li><\/ul>$/)
    expect(cta.richTextHtml).toBe('<p>Act &lt;now&gt;</p>')
    expect(archive.introContentHtml).toBe('<p>Latest posts</p>')
    expect(archive.introContentText).toBe('Latest posts')
  })

  test('a page without hero text has null renditions', async () => {
    const page = await payload.create({
      collection: 'pages',
      overrideAccess: true,
      data: {
        title: 'Plain page',
        _status: 'published',
        hero: { type: 'none' },
        layout: [{ blockType: 'cta', links: [] }],
      } as never,
    })
    const read = await payload.findByID({ collection: 'pages', id: page.id, overrideAccess: false })
    expect(read.hero.richTextHtml).toBeNull()
    expect(read.hero.richTextText).toBeNull()
  })
})
