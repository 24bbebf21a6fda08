import type { CollectionSlug, PayloadRequest } from 'payload'

import type { BrokenLink } from './checkLinks'
import { checkLinks } from './checkLinks'
import type { DocumentID, FoundLink } from './findLinks'
import { findLinks, targetKey } from './findLinks'
import { BROKEN_LINK_COUNT, BROKEN_LINKS, LINK_TARGETS } from './fields'

/** The collections whose documents carry links and are checked. */
export const LINKING_COLLECTIONS = ['posts', 'pages'] as const

type Row = Record<string, unknown> & { id: DocumentID }

export const linkCheckValues = (links: FoundLink[], broken: BrokenLink[]) => ({
  [BROKEN_LINKS]: broken,
  [BROKEN_LINK_COUNT]: broken.length,
  [LINK_TARGETS]: [...new Set(links.flatMap(({ target }) => (target ? [targetKey(target)] : [])))],
})

type Version = { id: DocumentID; version: Record<string, unknown> }

const readMain = async (req: PayloadRequest, collection: string, id: DocumentID) =>
  (await req.payload.db.findOne({ collection: collection as CollectionSlug, where: { id: { equals: id } }, locale: 'all', req })) as Row | null

const readLatest = async (req: PayloadRequest, collection: string, id: DocumentID): Promise<Version | undefined> => {
  const slug = collection as CollectionSlug
  if (!req.payload.collections[slug].config.versions?.drafts) return undefined
  const { docs } = await req.payload.db.findVersions({
    collection: slug,
    where: { and: [{ parent: { equals: id } }, { latest: { equals: true } }] },
    limit: 1,
    pagination: false,
    sort: '-updatedAt',
    locale: 'all',
    req,
  })
  return docs[0] as unknown as Version | undefined
}

/** The stored document and its newest version, in every language, without hooks. */
export const readStored = async (req: PayloadRequest, collection: string, id: DocumentID) => ({
  main: await readMain(req, collection, id),
  latest: await readLatest(req, collection, id),
})

/**
 * The document as its editors have it, in every language, without hooks: its newest version, or the
 * stored document when it has no versions. One read: the stored row, a second read of a post with
 * all its languages, was read on every save and then not used.
 */
export const readNewest = async (req: PayloadRequest, collection: string, id: DocumentID): Promise<Record<string, unknown> | null> =>
  (await readLatest(req, collection, id))?.version ?? (await readMain(req, collection, id))

/** The SQL adapters stamp `updatedAt` on every write unless it is given as null. */
const keepUpdatedAt = (req: PayloadRequest) => (req.payload.db.name === 'mongoose' ? {} : { updatedAt: null })

export type StoredLinks = { collection: string; id: DocumentID; main?: FoundLink[]; latest?: FoundLink[] }

/** Walks a referrer before its target goes, while the database still holds every reference. */
export const linksOfStored = async (req: PayloadRequest, collection: string, id: DocumentID): Promise<StoredLinks> => {
  const { main, latest } = await readStored(req, collection, id)
  return {
    collection,
    id,
    ...(main ? { main: findLinks(req.payload, collection, main) } : {}),
    ...(latest ? { latest: findLinks(req.payload, collection, latest.version) } : {}),
  }
}

/**
 * Writes a document's link check into its stored row and its newest version, through the database
 * adapter: no hooks, no new version, `updatedAt` untouched, nothing in the change log (readers do
 * not see these fields, so nothing they read changed) and so no build hook. An editor with the
 * document open can still save: the stale-update check compares `updatedAt`, which stays.
 */
export const refreshDocument = async (req: PayloadRequest, collection: string, id: DocumentID, walked?: StoredLinks) => {
  const slug = collection as CollectionSlug
  const { main, latest } = await readStored(req, collection, id)
  const self = { collection, id }
  if (main) {
    const links = walked?.main ?? findLinks(req.payload, collection, main)
    const previous = (main[BROKEN_LINKS] as BrokenLink[] | null) ?? []
    const values = linkCheckValues(links, await checkLinks(req, links, { self, previous }))
    await req.payload.db.updateOne({ collection: slug, id, data: { ...values, ...keepUpdatedAt(req) }, req, returning: false })
  }
  if (latest) {
    const links = walked?.latest ?? findLinks(req.payload, collection, latest.version)
    const previous = (latest.version[BROKEN_LINKS] as BrokenLink[] | null) ?? []
    const values = linkCheckValues(links, await checkLinks(req, links, { self, previous }))
    // MongoDB would replace the whole `version` object with a nested one; SQL adapters take it nested.
    const versionData =
      req.payload.db.name === 'mongoose'
        ? Object.fromEntries(Object.entries(values).map(([key, value]) => [`version.${key}`, value]))
        : { ...keepUpdatedAt(req), version: { ...values, ...keepUpdatedAt(req) } }
    await req.payload.db.updateVersion({ collection: slug, id: latest.id, versionData: versionData as never, req, returning: false })
  }
}

/** The documents (stored or newest draft) that link to `key` (`pages:3`). */
export const referrersOf = async (req: PayloadRequest, key: string): Promise<{ collection: string; id: DocumentID }[]> => {
  const found = new Map<string, { collection: string; id: DocumentID }>()
  for (const collection of LINKING_COLLECTIONS) {
    const stored = await req.payload.db.find<Row>({
      collection,
      where: { [LINK_TARGETS]: { equals: key } },
      select: { id: true },
      pagination: false,
      limit: 0,
      req,
    })
    for (const { id } of stored.docs) found.set(`${collection}:${id}`, { collection, id })
    const versions = await req.payload.db.findVersions<Row>({
      collection,
      where: { and: [{ latest: { equals: true } }, { [`version.${LINK_TARGETS}`]: { equals: key } }] },
      select: { parent: true },
      pagination: false,
      limit: 0,
      req,
    })
    for (const { parent } of versions.docs as unknown as { parent: DocumentID }[]) {
      found.set(`${collection}:${parent}`, { collection, id: parent })
    }
  }
  return [...found.values()]
}

/** After `key` changed in a way readers notice: every document linking to it gets its list again. */
export const refreshReferrers = async (req: PayloadRequest, key: string, walked: StoredLinks[] = []) => {
  const referrers = walked.length > 0 ? walked : await referrersOf(req, key)
  for (const referrer of referrers) {
    if (targetKey({ relationTo: referrer.collection, id: referrer.id }) === key) continue
    await refreshDocument(req, referrer.collection, referrer.id, walked.find((entry) => entry === referrer))
  }
}
