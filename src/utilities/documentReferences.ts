import type { Block, CollectionSlug, Field, Payload, PayloadRequest, RelationshipField, UploadField } from 'payload'

export type DocumentID = number | string

export type Reference = { collection: string; id: DocumentID }

type Data = Record<string, unknown>

/**
 * Called for every id a document stores of another document. Returns the id to store (the same or
 * a new one), or undefined when there is none: a relationship field then loses the reference
 * (null, or one item fewer in a hasMany list); rich text and job input keep what they had.
 * `foreignKey` says whether an SQL database enforces the reference (relationship and upload
 * fields), as opposed to ids inside JSON (rich text, job input). `populated` is the referenced
 * document itself when the data was read with depth (an API response), so a caller can walk on.
 */
export type ReferenceVisitor = (reference: Reference, foreignKey: boolean, populated?: Data) => DocumentID | undefined

type Walk = {
  payload: Payload
  visit: ReferenceVisitor
  foreignKey: boolean
}

const isData = (value: unknown): value is Data => typeof value === 'object' && value !== null && !Array.isArray(value)

const asID = (value: unknown): DocumentID | undefined => {
  if (typeof value === 'number' || typeof value === 'string') return value
  // Populated documents never reach the database adapter, but a stray one should not break a restore.
  if (isData(value) && (typeof value.id === 'number' || typeof value.id === 'string')) return value.id
  return undefined
}

const DROP = Symbol('drop')

const visitRelation = (walk: Walk, field: RelationshipField | UploadField, value: unknown): unknown => {
  const one = (item: unknown): unknown => {
    if (Array.isArray(field.relationTo)) {
      if (!isData(item) || typeof item.relationTo !== 'string') return item
      const id = asID(item.value)
      if (id === undefined) return item
      const next = walk.visit({ collection: item.relationTo, id }, walk.foreignKey, isData(item.value) ? item.value : undefined)
      if (next === undefined) return walk.foreignKey ? DROP : item
      return { ...item, value: next }
    }
    const id = asID(item)
    if (id === undefined) return item
    const next = walk.visit({ collection: field.relationTo, id }, walk.foreignKey, isData(item) ? item : undefined)
    if (next === undefined) return walk.foreignKey ? DROP : item
    return next
  }
  if (Array.isArray(value)) return value.map(one).filter((item) => item !== DROP)
  if (value === null || value === undefined) return value
  const next = one(value)
  return next === DROP ? null : next
}

const findBlock = (payload: Payload, field: Extract<Field, { type: 'blocks' }>, slug: unknown): Block | undefined => {
  for (const block of field.blockReferences ?? field.blocks) {
    const resolved = typeof block === 'string' ? payload.config.blocks?.find((candidate) => candidate.slug === block) : block
    if (resolved?.slug === slug) return resolved
  }
  return undefined
}

type LexicalFeatures = {
  getSubFields?: Map<string, (args: { node: Data; req: PayloadRequest }) => Field[] | null>
  getSubFieldsData?: Map<string, (args: { node: Data; req: PayloadRequest }) => Data>
}

/**
 * Lexical stores references in upload and relationship nodes ({ relationTo, value }) and in the
 * fields of link and block nodes; the editor's features say which fields a node carries.
 */
const visitLexical = (walk: Walk, field: Extract<Field, { type: 'richText' }>, value: unknown) => {
  if (!isData(value) || !isData(value.root)) return
  const features = (field.editor as { editorConfig?: { features?: LexicalFeatures } } | undefined)?.editorConfig?.features
  const req = { payload: walk.payload } as PayloadRequest
  const inner: Walk = { ...walk, foreignKey: false }
  const visitNode = (node: unknown) => {
    if (!isData(node)) return
    const type = typeof node.type === 'string' ? node.type : ''
    if ((type === 'upload' || type === 'relationship') && typeof node.relationTo === 'string') {
      const id = asID(node.value)
      const populated = isData(node.value) ? node.value : undefined
      const next = id === undefined ? undefined : walk.visit({ collection: node.relationTo, id }, false, populated)
      if (next !== undefined) node.value = next
    }
    const subFields = features?.getSubFields?.get(type)?.({ node, req })
    const subData = features?.getSubFieldsData?.get(type)?.({ node, req })
    if (subFields && isData(subData)) visitFields(inner, subFields, subData)
    if (Array.isArray(node.children)) node.children.forEach(visitNode)
  }
  visitNode(value.root)
}

/**
 * With localization on, the adapter stores a localized field as `{ en: value, de: value }`; each
 * language's value holds references of its own.
 */
const localeValues = (walk: Walk, field: Field, data: Data): Data | undefined => {
  const localization = walk.payload.config.localization
  if (!localization || !('localized' in field) || !field.localized || !('name' in field) || !field.name) return undefined
  const value = data[field.name]
  if (!isData(value) || !Object.keys(value).every((key) => localization.localeCodes.includes(key))) return undefined
  return value
}

const visitFields = (walk: Walk, fields: Field[], data: Data) => {
  for (const field of fields) {
    const perLocale = localeValues(walk, field, data)
    if (perLocale && 'name' in field) {
      const unlocalized = { ...field, localized: false } as Field
      for (const locale of Object.keys(perLocale)) {
        const holder: Data = { [field.name]: perLocale[locale] }
        visitFields(walk, [unlocalized], holder)
        perLocale[locale] = holder[field.name]
      }
      continue
    }
    switch (field.type) {
      case 'relationship':
      case 'upload':
        if (field.name in data) data[field.name] = visitRelation(walk, field, data[field.name])
        break
      case 'row':
      case 'collapsible':
        visitFields(walk, field.fields, data)
        break
      case 'group':
        if ('name' in field && field.name) {
          if (isData(data[field.name])) visitFields(walk, field.fields, data[field.name] as Data)
        } else {
          visitFields(walk, field.fields, data)
        }
        break
      case 'tabs':
        for (const tab of field.tabs) {
          if ('name' in tab && tab.name) {
            if (isData(data[tab.name])) visitFields(walk, tab.fields, data[tab.name] as Data)
          } else {
            visitFields(walk, tab.fields, data)
          }
        }
        break
      case 'array':
        if (Array.isArray(data[field.name])) {
          const documentsOf = (field.custom as { rowsAreDocumentsOf?: string } | undefined)?.rowsAreDocumentsOf
          for (const row of data[field.name] as unknown[]) {
            if (!isData(row)) continue
            const id = documentsOf ? asID(row.id) : undefined
            if (documentsOf && id !== undefined) walk.visit({ collection: documentsOf, id }, false, row)
            visitFields(walk, field.fields, row)
          }
        }
        break
      case 'blocks':
        if (Array.isArray(data[field.name])) {
          for (const row of data[field.name] as unknown[]) {
            const block = isData(row) ? findBlock(walk.payload, field, row.blockType) : undefined
            if (block) visitFields(walk, block.fields, row as Data)
          }
        }
        break
      case 'richText':
        visitLexical(walk, field, data[field.name])
        break
      default:
        break
    }
  }
}

/** Job input is JSON shaped by the task's (or workflow's) input schema: scheduled publishing stores { doc, user }. */
const visitJob = (walk: Walk, job: Data) => {
  const { tasks = [], workflows = [] } = walk.payload.config.jobs ?? {}
  const schema = (slug: unknown) =>
    [...tasks, ...workflows].find((definition) => definition.slug === slug)?.inputSchema as Field[] | undefined
  const inner: Walk = { ...walk, foreignKey: false }
  const inputFields = schema(job.taskSlug ?? job.workflowSlug)
  if (inputFields && isData(job.input)) visitFields(inner, inputFields, job.input)
  for (const entry of Array.isArray(job.log) ? job.log : []) {
    const entryFields = isData(entry) ? schema(entry.taskSlug) : undefined
    if (entryFields && isData(entry.input)) visitFields(inner, entryFields, entry.input as Data)
  }
}

/** Visits, and lets the visitor replace, every reference a collection document stores. */
export const visitDocumentReferences = (payload: Payload, collection: string, doc: Data, visit: ReferenceVisitor): void => {
  const walk: Walk = { payload, visit, foreignKey: true }
  visitFields(walk, payload.collections[collection as CollectionSlug].config.fields, doc)
  if (collection === 'payload-jobs') visitJob(walk, doc)
}

/** The same for a version row: its parent and the versioned document. */
export const visitVersionReferences = (payload: Payload, collection: string, version: Data, visit: ReferenceVisitor): void => {
  const parent = asID(version.parent)
  if (parent !== undefined) version.parent = visit({ collection, id: parent }, true) ?? null
  if (isData(version.version)) visitDocumentReferences(payload, collection, version.version, visit)
}

export const visitGlobalReferences = (payload: Payload, global: string, doc: Data, visit: ReferenceVisitor): void => {
  const config = payload.config.globals.find(({ slug }) => slug === global)
  if (config) visitFields({ payload, visit, foreignKey: true }, config.fields, doc)
}

/**
 * The collections a collection's relationship and upload fields point at (rich text aside: SQL
 * stores it as JSON, without foreign keys). `notNull`: those an SQL database keeps in a NOT NULL
 * column, whose documents must be restored first. As in @payloadcms/drizzle's schema, that is a
 * required field with one target, not hasMany, under no admin condition, outside drafts.
 */
export const referencedCollections = (
  fields: Field[],
  nullable = false,
  found: { notNull: Set<string>; nullable: Set<string> } = { notNull: new Set(), nullable: new Set() },
) => {
  for (const field of fields) {
    const conditional = nullable || Boolean('admin' in field && field.admin?.condition)
    if (field.type === 'relationship' || field.type === 'upload') {
      const notNull = !conditional && field.required && !field.hasMany && typeof field.relationTo === 'string'
      for (const target of [field.relationTo].flat()) (notNull ? found.notNull : found.nullable).add(target)
    } else if (field.type === 'tabs') {
      for (const tab of field.tabs) referencedCollections(tab.fields, conditional, found)
    } else if (field.type === 'blocks') {
      for (const block of field.blocks) referencedCollections(block.fields, conditional, found)
    } else if ('fields' in field && Array.isArray(field.fields)) {
      referencedCollections(field.fields, conditional, found)
    }
  }
  return found
}
