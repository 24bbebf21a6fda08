import type {
  CollectionAfterChangeHook,
  CollectionAfterDeleteHook,
  GlobalAfterChangeHook,
  PayloadRequest,
  SanitizedCollectionConfig,
} from 'payload'

import type { ChangeEvent, ChangeSubscriber } from './changeLog'
import { appendChange, CHANGE_LOG, isRemoval } from './changeLog'

type Status = 'draft' | 'published' | undefined
type Doc = { id?: number | string; _status?: Status; deletedAt?: string | null } & Record<string, unknown>

/**
 * Options a collection gives the change log in `custom.changeLog`: `false` for collections that are
 * not content (the log itself, build hooks, form submissions); `visibleFields` for collections of
 * which readers only ever see a few fields (users appear in posts by name, bio and avatar only:
 * a sign-in that updates a session changes nothing a reader sees).
 */
export type ChangeLogOptions = false | { visibleFields?: string[] }

export const changeLogOptionsOf = (custom: Record<string, unknown> | undefined): ChangeLogOptions | undefined =>
  custom?.changeLog as ChangeLogOptions | undefined

const sameValue = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null)

/** Bookkeeping every save rewrites: a difference there says nothing about which languages changed. */
const BOOKKEEPING_FIELDS = new Set(['id', 'createdAt', 'updatedAt', '_status', 'deletedAt'])

type FieldShape = {
  name?: string
  type?: string
  localized?: boolean
  virtual?: unknown
  flattenedFields?: readonly FieldShape[]
  blocks?: readonly (FieldShape & { slug: string })[]
}

const idOf = (value: unknown): unknown =>
  typeof value === 'object' && value !== null && 'id' in value ? (value as { id: unknown }).id : value

/** A relationship as its ids: the same reference reads the same whether it was populated or not. */
const referenceOf = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.map(referenceOf)
  if (typeof value === 'object' && value !== null && 'relationTo' in value && 'value' in value) {
    return { relationTo: (value as { relationTo: unknown }).relationTo, value: idOf((value as { value: unknown }).value) }
  }
  return idOf(value)
}

/**
 * A value as comparable between the document a write returned (populated to the request's depth)
 * and the previous one (depth 0): relationships and uploads count by their ids, at any nesting.
 */
const comparable = (field: FieldShape, value: unknown): unknown => {
  if (value === null || value === undefined) return null
  if (field.type === 'relationship' || field.type === 'upload') return referenceOf(value)
  if (field.type === 'group' && field.flattenedFields && typeof value === 'object' && !Array.isArray(value)) {
    return comparableRow(field.flattenedFields, value as Record<string, unknown>)
  }
  if ((field.type === 'array' || field.type === 'blocks') && Array.isArray(value)) {
    return value.map((row) => {
      const rowFields =
        field.type === 'array'
          ? field.flattenedFields
          : field.blocks?.find(({ slug }) => slug === (row as { blockType?: string })?.blockType)?.flattenedFields
      return rowFields && typeof row === 'object' && row !== null ? comparableRow(rowFields, row as Record<string, unknown>) : row
    })
  }
  return value
}

const comparableRow = (fields: readonly FieldShape[], row: Record<string, unknown>) => {
  const byName = new Map(fields.filter((field) => field.name).map((field) => [field.name!, field]))
  return Object.fromEntries(
    Object.keys(row)
      .sort()
      .map((name) => [name, byName.has(name) ? comparable(byName.get(name)!, row[name]) : row[name]]),
  )
}

/**
 * The top-level fields (as where and sort paths start) whose value differs between what readers saw
 * and what they see now. Keys outside the config (timestamps, `_status`) count like any other.
 */
export const changedTopLevelFields = (fields: readonly FieldShape[], doc: Doc, previousDoc: Doc): string[] => {
  const byName = new Map(fields.filter((field) => field.name).map((field) => [field.name!, field]))
  const names = new Set([...Object.keys(doc), ...Object.keys(previousDoc)])
  return [...names].filter((name) => {
    const field = byName.get(name)
    const [after, before] = field
      ? [comparable(field, doc[name]), comparable(field, previousDoc[name])]
      : [doc[name], previousDoc[name]]
    return !sameValue(after, before)
  })
}

/**
 * Whether a write changed anything all languages share. Groups, arrays and blocks are looked into:
 * a shared array whose rows hold translated text changes only the language it was edited in.
 */
const sharedFieldChanged = (fields: readonly FieldShape[], doc: unknown, previous: unknown): boolean => {
  const after = (doc ?? {}) as Record<string, unknown>
  const before = (previous ?? {}) as Record<string, unknown>
  return fields.some((field) => {
    if (field.name === undefined || field.localized || field.virtual || BOOKKEEPING_FIELDS.has(field.name)) return false
    const [a, b] = [after[field.name], before[field.name]]
    if (field.type === 'group' && field.flattenedFields) return sharedFieldChanged(field.flattenedFields, a, b)
    if ((field.type === 'array' || field.type === 'blocks') && Array.isArray(a) && Array.isArray(b)) {
      if (a.length !== b.length) return true
      return a.some((row, index) => {
        const rowFields =
          field.type === 'array'
            ? field.flattenedFields
            : field.blocks?.find(({ slug }) => slug === (row as { blockType?: string })?.blockType)?.flattenedFields
        if (!rowFields || (row as { blockType?: string })?.blockType !== (b[index] as { blockType?: string })?.blockType) return true
        return sharedFieldChanged(rowFields, row, b[index])
      })
    }
    return !sameValue(a, b)
  })
}

/**
 * The locales a write changed. Publishing, unpublishing and deleting change every language; an
 * edit changes the language it was made in, unless it also changed a field all languages share.
 */
const localesOf = (
  req: PayloadRequest,
  event: ChangeEvent,
  fields: readonly FieldShape[],
  doc: Doc,
  previousDoc: Doc | undefined,
): string[] => {
  const localization = req.payload.config.localization
  if (!localization) return []
  if (event !== 'updated' || !req.locale || req.locale === 'all') return localization.localeCodes
  return sharedFieldChanged(fields, doc, previousDoc) ? localization.localeCodes : [req.locale]
}

/**
 * What a write of a document with drafts did for a reader, in one read of the stored document in
 * the write's transaction for nearly every save. Readers see the stored document (the main row),
 * which Payload writes only when it publishes or unpublishes; a draft save, autosaves included,
 * writes a new version only. So:
 * - a published main row after the write: a draft was saved over what readers see, which stays;
 * - a draft main row that this write did not touch (its `updatedAt` is older than the save's): a
 *   draft of something readers never saw, or no longer see;
 * - a draft main row this write wrote: an unpublish, when readers saw the document before. Over a
 *   newer draft Payload passes that draft as the previous document, not the version readers see:
 *   then the log's last row for the document says whether they saw it.
 */
const draftsEvent = async (
  collection: SanitizedCollectionConfig,
  doc: Doc,
  previousDoc: Doc | undefined,
  operation: 'create' | 'update',
  req: PayloadRequest,
): Promise<ChangeEvent | undefined> => {
  const wasPublished = previousDoc?._status === 'published'
  if (doc._status === 'published') {
    if (wasPublished) return 'updated'
    // Publishing a draft of a document readers can already see updates it.
    const last = await lastChangeOf(req, collection.slug, doc.id!)
    return last && !isRemoval(last.event) ? 'updated' : 'published'
  }
  // A new draft: there was nothing to see before it either.
  if (operation === 'create') return undefined
  const stored = await req.payload.db.findOne<Doc & { id: number | string; updatedAt?: string }>({
    collection: collection.slug,
    where: { id: { equals: doc.id } },
    select: { _status: true, updatedAt: true },
    req,
  })
  if (!stored || stored._status === 'published') return undefined
  if (wasPublished) return 'unpublished'
  if (stored.updatedAt !== doc.updatedAt) return undefined
  return (await readersSee(req, collection.slug, doc.id!)) ? 'unpublished' : undefined
}

const collectionEvent = async (
  collection: SanitizedCollectionConfig,
  doc: Doc,
  previousDoc: Doc | undefined,
  operation: 'create' | 'update',
  req: PayloadRequest,
): Promise<ChangeEvent | undefined> => {
  // Trash: moving to the trash removes a document from every reader's view (if they saw it: a draft
  // never published leaves nothing to remove); restoring brings it back.
  if (doc.deletedAt && !previousDoc?.deletedAt) {
    const seen = !collection.versions?.drafts || (await readersSee(req, collection.slug, doc.id!))
    return seen ? 'deleted' : undefined
  }
  // Edits in the trash (Payload allows none from the admin) change nothing readers see.
  if (doc.deletedAt) return undefined
  const restored = Boolean(previousDoc?.deletedAt) && !doc.deletedAt
  if (collection.versions?.drafts) {
    return draftsEvent(collection, doc, restored ? undefined : previousDoc, operation, req)
  }
  if (operation === 'create' || restored) return 'published'
  const options = changeLogOptionsOf(collection.custom)
  if (options && options.visibleFields && options.visibleFields.every((field) => sameValue(doc[field], previousDoc?.[field]))) {
    return undefined
  }
  return 'updated'
}

export const recordCollectionChange =
  (subscribers: readonly ChangeSubscriber[]): CollectionAfterChangeHook =>
  async ({ collection, doc, previousDoc, operation, req }) => {
    const options = changeLogOptionsOf(collection.custom)
    // A new user is not shown anywhere until a post names them.
    if (operation === 'create' && options && options.visibleFields) return doc
    const event = await collectionEvent(collection, doc as Doc, previousDoc as Doc | undefined, operation, req)
    if (event) {
      const locales = localesOf(req, event, collection.flattenedFields, doc as Doc, previousDoc as Doc | undefined)
      // The changed fields are known only against what readers saw: with drafts, Payload passes the
      // newest draft as the previous document unless the document was published.
      const exact =
        event === 'updated' &&
        previousDoc &&
        (!collection.versions?.drafts || (previousDoc as Doc)._status === 'published')
      const fields = exact ? changedTopLevelFields(collection.flattenedFields, doc as Doc, previousDoc as Doc) : null
      await appendChange(req, { collection: collection.slug, id: doc.id, event, locales, fields }, subscribers)
    }
    return doc
  }

export const recordCollectionDelete =
  (subscribers: readonly ChangeSubscriber[]): CollectionAfterDeleteHook =>
  async ({ collection, doc, req }) => {
    // Emptying the trash removes nothing more: readers lost the document when it went there.
    if ((doc as Doc).deletedAt) return doc
    // Deleting a draft that was never published removes nothing a reader could see.
    const neverPublished = collection.versions?.drafts && (doc as Doc)._status !== 'published'
    if (!neverPublished || (await readersSee(req, collection.slug, doc.id))) {
      const locales = req.payload.config.localization ? req.payload.config.localization.localeCodes : []
      await appendChange(req, { collection: collection.slug, id: doc.id, event: 'deleted', locales }, subscribers)
    }
    return doc
  }

/** The document's last row in the log, read in the write's transaction. */
const lastChangeOf = async (req: PayloadRequest, collection: string, id: number | string) => {
  const { docs } = await req.payload.db.find<{ id: number | string; event: ChangeEvent }>({
    collection: CHANGE_LOG,
    where: { and: [{ collectionSlug: { equals: collection } }, { documentId: { equals: String(id) } }] },
    sort: '-position',
    limit: 1,
    pagination: false,
    select: { event: true },
    req,
  })
  return docs[0]
}

/**
 * Whether readers see a document whose latest state is a draft (a published version under a newer
 * draft), as its last row in the log says. A removal as the last row means they do not: it was
 * unpublished already, or it is an earlier document's tombstone under an id SQLite gave out again
 * (it reuses the highest id after a delete).
 */
const readersSee = async (req: PayloadRequest, collection: string, id: number | string) => {
  const last = await lastChangeOf(req, collection, id)
  return last !== undefined && !isRemoval(last.event)
}

export const recordGlobalChange =
  (subscribers: readonly ChangeSubscriber[]): GlobalAfterChangeHook =>
  async ({ global, doc, previousDoc, req }) => {
    // A draft save writes a version only; readers keep the published main row, so nothing changed
    // for them. Only a write of the main row (a publish, or an unpublish) is recorded.
    if (global.versions?.drafts && (doc as Doc)._status !== 'published') {
      const stored = (await req.payload.db.findGlobal({
        slug: global.slug,
        select: { _status: true, updatedAt: true },
        req,
      })) as (Doc & { updatedAt?: string }) | null
      // The main row was written as a draft (an unpublish) only if it carries this save's time.
      if (!stored || stored.updatedAt !== (doc as Doc & { updatedAt?: string }).updatedAt) return doc
    }
    const locales = localesOf(req, 'updated', global.flattenedFields, doc as Doc, previousDoc as Doc | undefined)
    await appendChange(req, { global: global.slug, event: 'updated', locales }, subscribers)
    return doc
  }
