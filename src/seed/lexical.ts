/** Small builders for Lexical's JSON, so seed and test content reads like the text it makes. */

type Node = Record<string, unknown>

export const text = (value: string, format = 0): Node => ({
  type: 'text',
  text: value,
  format,
  style: '',
  mode: 'normal',
  detail: 0,
  version: 1,
})

export const BOLD = 1
export const ITALIC = 2

const element = (type: string, children: Node[], extra: Node = {}): Node => ({
  type,
  children,
  direction: 'ltr',
  format: '',
  indent: 0,
  version: 1,
  ...extra,
})

export const paragraph = (...children: (Node | string)[]): Node =>
  element(
    'paragraph',
    children.map((child) => (typeof child === 'string' ? text(child) : child)),
    { textFormat: 0, textStyle: '' },
  )

export const heading = (tag: 'h2' | 'h3' | 'h4', value: string): Node => element('heading', [text(value)], { tag })

export const link = (url: string, label: string): Node =>
  element('link', [text(label)], { version: 3, fields: { linkType: 'custom', url, newTab: false } })

/** A link to a post or page; front ends resolve it to the target's current URL. */
export const internalLink = (relationTo: 'posts' | 'pages', id: number | string, label: string): Node =>
  element('link', [text(label)], { version: 3, fields: { linkType: 'internal', doc: { relationTo, value: id }, newTab: false } })

/** An image from the media collection, inline in the text. */
export const upload = (id: number | string): Node => ({ type: 'upload', version: 3, format: '', relationTo: 'media', value: id, fields: null })

export const bulletList = (...items: string[]): Node =>
  element(
    'list',
    items.map((item, index) => element('listitem', [text(item)], { value: index + 1 })),
    { listType: 'bullet', start: 1, tag: 'ul' },
  )

export const block = (blockType: string, fields: Node): Node => ({
  type: 'block',
  version: 2,
  format: '',
  fields: { blockType, blockName: '', ...fields },
})

export const richText = (...children: Node[]) => ({
  root: element('root', children) as Node & { type: string },
})

/** Paragraphs from plain text separated by blank lines. */
export const richTextFromPlain = (plain: string) =>
  richText(...plain.split(/\n{2,}/).map((part) => paragraph(part.trim())))
