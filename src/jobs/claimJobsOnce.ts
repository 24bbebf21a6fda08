import type { BaseDatabaseAdapter, DatabaseAdapterObj, Job, Payload, UpdateJobsArgs } from 'payload'

import { runRawSql, sqlId } from '../db/rawSql'

type Id = number | string
type MongoJobs = { findOneAndUpdate: (filter: object, update: object, options: object) => Promise<unknown> }

/** The update Payload's job runner makes to take jobs: `processing: true` (with the `updatedAt` it stamps on every update). */
const isClaim = ({ data }: UpdateJobsArgs) =>
  data?.processing === true && Object.keys(data).every((key) => key === 'processing' || key === 'updatedAt')


/**
 * Sets `processing` on one job only if no one has: one conditional UPDATE, which PostgreSQL applies
 * to a row once (a second one waits for the first's row lock, then finds its WHERE no longer true)
 * and SQLite runs one writer at a time; on MongoDB one document update is atomic. True when this
 * process took it.
 */
const takeJob = async (payload: Payload, id: Id, now: Date): Promise<boolean> => {
  if (payload.db.name === 'mongoose') {
    const jobs = (payload.db as unknown as { collections: Record<string, MongoJobs> }).collections['payload-jobs']
    const taken = await jobs.findOneAndUpdate({ _id: id, processing: { $ne: true } }, { $set: { processing: true, updatedAt: now } }, { new: true })
    return Boolean(taken)
  }
  const rows = await runRawSql(
    payload,
    `UPDATE payload_jobs SET processing = true, updated_at = ? WHERE id = ? AND (processing = false OR processing IS NULL) RETURNING id`,
    [now.toISOString(), sqlId(id)],
  )
  return rows.length === 1
}

/**
 * Payload 3 takes due jobs by finding them and then updating each (`updateJobs` → find, then an
 * UPDATE per job), with nothing between the two that stops another instance on the same database
 * from finding the same jobs: two instances both ran a due scheduled publish. Here the claim keeps
 * Payload's find (its `where`, `sort` and `limit` decide which jobs are due), then takes each found
 * job with a conditional update and hands Payload only the jobs this process took. Every other job
 * update (logs, completion, errors) is Payload's own.
 */
export const claimJobsOnce = (adapter: DatabaseAdapterObj): DatabaseAdapterObj => ({
  ...adapter,
  init: (args) => {
    const instance = adapter.init(args)
    const updateJobs = instance.updateJobs
    instance.updateJobs = async function claimOnce(this: BaseDatabaseAdapter, updateArgs: UpdateJobsArgs) {
      if (!isClaim(updateArgs)) return updateJobs.call(this, updateArgs)
      // Outside the transaction Payload opened for this update: the claims commit one by one, and on
      // SQLite a read inside it would take this process's write turn, which the claims then wait for.
      const { id, limit, returning, sort, where } = updateArgs
      const found = await this.find<Job>({
        collection: 'payload-jobs',
        where: id !== undefined ? { id: { equals: id } } : where,
        limit: id !== undefined ? 1 : limit,
        sort,
        pagination: false,
      })
      const now = new Date()
      const taken: Id[] = []
      for (const job of found.docs) if (await takeJob(this.payload, job.id, now)) taken.push(job.id)
      if (returning === false) return null
      if (!taken.length) return []
      const claimed = await this.find<Job>({
        collection: 'payload-jobs',
        where: { id: { in: taken } },
        limit: taken.length,
        sort,
        pagination: false,
      })
      return claimed.docs
    }
    return instance
  },
})
