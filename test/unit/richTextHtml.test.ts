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
import type { HTMLPopulateFn } from '../../src/utilities/richTextHtml'
import { selectRenditionSources } from '../../src/fields/richTextRenditions'
import { escapeHtml, richTextToHtml, safeHref } from '../../src/utilities/richTextHtml'

const image = {
  id: 7,
  url: '/api/media/file/desk.png',
  alt: 'A desk "with" <tools>',
  caption: 'Tom & Jerry',
  width: 1600,
  height: 900,
  sizes: {
    thumbnail: { url: '/api/media/file/desk-300x169.webp', width: 300 },
    card: { url: '/api/media/file/desk-640x360.webp', width: 640 },
    feature: { url: '/api/media/file/desk-1280x720.webp', width: 1280 },
    cardAvif: { url: '/api/media/file/desk-640x360.avif', width: 640, mimeType: 'image/avif' },
    featureAvif: { url: '/api/media/file/desk-1280x720.avif', width: 1280, mimeType: 'image/avif' },
    og: { url: '/api/media/file/desk-1200x630.jpg', width: 1200 },
  },
}

/** Stands in for the database: the documents a reader may see, by collection and id. */
const readable = (docs: Record<string, Record<string, object>>): HTMLPopulateFn =>
  (async ({ collectionSlug, id }: { collectionSlug: string; id: number | string }) =>
    docs[collectionSlug]?.[String(id)]) as HTMLPopulateFn

describe('escapeHtml', () => {
  test('escapes the five characters that matter in text and attributes', () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe(
      '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;',
    )
    expect(escapeHtml(null)).toBe('')
  })
})

describe('safeHref', () => {
  test.each([
    'https://example.com/a?b=1&c=2',
    'http://x.test',
    'mailto:a@b.test',
    'tel:+4930123',
    '/about',
    '#top',
    '../up',
  ])('keeps %s', (url) => expect(safeHref(url)).toBe(url))
  test.each([
    'javascript:alert(1)',
    'JavaScript:alert(1)',
    ' javascript:alert(1)',
    'java\tscript:alert(1)',
    'javascript:',
    'data:text/html,<b>',
    'vbscript:x',
    '',
  ])('refuses %j', (url) => expect(safeHref(url)).toBeNull())
})

describe('richTextToHtml', () => {
  test('renders headings, formatted text and lists, escaping editor text', async () => {
    const html = await richTextToHtml(
      richText(
        heading('h2', 'Fish & <chips>'),
        paragraph(text('bold', BOLD), ' and <script>alert(1)</script>'),
        bulletList('one', 'two'),
      ),
    )
    expect(html).toContain('<h2>Fish &amp; &lt;chips&gt;</h2>')
    expect(html).toContain('<p><strong>bold</strong> and &lt;script&gt;alert(1)&lt;/script&gt;</p>')
    expect(html).toMatch(/<ul class="list-bullet"><li[^>]*>one<\/li><li[^>]*>two<\/li><\/ul>/)
    expect(html).not.toContain('<script>')
    expect(html?.startsWith('<h2>')).toBe(true)
  })

  test('links safe URLs, escaped, and keeps only the text of unsafe ones', async () => {
    const html = await richTextToHtml(
      richText(
        paragraph(
          link('https://example.com/?q="x"&y=1', 'safe'),
          ' ',
          link('javascript:alert(document.cookie)', 'evil'),
        ),
      ),
    )
    expect(html).toContain('<a href="https://example.com/?q=&quot;x&quot;&amp;y=1">safe</a>')
    expect(html).toContain(' evil</p>')
    expect(html).not.toMatch(/javascript/i)
  })

  test("resolves internal links to the target's current path, and unlinks targets the reader cannot see", async () => {
    const populate = readable({
      posts: { '1': { id: 1, slug: 'hello-world' } },
      pages: { '2': { id: 2, slug: 'home' } },
    })
    const html = await richTextToHtml(
      richText(
        paragraph(
          internalLink('posts', 1, 'post'),
          internalLink('pages', 2, 'home'),
          internalLink('posts', 99, 'draft'),
        ),
      ),
      populate,
    )
    expect(html).toBe('<p><a href="/posts/hello-world">post</a><a href="/">home</a>draft</p>')
  })

  test('renders an inline image as a <picture>: AVIF then WebP sources with their widths, the original with its size, no cropped social size', async () => {
    const html = await richTextToHtml(richText(upload(7)), readable({ media: { '7': image } }))
    const sizes = 'sizes="(max-width: 1280px) 100vw, 1280px"'
    expect(html).toBe(
      '<figure class="upload"><picture>' +
        `<source type="image/avif" srcset="/api/media/file/desk-640x360.avif 640w, /api/media/file/desk-1280x720.avif 1280w" ${sizes} />` +
        `<source type="image/webp" srcset="/api/media/file/desk-300x169.webp 300w, /api/media/file/desk-640x360.webp 640w, /api/media/file/desk-1280x720.webp 1280w" ${sizes} />` +
        '<img src="/api/media/file/desk.png" alt="A desk &quot;with&quot; &lt;tools&gt;" width="1600" height="900" loading="lazy" decoding="async" />' +
        '</picture><figcaption>Tom &amp; Jerry</figcaption></figure>',
    )
    expect(html).not.toContain('1200x630')
  })

  test('an image without sizes (an SVG, say) is a plain <img>; a source URL that is not safe is dropped', async () => {
    const plain = { ...image, sizes: {} }
    expect(await richTextToHtml(richText(upload(7)), readable({ media: { '7': plain } }))).toMatch(/^<figure class="upload"><img src="\/api\/media\/file\/desk.png"/)
    const hostile = { ...image, sizes: { card: { url: 'javascript:alert(1)', width: 640 } } }
    const html = await richTextToHtml(richText(upload(7)), readable({ media: { '7': hostile } }))
    expect(html).not.toMatch(/javascript|<source/)
  })

  test('drops an image that cannot be loaded', async () => {
    expect(await richTextToHtml(richText(upload(8)), readable({}))).toBe('')
  })

  test('renders our blocks safely', async () => {
    const html = await richTextToHtml(
      richText(
        block('banner', { style: 'warning', content: richText(paragraph('Mind <the> gap')) }),
        block('banner', { style: '"><script>', content: richText(paragraph('x')) }),
        block('code', { language: 'bash', code: 'echo "<b>" && exit', caption: 'a <caption>' }),
        block('code', { language: 'evil"lang', code: 'x' }),
        block('mediaBlock', { media: image, width: 'wide' }),
        block('mediaBlock', { media: 7, width: 'full" onload="x' }),
      ),
      readable({ media: { '7': image } }),
    )
    expect(html).toContain('<aside class="banner banner-warning" role="note"><p>Mind &lt;the&gt; gap</p></aside>')
    expect(html).toContain('<aside class="banner banner-info" role="note"><p>x</p></aside>')
    expect(html).toContain(
      '<figure class="code-block"><pre><code class="language-bash">echo &quot;&lt;b&gt;&quot; &amp;&amp; exit</code></pre><figcaption>a &lt;caption&gt;</figcaption></figure>',
    )
    expect(html).toContain('<figure class="code-block"><pre><code class="language-plaintext">x</code></pre></figure>')
    expect(html).toContain('<figure class="media-block media-block-wide"><picture><source type="image/avif"')
    expect(html).toContain('<figure class="media-block media-block-content"><picture>')
    expect(html).not.toMatch(/<script|onload=/)
  })

  test('keeps the text of node types it does not know and skips unknown blocks', async () => {
    const html = await richTextToHtml(
      richText(
        paragraph('a'),
        { type: 'mystery', version: 1, children: [text('inner <text>')] },
        block('nope', { x: 1 }),
      ),
    )
    expect(html).toBe('<p>a</p>inner &lt;text&gt;')
  })

  test('is null for anything that is not Lexical state, and empty for an empty document', async () => {
    expect(await richTextToHtml(null)).toBeNull()
    expect(await richTextToHtml({ root: null })).toBeNull()
    expect(await richTextToHtml(richText())).toBe('')
  })
})

describe('selectRenditionSources', () => {
  test('adds the rich text a selected rendition is computed from, at every level', () => {
    expect(selectRenditionSources({ title: true, contentHtml: true })).toEqual({
      title: true,
      contentHtml: true,
      content: true,
    })
    expect(selectRenditionSources({ hero: { richTextText: true }, layout: { cta: { richTextHtml: true } } })).toEqual({
      hero: { richTextText: true, richText: true },
      layout: { cta: { richTextHtml: true, richText: true } },
    })
    expect(selectRenditionSources({ content: true, contentHtml: true })).toEqual({ content: true, contentHtml: true })
  })
})
