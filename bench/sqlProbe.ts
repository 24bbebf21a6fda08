// Reads the SQL that Payload's own database adapter sends, and explains it on the database it ran on.
// Used by the bench (bench/queryPlan.ts) and by test/integration/queryPlan.test.ts.
//
// - SQLite (@payloadcms/db-sqlite): every statement goes through the libsql client's execute().
// - PostgreSQL (@payloadcms/db-postgres): drizzle's node-postgres session calls query(config, params)
//   on the adapter's pg Pool (outside a transaction, which a read has none of).
// Wrapping that one method for the length of one operation records exactly what the adapter ran.
import Database from 'libsql'
import type { Payload } from 'payload'

export type ProbeDatabase = 'sqlite' | 'postgres'

/** One statement as the adapter sent it. */
export type Statement = { sql: string; params: unknown[] }

/** A node of a plan: SQLite's EXPLAIN QUERY PLAN rows or PostgreSQL's EXPLAIN nodes, as a tree. */
export type PlanNode = {
  /** SQLite: the row's detail. PostgreSQL: "Node Type" plus relation, index and direction. */
  label: string
  /** Index named by this node, if any. */
  index?: string
  /** Table (relation) this node reads, if any. */
  relation?: string
  /** A sort step: SQLite's "USE TEMP B-TREE FOR …", PostgreSQL's Sort / Incremental Sort. */
  sort?: boolean
  /**
   * Reads `relation` without an index condition: SQLite's SCAN (of the table or of a whole index),
   * PostgreSQL's Seq Scan or an index scan with only a Filter (used for its order). Every row, unless
   * a LIMIT above stops it early.
   */
  fullScan?: boolean
  /** PostgreSQL with ANALYZE: rows this node returned, over all its loops. */
  rows?: number
  children: PlanNode[]
}

export type StatementPlan = {
  /** Readable plan lines (SQLite: EXPLAIN QUERY PLAN; PostgreSQL: EXPLAIN (ANALYZE, BUFFERS) text). */
  lines: string[]
  tree: PlanNode[]
  /** PostgreSQL only, from EXPLAIN ANALYZE: server-side times of this run. */
  executionMs?: number
  planningMs?: number
}

/** The part of the libsql client (inside Payload's SQLite adapter) that runs statements. */
type LibsqlStatement = { sql: string; args?: unknown }
type LibsqlClient = {
  execute: (stmt: string | LibsqlStatement) => Promise<{ rows: Record<string, unknown>[] }>
}

/** The part of pg's Pool (inside Payload's PostgreSQL adapter) that runs statements. */
type PgQueryConfig = { text: string; values?: unknown[] }
type PgPool = {
  query: (config: string | PgQueryConfig, values?: unknown[]) => Promise<{ rows: Record<string, unknown>[] }>
}

export type ExplainOptions = {
  /** PostgreSQL: run the statement (EXPLAIN ANALYZE, BUFFERS); default true. */
  analyze?: boolean
  /**
   * PostgreSQL: per-node timing (default true). Timing every row costs a clock read per row, which
   * inflates the execution time of statements that touch many rows; with false, only the JSON plan
   * is made and its Execution Time is the statement's own.
   */
  timing?: boolean
  /** PostgreSQL: SET LOCAL enable_seqscan = off for this explain. */
  disableSeqscan?: boolean
}

export type SqlProbe = {
  database: ProbeDatabase
  /** Runs `operation` and returns the statements the adapter sent while it ran. */
  capture: (operation: () => Promise<unknown>) => Promise<Statement[]>
  /** Runs a statement again, exactly as captured. */
  run: (statement: Statement) => Promise<unknown>
  /** Runs arbitrary SQL on the adapter's connection (no parameters). */
  exec: (sql: string) => Promise<Record<string, unknown>[]>
  /** EXPLAIN QUERY PLAN (SQLite) or EXPLAIN (ANALYZE, BUFFERS) (PostgreSQL) of a captured statement. */
  explain: (statement: Statement, options?: ExplainOptions) => Promise<StatementPlan>
}

const libsqlClient = (payload: Payload): LibsqlClient | undefined =>
  (payload.db as unknown as { client?: LibsqlClient }).client

const pgPool = (payload: Payload): PgPool | undefined => (payload.db as unknown as { pool?: PgPool }).pool

/**
 * SQLite names tables in its plans by their alias in the statement (drizzle aliases joined tables
 * with random names): the aliases of a statement, mapped to their tables.
 */
const sqliteAliases = (sql: string) => {
  const aliases = new Map<string, string>()
  for (const [, table, alias] of sql.matchAll(/\b(?:from|join) "([^"]+)"(?: "([^"]+)")?/gi)) {
    aliases.set(alias ?? table, table)
  }
  return aliases
}

/** SQLite's EXPLAIN QUERY PLAN rows (id, parent, detail) as a tree, with aliases resolved to tables. */
const sqliteTree = (rows: Record<string, unknown>[], sql: string): PlanNode[] => {
  const aliases = sqliteAliases(sql)
  const byId = new Map<unknown, PlanNode>()
  const roots: PlanNode[] = []
  for (const row of rows) {
    const label = String(row.detail)
    const name = /^(?:SCAN|SEARCH) ([^\s(]\S*)/.exec(label)?.[1]
    const node: PlanNode = {
      label,
      index: /USING (?:COVERING )?INDEX (\S+)/.exec(label)?.[1] ?? (/USING INTEGER PRIMARY KEY/.test(label) ? 'INTEGER PRIMARY KEY' : undefined),
      relation: name === undefined ? undefined : (aliases.get(name) ?? name),
      sort: /USE TEMP B-TREE/.test(label) || undefined,
      children: [],
    }
    byId.set(row.id, node)
    const parent = byId.get(row.parent)
    const siblings = parent ? parent.children : roots
    // "SCAN x" after "CO-ROUTINE x" / "MATERIALIZE x" reads that subquery's rows, not a table.
    if (name && siblings.some((sibling) => sibling.label === `CO-ROUTINE ${name}` || sibling.label === `MATERIALIZE ${name}`)) {
      node.relation = undefined
    }
    node.fullScan = (node.relation !== undefined && label.startsWith('SCAN ')) || undefined
    siblings.push(node)
  }
  return roots
}

const sqliteLines = (nodes: PlanNode[], depth = 0): string[] =>
  nodes.flatMap((node) => [`${'  '.repeat(depth)}${node.label}`, ...sqliteLines(node.children, depth + 1)])

type PgJsonNode = {
  'Node Type': string
  'Relation Name'?: string
  Alias?: string
  'Index Name'?: string
  'Scan Direction'?: string
  'Index Cond'?: string
  'Actual Rows'?: number
  'Actual Loops'?: number
  Plans?: PgJsonNode[]
}

const pgTree = (node: PgJsonNode): PlanNode => {
  const relation = node['Relation Name']
  const index = node['Index Name']
  const direction = node['Scan Direction'] === 'Backward' ? ' Backward' : ''
  const label = `${node['Node Type']}${direction}${index ? ` using ${index}` : ''}${relation ? ` on ${relation}` : ''}`
  return {
    label,
    index,
    relation,
    sort: /Sort$/.test(node['Node Type']) || undefined,
    fullScan:
      node['Node Type'] === 'Seq Scan' || (/^Index (Only )?Scan$/.test(node['Node Type']) && node['Index Cond'] === undefined) || undefined,
    rows: node['Actual Rows'] === undefined ? undefined : node['Actual Rows'] * (node['Actual Loops'] ?? 1),
    children: (node.Plans ?? []).map(pgTree),
  }
}

/**
 * EXPLAIN QUERY PLAN on a connection of its own, closed after: run through libsql's client, an EXPLAIN
 * stays active on the reading connection (src/db/sqliteTransactions.ts), which then kept the snapshot
 * and the planner statistics of that moment for every later read of the process.
 */
const explainOnOwnConnection = (filePath: string, { sql, params }: Statement): Record<string, unknown>[] => {
  const connection = new Database(filePath)
  try {
    return connection.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...(params as never[])) as Record<string, unknown>[]
  } finally {
    connection.close()
  }
}

const sqliteProbe = (client: LibsqlClient, filePath: string): SqlProbe => {
  const toLibsql = ({ sql, params }: Statement): LibsqlStatement => ({ sql, args: params })
  return {
    database: 'sqlite',
    capture: async (operation) => {
      const execute = client.execute
      const captured: Statement[] = []
      client.execute = (stmt) => {
        if (typeof stmt === 'string') captured.push({ sql: stmt, params: [] })
        else captured.push({ sql: stmt.sql, params: Array.isArray(stmt.args) ? [...stmt.args] : stmt.args === undefined ? [] : [stmt.args] })
        return execute.call(client, stmt)
      }
      try {
        await operation()
      } finally {
        client.execute = execute
      }
      return captured
    },
    run: (statement) => client.execute(toLibsql(statement)),
    exec: async (sql) => (await client.execute(sql)).rows,
    explain: async (statement) => {
      const tree = sqliteTree(explainOnOwnConnection(filePath, statement), statement.sql)
      return { lines: sqliteLines(tree), tree }
    },
  }
}

const pgProbe = (pool: PgPool & { connect?: () => Promise<PgPool & { release: () => void }> }): SqlProbe => ({
  database: 'postgres',
  capture: async (operation) => {
    const query = pool.query
    const captured: Statement[] = []
    pool.query = (config, values) => {
      const sql = typeof config === 'string' ? config : config.text
      captured.push({ sql, params: [...(values ?? (typeof config === 'string' ? [] : (config.values ?? [])))] })
      return query.call(pool, config, values)
    }
    try {
      await operation()
    } finally {
      pool.query = query
    }
    return captured
  },
  run: ({ sql, params }) => pool.query(sql, params),
  exec: async (sql) => (await pool.query(sql)).rows,
  explain: async ({ sql, params }, { analyze = true, timing = true, disableSeqscan = false } = {}) => {
    const options = analyze ? `ANALYZE, BUFFERS, ${timing ? '' : 'TIMING OFF, '}` : ''
    // One connection, one transaction: SET LOCAL must not outlive this explain on a pooled connection.
    const client = await pool.connect!()
    try {
      await client.query('BEGIN')
      if (disableSeqscan) await client.query('SET LOCAL enable_seqscan = off')
      const json = await client.query(`EXPLAIN (${options}FORMAT JSON) ${sql}`, params)
      const text = analyze && !timing ? { rows: [] } : await client.query(`EXPLAIN (${options}FORMAT TEXT) ${sql}`, params)
      await client.query('ROLLBACK')
      const [result] = json.rows[0]['QUERY PLAN'] as [{ Plan: PgJsonNode; 'Execution Time'?: number; 'Planning Time'?: number }]
      return {
        lines: text.rows.map((row) => String(row['QUERY PLAN'])),
        tree: [pgTree(result.Plan)],
        executionMs: result['Execution Time'],
        planningMs: result['Planning Time'],
      }
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined)
      throw error
    } finally {
      client.release()
    }
  },
})

/** The probe for Payload's SQL adapter; throws on any other adapter (MongoDB has no SQL to explain). */
export const sqlProbe = (payload: Payload): SqlProbe => {
  if (payload.db.name === 'sqlite') {
    const client = libsqlClient(payload)
    const url = (payload.db as unknown as { clientConfig?: { url?: string } }).clientConfig?.url
    if (client && url?.startsWith('file:')) return sqliteProbe(client, url.slice('file:'.length))
  }
  if (payload.db.name === 'postgres') {
    const pool = pgPool(payload)
    if (pool) return pgProbe(pool)
  }
  throw new Error(`No SQL to explain on the "${payload.db.name}" adapter: the query plans need SQLite or PostgreSQL.`)
}

/** Every node of a plan, depth first. */
export const planNodes = (nodes: PlanNode[]): PlanNode[] => nodes.flatMap((node) => [node, ...planNodes(node.children)])

/** The nodes that read `relation` without an index condition (see PlanNode.fullScan). */
export const fullScansOf = (plan: StatementPlan, relation: string): PlanNode[] =>
  planNodes(plan.tree).filter((node) => node.fullScan && node.relation === relation)

/** The indexes a plan uses, in order of appearance, without repeats. */
export const indexesUsed = (plan: StatementPlan): string[] => [
  ...new Set(planNodes(plan.tree).flatMap((node) => (node.index ? [node.index] : []))),
]

/**
 * The chain of nodes from a root to the first node that reads `relation` (the outer query's own
 * scan of that table, not a subquery's); undefined when no node reads it.
 */
export const pathTo = (nodes: PlanNode[], relation: string): PlanNode[] | undefined => {
  for (const node of nodes) {
    if (node.relation === relation) return [node]
    const below = pathTo(node.children, relation)
    if (below) return [node, ...below]
  }
  return undefined
}

/**
 * Whether the rows of `relation` are sorted on their way out, as opposed to coming out of an index
 * in order. SQLite: a top-level USE TEMP B-TREE (one inside a correlated subquery sorts that
 * subquery's rows). PostgreSQL: a Sort node above the scan of `relation`.
 */
export const sortsRowsOf = (plan: StatementPlan, relation: string, database: ProbeDatabase): boolean =>
  sortOf(plan, relation, database) !== undefined

/** The node that sorts the rows of `relation` (see sortsRowsOf), if there is one. */
export const sortOf = (plan: StatementPlan, relation: string, database: ProbeDatabase): PlanNode | undefined => {
  if (database === 'sqlite') return plan.tree.find((node) => node.sort)
  return pathTo(plan.tree, relation)?.find((node) => node.sort)
}

/** The table of the outer query's FROM (subqueries in the select list have FROMs of their own). */
const outerTable = (sql: string): string | undefined => {
  let depth = 0
  let inString = false
  for (let k = 0; k < sql.length; k++) {
    const char = sql[k]
    if (char === "'") inString = !inString
    if (inString) continue
    if (char === '(') depth++
    else if (char === ')') depth--
    else if (depth === 0 && /^from "/i.test(sql.slice(k, k + 6)) && /\W/.test(sql[k - 1] ?? ' ')) {
      return /^from "([^"]+)"/i.exec(sql.slice(k))?.[1]
    }
  }
  return undefined
}

/** A short name for a statement: what it does and to which table. */
export const statementLabel = (sql: string): string => {
  const table = outerTable(sql) ?? '?'
  if (/^select count\(\*\)/i.test(sql)) return `count ${table}`
  if (/COUNT\(1\) OVER\(\)/i.test(sql)) return `count ${table} (grouped)`
  if (/^select distinct/i.test(sql)) return `ids ${table} (distinct)`
  return table
}
