import type { Payload, TaskConfig } from 'payload'

import { wholeNumberFromEnv } from '../env'
import { AUDIT_LOG } from './collection'

const BATCH = 1000

/** AUDIT_LOG_RETENTION_DAYS: how long entries are kept; 0 keeps them for good. */
export const auditLogRetentionDays = (env: Record<string, string | undefined> = process.env) =>
  wholeNumberFromEnv(env, 'AUDIT_LOG_RETENTION_DAYS', 365, 0)

/**
 * Deletes the entries older than the retention period, oldest first, a batch at a time, each batch
 * committing on its own so writers (whose entries go into this table) never wait for a whole run.
 */
export const pruneAuditLog = async (
  payload: Payload,
  { retentionDays, now = new Date() }: { retentionDays: number; now?: Date },
): Promise<{ deleted: number }> => {
  if (retentionDays <= 0) return { deleted: 0 }
  const cutoff = new Date(now.getTime() - retentionDays * 24 * 60 * 60 * 1000).toISOString()
  let deleted = 0
  for (;;) {
    const { docs } = await payload.db.find<{ id: number | string }>({
      collection: AUDIT_LOG,
      where: { createdAt: { less_than: cutoff } },
      sort: 'createdAt',
      select: { id: true },
      limit: BATCH,
      pagination: false,
      req: {},
    })
    if (!docs.length) break
    await payload.db.deleteMany({ collection: AUDIT_LOG, where: { id: { in: docs.map(({ id }) => id) } }, req: {} })
    deleted += docs.length
    if (docs.length < BATCH) break
  }
  return { deleted }
}

/** Daily, through Payload's jobs queue (its schedule queues it; the server's runner runs it). */
export const pruneAuditLogTask: TaskConfig = {
  slug: 'pruneAuditLog',
  label: 'Delete audit-log entries past their retention',
  schedule: [{ cron: '41 3 * * *', queue: 'default' }],
  retries: 2,
  outputSchema: [{ name: 'deleted', type: 'number' }],
  handler: async ({ req }) => ({
    output: await pruneAuditLog(req.payload, { retentionDays: auditLogRetentionDays() }),
  }),
}
