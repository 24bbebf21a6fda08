/**
 * What an array row or a block shows in its collapsed header: its content, as Payload's website
 * template labels rows, instead of "Nav Item 01" or "Untitled". Plain functions of the row's form
 * data, shared by the label components and their tests.
 */

const LONGEST = 80

const clip = (text: string): string => {
  const flat = text.replace(/\s+/g, ' ').trim()
  return flat.length > LONGEST ? `${flat.slice(0, LONGEST - 1).trimEnd()}…` : flat
}

type LexicalNode = { type?: string; text?: unknown; children?: unknown }

const textOf = (node: LexicalNode): string => {
  if (typeof node.text === 'string') return node.text
  if (!Array.isArray(node.children)) return ''
  return (node.children as LexicalNode[]).map(textOf).join(node.type === 'list' ? ' ' : '')
}

/**
 * The first heading of a rich-text value, or else its first paragraph (or other block) with text;
 * '' when it has none. Headings come first: they name what follows.
 */
export const richTextSummary = (value: unknown): string => {
  const children = (value as { root?: { children?: unknown } } | null | undefined)?.root?.children
  if (!Array.isArray(children)) return ''
  const blocks = children as LexicalNode[]
  const heading = blocks.find((node) => node.type === 'heading' && textOf(node).trim())
  if (heading) return clip(textOf(heading))
  const first = blocks.find((node) => textOf(node).trim())
  return first ? clip(textOf(first)) : ''
}

type Row = Record<string, unknown> | null | undefined

const isId = (value: unknown): boolean => typeof value === 'number' || (typeof value === 'string' && value !== '')

const text = (value: unknown): string => (typeof value === 'string' ? clip(value) : '')

/** A link's visible label, else where it points (a URL); '' when it has neither yet. */
export const linkSummary = (link: unknown): string => {
  const { label, url, type } = (link ?? {}) as Record<string, unknown>
  return text(label) || (type === 'custom' ? text(url) : '')
}

/** A row holding a `link` group (navigation items, a hero's buttons). */
export const linkRowSummary = (row: Row): string => linkSummary(row?.link)

/** A content block's column: its text, else its link. */
export const columnSummary = (row: Row): string => richTextSummary(row?.richText) || (row?.enableLink ? linkSummary(row?.link) : '')

/** A layout or rich-text block: its heading or first text, by block type; '' when it has none. */
export const blockSummary = (row: Row): string => {
  if (!row) return ''
  switch (row.blockType) {
    case 'content': {
      const columns = Array.isArray(row.columns) ? (row.columns as Row[]) : []
      for (const column of columns) {
        const summary = columnSummary(column)
        if (summary) return summary
      }
      return ''
    }
    case 'cta':
      return richTextSummary(row.richText) || linkRowSummary((Array.isArray(row.links) ? row.links[0] : undefined) as Row)
    case 'archive':
      return richTextSummary(row.introContent) || (row.populateBy === 'selection' ? 'Hand-picked posts' : 'Latest posts')
    case 'formBlock':
      return (row.enableIntro ? richTextSummary(row.introContent) : '') || (isId(row.form) ? `Form #${String(row.form)}` : '')
    case 'mediaBlock':
      return isId(row.media) ? `Image #${String(row.media)}` : ''
    case 'banner':
      return richTextSummary(row.content)
    case 'code':
      return text(row.caption) || text(String(row.code ?? '').split('\n').find((line) => line.trim()) ?? '')
    default:
      return ''
  }
}
