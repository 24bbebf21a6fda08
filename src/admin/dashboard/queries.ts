import type { CollectionSlug, PayloadRequest, Where } from 'payload'

import { editorialRole } from '../../access/roles'
import { urlSchemeFor } from '../../urls'

/** The collections whose drafts and schedules the dashboard lists. */
export const DASHBOARD_COLLECTIONS = ['posts', 'pages'] as const
type DashboardCollection = (typeof DASHBOARD_COLLECTIONS)[number]

/** The slug of the audit trail (src/auditLog/): the dashboard lists its newest entries when it exists. */
export const AUDIT_LOG = 'audit-log'

export type DraftItem = {
  collection: DashboardCollection
  id: number | string
  title: string
  updatedAt: string
  /** Published before, with changes that are not: "unpublished changes" rather than "draft". */
  hasPublishedVersion: boolean
}

export type ScheduledItem = {
  jobId: number | string
  type: 'publish' | 'unpublish'
  waitUntil: string
  /** A collection document, or a global when `collection` is undefined. */
  collection?: string
  global?: string
  id?: number | string
  title: string
  failed: boolean
}

export type ChangeItem = {
  id: number | string
  action: string
  entity: string
  documentId?: string | null
  actorLabel: string
  createdAt: string
}

const titleOf = (doc: Record<string, unknown>): string => (typeof doc.title === 'string' && doc.title.trim() ? doc.title : `#${String(doc.id)}`)

/**
 * The signed-in person's work in progress, newest first: posts that list them as an author, and
 * (for editors and admins, who own every page; pages have no authors) pages, whose newest version
 * is a draft: never published, or published with changes that are not. Read as the person (access
 * applies), drafts included.
 */
export const myDrafts = async (req: PayloadRequest, limit = 8): Promise<DraftItem[]> => {
  const role = editorialRole(req.user)
  if (!role || !req.user) return []
  const mine: Record<DashboardCollection, Where | null> = {
    posts: { authors: { in: [req.user.id] } },
    pages: role === 'author' ? null : {},
  }
  const lists = await Promise.all(
    DASHBOARD_COLLECTIONS.map(async (collection) => {
      const own = mine[collection]
      if (!own) return []
      const drafts = await req.payload.find({
        collection,
        draft: true,
        where: { and: [{ _status: { equals: 'draft' } }, own] },
        sort: '-updatedAt',
        limit,
        depth: 0,
        select: { title: true, updatedAt: true },
        overrideAccess: false,
        req,
      })
      if (drafts.docs.length === 0) return []
      // Which of them have a published version too (the main table holds it; draft: false reads it).
      const published = await req.payload.find({
        collection,
        where: { and: [{ id: { in: drafts.docs.map((doc) => doc.id) } }, { _status: { equals: 'published' } }] },
        limit: drafts.docs.length,
        pagination: false,
        depth: 0,
        select: { updatedAt: true },
        overrideAccess: false,
        req,
      })
      const publishedIds = new Set(published.docs.map((doc) => String(doc.id)))
      return drafts.docs.map(
        (doc): DraftItem => ({
          collection,
          id: doc.id,
          title: titleOf(doc as Record<string, unknown>),
          updatedAt: String(doc.updatedAt),
          hasPublishedVersion: publishedIds.has(String(doc.id)),
        }),
      )
    }),
  )
  return lists
    .flat()
    .sort((a, b) => b.updatedAt.localeCompare(a.updatedAt))
    .slice(0, limit)
}

type ScheduleJob = {
  id: number | string
  waitUntil?: string | null
  hasError?: boolean | null
  input?: { type?: string; doc?: { relationTo?: string; value?: number | string }; global?: string } | null
}

/**
 * Publishing and unpublishing waiting in Payload's jobs queue (the schedule drawer's
 * `schedulePublish` jobs), soonest first. Jobs are Payload's own and closed to every API, so they
 * are read without access; each is shown only when the person may read its document (read with
 * access, drafts included), and with the document's current title.
 */
export const scheduled = async (req: PayloadRequest, limit = 8): Promise<ScheduledItem[]> => {
  if (!editorialRole(req.user)) return []
  const jobs = (
    await req.payload.find({
      collection: 'payload-jobs',
      where: { and: [{ taskSlug: { equals: 'schedulePublish' } }, { completedAt: { exists: false } }] },
      sort: 'waitUntil',
      limit: limit * 2,
      depth: 0,
      select: { waitUntil: true, hasError: true, input: true },
      overrideAccess: true,
      req,
    })
  ).docs as unknown as ScheduleJob[]
  const idsByCollection = new Map<string, (number | string)[]>()
  for (const job of jobs) {
    const doc = job.input?.doc
    if (doc?.relationTo && doc.value !== undefined && req.payload.collections[doc.relationTo as CollectionSlug]) {
      idsByCollection.set(doc.relationTo, [...(idsByCollection.get(doc.relationTo) ?? []), doc.value])
    }
  }
  const titles = new Map<string, string>()
  await Promise.all(
    [...idsByCollection].map(async ([collection, ids]) => {
      const titleField = req.payload.collections[collection as CollectionSlug].config.admin.useAsTitle || 'id'
      const { docs } = (await req.payload.find({
        collection: collection as CollectionSlug,
        draft: true,
        where: { id: { in: ids } },
        limit: ids.length,
        pagination: false,
        depth: 0,
        select: { [titleField]: true },
        overrideAccess: false,
        req,
      })) as unknown as { docs: Record<string, unknown>[] }
      for (const doc of docs) {
        const title = doc[titleField]
        titles.set(`${collection}:${String(doc.id)}`, typeof title === 'string' && title.trim() ? title : `#${String(doc.id)}`)
      }
    }),
  )
  const items: ScheduledItem[] = []
  for (const job of jobs) {
    const type = job.input?.type === 'unpublish' ? 'unpublish' : 'publish'
    const base = { jobId: job.id, type, waitUntil: String(job.waitUntil), failed: Boolean(job.hasError) } as const
    const doc = job.input?.doc
    const global = job.input?.global
    if (doc?.relationTo && doc.value !== undefined) {
      const title = titles.get(`${doc.relationTo}:${String(doc.value)}`)
      // Not readable by this person (or gone): not theirs to see.
      if (title !== undefined) items.push({ ...base, collection: doc.relationTo, id: doc.value, title })
    } else if (global && req.payload.globals.config.some((config) => config.slug === global)) {
      const config = req.payload.globals.config.find((candidate) => candidate.slug === global)!
      items.push({ ...base, global, title: typeof config.label === 'string' ? config.label : global })
    }
  }
  return items.slice(0, limit)
}

/** Sign-ins are in the audit trail too, but they change nothing. */
const NOT_CHANGES = ['login', 'login-failed']

/**
 * The newest changes in the audit trail made by anyone but the signed-in person, read as them (the
 * trail is admins' to read). Changes with no person behind them (the seed, scheduled publishing)
 * are someone else's too; in SQL `not_equals` leaves out an empty user, hence the `exists: false`.
 */
export const recentChangesByOthers = async (req: PayloadRequest, limit = 8): Promise<ChangeItem[] | null> => {
  if (!req.user || editorialRole(req.user) !== 'admin') return null
  const { docs } = await req.payload.find({
    collection: AUDIT_LOG as CollectionSlug,
    where: {
      and: [
        { action: { not_in: NOT_CHANGES } },
        { or: [{ user: { not_equals: req.user.id } }, { user: { exists: false } }] },
      ],
    },
    sort: '-createdAt',
    limit,
    depth: 0,
    overrideAccess: false,
    req,
  })
  return (docs as unknown as Record<string, unknown>[]).map((entry) => ({
    id: entry.id as number | string,
    action: String(entry.action ?? ''),
    entity: String(entry.entity ?? ''),
    documentId: (entry.documentId as string | null | undefined) ?? null,
    actorLabel: String(entry.actorLabel ?? ''),
    createdAt: String(entry.createdAt ?? ''),
  }))
}

/** The public site's address, from site settings (the one URL scheme). */
export const siteUrl = async (req: PayloadRequest): Promise<string> => (await urlSchemeFor(req)).siteUrl
