import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'

import { createClient } from '@libsql/client'
import Database from 'libsql'

import { reusePreparedStatements } from '../../src/db/libsqlStatementCache'

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'greenroom-statements-'))

beforeAll(() => reusePreparedStatements())
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }))

test('the same SQL on one connection reuses its prepared statement; another connection prepares its own', () => {
  const first = new Database(path.join(dir, 'a.db'))
  const second = new Database(path.join(dir, 'a.db'))
  first.exec('CREATE TABLE IF NOT EXISTS items (id INTEGER PRIMARY KEY, name TEXT)')
  const sql = 'SELECT name FROM items WHERE id = ?'
  expect(first.prepare(sql)).toBe(first.prepare(sql))
  expect(second.prepare(sql)).not.toBe(first.prepare(sql))
  first.close()
  second.close()
})

test('a reused statement gives each caller its own arguments and results, reads and writes alike', async () => {
  const client = createClient({ url: `file:${path.join(dir, 'b.db')}` })
  await client.execute('CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT)')
  for (let id = 1; id <= 50; id++) await client.execute({ sql: 'INSERT INTO items (id, name) VALUES (?, ?)', args: [id, `item ${id}`] })
  for (const id of [7, 42, 7, 13]) {
    const result = await client.execute({ sql: 'SELECT id, name FROM items WHERE id = ?', args: [id] })
    expect(result.rows.map((row) => ({ ...row }))).toEqual([{ id, name: `item ${id}` }])
  }
  const inserted = await client.execute({ sql: 'INSERT INTO items (id, name) VALUES (?, ?)', args: [51, 'item 51'] })
  expect(inserted.rowsAffected).toBe(1)
  expect(Number(inserted.lastInsertRowid)).toBe(51)
  // A statement that failed (a duplicate key) can run again with other arguments.
  await expect(client.execute({ sql: 'INSERT INTO items (id, name) VALUES (?, ?)', args: [51, 'again'] })).rejects.toThrow(/UNIQUE/)
  await client.execute({ sql: 'INSERT INTO items (id, name) VALUES (?, ?)', args: [52, 'item 52'] })
  expect((await client.execute('SELECT count(*) AS n FROM items')).rows[0].n).toBe(52)
  client.close()
})
