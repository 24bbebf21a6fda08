import type { CollectionSlug, PayloadRequest } from 'payload'

import type { UrlScheme } from '../urls'
import { documentPath, routingSelect } from '../urls'
import { hostForm, localeOfPath, sitePathOf, storedPath } from './paths'

export const REDIRECTS = 'redirects'

/** The collections a redirect may name (the redirects plugin's `collections`). */
export const REDIRECT_TARGET_COLLECTIONS = ['pages', 'posts'] as const

export type DocumentID = number | string

export type ReferenceValue = { relationTo: string; value: DocumentID | { id: DocumentID } }

/** A redirect's `to` group as stored by the redirects plugin. */
export type RedirectTo = {
  type?: 'reference' | 'custom' | null
  reference?: ReferenceValue | null
  url?: string | null
}

export type StoredRedirect = { id?: DocumentID; from: string; type?: string | null; to?: RedirectTo | null }

/** A reference's document id, populated or not. */
export const idOf = (value: ReferenceValue['value']): DocumentID =>
  typeof value === 'object' && value !== null ? value.id : value

const isTargetCollection = (slug: unknown): slug is (typeof REDIRECT_TARGET_COLLECTIONS)[number] =>
  (REDIRECT_TARGET_COLLECTIONS as readonly unknown[]).includes(slug)

/**
 * The id a reference names, if it can name a document at all: the loop check runs before Payload
 * validates the relationship, so it may see whatever a client sent.
 */
const usableId = (req: PayloadRequest, reference: ReferenceValue): DocumentID | undefined => {
  const id = idOf(reference.value)
  if (req.payload.db.defaultIDType === 'number') return Number.isSafeInteger(Number(id)) && id !== '' ? Number(id) : undefined
  return typeof id === 'string' || typeof id === 'number' ? id : undefined
}

/**
 * Where one hop of a redirect goes. A document's path is its path now, in the language of the
 * redirect's own path; `live` says whether readers can reach it (a draft's path is followed only
 * when another redirect takes over from it).
 */
export type Hop =
  | { kind: 'document'; path: string | null; live: boolean }
  | { kind: 'custom'; url: string; path: string | undefined }
  | { kind: 'missing' }

export type ResolvedRedirect = { redirect: StoredRedirect; from: string; hop: Hop }

type RoutedDoc = {
  id: DocumentID
  slug?: string | null
  publishedAt?: string | null
  _status?: string | null
  deletedAt?: string | null
}

/**
 * The documents redirects name, as their main rows stand (what readers see when published, the
 * last state otherwise), in the request's transaction. Read as the server, from the database
 * adapter: a redirect's target is the site's business, not the asker's, and drafts are told apart by
 * `_status` below.
 */
const hasTrash = (req: PayloadRequest, collection: string) =>
  Boolean(req.payload.collections[collection as CollectionSlug]?.config.trash)

const loadDocuments = async (req: PayloadRequest, redirects: StoredRedirect[]) => {
  const ids = new Map<string, Set<DocumentID>>()
  for (const { to } of redirects) {
    if (to?.type === 'custom' || !to?.reference || !isTargetCollection(to.reference.relationTo)) continue
    const id = usableId(req, to.reference)
    if (id === undefined) continue
    if (!ids.has(to.reference.relationTo)) ids.set(to.reference.relationTo, new Set())
    ids.get(to.reference.relationTo)!.add(id)
  }
  const documents = new Map<string, RoutedDoc>()
  for (const [collection, wanted] of ids) {
    const { docs } = await req.payload.db.find<RoutedDoc>({
      collection: collection as CollectionSlug,
      where: { id: { in: [...wanted] } },
      select: { ...routingSelect(collection), _status: true, ...(hasTrash(req, collection) ? { deletedAt: true } : {}) },
      pagination: false,
      req,
    })
    for (const doc of docs) documents.set(`${collection}:${String(doc.id)}`, doc)
  }
  return documents
}

const hopOf = (scheme: UrlScheme, redirect: StoredRedirect, from: string, documents: Map<string, RoutedDoc>): Hop => {
  const to = redirect.to
  if (to?.type === 'custom') {
    const url = (to.url ?? '').trim()
    return url ? { kind: 'custom', url, path: sitePathOf(scheme, url) } : { kind: 'missing' }
  }
  if (!to?.reference) return { kind: 'missing' }
  const doc = documents.get(`${to.reference.relationTo}:${String(idOf(to.reference.value))}`)
  if (!doc) return { kind: 'missing' }
  const path = documentPath(scheme, to.reference.relationTo, doc, localeOfPath(scheme, from))
  // A trashed document is gone for readers, as a deleted one is, until it is restored.
  const live = doc._status === 'published' && !doc.deletedAt
  return { kind: 'document', path: path === null ? null : storedPath(path), live }
}

/** Every redirect with its first hop resolved, keyed by its (normalized) `from`. */
export const resolveRedirects = async (
  req: PayloadRequest,
  scheme: UrlScheme,
  redirects: StoredRedirect[],
): Promise<Map<string, ResolvedRedirect>> => {
  const documents = await loadDocuments(req, redirects)
  const byFrom = new Map<string, ResolvedRedirect>()
  for (const redirect of redirects) {
    byFrom.set(redirect.from, { redirect, from: redirect.from, hop: hopOf(scheme, redirect, redirect.from, documents) })
  }
  return byFrom
}

/**
 * Every stored redirect, in the request's transaction. Straight from the database adapter: they are
 * read on every redirect write and export, and none of their fields computes anything when read.
 */
export const loadRedirects = async (req: PayloadRequest): Promise<StoredRedirect[]> => {
  const { docs } = await req.payload.db.find<StoredRedirect>({
    collection: REDIRECTS as CollectionSlug,
    pagination: false,
    sort: 'from',
    select: { from: true, type: true, to: true },
    req,
  })
  return docs
}

/**
 * Where a redirect finally lands, following the redirects its target is the source of:
 * - `{ target }`: a site path or another site's URL, as the host should send readers there;
 * - `{ loop }`: the chain comes back to a path it passed (the paths in order, the first repeated last);
 * - `{ nowhere }`: it ends at a document that readers cannot see (a draft, unpublished, deleted).
 */
export type Landing = { target: string } | { loop: string[] } | { nowhere: true }

export const landingOf = (byFrom: Map<string, ResolvedRedirect>, start: ResolvedRedirect): Landing => {
  const passed = [start.from]
  let current = start
  for (;;) {
    const hop = current.hop
    if (hop.kind === 'missing') return { nowhere: true }
    if (hop.kind === 'custom' && hop.path === undefined) return { target: hop.url }
    const path = hop.path
    if (path === null || path === undefined) return { nowhere: true }
    if (passed.includes(path)) return { loop: [...passed, path] }
    const next = byFrom.get(path)
    if (next) {
      passed.push(path)
      current = next
      continue
    }
    if (hop.kind === 'document' && !hop.live) return { nowhere: true }
    // A custom target as the editor wrote it (query and fragment kept); a document at its path.
    return { target: hop.kind === 'custom' ? hop.url : path }
  }
}

/** A redirect a host applies: both ends as the host sees them (see hostForm), the status as a number. */
export type ExportedRedirect = { from: string; to: string; status: number }

/** What redirects send readers where now, sorted by source: the same content gives the same list. */
export const exportedRedirects = (scheme: UrlScheme, byFrom: Map<string, ResolvedRedirect>): ExportedRedirect[] => {
  const exported: ExportedRedirect[] = []
  for (const resolved of byFrom.values()) {
    const landing = landingOf(byFrom, resolved)
    if (!('target' in landing)) continue
    const status = Number(resolved.redirect.type ?? 301) || 301
    exported.push({ from: hostForm(scheme, resolved.from), to: hostForm(scheme, landing.target), status })
  }
  return exported.sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : 0))
}
