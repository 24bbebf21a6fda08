import type { CollectionSlug, FlattenedField, Payload, PayloadRequest, Where } from 'payload'

/** Collections whose documents are derived from others or are Payload's bookkeeping, never content. */
const NOT_CONTENT = new Set<string>([
  'search',
  'payload-preferences',
  'payload-locked-documents',
  'payload-migrations',
  'payload-jobs',
])

/**
 * `scan`: a hasMany relationship inside an array or block, which Payload's SQL adapters cannot
 * query (`layout.categories` matches nothing there); those documents are read and checked instead.
 */
type ReferencePath = { path: string; label: string; scan: boolean }

const label = (field: { name: string; label?: unknown }) => (typeof field.label === 'string' ? field.label : field.name)

/**
 * Every queryable path in `fields` that holds a relationship or upload pointing at `target`:
 * through groups, named tabs, arrays and blocks (Payload queries block fields by `blocks.field`).
 * Virtual fields are computed on read and stored nowhere. Polymorphic relationships to `target`
 * would need `{ relationTo, value }` queries; the content model has none pointing at the targets
 * guarded here, so they are not followed.
 */
export const referencePaths = (
  fields: FlattenedField[],
  target: string,
  prefix = '',
  repeated = false,
): ReferencePath[] =>
  fields.flatMap((field): ReferencePath[] => {
    if ('virtual' in field && field.virtual) return []
    switch (field.type) {
      case 'relationship':
      case 'upload':
        return field.relationTo === target
          ? [{ path: `${prefix}${field.name}`, label: label(field), scan: repeated && Boolean(field.hasMany) }]
          : []
      case 'group':
      case 'tab':
        return referencePaths(field.flattenedFields, target, `${prefix}${field.name}.`, repeated)
      case 'array':
        return referencePaths(field.flattenedFields, target, `${prefix}${field.name}.`, true)
      case 'blocks': {
        const paths = field.blocks.flatMap((block) =>
          referencePaths(block.flattenedFields, target, `${prefix}${field.name}.`, true),
        )
        return paths.filter((candidate, index) => paths.findIndex((other) => other.path === candidate.path) === index)
      }
      default:
        return []
    }
  })

/**
 * A trashed document still holds its references: it can be restored, and would then miss what it
 * pointed at. Emptying the trash (deleting it for good) frees them.
 */
const placeOf = (doc: object): Reference['where'] => ((doc as { deletedAt?: unknown }).deletedAt ? 'trash' : 'document')

export type Reference = {
  collection: string
  id: number | string
  title: string
  where: 'document' | 'draft' | 'trash' | 'global'
}

/**
 * References are looked for in every language: an image used only in the German text is in use.
 * (Payload reads localized fields as `{ en: …, de: … }` then, and matches a query in any language.)
 */
const EVERY_LOCALE = 'all'

/** A localized title, read in every language, is named in the default one. */
const inDefaultLocale = (payload: Payload, value: unknown): unknown => {
  const localization = payload.config.localization
  if (!localization || !value || typeof value !== 'object') return value
  const byLocale = value as Record<string, unknown>
  return byLocale[localization.defaultLocale] ?? Object.values(byLocale).find(Boolean)
}

const MAX_REPORTED = 5
const SCAN_BATCH = 200

async function* everyDocument<T>(fetchPage: (page: number) => Promise<{ docs: T[]; hasNextPage: boolean }>) {
  for (let page = 1; ; page++) {
    const result = await fetchPage(page)
    yield* result.docs as (T & Record<string, unknown>)[]
    if (!result.hasNextPage) return
  }
}

/**
 * Documents that point at `target`/`id`: the stored documents of every content collection (what
 * readers get), the newest drafts of versioned ones (what editors are about to publish), and the
 * globals. Mostly one indexed query per path; only collections with a hasMany relationship inside a
 * block or array (page layouts) are read through, a page of documents at a time.
 */
export const findReferences = async ({
  payload,
  req,
  target,
  id,
}: {
  payload: Payload
  req?: PayloadRequest
  target: CollectionSlug
  id: number | string
}): Promise<Reference[]> => {
  const found: Reference[] = []
  for (const collection of Object.values(payload.collections)) {
    const config = collection.config
    if (NOT_CONTENT.has(config.slug)) continue
    const paths = referencePaths(config.flattenedFields, target)
    if (paths.length === 0) continue
    const notItself: Where[] = config.slug === target ? [{ id: { not_equals: id } }] : []
    const titleField = config.admin?.useAsTitle ?? 'id'
    const describe = (doc: Record<string, unknown>, where: Reference['where']): Reference => ({
      collection: config.slug,
      id: doc.id as number | string,
      title: String(inDefaultLocale(payload, doc[titleField]) ?? doc.id),
      where,
    })

    const queried = paths.filter((candidate) => !candidate.scan)
    const scanned = paths.filter((candidate) => candidate.scan)
    const pointsAtTarget = (data: unknown) =>
      scanned.some(({ path }) => valuesAt(data, path.split('.')).some((value) => String(value) === String(id)))
    const isNew = (docId: unknown) =>
      !found.some((reference) => reference.collection === config.slug && String(reference.id) === String(docId))

    if (queried.length > 0) {
      const stored = await payload.find({
        collection: config.slug as CollectionSlug,
        where: { and: [{ or: queried.map(({ path }) => ({ [path]: { equals: id } })) }, ...notItself] },
        depth: 0,
        limit: MAX_REPORTED,
        pagination: false,
        overrideAccess: true,
        locale: EVERY_LOCALE,
        trash: true,
        req,
      })
      for (const doc of stored.docs) found.push(describe(doc as unknown as Record<string, unknown>, placeOf(doc)))
    }
    if (scanned.length > 0) {
      for await (const doc of everyDocument((page) =>
        payload.find({
          collection: config.slug as CollectionSlug,
          where: { and: notItself },
          depth: 0,
          page,
          limit: SCAN_BATCH,
          overrideAccess: true,
          locale: EVERY_LOCALE,
          trash: true,
          req,
        }),
      )) {
        if (pointsAtTarget(doc) && isNew(doc.id)) found.push(describe(doc, placeOf(doc)))
      }
    }

    if (config.versions?.drafts) {
      const newestDrafts: Where[] = [
        { latest: { equals: true } },
        { 'version._status': { equals: 'draft' } },
        ...(config.slug === target ? [{ parent: { not_equals: id } }] : []),
      ]
      const draftsWhere = (extra: Where[]) => ({ and: [...newestDrafts, ...extra] })
      const addDraft = (draft: { parent?: unknown; version?: unknown }) => {
        const parent = draft.parent as number | string
        if (isNew(parent)) found.push(describe({ ...(draft.version as Record<string, unknown>), id: parent }, 'draft'))
      }
      if (queried.length > 0) {
        const drafts = await payload.findVersions({
          collection: config.slug as CollectionSlug,
          where: draftsWhere([{ or: queried.map(({ path }) => ({ [`version.${path}`]: { equals: id } })) }]),
          depth: 0,
          limit: MAX_REPORTED,
          pagination: false,
          overrideAccess: true,
          locale: EVERY_LOCALE,
          req,
        })
        drafts.docs.forEach(addDraft)
      }
      if (scanned.length > 0) {
        for await (const draft of everyDocument((page) =>
          payload.findVersions({
            collection: config.slug as CollectionSlug,
            where: draftsWhere([]),
            depth: 0,
            page,
            limit: SCAN_BATCH,
            overrideAccess: true,
            locale: EVERY_LOCALE,
            req,
          }),
        )) {
          if (pointsAtTarget(draft.version)) addDraft(draft)
        }
      }
    }
  }
  for (const global of payload.config.globals) {
    const paths = referencePaths(global.flattenedFields, target)
    if (paths.length === 0) continue
    // What readers see and the newest draft: publishing the draft must not find the file gone.
    const read = (draft: boolean) =>
      payload.findGlobal({ slug: global.slug as never, depth: 0, draft, overrideAccess: true, locale: EVERY_LOCALE, req })
    const versions = (await Promise.all(global.versions?.drafts ? [read(false), read(true)] : [read(false)])) as Record<
      string,
      unknown
    >[]
    const uses = (data: Record<string, unknown>) =>
      paths.some(({ path }) => valuesAt(data, path.split('.')).some((value) => String(value) === String(id)))
    if (versions.some(uses)) {
      found.push({
        collection: global.slug,
        id: global.slug,
        title: typeof global.label === 'string' ? global.label : global.slug,
        where: 'global',
      })
    }
  }
  return found
}

/** Values at a dotted path, through arrays and blocks (which hold their fields by name as well). */
const valuesAt = (value: unknown, segments: string[]): unknown[] => {
  if (Array.isArray(value)) return value.flatMap((item) => valuesAt(item, segments))
  if (segments.length === 0) return value === null || value === undefined ? [] : [value]
  if (!value || typeof value !== 'object') return []
  return valuesAt((value as Record<string, unknown>)[segments[0]], segments.slice(1))
}
