// The SQLite transaction pool (src/db/sqliteTransactions.ts) on a real file, with a second
// connection as the other process: a transaction whose BEGIN fails because that process holds the
// file must give this process's write turn back, even when nobody rolls it back (Payload's job
// runner does not); and a write refused by its lock must leave this process's reads current.
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'

import { createClient } from '@libsql/client'
import Database from 'libsql'

import { firstRowReaderOf, poolSqliteTransactions } from '../../src/db/sqliteTransactions'

/** A WAL file with one table, its client pooled with a 50 ms busy timeout, and a way to remove it. */
const pooledDatabase = async (table: string) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'greenroom-sqlite-'))
  const file = path.join(dir, 'db.sqlite')
  const client = createClient({ url: `file:${file}` })
  await client.execute('PRAGMA journal_mode = WAL')
  await client.execute(`CREATE TABLE t (${table})`)
  poolSqliteTransactions(client, file, 50)
  const remove = () => {
    client.close()
    fs.rmSync(dir, { recursive: true, force: true })
  }
  return { file, client, remove }
}

test('a BEGIN refused by another process holding the file leaves no write of this process waiting', async () => {
  const { file, client, remove } = await pooledDatabase('v integer')

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
  remove()
}, 20_000)

// libsql leaves a statement that failed with SQLITE_BUSY active, which kept its connection's snapshot
// (and, after a later write there, the write lock) for good: this process then never saw another
// process's rows, nor its own committed elsewhere, and the other process could no longer write.
test("a write refused by another process's lock leaves this process reading the file as it is, and the lock free", async () => {
  const { file, client, remove } = await pooledDatabase('id integer PRIMARY KEY, v text')
  const count = async () => Number((await client.execute('SELECT count(*) AS n FROM t')).rows[0]!.n)

  const other = new Database(file)
  other.exec('PRAGMA busy_timeout = 2000')
  const otherCount = () => Number((other.prepare('SELECT count(*) FROM t').raw(true).all() as unknown[][])[0][0])
  for (const refused of [
    () => client.execute({ sql: "UPDATE t SET v = 'mine' WHERE id = ? RETURNING id", args: [1] }),
    () => client.execute('DELETE FROM t WHERE id < 0'),
    () => client.batch(['INSERT INTO t (v) VALUES (1)', 'INSERT INTO t (v) VALUES (2)']),
  ]) {
    other.exec('BEGIN IMMEDIATE')
    other.exec("INSERT INTO t (v) VALUES ('other, while holding the lock')")
    await expect(refused()).rejects.toThrow(/locked|busy/i)
    expect(await count()).toBe(otherCount() - 1)
    other.exec('COMMIT')
    // Rows the other process commits afterwards, and this process's own writes, are seen at once.
    other.exec("INSERT INTO t (v) VALUES ('other, afterwards')")
    const before = otherCount()
    expect(await count()).toBe(before)
    await client.execute({ sql: 'INSERT INTO t (v) VALUES (?)', args: ['mine'] })
    expect(await count()).toBe(before + 1)
    // And this process holds no lock: the other one writes at once.
    other.exec("INSERT INTO t (v) VALUES ('other, once more')")
    expect(await count()).toBe(before + 2)
  }
  other.close()
  remove()
}, 20_000)

// The content version is read through this on every API request (src/changes/contentVersion.ts): its
// one prepared statement must start a new snapshot at every read, or a server would go on answering
// from a store that another process's commits should have retired.
test('the first-row reader sees every commit before it, from any process, and holds no snapshot', async () => {
  const { file, client, remove } = await pooledDatabase('key text PRIMARY KEY, data text')
  await client.execute({ sql: 'INSERT INTO t VALUES (?, ?)', args: ['version', '1'] })
  const firstRow = firstRowReaderOf(client)!
  const read = () => firstRow('SELECT data FROM t WHERE key = ?', ['version'])
  expect(read()).toEqual(['1'])
  expect(firstRow('SELECT data FROM t WHERE key = ?', ['none'])).toBeUndefined()

  // Another process commits.
  const script = [
    `const db = new (require('libsql'))(${JSON.stringify(file)})`,
    "db.exec('PRAGMA busy_timeout = 2000')",
    `db.prepare("UPDATE t SET data = '2' WHERE key = 'version'").run()`,
    'db.close()',
  ].join('; ')
  execFileSync(process.execPath, ['-e', script], { cwd: process.cwd() })
  expect(read()).toEqual(['2'])
  // This process commits, through Payload's way in.
  await client.execute({ sql: 'UPDATE t SET data = ? WHERE key = ?', args: ['3', 'version'] })
  expect(read()).toEqual(['3'])

  // No read is left active between reads: a checkpoint that must wait for every reader's snapshot is
  // not kept from finishing (busy 0), as a reader holding its snapshot would keep it (busy 1).
  const other = new Database(file)
  const checkpoint = () => other.prepare('PRAGMA wal_checkpoint(TRUNCATE)').raw(true).get() as number[]
  other.exec("UPDATE t SET data = '4' WHERE key = 'version'")
  expect(read()).toEqual(['4'])
  expect(checkpoint()[0]).toBe(0)
  other.exec('BEGIN')
  other.prepare('SELECT data FROM t').raw(true).get()
  const third = new Database(file)
  third.exec("UPDATE t SET data = '5' WHERE key = 'version'")
  expect(read()).toEqual(['5'])
  expect((third.prepare('PRAGMA wal_checkpoint(TRUNCATE)').raw(true).get() as number[])[0]).toBe(1)
  third.close()
  other.exec('COMMIT')
  other.close()

  remove()
  expect(read).toThrow(/closed/)
}, 20_000)

// A transaction's statement waits a turn of the event loop before it runs, so that other requests are
// answered between a publish's statements: its end must neither overtake it nor leave it to run later
// on a connection that by then belongs to someone else.
test('a commit asked while statements wait for their turn includes them; a rollback runs none of them', async () => {
  const { client, remove } = await pooledDatabase('v integer')

  const committed = await client.transaction('write')
  await committed.execute('INSERT INTO t VALUES (1)')
  // Asked and not awaited, as code running statements side by side does; the commit comes at once.
  const inFlight = [committed.execute('INSERT INTO t VALUES (2)'), committed.execute('INSERT INTO t VALUES (3)')]
  await committed.commit()
  await Promise.all(inFlight)
  expect((await client.execute('SELECT v FROM t ORDER BY v')).rows.map((row) => row.v)).toEqual([1, 2, 3])
  await expect(committed.execute('INSERT INTO t VALUES (4)')).rejects.toThrow(/ended/)

  const rolledBack = await client.transaction('write')
  await rolledBack.execute('INSERT INTO t VALUES (5)')
  const waiting = rolledBack.execute('INSERT INTO t VALUES (6)')
  const rollback = rolledBack.rollback()
  await expect(waiting).rejects.toThrow(/rolled back/)
  await rollback
  // The next transaction gets the connection back; nothing of the rolled-back one reaches it.
  const next = await client.transaction('write')
  await next.execute('INSERT INTO t VALUES (7)')
  await next.commit()
  expect((await client.execute('SELECT v FROM t ORDER BY v')).rows.map((row) => row.v)).toEqual([1, 2, 3, 7])

  remove()
}, 20_000)
