import type { Payload } from 'payload'

type Rows = { rows: Record<string, unknown>[] }
type RawDrivers = {
  client?: { execute: (statement: { sql: string; args: unknown[] }) => Promise<Rows> }
  pool?: { query: (sql: string, args: unknown[]) => Promise<Rows> }
}

/** Whether `runRawSql` can run on this database: the SQL adapters, not MongoDB. */
export const hasRawSql = (payload: Payload): boolean => {
  const { client, pool } = payload.db as unknown as RawDrivers
  return (payload.db.name === 'sqlite' && client !== undefined) || (payload.db.name === 'postgres' && pool !== undefined)
}

/**
 * One statement straight to the driver, outside any transaction, with `?` placeholders (numbered
 * for PostgreSQL here). For the few statements where Payload's query builder costs more than the
 * query (a row read on every request) or cannot say it (a conditional UPDATE … RETURNING that claims
 * a row). Callers check `hasRawSql` first or handle MongoDB on their own.
 */
export const runRawSql = async (payload: Payload, sql: string, args: unknown[]): Promise<Record<string, unknown>[]> => {
  const { client, pool } = payload.db as unknown as RawDrivers
  if (payload.db.name === 'postgres' && pool) {
    let n = 0
    return (await pool.query(sql.replace(/\?/g, () => `$${++n}`), args)).rows
  }
  if (payload.db.name === 'sqlite' && client) return (await client.execute({ sql, args })).rows
  throw new Error(`No raw SQL on the ${payload.db.name} database adapter`)
}

/** A document id as a raw SQL argument: SQL ids are integers, which a route or a job may hand over as text. */
export const sqlId = (id: number | string) => (typeof id === 'string' && /^\d+$/.test(id) ? Number(id) : id)
