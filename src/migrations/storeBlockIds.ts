import { createHash } from 'node:crypto'

import { giveBlocksIds } from '../fields/blockIds'

import { jsonColumnValue } from './jsonColumn'

/** Raw SQL on the migration's own connection (inside its transaction), the same on SQLite and PostgreSQL. */
export type BlockIdSql = {
  rows: (statement: string) => Promise<Record<string, unknown>[]>
  /** Stores `json` (the rich text as JSON text) in `column` of the row `id` of `table`. */
  store: (table: string, column: string, id: unknown, json: string) => Promise<unknown>
}

/**
 * The rich text that can hold blocks (posts' `content`, localized) and its versions, frozen at this migration's
 * schema: a data step that read through Payload's adapter would follow later schema changes.
 */
const SOURCES = [
  { table: 'posts_locales', column: 'content' },
  { table: '_posts_v_locales', column: 'version_content' },
] as const

/**
 * An id made from the block's content and its place in the rich text, so the same block gets the same id in a
 * document and in each of its versions that holds it unchanged, and the migration gives the same ids wherever it
 * runs.
 */
const derivedId = (fields: Record<string, unknown>, index: number) =>
  createHash('sha256').update(`${index}\0${JSON.stringify(fields)}`).digest('hex').slice(0, 24)

/**
 * Data step of `issue15b_blockids`: blocks saved before every save stored an id (src/fields/blockIds.ts) have none,
 * and Payload gave them a new random one on every read. Plain SQL, so no hook runs and no version is added.
 */
export const storeBlockIds = async (sql: BlockIdSql) => {
  for (const { table, column } of SOURCES) {
    for (const row of await sql.rows(`SELECT "id", "${column}" AS "value" FROM "${table}"`)) {
      const value = jsonColumnValue(row.value)
      if (giveBlocksIds(value, derivedId) > 0) await sql.store(table, column, row.id, JSON.stringify(value))
    }
  }
}
