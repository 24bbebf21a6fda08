import type { Payload } from 'payload'

/** The part of the libsql client (inside Payload's SQLite adapter) that runs statements. */
type Statement = { sql: string; args?: unknown }
type SqlClient = {
  execute: (stmt: string | Statement) => Promise<{ rows: Record<string, unknown>[] }>
}

export type StatementPlan = {
  sql: string
  /** Median time of the statement alone, run again with the same arguments. */
  medianMs: number
  plan: string[]
}

export type ListQueryReport = {
  /** Median time of the whole Local API find (access control, SQL, population, hooks). */
  findMedianMs: number
  statements: StatementPlan[]
}

export type ListQueryPlans = {
  asMigrated: ListQueryReport
}

const REPEATS = 30

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)]
}

const timeMs = async (fn: () => Promise<unknown>): Promise<number> => {
  const start = process.hrtime.bigint()
  await fn()
  return Number(process.hrtime.bigint() - start) / 1e6
}

const medianOf = async (fn: () => Promise<unknown>) => {
  const times: number[] = []
  for (let k = 0; k < REPEATS; k++) times.push(await timeMs(fn))
  return median(times)
}

const sqlClient = (payload: Payload): SqlClient => {
  const client = (payload.db as unknown as { client?: SqlClient }).client
  if (!client) throw new Error('The query plan needs the SQLite adapter (payload.db.client).')
  return client
}

/**
 * What `GET /api/posts?limit=10&depth=1` does for an anonymous reader, through the Local API: the
 * same find operation with the same access control (no user, so only published posts).
 */
const anonymousList = (payload: Payload) =>
  payload.find({ collection: 'posts', limit: 10, depth: 1, overrideAccess: false, draft: false })

/** Records the statements the find runs by wrapping the client's execute for one call. */
const captureStatements = async (payload: Payload): Promise<Statement[]> => {
  const client = sqlClient(payload)
  const execute = client.execute
  const captured: Statement[] = []
  client.execute = (stmt) => {
    captured.push(typeof stmt === 'string' ? { sql: stmt } : stmt)
    return execute.call(client, stmt)
  }
  try {
    await anonymousList(payload)
  } finally {
    client.execute = execute
  }
  return captured
}

/** EXPLAIN QUERY PLAN rows, indented by their depth in the plan tree. */
const explain = async (client: SqlClient, { sql, args }: Statement): Promise<string[]> => {
  const { rows } = await client.execute({ sql: `EXPLAIN QUERY PLAN ${sql}`, args })
  const depthOf = new Map<unknown, number>()
  return rows.map((row) => {
    const depth = (depthOf.get(row.parent) ?? -1) + 1
    depthOf.set(row.id, depth)
    return `${'  '.repeat(depth)}${String(row.detail)}`
  })
}

export const explainListQuery = async (payload: Payload): Promise<ListQueryReport> => {
  const client = sqlClient(payload)
  // Warm the caches first so the timings describe the steady state the HTTP load sees.
  await anonymousList(payload)
  const findMedianMs = await medianOf(() => anonymousList(payload))
  const statements: StatementPlan[] = []
  for (const statement of await captureStatements(payload)) {
    statements.push({
      sql: statement.sql,
      medianMs: await medianOf(() => client.execute(statement)),
      plan: await explain(client, statement),
    })
  }
  return { findMedianMs, statements }
}

/**
 * Explains the list query on the schema the migrations made. The Posts collection's
 * (_status, publishedAt, createdAt) index should carry both the access filter and the sort.
 */
export const explainListQueryAsMigrated = async (payload: Payload): Promise<ListQueryPlans> => ({
  asMigrated: await explainListQuery(payload),
})
