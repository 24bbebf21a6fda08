import config from '@payload-config'
import type { Payload } from 'payload'
import { getPayload } from 'payload'

import { sqliteMigrations } from '../../src/db/databaseAdapter'
import type { User } from '../../src/payload-types'
import { richTextFromPlain } from '../../src/seed/lexical'

export type Role = 'admin' | 'editor' | 'author'
export type TestUser = User & { collection: 'users' }

/**
 * Payload on this test file's own SQLite file (see test/setup/isolatedDatabase.ts), its schema
 * made by the committed migrations, as in production.
 */
export const initPayload = async (): Promise<Payload> => {
  const payload = await getPayload({ config })
  // The committed migrations are typed for the SQLite adapter; Payload's base type is generic.
  await payload.db.migrate({ migrations: sqliteMigrations as never })
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
