import type { Payload, PayloadRequest, TaskConfig } from 'payload'

import { wholeNumberFromEnv } from '../env'
import { CHANGE_LOG, isRemoval } from './changeLog'
import type { ChangeEvent } from './changeLog'
import { retainChangesFrom } from './contentVersion'

export type CompactionResult = { superseded: number; expiredRemovals: number; retainedFrom: number }

type Row = { id: number | string; position: number; event: ChangeEvent; collectionSlug?: string | null; documentId?: string | null; globalSlug?: string | null; changedAt: string }

const BATCH = 1000

const keyOf = (row: Row) => (row.globalSlug ? `global:${row.globalSlug}` : `${row.collectionSlug}:${row.documentId}`)

/**
 * Keeps the log as small as a sync needs. A row followed by a later row for the same document tells
 * a reader nothing the later one does not (a sync always fetches the current version), so it goes.
 * The last row of a deleted or unpublished document is its tombstone: it is kept for the retention
 * period, then dropped, and cursors from before it get 410 Gone (they could miss the removal).
 */
export const compactChangeLog = async (
  payload: Payload,
  { retentionDays, now = new Date(), req }: { retentionDays: number; now?: Date; req?: Partial<PayloadRequest> },
): Promise<CompactionResult> => {
  const cutoff = now.getTime() - retentionDays * 24 * 60 * 60 * 1000
  const seen = new Set<string>()
  const doomed: (number | string)[] = []
  let expiredRemovals = 0
  let retainFrom = 0
  // Newest first: the first row met for a document is its last change.
  let before = Number.POSITIVE_INFINITY
  for (;;) {
    const { docs } = await payload.db.find<Row>({
      collection: CHANGE_LOG,
      where: Number.isFinite(before) ? { position: { less_than: before } } : {},
      sort: '-position',
      limit: BATCH,
      pagination: false,
      req: req ?? {},
    })
    for (const row of docs) {
      const key = keyOf(row)
      if (seen.has(key)) {
        doomed.push(row.id)
      } else {
        seen.add(key)
        if (isRemoval(row.event) && new Date(row.changedAt).getTime() < cutoff) {
          doomed.push(row.id)
          expiredRemovals += 1
          retainFrom = Math.max(retainFrom, Number(row.position))
        }
      }
    }
    if (docs.length < BATCH) break
    before = Number(docs[docs.length - 1]!.position)
  }
  // The floor moves before any tombstone goes, so no reader is told "nothing missed" in between.
  const version = await retainChangesFrom(payload, retainFrom, req)
  for (let start = 0; start < doomed.length; start += BATCH) {
    await payload.db.deleteMany({
      collection: CHANGE_LOG,
      where: { id: { in: doomed.slice(start, start + BATCH) } },
      req: req ?? {},
    })
  }
  return { superseded: doomed.length - expiredRemovals, expiredRemovals, retainedFrom: version.retainedFrom }
}

export const changeLogRetentionDays = (env: Record<string, string | undefined> = process.env) =>
  wholeNumberFromEnv(env, 'CHANGE_LOG_RETENTION_DAYS', 30, 1)

/** Daily, through Payload's jobs queue (its schedule queues it; the server's runner runs it). */
export const compactChangeLogTask: TaskConfig = {
  slug: 'compactChangeLog',
  label: 'Compact the change log',
  schedule: [{ cron: '17 3 * * *', queue: 'default' }],
  retries: 2,
  outputSchema: [
    { name: 'superseded', type: 'number' },
    { name: 'expiredRemovals', type: 'number' },
    { name: 'retainedFrom', type: 'number' },
  ],
  // Outside the job's transaction: each delete commits on its own, so writers never wait for a whole compaction.
  handler: async ({ req }) => ({
    output: await compactChangeLog(req.payload, { retentionDays: changeLogRetentionDays() }),
  }),
}
