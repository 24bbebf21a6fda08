import type { FieldHook, PayloadRequest, Where } from 'payload'

import { declareDependencies } from '../../../changes/dependencies'
import type { Post } from '../../../payload-types'

export const ARCHIVE_MAX_LIMIT = 50

type ArchiveData = {
  populateBy?: 'collection' | 'selection' | null
  categories?: (number | string | { id: number | string })[] | null
  limit?: number | null
  selectedDocs?: (number | string | { id: number | string } | Post)[] | null
}

const idOf = (value: number | string | { id: number | string }) => (typeof value === 'object' ? value.id : value)

type ArchiveResult = { docs: (Post | number | string)[]; totalDocs: number }

/**
 * The posts an Archive block shows, resolved on every read so a page lists the newest posts
 * without being re-saved. Only published posts, whoever reads: a page preview must not be able
 * to show a draft post to a visitor either.
 */
export const resolveArchive = async (
  block: ArchiveData,
  req: PayloadRequest,
  populate: boolean,
): Promise<ArchiveResult> => {
  const published: Where = { _status: { equals: 'published' } }
  let where: Where
  let limit: number
  if (block.populateBy === 'selection') {
    const ids = (block.selectedDocs ?? []).map(idOf)
    if (ids.length === 0) return { docs: [], totalDocs: 0 }
    where = { and: [published, { id: { in: ids } }] }
    limit = ids.length
  } else {
    const categories = (block.categories ?? []).map(idOf)
    where = categories.length ? { and: [published, { categories: { in: categories } }] } : published
    limit = Math.min(Math.max(block.limit ?? 10, 1), ARCHIVE_MAX_LIMIT)
  }

  // Which posts match changes with any post: the query depends on every field of posts (its where
  // and sort are few, but which posts the reader may read is access control's to say).
  declareDependencies({ collection: 'posts' })
  const result = await req.payload.find({
    collection: 'posts',
    where,
    limit,
    sort: '-publishedAt',
    depth: 0,
    draft: false,
    overrideAccess: false,
    req,
    select: populate ? undefined : { slug: true },
  })

  let docs = result.docs as Post[]
  if (block.populateBy === 'selection') {
    // Keep the editor's order, not the database's.
    const order = (block.selectedDocs ?? []).map((value) => String(idOf(value)))
    docs = [...docs].sort((a, b) => order.indexOf(String(a.id)) - order.indexOf(String(b.id)))
  }
  return { docs: populate ? docs : docs.map((doc) => doc.id), totalDocs: result.totalDocs }
}

const ARCHIVE_CACHE = Symbol('archive')

/** One query per block per read, shared by the two virtual fields. */
const archiveFor = (siblingData: ArchiveData & { [ARCHIVE_CACHE]?: Promise<ArchiveResult> }, req: PayloadRequest, populate: boolean) => {
  siblingData[ARCHIVE_CACHE] ??= resolveArchive(siblingData, req, populate)
  return siblingData[ARCHIVE_CACHE]
}

export const populateArchive: FieldHook = async ({ siblingData, req, depth }) =>
  (await archiveFor(siblingData, req, (depth ?? 0) > 0)).docs

export const countArchive: FieldHook = async ({ siblingData, req, depth }) =>
  (await archiveFor(siblingData, req, (depth ?? 0) > 0)).totalDocs
