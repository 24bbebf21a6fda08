import type { Block, Field, Payload, PayloadRequest } from 'payload'

export type DocumentID = number | string

/** One reference a reader would follow (a link) or see (an embedded image). */
export type FoundLink = {
  /** The data path of the field that holds it: `layout.0.links.1.link.reference`, `content` for rich text. */
  path: string
  /** What the reader sees: the link's text or label; for images and plain relationships, the field's label. */
  label: string
  /** Set for references inside a localized field (rich text, a translated label): the language they are in. */
  locale?: string
  /** Null for a link set to "Page or post" whose target was removed by the database (a deleted document). */
  target: { relationTo: string; id: DocumentID } | null
}

/** Collections whose documents readers reach by links or see embedded: posts and pages (drafts, trash) and media. */
export const LINK_TARGET_COLLECTIONS = ['pages', 'posts', 'media'] as const

type Data = Record<string, unknown>

const isData = (value: unknown): value is Data => typeof value === 'object' && value !== null && !Array.isArray(value)

const idOf = (value: unknown): DocumentID | undefined => {
  if (typeof value === 'number' || typeof value === 'string') return value
  if (isData(value)) return idOf(value.id)
  return undefined
}

type LexicalFeatures = {
  getSubFields?: Map<string, (args: { node: Data; req: PayloadRequest }) => Field[] | null>
  getSubFieldsData?: Map<string, (args: { node: Data; req: PayloadRequest }) => Data>
}

type Walk = {
  payload: Payload
  /** The whole document, for `admin.condition`. */
  doc: Data
  found: FoundLink[]
  /** True when `doc` was read with `locale: 'all'`: localized values are `{ en, de }`. */
  allLocales: boolean
  /** The language of single-locale data. */
  locale?: string
}

const labelOf = (field: { name?: string; label?: unknown }) =>
  typeof field.label === 'string' ? field.label : (field.name ?? '').replace(/([a-z])([A-Z])/g, '$1 $2')

/**
 * Lexical nests a few levels deep (lists in lists); data from a client can nest far deeper, and a
 * walk that followed it would run out of stack.
 */
const MAX_NODE_DEPTH = 100

const textOf = (node: unknown, depth = 0): string => {
  if (!isData(node) || depth > MAX_NODE_DEPTH) return ''
  if (typeof node.text === 'string') return node.text
  return Array.isArray(node.children) ? node.children.map((child) => textOf(child, depth + 1)).join('') : ''
}

const isChecked = (relationTo: unknown) =>
  typeof relationTo === 'string' && (LINK_TARGET_COLLECTIONS as readonly string[]).includes(relationTo)

/**
 * A field hidden by its `admin.condition` (a link set to "URL" keeps its old page in `reference`, a
 * column without "enable link" keeps its link) is not shown to readers either, so it links nowhere.
 */
const shown = (walk: Walk, field: Field, siblingData: Data, path: string) => {
  const condition = (field.admin as { condition?: (...args: unknown[]) => unknown } | undefined)?.condition
  if (!condition) return true
  try {
    return Boolean(condition(walk.doc, siblingData, { blockData: undefined, operation: 'update', path: path.split('.') }))
  } catch {
    return true
  }
}

const add = (walk: Walk, link: Omit<FoundLink, 'locale'>, locale: string | undefined) =>
  walk.found.push(locale ? { ...link, locale } : link)

const visitRelation = (walk: Walk, field: { name: string; label?: unknown; relationTo: string | string[] }, value: unknown, path: string, siblingData: Data, locale?: string) => {
  // A link group's label names the link better than the field does. Read in every language, the
  // label is one per language: the default language's names it.
  const localization = walk.payload.config.localization
  const own = isData(siblingData.label)
    ? (siblingData.label[locale ?? (localization ? localization.defaultLocale : '')] ?? Object.values(siblingData.label).find(Boolean))
    : siblingData.label
  const label = typeof own === 'string' && own ? own : labelOf(field)
  const items = Array.isArray(value) ? value : [value]
  if (value === null || value === undefined) {
    // "Page or post" chosen and nothing there: on SQL databases a deleted target takes the reference with it.
    if (siblingData.type === 'reference' && field.name === 'reference') add(walk, { path, label, target: null }, locale)
    return
  }
  items.forEach((item) => {
    const [relationTo, id] = Array.isArray(field.relationTo)
      ? [isData(item) ? item.relationTo : undefined, isData(item) ? idOf(item.value) : undefined]
      : [field.relationTo, idOf(item)]
    if (!isChecked(relationTo) || id === undefined) return
    add(walk, { path, label, target: { relationTo: relationTo as string, id } }, locale)
  })
}

/**
 * Lexical keeps links in link nodes (`fields.linkType`, `fields.doc`), images in upload nodes and
 * blocks in block nodes; the editor's features say which fields a node carries, so the same walk
 * reads them (a Media block in a post's body is an upload field like any other).
 */
const visitLexical = (walk: Walk, field: Extract<Field, { type: 'richText' }>, value: unknown, path: string, locale?: string) => {
  if (!isData(value) || !isData(value.root)) return
  const features = (field.editor as { editorConfig?: { features?: LexicalFeatures } } | undefined)?.editorConfig?.features
  const req = { payload: walk.payload } as PayloadRequest
  const visitNode = (node: unknown, depth: number) => {
    if (!isData(node) || depth > MAX_NODE_DEPTH) return
    const type = typeof node.type === 'string' ? node.type : ''
    if ((type === 'upload' || type === 'relationship') && isChecked(node.relationTo)) {
      const id = idOf(node.value)
      if (id !== undefined) {
        const label = `${type === 'upload' ? 'Image' : 'Embedded document'} in ${labelOf(field)}`
        add(walk, { path, label, target: { relationTo: node.relationTo as string, id } }, locale)
      }
    } else if ((type === 'link' || type === 'autolink') && isData(node.fields)) {
      const { linkType, doc } = node.fields
      const id = isData(doc) ? idOf(doc.value) : undefined
      if (linkType === 'internal' && isData(doc) && isChecked(doc.relationTo) && id !== undefined) {
        add(walk, { path, label: textOf(node) || labelOf(field), target: { relationTo: doc.relationTo as string, id } }, locale)
      }
    } else {
      let subFields: Field[] | null | undefined
      let subData: Data | undefined
      try {
        subFields = features?.getSubFields?.get(type)?.({ node, req })
        subData = features?.getSubFieldsData?.get(type)?.({ node, req })
      } catch {
        // A node the feature cannot read (sent by a client, not saved: saves are validated) holds no fields.
      }
      // Fields inside a node are not localized on their own: they take the language of the rich text.
      if (subFields && isData(subData)) visitFields({ ...walk, allLocales: false, locale: locale ?? walk.locale }, subFields, subData, path, path)
    }
    if (Array.isArray(node.children)) node.children.forEach((child) => visitNode(child, depth + 1))
  }
  visitNode(value.root, 0)
}

const findBlock = (payload: Payload, field: Extract<Field, { type: 'blocks' }>, slug: unknown): Block | undefined => {
  for (const block of field.blockReferences ?? field.blocks) {
    const resolved = typeof block === 'string' ? payload.config.blocks?.find((candidate) => candidate.slug === block) : block
    if (resolved?.slug === slug) return resolved
  }
  return undefined
}

/**
 * `fixedPath`: inside rich text every reference is reported at the rich-text field's own path (the
 * admin shows the field, not the node).
 */
const visitFields = (walk: Walk, fields: Field[], data: Data, prefix: string, fixedPath?: string, locale?: string) => {
  for (const field of fields) {
    const name = 'name' in field ? field.name : undefined
    if ('virtual' in field && field.virtual) continue
    // Bookkeeping the editor never sees (the media-in-rich-text mirror) repeats what the walk finds itself.
    if (field.admin && 'hidden' in field.admin && field.admin.hidden) continue
    if (name !== undefined && !(name in data)) continue
    const path = fixedPath ?? (name ? `${prefix}${name}` : prefix.replace(/\.$/, ''))
    if (!shown(walk, field, data, path)) continue
    const value = name !== undefined ? data[name] : undefined
    // Read in every language, a localized field holds one value per language.
    if (walk.allLocales && 'localized' in field && field.localized && name && isData(value) && !locale) {
      const codes = walk.payload.config.localization ? walk.payload.config.localization.localeCodes : []
      for (const code of Object.keys(value).filter((key) => codes.includes(key))) {
        visitFields(walk, [{ ...field, localized: false } as Field], { ...data, [name]: value[code] }, prefix, fixedPath, code)
      }
      continue
    }
    const here = locale ?? ('localized' in field && field.localized ? walk.locale : undefined)
    switch (field.type) {
      case 'relationship':
      case 'upload':
        visitRelation(walk, field, value, path, data, here)
        break
      case 'row':
      case 'collapsible':
        visitFields(walk, field.fields, data, prefix, fixedPath, here)
        break
      case 'group':
        if (name) {
          if (isData(value)) visitFields(walk, field.fields, value, `${path}.`, fixedPath, here)
        } else {
          visitFields(walk, field.fields, data, prefix, fixedPath, here)
        }
        break
      case 'tabs':
        for (const tab of field.tabs) {
          if ('name' in tab && tab.name) {
            if (isData(data[tab.name])) visitFields(walk, tab.fields, data[tab.name] as Data, `${prefix}${tab.name}.`, fixedPath, here)
          } else {
            visitFields(walk, tab.fields, data, prefix, fixedPath, here)
          }
        }
        break
      case 'array':
        if (Array.isArray(value)) {
          value.forEach((row, index) => {
            if (isData(row)) visitFields(walk, field.fields, row, `${path}.${index}.`, fixedPath, here)
          })
        }
        break
      case 'blocks':
        if (Array.isArray(value)) {
          value.forEach((row, index) => {
            const block = isData(row) ? findBlock(walk.payload, field, row.blockType) : undefined
            if (block) visitFields(walk, block.fields, row as Data, `${path}.${index}.`, fixedPath, here)
          })
        }
        break
      case 'richText':
        visitLexical(walk, field, value, path, here)
        break
      default:
        break
    }
  }
}

/**
 * Every link and embed a document makes to a post, page or media file, walking the collection's
 * fields (groups, tabs, arrays, blocks, rich text and the blocks and links inside it) once.
 * `locale`: the language of single-language data (what a save or the edit form holds); leave it
 * out for data read with `locale: 'all'`, which is walked in every language.
 */
export const findLinks = (
  payload: Payload,
  collection: string,
  doc: Data,
  { locale }: { locale?: string } = {},
): FoundLink[] => {
  const config = payload.collections[collection as keyof typeof payload.collections]?.config
  if (!config) return []
  const walk: Walk = { payload, doc, found: [], allLocales: locale === undefined, locale }
  visitFields(walk, config.fields, doc, '')
  return walk.found
}

export const targetKey = (target: { relationTo: string; id: DocumentID }) => `${target.relationTo}:${target.id}`
