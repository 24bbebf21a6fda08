/**
 * The paths of the fields whose values differ between two states of a document, found by walking
 * the collection's (or global's) flattened fields: `title`, `hero.media`, `layout.2.heading`,
 * `title.de` (a localized field written in all languages at once). Rows of arrays and blocks are
 * compared by position while the same rows are there in the same order; rows added, removed or
 * moved name the whole array. Rich text and JSON are leaves. Only paths leave here, never values.
 */

type FieldShape = {
  name?: string
  type?: string
  localized?: boolean
  virtual?: unknown
  hidden?: boolean
  access?: { create?: unknown; update?: unknown }
  admin?: object
  flattenedFields?: readonly FieldShape[]
  blocks?: readonly (FieldShape & { slug: string })[]
}

/** Bookkeeping a save rewrites, or what an action already says (status, trash). */
const IGNORED = new Set(['id', 'createdAt', 'updatedAt', '_status', 'deletedAt'])

/**
 * Payload's auth bookkeeping: sessions, reset tokens, lock counters and the hash and salt are hidden
 * fields and skipped as such; a new password is reported as `password` by the hooks, since the
 * stored document never carries it.
 */
const isSkipped = (field: FieldShape) =>
  field.name === undefined ||
  IGNORED.has(field.name) ||
  Boolean(field.virtual) ||
  field.hidden === true ||
  field.type === 'join' ||
  isComputed(field)

const refusesEveryone = (check: unknown) => {
  if (typeof check !== 'function') return false
  try {
    return check({ req: {} }) === false
  } catch {
    return false
  }
}

/**
 * A field the admin shows read-only (or not at all) and that a request may neither create nor
 * update is computed by the server from other fields (a post's reading time, the media its rich
 * text names): its change follows theirs, which are listed.
 */
const isComputed = (field: FieldShape) =>
  Boolean((field.admin as { readOnly?: boolean } | undefined)?.readOnly || (field.admin as { hidden?: boolean } | undefined)?.hidden) &&
  refusesEveryone(field.access?.create) &&
  refusesEveryone(field.access?.update)

type Row = Record<string, unknown> & { id?: unknown; blockType?: unknown }

/** A populated relationship compares as its id, so depth does not count as a change. */
const normalize = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.map(normalize)
  if (value && typeof value === 'object') {
    const object = value as Record<string, unknown>
    if ('relationTo' in object && 'value' in object) return { relationTo: object.relationTo, value: normalize(object.value) }
    if ('id' in object && ('createdAt' in object || 'updatedAt' in object)) return object.id
  }
  return value ?? null
}

const same = (a: unknown, b: unknown) => JSON.stringify(normalize(a)) === JSON.stringify(normalize(b))

/**
 * Rich text as what it says: the admin's editor writes a document back with its own defaults
 * (`direction` worked out from the text, `textFormat: 0`, `textStyle: ''`) and gives blocks inside
 * it new ids (identities, not content), which would otherwise list a rich-text field as changed on
 * every save of a document written through the API.
 */
const canonicalRichText = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.map(canonicalRichText)
  if (!value || typeof value !== 'object') return value
  const out: Record<string, unknown> = {}
  for (const [key, inner] of Object.entries(value)) {
    if (key === 'direction' || key === 'id' || inner === null || inner === '' || inner === 0) continue
    out[key] = canonicalRichText(inner)
  }
  return out
}

const isEmpty = (value: unknown) =>
  value === undefined || value === null || value === '' || (Array.isArray(value) && value.length === 0)

const rowsAlign = (a: Row[], b: Row[]) =>
  a.length === b.length && a.every((row, index) => (row?.id ?? index) === (b[index]?.id ?? index))

const diffValue = (field: FieldShape, path: string, after: unknown, before: unknown, out: string[]): void => {
  const nested = field.flattenedFields
  if ((field.type === 'group' || field.type === 'tab') && nested) {
    diffFields(nested, `${path}.`, after, before, out)
    return
  }
  if ((field.type === 'array' || field.type === 'blocks') && (Array.isArray(after) || Array.isArray(before))) {
    const [a, b] = [(after ?? []) as Row[], (before ?? []) as Row[]]
    if (!rowsAlign(a, b)) {
      out.push(path)
      return
    }
    a.forEach((row, index) => {
      const rowFields =
        field.type === 'array' ? nested : field.blocks?.find(({ slug }) => slug === row?.blockType)?.flattenedFields
      if (!rowFields || row?.blockType !== b[index]?.blockType) {
        if (!same(row, b[index])) out.push(`${path}.${index}`)
        return
      }
      diffFields(rowFields, `${path}.${index}.`, row, b[index], out)
    })
    return
  }
  const [a, b] = field.type === 'richText' ? [canonicalRichText(after), canonicalRichText(before)] : [after, before]
  if (!same(a, b) && !(isEmpty(a) && isEmpty(b))) out.push(path)
}

const diffFields = (
  fields: readonly FieldShape[],
  prefix: string,
  after: unknown,
  before: unknown,
  out: string[],
  locales?: readonly string[],
): void => {
  const a = (after ?? {}) as Record<string, unknown>
  const b = (before ?? {}) as Record<string, unknown>
  for (const field of fields) {
    if (isSkipped(field)) continue
    const path = `${prefix}${field.name}`
    const [valueAfter, valueBefore] = [a[field.name!], b[field.name!]]
    // Written with locale=all, a localized field holds every language: each one is its own path.
    if (locales && field.localized && isLocaleMap(valueAfter, locales) && isLocaleMap(valueBefore, locales)) {
      for (const code of locales) {
        diffValue(field, `${path}.${code}`, (valueAfter as Record<string, unknown>)?.[code], (valueBefore as Record<string, unknown>)?.[code], out)
      }
      continue
    }
    diffValue(field, path, valueAfter, valueBefore, out)
  }
}

const isLocaleMap = (value: unknown, locales: readonly string[]) =>
  value === undefined ||
  value === null ||
  (typeof value === 'object' && !Array.isArray(value) && Object.keys(value).every((key) => locales.includes(key)))

/**
 * The paths that changed from `before` to `after` (a new document: from nothing). `allLocales` are
 * the locale codes when the write was made with locale=all, so localized values are per language.
 */
export const changedFieldPaths = (
  fields: readonly FieldShape[],
  after: unknown,
  before: unknown,
  allLocales?: readonly string[],
): string[] => {
  const out: string[] = []
  diffFields(fields, '', after, before, out, allLocales)
  return out
}
