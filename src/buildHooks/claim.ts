import type { Payload } from 'payload'

import { runRawSql, sqlId } from '../db/rawSql'
import { BUILD_DELIVERIES } from './collections'

type Id = number | string

type MongoModel = {
  findOneAndUpdate: (filter: object, update: object, options: object) => Promise<unknown>
  exists: (filter: object) => Promise<unknown>
  updateMany: (filter: object, update: object) => Promise<unknown>
  find: (filter: object, projection: object) => Promise<{ _id: unknown }[]>
}
const mongoModel = (payload: Payload) => (payload.db as unknown as { collections: Record<string, MongoModel> }).collections[BUILD_DELIVERIES]


/**
 * Takes a delivery for this server, or answers false when it is not to be delivered now.
 *
 * Payload 3 claims a job by finding it and then updating it (runJobs → updateJobs → updateMany,
 * a SELECT of ids, then an UPDATE per id), with nothing that stops a second server from finding
 * the same job in between: two servers on one database can both run it. The delivery row is
 * therefore claimed in one conditional UPDATE, which PostgreSQL applies to a row once (a second
 * UPDATE waits for the first's row lock and then re-checks its WHERE, which no longer matches) and
 * SQLite runs one writer at a time anyway. Whoever changed the row delivers; the other returns.
 *
 * A delivery is taken when it is waiting (queued, or retrying), due, and no older delivery of the
 * same hook is being delivered or waiting to be retried: a hook's bursts go out in order, one at a
 * time, so each one's changes start where the last delivered one ended.
 */
export const claimDelivery = async (payload: Payload, id: Id, now: Date, leaseUntil: Date): Promise<boolean> => {
  if (payload.db.name === 'mongoose') {
    // MongoDB updates one document atomically; the "no older delivery in flight" check cannot be
    // in the same statement, so it is made just before (a hook's own bursts rarely overlap).
    const model = mongoModel(payload)
    const current = (await model.find({ _id: id }, { hook: 1 })) as unknown as { hook: unknown }[]
    if (!current[0]) return false
    const older = await model.exists({ hook: current[0].hook, _id: { $lt: id }, status: { $in: ['delivering', 'retrying'] } })
    if (older) return false
    const claimed = await model.findOneAndUpdate(
      { _id: id, status: { $in: ['queued', 'retrying'] }, $or: [{ nextAttemptAt: null }, { nextAttemptAt: { $lte: now } }] },
      { $set: { status: 'delivering', leaseUntil, updatedAt: now } },
      { new: true },
    )
    return Boolean(claimed)
  }
  const rows = await runRawSql(
    payload,
    `UPDATE build_deliveries SET status = 'delivering', lease_until = ?, updated_at = ?
     WHERE id = ? AND status IN ('queued', 'retrying') AND (next_attempt_at IS NULL OR next_attempt_at <= ?)
       AND NOT EXISTS (
         SELECT 1 FROM build_deliveries AS older
         WHERE older.hook_id = build_deliveries.hook_id AND older.id < build_deliveries.id
           AND older.status IN ('delivering', 'retrying'))
     RETURNING id`,
    [leaseUntil.toISOString(), now.toISOString(), sqlId(id), now.toISOString()],
  )
  return rows.length === 1
}

/**
 * Deliveries whose server died while delivering (the lease ran out): set back to be retried now,
 * in one conditional UPDATE, so of two servers sweeping at once only one takes each back.
 * Answers the ids taken back.
 */
export const takeBackAbandonedDeliveries = async (payload: Payload, now: Date): Promise<Id[]> => {
  if (payload.db.name === 'mongoose') {
    const model = mongoModel(payload)
    const abandoned = await model.find({ status: 'delivering', leaseUntil: { $lt: now } }, { _id: 1 })
    const taken: Id[] = []
    for (const { _id } of abandoned) {
      const doc = await model.findOneAndUpdate(
        { _id, status: 'delivering', leaseUntil: { $lt: now } },
        { $set: { status: 'retrying', nextAttemptAt: now, leaseUntil: null, updatedAt: now } },
        { new: true },
      )
      if (doc) taken.push(String(_id))
    }
    return taken
  }
  const rows = await runRawSql(
    payload,
    `UPDATE build_deliveries SET status = 'retrying', next_attempt_at = ?, lease_until = NULL, updated_at = ?
     WHERE status = 'delivering' AND lease_until < ?
     RETURNING id`,
    [now.toISOString(), now.toISOString(), now.toISOString()],
  )
  return rows.map((row) => row.id as Id)
}
