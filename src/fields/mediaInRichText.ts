import type { CollectionBeforeChangeHook, Field } from 'payload'

import { MediaBlock } from '../blocks/MediaBlock/config'

type LexicalNode = {
  type?: unknown
  relationTo?: unknown
  value?: unknown
  fields?: Record<string, unknown>
  children?: unknown
}

const idOf = (value: unknown): number | string | undefined => {
  if (typeof value === 'number' || typeof value === 'string') return value
  if (value && typeof value === 'object' && 'id' in value) return idOf((value as { id: unknown }).id)
  return undefined
}

const isLexicalRoot = (value: unknown): value is { root: LexicalNode } =>
  Boolean(
    value &&
    typeof value === 'object' &&
    'root' in value &&
    (value as { root?: { type?: unknown } }).root?.type === 'root',
  )

/** Media ids inside every Lexical document found anywhere in `value`: upload nodes and media blocks. */
export const mediaIdsInRichText = (value: unknown, found = new Set<number | string>()): Set<number | string> => {
  if (Array.isArray(value)) {
    for (const item of value) mediaIdsInRichText(item, found)
  } else if (isLexicalRoot(value)) {
    collectFromNode(value.root, found)
  } else if (value && typeof value === 'object') {
    for (const child of Object.values(value)) mediaIdsInRichText(child, found)
  }
  return found
}

const collectFromNode = (node: LexicalNode, found: Set<number | string>) => {
  if (node.type === 'upload' && node.relationTo === 'media') {
    const id = idOf(node.value)
    if (id !== undefined) found.add(id)
  }
  if (node.type === 'block' && node.fields?.blockType === MediaBlock.slug) {
    const id = idOf(node.fields.media)
    if (id !== undefined) found.add(id)
  }
  if (Array.isArray(node.children)) for (const child of node.children) collectFromNode(child as LexicalNode, found)
}

export const MEDIA_IN_RICH_TEXT = 'mediaInRichText'

/**
 * Rich text keeps its images inside a JSON document, where no database query can find them. This
 * field mirrors them as an ordinary relationship, kept by the server on every save, so that "is this
 * image used anywhere?" is one indexed query (see src/hooks/preventDeleteWhileReferenced.ts).
 */
export const mediaInRichTextField = (): Field => ({
  name: MEDIA_IN_RICH_TEXT,
  type: 'relationship',
  relationTo: 'media',
  hasMany: true,
  maxDepth: 0,
  // Each language's rich text has its own images; the delete guard asks across all languages.
  localized: true,
  access: { create: () => false, update: () => false },
  admin: { hidden: true },
})

export const collectMediaInRichText: CollectionBeforeChangeHook = ({ data, originalDoc }) => {
  // A partial update (one field through the API) still needs the rich text it did not send. Payload
  // hands an update this language's own stored values (no fallback), so each language lists its own.
  const merged = { ...(originalDoc ?? {}), ...data, [MEDIA_IN_RICH_TEXT]: undefined }
  data[MEDIA_IN_RICH_TEXT] = [...mediaIdsInRichText(merged)]
  return data
}
