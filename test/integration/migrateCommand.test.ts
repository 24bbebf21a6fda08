import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'

import { migrations as postgresMigrations } from '../../src/migrations/postgres'
import { migrations as sqliteMigrations } from '../../src/migrations/sqlite'
import { createTestDatabase, testDatabaseKind } from '../helpers/database'
import { npmRun } from '../helpers/npm'

const runsHere = testDatabaseKind() !== 'mongodb'
const suite = runsHere ? describe : describe.skip

suite('npm run migrate', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'greenroom-migrate-'))
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }))

  test('applies the committed migrations to an empty database, lists them, and finds nothing to do the second time', async () => {
    const databaseUri = (await createTestDatabase()) ?? `file:${path.join(dir, 'migrated.db')}`
    const env = { DATABASE_URI: databaseUri, PAYLOAD_SECRET: 'test-secret-0123456789abcdef0123456789abcdef' }
    const names = (testDatabaseKind() === 'postgres' ? postgresMigrations : sqliteMigrations).map(({ name }) => name)

    for (const attempt of ['first', 'second']) {
      const run = await npmRun('migrate', [], env)
      expect({ attempt, code: run.code, stderr: run.stderr }).toMatchObject({ attempt, code: 0 })
      for (const name of names) expect(run.stdout).toContain(`applied  ${name}`)
      expect(run.stdout).toMatch(new RegExp(`database is up to date \\(${names.length} migrations\\)`))
    }
  }, 120_000)
})
