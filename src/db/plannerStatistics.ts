import type { Client } from '@libsql/client'

import { wholeNumberFromEnv } from '../env'

/**
 * Rows ANALYZE reads per index (PRAGMA analysis_limit): enough to tell a selective index from one that
 * matches thousands of rows, at a bounded cost (about 10 ms with 100,000 posts; the whole file took 600 ms).
 */
const ANALYSIS_LIMIT = 400

/**
 * Gives SQLite's query planner statistics (sqlite_stat1). Payload never runs ANALYZE, and without it
 * SQLite guesses that `categories_id = ?` matches ten rows: with 100,000 posts the category list started
 * from the category's 10,000 posts_rels rows and sorted them (18-36 ms) instead of walking the newest
 * posts and stopping after ten (0.1-0.2 ms).
 *
 * ANALYZE alone reaches only the connection it ran on: the others (this pool's, another server's on
 * the same file) load sqlite_stat1 with the schema, and keep their prepared statements' plans. An
 * empty view created and dropped in the same transaction changes the schema version, so every
 * connection reloads the schema, statistics included, and re-prepares its statements at its next one.
 * (PRAGMA optimize would not do: in libsql's SQLite 3.45 it analyzes only tables that the connection
 * running it has queried, and ours are not the connection that writes.)
 */
export const refreshPlannerStatistics = async (client: Client): Promise<void> => {
  const transaction = await client.transaction('write')
  try {
    await transaction.executeMultiple(
      `PRAGMA analysis_limit = ${ANALYSIS_LIMIT}; ANALYZE; ` +
        'CREATE VIEW greenroom_reload_statistics AS SELECT 1; DROP VIEW greenroom_reload_statistics;',
    )
    await transaction.commit()
  } catch (error) {
    await transaction.rollback()
    throw error
  }
}

export const analyzeIntervalMinutes = (env: Record<string, string | undefined> = process.env) =>
  wholeNumberFromEnv(env, 'SQLITE_ANALYZE_INTERVAL_MINUTES', 60)

type Logger = { warn: (obj: object, msg: string) => void }

const kept = new WeakSet<Client>()

/**
 * Once when the server has connected (after its migrations), as content may have changed while it was
 * down, then every SQLITE_ANALYZE_INTERVAL_MINUTES (0: never again) so the statistics follow a growing
 * site. A timer of each process rather than a job in Payload's queue: a job would add a task to the
 * jobs table's schema on every database, for work that only SQLite needs.
 */
export const keepPlannerStatistics = (client: Client, logger: Logger, intervalMinutes = analyzeIntervalMinutes()): void => {
  if (kept.has(client)) return
  kept.add(client)
  const refresh = async () => {
    if (client.closed) {
      clearInterval(timer)
      return
    }
    try {
      await refreshPlannerStatistics(client)
    } catch (error) {
      // Only plans suffer without fresh statistics: the next turn tries again.
      logger.warn({ err: error }, 'Could not refresh the SQLite query planner statistics (ANALYZE)')
    }
  }
  const timer = intervalMinutes > 0 ? setInterval(refresh, intervalMinutes * 60_000).unref() : undefined
  void refresh()
}
