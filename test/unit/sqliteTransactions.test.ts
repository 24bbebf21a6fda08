// The SQLite transaction pool (src/db/sqliteTransactions.ts) on a real file: a transaction whose
// BEGIN fails because another process holds the file must give this process's write turn back,
// even when nobody rolls it back (Payload's job runner does not).
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'

import { createClient } from '@libsql/client'
import Database from 'libsql'

import { poolSqliteTransactions } from '../../src/db/sqliteTransactions'

test('a BEGIN refused by another process holding the file leaves no write of this process waiting', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'greenroom-sqlite-turns-'))
  const file = path.join(dir, 'db.sqlite')
  const client = createClient({ url: `file:${file}` })
  await client.execute('PRAGMA journal_mode = WAL')
  await client.execute('CREATE TABLE t (v integer)')
  poolSqliteTransactions(client, file, 50)

  // "Another server": a second connection holding the write lock.
  const other = new Database(file)
  other.exec('BEGIN IMMEDIATE')
  const refused = await client.transaction('write')
  await expect(refused.execute('INSERT INTO t VALUES (1)')).rejects.toThrow(/locked|busy/i)
  other.exec('ROLLBACK')
  other.close()

  // Nobody rolls `refused` back; this process's next writes still get their turn at once.
  await client.execute('INSERT INTO t VALUES (2)')
  const next = await client.transaction('write')
  await next.execute('INSERT INTO t VALUES (3)')
  await next.commit()
  expect((await client.execute('SELECT v FROM t ORDER BY v')).rows.map((row) => row.v)).toEqual([2, 3])
  // A late rollback of the refused one touches nothing.
  await refused.rollback()
  expect((await client.execute('SELECT count(*) AS n FROM t')).rows[0]!.n).toBe(2)
  client.close()
  fs.rmSync(dir, { recursive: true, force: true })
}, 20_000)
