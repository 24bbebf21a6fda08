import type { CollectionConfig, Payload, PayloadRequest } from 'payload'

import { isAdmin } from '../access/isAdmin'
import { nobody } from '../access/nobody'
import type { ContentChange } from './cacheTags'
import { tagsToPurge } from './cacheTags'
import { afterTransaction } from '../db/afterTransaction'
import { advanceContentVersion, announceContentVersion, readContentVersion } from './contentVersion'

/**
 * The change log: one row per write a reader could see, appended in the write's own transaction,
 * at a position that grows by one per change in commit order (src/changes/contentVersion.ts). It
 * is what "what changed since" means everywhere: delta sync, build hooks, cache retirement.
 */
export const CHANGE_LOG = 'content-changes'

export type ChangeEvent = 'published' | 'updated' | 'unpublished' | 'deleted'

export const CHANGE_EVENTS: readonly ChangeEvent[] = ['published', 'updated', 'unpublished', 'deleted']

/** Events after which the document is no longer readable. */
export const isRemoval = (event: ChangeEvent) => event === 'deleted' || event === 'unpublished'

export type RecordedChange = {
  position: number
  collectionSlug?: string
  documentId?: string
  globalSlug?: string
  event: ChangeEvent
  locales: string[]
  tags: string[]
  /**
   * The top-level fields an `updated` change changed, as readers see them; null: unknown, so every
   * field (globals, edits of documents with drafts over a newer draft). Only for `updated`.
   */
  fields?: string[] | null
  /** `users:3`, `users:3 via API key`, or null for the system (scheduled publishing, imports). */
  actor: string | null
  changedAt: string
}

/** Runs inside the write's transaction, after its change is appended: pass `req` to every Payload call. */
export type ChangeSubscriber = (change: RecordedChange, req: PayloadRequest) => Promise<void>

export const ChangeLog: CollectionConfig = {
  slug: CHANGE_LOG,
  labels: { singular: 'Content change', plural: 'Content changes' },
  // Written only by the server, inside the writes it records.
  access: { read: isAdmin, create: nobody, update: nobody, delete: nobody },
  admin: {
    group: 'Publishing',
    useAsTitle: 'position',
    defaultColumns: ['position', 'event', 'collectionSlug', 'documentId', 'globalSlug', 'actor', 'changedAt'],
    description: 'Every change a reader could see, in the order it committed. Builds read it through /api/sync.',
  },
  // Not content: its own writes record nothing, and backups leave it out (a restore starts a new log).
  custom: { changeLog: false },
  // Nobody writes it through an API, so the schema offers no mutations for it.
  graphQL: { disableMutations: true },
  defaultSort: '-position',
  timestamps: false,
  // "Was this document ever shown?" and compaction look a document's rows up.
  indexes: [{ fields: ['collectionSlug', 'documentId'] }],
  fields: [
    { name: 'position', type: 'number', required: true, unique: true, index: true },
    { name: 'event', type: 'select', required: true, options: CHANGE_EVENTS.map((value) => ({ label: value, value })) },
    { name: 'collectionSlug', type: 'text', index: true },
    { name: 'documentId', type: 'text' },
    { name: 'globalSlug', type: 'text' },
    { name: 'locales', type: 'json' },
    { name: 'tags', type: 'json' },
    // The top-level fields an update changed (null: unknown, all): caches retire queries by them.
    { name: 'fields', type: 'json' },
    { name: 'actor', type: 'text' },
    { name: 'changedAt', type: 'date', required: true, admin: { date: { pickerAppearance: 'dayAndTime' } } },
  ],
}

type StoredChange = Omit<RecordedChange, 'locales' | 'tags' | 'fields'> & { locales?: unknown; tags?: unknown; fields?: unknown }

const stringList = (value: unknown): string[] => (Array.isArray(value) ? value.map(String) : [])

const recorded = (row: StoredChange): RecordedChange => ({
  position: Number(row.position),
  ...(row.collectionSlug ? { collectionSlug: row.collectionSlug, documentId: String(row.documentId) } : {}),
  ...(row.globalSlug ? { globalSlug: row.globalSlug } : {}),
  event: row.event,
  locales: stringList(row.locales),
  tags: stringList(row.tags),
  fields: Array.isArray(row.fields) ? row.fields.map(String) : null,
  actor: row.actor ?? null,
  changedAt: new Date(row.changedAt).toISOString(),
})

/** Who made a change, as the log names them: never more than the collection and id. */
const actorOf = (req: Partial<PayloadRequest>): string | null => {
  const user = req.user as { collection?: string; id?: unknown; _strategy?: string } | null | undefined
  if (!user?.collection || user.id === undefined) return null
  return `${user.collection}:${String(user.id)}${user._strategy === 'api-key' ? ' via API key' : ''}`
}

export type ChangeToRecord = ContentChange & { event: ChangeEvent; locales: string[]; fields?: string[] | null }

/**
 * Appends a change in the write's transaction and hands it to the subscribers. Positions come from
 * the content version row, whose update holds it until the write commits (see contentVersion.ts).
 */
export const appendChange = async (
  req: PayloadRequest,
  change: ChangeToRecord,
  subscribers: readonly ChangeSubscriber[] = [],
): Promise<RecordedChange> => {
  const { payload } = req
  const version = await advanceContentVersion(payload, req)
  // The other instances learn of it once it is theirs to read.
  await afterTransaction(req, { committed: async () => announceContentVersion(payload, version), rolledBack: async () => {} })
  const row: RecordedChange = {
    position: version.position,
    ...('global' in change
      ? { globalSlug: change.global }
      : { collectionSlug: change.collection, documentId: String(change.id) }),
    event: change.event,
    locales: change.locales,
    tags: tagsToPurge(change),
    fields: change.event === 'updated' && change.fields ? change.fields : null,
    actor: actorOf(req),
    changedAt: version.changedAt,
  }
  await payload.db.create({ collection: CHANGE_LOG, data: row, req, returning: false })
  for (const subscriber of subscribers) await subscriber(row, req)
  return row
}

/** Changes after `after`, oldest first. */
export const readChangesAfter = async (payload: Payload, after: number, limit: number): Promise<RecordedChange[]> => {
  const { docs } = await payload.db.find<StoredChange>({
    collection: CHANGE_LOG,
    where: { position: { greater_than: after } },
    sort: 'position',
    limit,
    pagination: false,
    req: {},
  })
  return docs.map(recorded)
}

/** The last position recorded; 0 before the first change. */
export const readHeadPosition = async (payload: Payload): Promise<number> =>
  (await readContentVersion(payload))?.position ?? 0

/** The oldest cursor that can still be served: before it, compaction dropped what a reader would need. */
export const readRetainedFrom = async (payload: Payload): Promise<number> =>
  (await readContentVersion(payload))?.retainedFrom ?? 0
