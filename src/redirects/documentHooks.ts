import type {
  CollectionAfterChangeHook,
  CollectionBeforeChangeHook,
  CollectionBeforeDeleteHook,
  CollectionSlug,
  PayloadRequest,
} from 'payload'

import type { UrlScheme } from '../urls'
import { documentPath, urlSchemeFor } from '../urls'
import type { DocumentID, ReferenceValue, StoredRedirect } from './resolve'
import { storedPath } from './paths'
import { idOf, loadRedirects, REDIRECTS } from './resolve'

/** A document's main row: what readers see while it is published (Payload writes it only to publish or unpublish). */
type MainRow = {
  id: DocumentID
  slug?: string | null
  publishedAt?: string | null
  _status?: 'draft' | 'published' | null
  updatedAt?: string
  replacedBy?: ReferenceValue | null
  deletedAt?: string | null
}

const mainRow = (req: PayloadRequest, collection: string, id: DocumentID) =>
  req.payload.db.findOne<MainRow>({
    collection: collection as CollectionSlug,
    where: { id: { equals: id } },
    select: {
      slug: true,
      publishedAt: true,
      _status: true,
      updatedAt: true,
      replacedBy: true,
      ...(req.payload.collections[collection as CollectionSlug]?.config.trash ? { deletedAt: true } : {}),
    },
    req,
  })

/** Readers reach a document at its address while it is published and not in the trash. */
const live = (row: MainRow | null | undefined) => row?._status === 'published' && !row.deletedAt

const BEFORE = 'greenroomRedirectsMainRowBefore'

/** Main rows as they were before this request's writes, per document (the request's context outlives one hook). */
const remembered = (req: PayloadRequest): Map<string, MainRow | null> => {
  const context = req.context as Record<string, unknown>
  if (!context[BEFORE]) context[BEFORE] = new Map<string, MainRow | null>()
  return context[BEFORE] as Map<string, MainRow | null>
}

/**
 * Reads the main row before the write, since that is the only place the live address is known: the
 * hooks' `originalDoc` and `previousDoc` are the newest version, which after a draft is the draft
 * (publishing a draft that renamed the post would otherwise look like no rename at all).
 */
export const rememberMainRow: CollectionBeforeChangeHook = async ({ collection, data, operation, originalDoc, req }) => {
  if (operation === 'update' && originalDoc?.id !== undefined) {
    remembered(req).set(`${collection.slug}:${originalDoc.id}`, await mainRow(req, collection.slug, originalDoc.id))
  }
  return data
}

/** Paths of a document in every language of the scheme, one per language (null where it has none). */
const pathsOf = (scheme: UrlScheme, collection: string, row: MainRow) =>
  scheme.locales.map((locale) => {
    const path = documentPath(scheme, collection, row, locale)
    return path === null ? null : storedPath(path)
  })

const reference = (relationTo: string, id: DocumentID) => ({ relationTo, value: id })

/** One redirect per source: the one from `from` now goes to `reference`; a status chosen by hand is kept. */
const redirectTo = async (req: PayloadRequest, from: string, target: { relationTo: string; value: DocumentID }) => {
  const { docs } = await req.payload.find({
    collection: REDIRECTS as CollectionSlug,
    where: { from: { equals: from } },
    depth: 0,
    limit: 1,
    overrideAccess: true,
    req,
  })
  const to = { type: 'reference', reference: target, url: null }
  if (docs[0]) {
    await req.payload.update({
      collection: REDIRECTS as CollectionSlug,
      id: docs[0].id,
      data: { to } as never,
      depth: 0,
      overrideAccess: true,
      req,
    })
  } else {
    await req.payload.create({
      collection: REDIRECTS as CollectionSlug,
      data: { from, to, type: '301' } as never,
      depth: 0,
      overrideAccess: true,
      req,
    })
  }
}

/** A document now lives at `path`: a redirect from there would hide it (or, after a rename back, loop to itself). */
const freePath = async (req: PayloadRequest, path: string) => {
  await req.payload.delete({
    collection: REDIRECTS as CollectionSlug,
    where: { from: { equals: path } },
    depth: 0,
    overrideAccess: true,
    req,
  })
}

/**
 * Redirects follow published documents. After the write (in its transaction, so a failure undoes
 * both), when the main row was written:
 * - published at a new address (a new slug, or a new publish date under a dated pattern), in any
 *   language: the old address redirects to the document (301), and redirects from the new one go;
 * - published for the first time or again: redirects from its address go, as it lives there now;
 * - unpublished with a replacement named: its address redirects to the replacement.
 * Moving to the trash counts as unpublishing and restoring as publishing again (while in the trash,
 * redirects to the document lead nowhere, as to a draft, and come back with it).
 * A draft save writes only a version and changes no address readers know, so it does nothing.
 */
export const redirectMovedDocument: CollectionAfterChangeHook = async ({ collection, doc, operation, req }) => {
  const key = `${collection.slug}:${doc.id}`
  const before = operation === 'update' ? remembered(req).get(key) : null
  remembered(req).delete(key)
  // A draft written over a document readers do not see cannot change what they see.
  if (before?._status !== 'published' && doc._status === 'draft') return doc
  const after = await mainRow(req, collection.slug, doc.id)
  if (!after) return doc
  if (before && before.updatedAt === after.updatedAt) return doc
  const wasLive = live(before)
  const isLive = live(after)
  if (!wasLive && !isLive) return doc
  const scheme = await urlSchemeFor(req)
  const oldPaths = wasLive ? pathsOf(scheme, collection.slug, before!) : scheme.locales.map(() => null)
  if (isLive) {
    const newPaths = pathsOf(scheme, collection.slug, after)
    const moved = newPaths.map((path, index) => path !== oldPaths[index])
    for (const [index, path] of newPaths.entries()) if (moved[index] && path) await freePath(req, path)
    for (const [index, path] of oldPaths.entries()) {
      if (moved[index] && path && !newPaths.includes(path)) await redirectTo(req, path, reference(collection.slug, doc.id))
    }
    return doc
  }
  const replacement = after.replacedBy
  if (!replacement) return doc
  for (const path of new Set(oldPaths)) {
    if (path) await redirectTo(req, path, reference(replacement.relationTo, idOf(replacement.value)))
  }
  return doc
}

/**
 * A deleted document's redirects would point nowhere: with a replacement named, its address and
 * every redirect to it go to the replacement; without one they are deleted with it (its old
 * addresses end like the document did). Before the delete, while the row is there to read.
 */
export const redirectDeletedDocument: CollectionBeforeDeleteHook = async ({ collection, id, req }) => {
  const row = await mainRow(req, collection.slug, id)
  if (!row) return
  const pointingHere = (await loadRedirects(req)).filter(
    (redirect: StoredRedirect) =>
      redirect.to?.type !== 'custom' &&
      redirect.to?.reference?.relationTo === collection.slug &&
      String(idOf(redirect.to.reference.value)) === String(id),
  )
  const replacement = row.replacedBy
  if (!replacement) {
    for (const redirect of pointingHere) {
      await req.payload.delete({ collection: REDIRECTS as CollectionSlug, id: redirect.id!, overrideAccess: true, req })
    }
    return
  }
  const target = reference(replacement.relationTo, idOf(replacement.value))
  for (const redirect of pointingHere) await redirectTo(req, redirect.from, target)
  if (row._status === 'published') {
    const scheme = await urlSchemeFor(req)
    for (const path of new Set(pathsOf(scheme, collection.slug, row))) if (path) await redirectTo(req, path, target)
  }
}
