import type {
  CollectionAfterChangeHook,
  CollectionSlug,
  CollectionAfterDeleteHook,
  CollectionBeforeChangeHook,
  CollectionBeforeDeleteHook,
  CollectionBeforeOperationHook,
  PayloadRequest,
} from 'payload'
import { APIError, Forbidden } from 'payload'

import { editorialRole } from '../access/roles'
import type { BrokenLink } from './checkLinks'
import { checkLinks, describeBrokenLink } from './checkLinks'
import type { DocumentID, FoundLink } from './findLinks'
import { findLinks, targetKey } from './findLinks'
import { BROKEN_LINKS, LINK_CHECK_FIELDS } from './fields'
import type { StoredLinks } from './refresh'
import { linkCheckValues, linksOfStored, readNewest, referrersOf, refreshReferrers } from './refresh'
import { linkChecksMode } from './settings'

type Doc = Record<string, unknown> & { id?: DocumentID; _status?: string; deletedAt?: string | null }

/**
 * The links of a document as the editor has it: `data` in the language being edited, and the
 * other languages' localized fields (rich text, labels) as stored in its newest version.
 */
export const linksOfEdit = async (
  req: PayloadRequest,
  collection: string,
  id: DocumentID | undefined,
  data: Record<string, unknown>,
  locale: string | undefined,
): Promise<FoundLink[]> => {
  // Written in every language at once, the data holds every language's values itself.
  if (locale === 'all') return findLinks(req.payload, collection, data)
  const localization = req.payload.config.localization
  const editing = locale ?? (localization ? localization.defaultLocale : undefined)
  const links = findLinks(req.payload, collection, data, { locale: editing })
  if (id === undefined || !editing || !localization) return links
  const stored = await readNewest(req, collection, id)
  if (!stored) return links
  const others = findLinks(req.payload, collection, stored).filter((link) => link.locale && link.locale !== editing)
  return [...links, ...others]
}

export const brokenLinksMessage = (broken: BrokenLink[]) =>
  `This document cannot be published while it has ${broken.length === 1 ? 'a broken link' : `${broken.length} broken links`}: ` +
  `${broken.map(describeBrokenLink).join('; ')}. Fix or remove ${broken.length === 1 ? 'it' : 'them'}, or save a draft.`

/**
 * On every save of a post or page (drafts and autosaves too, so the list stays current): which of
 * its links lead nowhere a reader can go. With LINK_CHECKS=block a publish with any is refused.
 */
export const checkLinksBeforeChange: CollectionBeforeChangeHook = async ({ collection, data, originalDoc, operation, req }) => {
  const mode = linkChecksMode()
  if (mode === 'off') return data
  if (operation === 'update' && (originalDoc as Doc | undefined)?.id !== undefined) {
    const id = (originalDoc as Doc).id!
    req.context[seenKey(collection.slug, id)] = await readersSeeStored(req, collection.slug, id)
  }
  // A partial update (one field through the API, a scheduled publish) still publishes the rest.
  const merged = { ...(originalDoc ?? {}), ...data }
  const id = (originalDoc as Doc | undefined)?.id
  const links = await linksOfEdit(req, collection.slug, id, merged, req.locale ?? undefined)
  const previous = ((originalDoc as Doc | undefined)?.[BROKEN_LINKS] as BrokenLink[] | undefined) ?? []
  const broken = await checkLinks(req, links, { self: { collection: collection.slug, id }, previous })
  if (mode === 'block' && data._status === 'published' && broken.length > 0) {
    throw new APIError(brokenLinksMessage(broken), 400, { brokenLinks: broken }, true)
  }
  Object.assign(data, linkCheckValues(links, broken))
  return data
}

const seenKey = (collection: string, id: DocumentID) => `linkChecks:readersSaw:${collection}:${id}`

/**
 * Whether readers see the document: its stored row (what Payload writes on publish and unpublish),
 * not the version a save hands the hooks, which for a draft saved over a published document reads
 * "draft", and for an unpublish under a newer draft reads "draft" before and after.
 */
const readersSeeStored = async (req: PayloadRequest, collection: string, id: DocumentID) => {
  const stored = await req.payload.db.findOne<Doc & { id: DocumentID }>({
    collection: collection as CollectionSlug,
    where: { id: { equals: id } },
    select: { _status: true, ...(req.payload.collections[collection as CollectionSlug].config.trash ? { deletedAt: true } : {}) },
    req,
  })
  return Boolean(stored && stored._status === 'published' && !stored.deletedAt)
}

/**
 * A post or page published, unpublished, trashed or restored (or new, under an id SQLite may give
 * out again): the documents that link to it get their lists again, in this write's transaction.
 */
export const refreshReferrersAfterChange: CollectionAfterChangeHook = async ({ collection, doc, operation, req }) => {
  if (linkChecksMode() === 'off') return doc
  const id = (doc as Doc).id!
  const before = req.context[seenKey(collection.slug, id)]
  if (operation === 'update' && typeof before === 'boolean' && before === (await readersSeeStored(req, collection.slug, id))) return doc
  await refreshReferrers(req, targetKey({ relationTo: collection.slug, id }))
  return doc
}

const walkedKey = (collection: string, id: DocumentID) => `linkChecks:referrers:${collection}:${id}`

/**
 * Before a delete, while the database still holds the references to the document (SQL deletes a
 * relationship's rows with its target), the documents linking to it are walked; after it, they
 * are checked and stored with the target missing.
 */
export const walkReferrersBeforeDelete: CollectionBeforeDeleteHook = async ({ collection, id, req }) => {
  if (linkChecksMode() === 'off') return
  const key = targetKey({ relationTo: collection.slug, id })
  const walked: StoredLinks[] = []
  for (const referrer of await referrersOf(req, key)) {
    if (referrer.collection === collection.slug && String(referrer.id) === String(id)) continue
    walked.push(await linksOfStored(req, referrer.collection, referrer.id))
  }
  req.context[walkedKey(collection.slug, id)] = walked
}

export const refreshReferrersAfterDelete: CollectionAfterDeleteHook = async ({ collection, id, req }) => {
  if (linkChecksMode() === 'off') return
  const walked = req.context[walkedKey(collection.slug, id)] as StoredLinks[] | undefined
  if (!walked || walked.length === 0) return
  await refreshReferrers(req, targetKey({ relationTo: collection.slug, id }), walked)
}

const sortKeys = (sort: unknown): string[] =>
  (Array.isArray(sort) ? sort : typeof sort === 'string' ? sort.split(',') : [])
    .map((key) => String(key).trim().replace(/^-/, '').split('.')[0])
    .filter(Boolean)

/** Payload checks field access on `where` but not on `sort`: an ordering would tell readers the counts. */
export const refuseReaderSortByLinkChecks: CollectionBeforeOperationHook = ({ args, operation, req }) => {
  if (operation !== 'read' || editorialRole(req.user) !== null) return args
  const hidden = sortKeys((args as { sort?: unknown }).sort).find((key) => LINK_CHECK_FIELDS.includes(key))
  if (hidden) throw Object.assign(new Forbidden(req.t), { message: `Sorting by "${hidden}" is for the editorial team only.` })
  return args
}
