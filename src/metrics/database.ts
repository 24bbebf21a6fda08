import type { DatabaseAdapterObj } from 'payload'

import { databaseDuration } from './registry'

/** The adapter operations Payload reads and writes through (transactions included). */
const OPERATIONS = [
  'find', 'findOne', 'findDistinct', 'count', 'countVersions', 'countGlobalVersions', 'create', 'updateOne', 'updateMany',
  'upsert', 'deleteOne', 'deleteMany', 'findVersions', 'findGlobalVersions', 'createVersion', 'createGlobalVersion',
  'updateVersion', 'updateGlobalVersion', 'deleteVersions', 'queryDrafts', 'findGlobal', 'createGlobal', 'updateGlobal',
  'updateJobs', 'beginTransaction', 'commitTransaction', 'rollbackTransaction',
] as const

/** The adapter, with the time of each operation observed in `greenroom_db_operation_duration_seconds`. */
export const measureDatabase = (adapter: DatabaseAdapterObj): DatabaseAdapterObj => ({
  ...adapter,
  init: (args) => {
    const instance = adapter.init(args) as unknown as Record<string, unknown>
    for (const operation of OPERATIONS) {
      const original = instance[operation]
      if (typeof original !== 'function') continue
      const timer = databaseDuration.labels(operation)
      instance[operation] = function (this: unknown, ...args: unknown[]) {
        const end = timer.startTimer()
        try {
          const result = original.apply(this, args)
          if (result && typeof (result as Promise<unknown>).finally === 'function') return (result as Promise<unknown>).finally(end)
          end()
          return result
        } catch (error) {
          end()
          throw error
        }
      }
    }
    return instance as never
  },
})
