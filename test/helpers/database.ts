import crypto from 'node:crypto'

import pg from 'pg'

/**
 * Which database the suite runs on: TEST_DATABASE=sqlite (default), postgres (needs
 * TEST_POSTGRES_URI, see scripts/services.sh) or mongodb (needs MONGODB_TEST_URI).
 * Every test file and every test server gets a database of its own.
 */
export type TestDatabaseKind = 'sqlite' | 'postgres' | 'mongodb'

export const testDatabaseKind = (): TestDatabaseKind => {
  const kind = process.env.TEST_DATABASE || 'sqlite'
  if (kind !== 'sqlite' && kind !== 'postgres' && kind !== 'mongodb') {
    throw new Error(`TEST_DATABASE="${kind}" is not one of sqlite, postgres, mongodb`)
  }
  return kind
}

const uniqueName = () => `greenroom_test_${process.pid}_${crypto.randomBytes(4).toString('hex')}`

const requireEnv = (name: string) => {
  const value = process.env[name]
  if (!value) throw new Error(`TEST_DATABASE=${process.env.TEST_DATABASE} needs ${name} (see scripts/services.sh and the README).`)
  return value
}

/** A new, empty database on the configured server; undefined for SQLite (callers use a file). */
export const createTestDatabase = async (): Promise<string | undefined> => {
  const kind = testDatabaseKind()
  if (kind === 'sqlite') return undefined
  const name = uniqueName()
  if (kind === 'postgres') {
    const serverUri = requireEnv('TEST_POSTGRES_URI')
    const client = new pg.Client({ connectionString: serverUri })
    await client.connect()
    try {
      await client.query(`CREATE DATABASE "${name}"`)
    } finally {
      await client.end()
    }
    const url = new URL(serverUri)
    url.pathname = `/${name}`
    return url.toString()
  }
  // MongoDB creates a database on first write.
  const url = new URL(requireEnv('MONGODB_TEST_URI'))
  url.pathname = `/${name}`
  return url.toString()
}
