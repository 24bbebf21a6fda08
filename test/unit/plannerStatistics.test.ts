// The planner statistics (src/db/plannerStatistics.ts) on a real file: gathered on one connection of the
// pool, they must reach a connection that was already open, with its statements already prepared, as the
// server's reading connections are when the hourly refresh runs.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'

import { createClient } from '@libsql/client'

import { refreshPlannerStatistics } from '../../src/db/plannerStatistics'
import { firstRowReaderOf, poolSqliteTransactions } from '../../src/db/sqliteTransactions'

test('statistics gathered by one connection change the plans of a connection already open', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'greenroom-sqlite-'))
  const file = path.join(dir, 'db.sqlite')
  const client = createClient({ url: `file:${file}` })
  try {
    await client.execute('PRAGMA journal_mode = WAL')
    await client.execute('CREATE TABLE t (category integer, rank integer)')
    await client.execute('CREATE INDEX t_rank ON t (rank)')
    await client.execute('CREATE INDEX t_category ON t (category)')
    // As on a server that has analyzed before: sqlite_stat1 exists (its creation alone changes the schema).
    await client.execute('ANALYZE')
    poolSqliteTransactions(client, file, 50)
    // Half the rows in each category, a rank each: without statistics SQLite weighs both indexes alike
    // and takes the category's; with them it knows a rank is all but unique.
    await client.execute(
      'INSERT INTO t SELECT value % 2, value FROM (WITH RECURSIVE n(value) AS (SELECT 1 UNION ALL SELECT value + 1 FROM n WHERE value < 4000) SELECT value FROM n)',
    )
    const firstRow = firstRowReaderOf(client)!
    // A new statement each time: an EXPLAIN reads no table, so SQLite never prepares it again, unlike a
    // prepared query, which it prepares again when it finds the schema changed.
    const planOf = (limit: number) =>
      String(firstRow(`EXPLAIN QUERY PLAN SELECT * FROM t WHERE category = ? AND rank = ? LIMIT ${limit}`, [1, 1])?.[3])
    expect(firstRow('SELECT count(*) FROM t', [])).toEqual([4000])
    expect(planOf(1)).toMatch(/INDEX t_category/)

    await refreshPlannerStatistics(client)
    // Its next statement finds the schema changed and reloads it, with the statistics.
    expect(firstRow('SELECT count(*) FROM t', [])).toEqual([4000])
    expect(planOf(2)).toMatch(/INDEX t_rank/)
  } finally {
    client.close()
    fs.rmSync(dir, { recursive: true, force: true })
  }
})
