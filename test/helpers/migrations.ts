import type { Payload } from 'payload'
import { commitTransaction, createLocalReq, initTransaction, killTransaction } from 'payload'

type Migration = { name: string; down: (args: never) => Promise<void> }

/**
 * Rolls the given migrations back, newest first, as `payload migrate:down` does: each in a
 * transaction of its own, on that transaction's connection, with its bookkeeping row.
 */
export const migrateDown = async (payload: Payload, migrations: readonly Migration[]) => {
  for (const migration of [...migrations].reverse()) {
    const req = await createLocalReq({}, payload)
    await initTransaction(req)
    try {
      const sessions = (payload.db as unknown as { sessions?: Record<string, { db: unknown }> }).sessions
      const db = (req.transactionID && sessions?.[String(await req.transactionID)]?.db) || payload.db.drizzle
      await migration.down({ db, payload, req } as never)
      await payload.delete({ collection: 'payload-migrations', where: { name: { equals: migration.name } }, req })
      await commitTransaction(req)
    } catch (error) {
      await killTransaction(req)
      throw error
    }
  }
}
