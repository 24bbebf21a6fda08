import type { CollectionBeforeOperationHook, GlobalBeforeOperationHook, FlattenedField, Payload, PayloadRequest, SanitizedCollectionConfig, Where } from 'payload'
import { APIError, NotFound, getLocalizedPaths } from 'payload'

/**
 * Payload checks that a `where` names known fields and operators (validateQueryPaths), but not that a
 * value fits the field: `publishedAt=notadate`, `id=abc` on a numeric id, `near` on a text field or a
 * path into a virtual field reach the database adapter, which throws and the request gets a 500. So
 * do a path id that is not an id (`/api/posts/abc`), a write with no document in its body, and values
 * Payload's field validation lets through to the adapter (an array for a text field, a date out of
 * range, rich text whose nodes are not objects). This hook refuses them first, with Payload's own
 * error classes, on every collection and global (see ./plugin), for REST and GraphQL requests.
 */

const badRequest = (message: string) => new APIError(message, 400, undefined, true)

/** Operators whose value is a list: an array, or a comma-separated string (how Payload reads them). */
const LIST_OPERATORS = new Set(['in', 'not_in', 'all'])
/** Operators that compare a value with the field's own type. */
const TYPED_OPERATORS = new Set([
  'equals',
  'not_equals',
  'in',
  'not_in',
  'all',
  'greater_than',
  'greater_than_equal',
  'less_than',
  'less_than_equal',
])
const GEO_OPERATORS = new Set(['near', 'within', 'intersects'])

type IdType = 'number' | 'text'

const idTypeOf = (payload: Payload, slug: string): IdType | undefined => {
  const collection = (payload.collections as Record<string, Payload['collections'][keyof Payload['collections']] | undefined>)[slug]
  if (!collection) return undefined
  return collection.customIDType ?? payload.db.defaultIDType
}

const valuesOf = (operator: string, value: unknown): unknown[] => {
  if (LIST_OPERATORS.has(operator)) {
    if (Array.isArray(value)) return value
    if (typeof value === 'string') return value.split(',')
  }
  return [value]
}

/** `null` (or the string "null", as a query string spells it) asks for "no value" on any field. */
const isNull = (value: unknown) => value === null || value === 'null'

const isWholeNumberId = (value: unknown) =>
  (typeof value === 'number' && Number.isSafeInteger(value)) ||
  (typeof value === 'string' && /^\d{1,15}$/.test(value))

const isDate = (value: unknown) =>
  (value instanceof Date || typeof value === 'string' || typeof value === 'number') &&
  !Number.isNaN(new Date(value).getTime())

/** What a form sends for a cleared field: no value, like null. */
const isEmpty = (value: unknown) => value === null || value === undefined || value === ''

const isNumeric = (value: unknown) =>
  (typeof value === 'number' && Number.isFinite(value)) ||
  (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value)))

/** Walks the path through groups, tabs, arrays and blocks; a virtual field anywhere on it has no column. */
const crossesVirtualField = (fields: FlattenedField[], path: string): string | undefined => {
  let current: FlattenedField[] | undefined = fields
  for (const segment of path.split('.')) {
    const field: FlattenedField | undefined = current?.find((candidate) => candidate.name === segment)
    if (!field) return undefined
    if ((field as { virtual?: unknown }).virtual === true) return field.name
    current = 'flattenedFields' in field ? field.flattenedFields : undefined
  }
  return undefined
}

type Target = { fields: FlattenedField[]; collectionSlug: string; idType?: IdType }

const checkConstraint = (req: PayloadRequest, target: Target, path: string, constraint: unknown) => {
  if (!constraint || typeof constraint !== 'object' || Array.isArray(constraint))
    throw badRequest(`where[${path}] must name an operator, as in where[${path}][equals]=….`)
  // A query on versions (/api/posts/versions) names the document's fields under `version.`.
  const isVersionPath = path.startsWith('version.') && !target.fields.some((candidate) => candidate.name === 'version')
  const fieldPath = isVersionPath ? path.slice('version.'.length) : path
  const virtual = crossesVirtualField(target.fields, fieldPath)
  if (virtual) throw badRequest(`where[${path}]: "${virtual}" is computed when a document is read and cannot be queried.`)

  let field: FlattenedField | undefined
  let relationIdType: IdType | undefined
  if (fieldPath === 'id' || fieldPath === '_id') {
    relationIdType = target.idType
  } else {
    const paths = getLocalizedPaths({
      collectionSlug: target.collectionSlug,
      fields: target.fields,
      incomingPath: fieldPath,
      locale: req.locale ?? undefined,
      overrideAccess: true,
      payload: req.payload,
    })
    const last = paths.at(-1)
    // Payload's own validation (which runs next) names unknown paths; only known ones are checked here.
    if (!last || last.invalid) return
    field = last.field
    if (field?.name === 'id' && last.collectionSlug) relationIdType = idTypeOf(req.payload, last.collectionSlug)
    if ((field?.type === 'relationship' || field?.type === 'upload') && typeof field.relationTo === 'string')
      relationIdType = idTypeOf(req.payload, field.relationTo)
  }

  for (const [operator, value] of Object.entries(constraint)) {
    // A pattern is one string; Payload refuses objects here, a list reaches the database as it is.
    if ((operator === 'like' || operator === 'not_like') && !isScalar(value))
      throw badRequest(`where[${path}][${operator}] takes one value, not a list.`)
    if (GEO_OPERATORS.has(operator) && field?.type !== 'point')
      throw badRequest(`where[${path}][${operator}]: "${operator}" works on point (geolocation) fields only.`)
    if (!TYPED_OPERATORS.has(operator)) continue
    for (const item of valuesOf(operator, value)) {
      if (isNull(item) && !LIST_OPERATORS.has(operator)) continue
      if (relationIdType === 'number' && !isWholeNumberId(item))
        throw badRequest(`where[${path}][${operator}]: ${JSON.stringify(item)} is not an id (a whole number).`)
      if (field?.type === 'date' && !isDate(item))
        throw badRequest(`where[${path}][${operator}]: ${JSON.stringify(item)} is not a date (use ISO 8601, as in 2026-01-31).`)
      if (field?.type === 'number' && !isNumeric(item))
        throw badRequest(`where[${path}][${operator}]: ${JSON.stringify(item)} is not a number.`)
    }
  }
}

const checkWhere = (req: PayloadRequest, target: Target, where: unknown, at = 'where') => {
  if (where === undefined || where === null) return
  if (typeof where !== 'object' || Array.isArray(where))
    throw badRequest(`${at} must be an object of field paths and operators, as in where[title][equals]=….`)
  for (const [key, constraint] of Object.entries(where as Where)) {
    if (key.toLowerCase() === 'and' || key.toLowerCase() === 'or') {
      if (!Array.isArray(constraint)) throw badRequest(`${at}[${key}] must be a list of conditions.`)
      constraint.forEach((item, index) => checkWhere(req, target, item, `${at}[${key}][${index}]`))
      continue
    }
    checkConstraint(req, target, key, constraint)
  }
}

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

/** Fields stored in one column (or one row per value when `hasMany`). */
const SCALAR_FIELDS = new Set(['text', 'textarea', 'email', 'code', 'number', 'date', 'checkbox', 'radio', 'select'])
const isScalar = (value: unknown) => value === null || (typeof value !== 'object' && typeof value !== 'function')

/**
 * Payload's validation lets some values of the wrong kind through to the database adapter, which
 * cannot store them (a 500 on SQLite): an array or object for a text, number or date field (`[]`
 * for a caption), anything but a JSON document for rich text.
 */
const checkFieldShapes = (payload: Payload, fields: FlattenedField[], data: Record<string, unknown>, at: string, locales: ReadonlySet<string>, locale?: string) => {
  for (const field of fields) {
    if (!(field.name in data)) continue
    const value = data[field.name]
    if (value === null || value === undefined) continue
    const path = `${at ? `${at}.` : ''}${field.name}${locale ? `.${locale}` : ''}`
    // A localized field may be written for several locales at once, as `{ "en": …, "de": … }`.
    if ('localized' in field && field.localized && isPlainObject(value) && Object.keys(value).length > 0 && Object.keys(value).every((key) => locales.has(key))) {
      for (const [locale, localized] of Object.entries(value))
        checkFieldShapes(payload, [field], { [field.name]: localized }, at, new Set(), locale)
      continue
    }
    if (SCALAR_FIELDS.has(field.type)) {
      const many = 'hasMany' in field && field.hasMany === true
      if (many ? !(isScalar(value) || (Array.isArray(value) && value.every(isScalar))) : !isScalar(value))
        throw badRequest(`${path} must be ${many ? 'a list of single values' : 'a single value'} (a ${field.type} field), not ${JSON.stringify(value).slice(0, 60)}.`)
    }
    if (field.type === 'date' && !isEmpty(value) && !isDate(value))
      throw badRequest(
        field.name === 'updatedAt' && !at
          ? `"updatedAt" must be the date-time of the copy you edited (ISO 8601), not ${JSON.stringify(value).slice(0, 60)}.`
          : `${path} must be a date (ISO 8601, as in 2026-01-31T12:00:00Z), not ${JSON.stringify(value).slice(0, 60)}.`,
      )
    if ((field.type === 'relationship' || field.type === 'upload') && typeof field.relationTo === 'string' && idTypeOf(payload, field.relationTo) === 'number') {
      // An id, or (from a client that sends back what it read) the related document with its id.
      const ids = Array.isArray(value) ? value : [value]
      const bad = ids.find((item) => !isEmpty(item) && (isPlainObject(item) ? !isWholeNumberId(item.id) : !isWholeNumberId(item)))
      if (bad !== undefined) throw badRequest(`${path} must be the id of a document in ${field.relationTo} (a whole number), not ${JSON.stringify(bad).slice(0, 60)}.`)
    }
    if (field.type === 'richText') {
      const broken = brokenRichTextNode(value, 'root')
      if (broken) throw badRequest(`${path} must be a rich text document (an object with a "root" whose nodes are objects), or null: ${broken} is not.`)
    }
    if (field.type === 'blocks' && Array.isArray(value))
      value.forEach((row, index) => {
        const block = isPlainObject(row) ? field.blocks?.find((candidate) => candidate.slug === row.blockType) : undefined
        if (block && isPlainObject(row)) checkFieldShapes(payload, block.flattenedFields, row, `${path}.${index}`, locales)
      })
    if (field.type === 'group' && 'flattenedFields' in field && isPlainObject(value)) checkFieldShapes(payload, field.flattenedFields, value, path, locales)
    if (field.type === 'array' && Array.isArray(value))
      value.forEach((row, index) => {
        if (isPlainObject(row)) checkFieldShapes(payload, field.flattenedFields, row, `${path}.${index}`, locales)
      })
  }
}

/**
 * The rich text editor's hooks walk a document's node tree before validation and throw on a node
 * that is not an object (`{"root":{"children":[0]}}`). Only the tree's shape is checked here; what
 * the nodes say is the editor's to validate.
 */
const brokenRichTextNode = (document: unknown, at: string): string | undefined => {
  if (!isPlainObject(document) || !isPlainObject(document.root)) return 'the document'
  const stack: { node: unknown; at: string }[] = [{ node: document.root, at }]
  while (stack.length) {
    const { node, at: where } = stack.pop()!
    if (!isPlainObject(node)) return where
    if (node.children === undefined) continue
    if (!Array.isArray(node.children)) return `${where}.children`
    node.children.forEach((child, index) => stack.push({ node: child, at: `${where}.children.${index}` }))
  }
  return undefined
}

/**
 * The document a create or update carries: an object, or nothing at all for an upload collection's
 * file on its own. A file sent to any other collection is no document (Payload read on without one).
 */
export const checkData = (req: PayloadRequest, data: unknown, fields: FlattenedField[], takesFiles = false) => {
  if (isPlainObject(data)) {
    const { localization } = req.payload.config
    return checkFieldShapes(req.payload, fields, data, '', new Set(localization ? localization.localeCodes : []))
  }
  if (data === undefined && req.file && takesFiles) return
  if (data === undefined) {
    const type = req.headers?.get('content-type')?.split(';', 1)[0].trim()
    throw badRequest(
      type && type !== 'application/json' && !type.startsWith('multipart/')
        ? `A body of type "${type}" is not read: send the document as application/json (or multipart/form-data with the fields in a "_payload" part).`
        : 'The request has no document: send it as a JSON object in the body.',
    )
  }
  throw badRequest('The document must be a JSON object.')
}

export const refuseUnusableInput =
  (collectionConfig: SanitizedCollectionConfig | { slug: string }): CollectionBeforeOperationHook =>
  ({ args, operation, req }) => {
    // The Local API is the server's own code (hooks, jobs, the admin panel's views): a mistake there
    // is a bug to see as one, not a client's request to refuse.
    if (req.payloadAPI === 'local') return args
    // Payload's own reads while answering: population (ids it read from stored documents).
    if ((args as { currentDepth?: unknown }).currentDepth !== undefined) return args
    const collection = (req.payload.collections as Record<string, Payload['collections'][keyof Payload['collections']] | undefined>)[collectionConfig.slug]
    if (!collection) return args
    const idType = idTypeOf(req.payload, collection.config.slug)
    const a = args as Record<string, unknown>

    // Path ids: /api/posts/abc is no document on a database with numeric ids (MongoDB's are strings).
    const numericIds = (operation === 'restoreVersion' ? req.payload.db.defaultIDType : idType) === 'number'
    for (const key of ['id', 'duplicateFromID'] as const) {
      const id = a[key]
      if (id !== undefined && numericIds && !isWholeNumberId(id)) throw new NotFound(req.t)
    }

    if (operation === 'create' || operation === 'update') {
      // A duplicate takes its document from the original; a body, if any, only overrides fields.
      const takesFiles = Boolean(collection.config.upload)
      if (a.duplicateFromID === undefined) checkData(req, a.data, collection.config.flattenedFields, takesFiles)
      else if (a.data !== undefined) checkData(req, a.data, collection.config.flattenedFields, takesFiles)
    }

    if ('where' in a) {
      const target: Target = {
        fields: collection.config.flattenedFields,
        collectionSlug: collection.config.slug,
        idType,
      }
      checkWhere(req, target, a.where)
    }
    return args
  }

/** The same check of the document a global's update carries. */
export const refuseUnusableGlobalData: GlobalBeforeOperationHook = ({ args, global, operation, req }) => {
  if (operation === 'update' && req.payloadAPI !== 'local') checkData(req, (args as { data?: unknown }).data, global.flattenedFields)
  return args
}
