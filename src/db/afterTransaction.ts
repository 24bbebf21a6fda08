import type { DatabaseAdapterObj, PayloadRequest } from 'payload'

type Settlement = { committed: () => Promise<void>; rolledBack: () => Promise<void> }
type Logger = { error: (details: object, message: string) => void }

/** What waits on each open transaction, by its id. */
const waiting = new Map<number | string, Settlement[]>()
let logger: Logger = { error: (details, message) => console.error(message, details) }

const settle = async (id: number | string, outcome: keyof Settlement) => {
  const settlements = waiting.get(id)
  if (!settlements) return
  waiting.delete(id)
  for (const settlement of settlements) {
    try {
      await settlement[outcome]()
    } catch (error) {
      // The database's outcome stands; what follows it is cleanup, and is logged, not thrown at the writer.
      logger.error({ err: error }, `work after a transaction ${outcome === 'committed' ? 'commit' : 'rollback'} failed`)
    }
  }
}

/**
 * Runs `committed` once the write `req` belongs to has committed, or `rolledBack` if it rolls back;
 * at once (as committed) when the write has no transaction. For what a write does outside the
 * database that cannot wait for the jobs queue and must not outlive a rollback: putting back or
 * removing files Payload moved during the write.
 */
export const afterTransaction = async (req: PayloadRequest, settlement: Settlement): Promise<void> => {
  const id = await req.transactionID
  if (id === undefined || id === null) return settlement.committed()
  const list = waiting.get(id)
  if (list) list.push(settlement)
  else waiting.set(id, [settlement])
}

/** The adapter, with its commits and rollbacks telling afterTransaction's waiters. */
export const withTransactionSettlements = (adapter: DatabaseAdapterObj): DatabaseAdapterObj => ({
  ...adapter,
  init: (args) => {
    const instance = adapter.init(args)
    logger = args.payload.logger
    const commit = instance.commitTransaction
    const rollback = instance.rollbackTransaction
    instance.commitTransaction = async function commitThenSettle(this: typeof instance, id) {
      const key = (await id) as number | string
      try {
        await commit.call(this, key)
      } catch (error) {
        await settle(key, 'rolledBack')
        throw error
      }
      await settle(key, 'committed')
    }
    instance.rollbackTransaction = async function rollbackThenSettle(this: typeof instance, id) {
      const key = (await id) as number | string
      try {
        await rollback.call(this, key)
      } finally {
        await settle(key, 'rolledBack')
      }
    }
    return instance
  },
})
