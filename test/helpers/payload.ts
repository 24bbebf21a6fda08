import type { Payload } from 'payload'
import { getPayload } from 'payload'

import { postgresMigrations, sqliteMigrations } from '../../src/db/databaseAdapter'
import type { User } from '../../src/payload-types'
import { richTextFromPlain } from '../../src/seed/lexical'
import { createTestDatabase } from './database'

export type Role = 'admin' | 'editor' | 'author'
export type TestUser = User & { collection: 'users' }

const MIGRATIONS = { sqlite: sqliteMigrations, postgres: postgresMigrations } as Record<string, unknown>

/**
 * Payload on this test file's own database: an SQLite file (test/setup/isolatedDatabase.ts) or a
 * new database on the server TEST_DATABASE names. SQL schemas come from the committed migrations,
 * as in production.
 */
export const initPayload = async (): Promise<Payload> => {
  const databaseUri = await createTestDatabase()
  if (databaseUri) process.env.DATABASE_URI = databaseUri
  // Imported after DATABASE_URI is final: the config picks its adapter when it is evaluated.
  const { default: config } = await import('@payload-config')
  const payload = await getPayload({ config })
  const migrations = MIGRATIONS[payload.db.name]
  // The committed migrations are typed for their own adapter; Payload's base type is generic.
  if (migrations) await payload.db.migrate({ migrations: migrations as never })
  return payload
}

let counter = 0

export const createUser = async (payload: Payload, role: Role, name = `${role} ${++counter}`): Promise<TestUser> => {
  const user = await payload.create({
    collection: 'users',
    overrideAccess: true,
    data: { email: `${role}-${Date.now()}-${++counter}@greenroom.test`, password: 'password-123456', name, role },
  })
  return { ...user, collection: 'users' }
}

/** The same person reaching the API with an API key: a reader, whatever their role. */
export const viaApiKey = (user: TestUser) => ({ ...user, _strategy: 'api-key' }) as TestUser

export const postData = (title: string, extra: Record<string, unknown> = {}) => ({
  title,
  content: richTextFromPlain(`${title} body text.`),
  ...extra,
})
