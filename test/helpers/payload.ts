import type { Payload } from 'payload'
import { getPayload } from 'payload'

import { sql } from '@payloadcms/db-sqlite'

import { migrations as postgresMigrations } from '../../src/migrations/postgres'
import { migrations as sqliteMigrations } from '../../src/migrations/sqlite'
import type { User } from '../../src/payload-types'
import { makeDemoImage } from '../../src/seed/images'
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

/** A post with the default body, published or as a draft, written past access control. */
export const createPost = (
  payload: Payload,
  title: string,
  status: 'published' | 'draft',
  extra: Record<string, unknown> = {},
) =>
  payload.create({
    collection: 'posts',
    overrideAccess: true,
    draft: status === 'draft',
    data: { ...postData(title), _status: status, ...extra } as never,
  })

/** A small real PNG (through sharp, with its image sizes) in the media collection. */
export const uploadDemoImage = async (payload: Payload, name: string, alt: string) => {
  const image = await makeDemoImage(name, alt, ['#234', '#a52'], { width: 320, height: 200 })
  return payload.create({
    collection: 'media',
    overrideAccess: true,
    data: { alt },
    file: { data: image.data, mimetype: 'image/png', name: image.name, size: image.data.length },
  })
}

type Drizzle = { run: (query: unknown) => Promise<unknown>; execute: (query: unknown) => Promise<unknown> }

/** Raw SQL on a SQL database, past Payload (to set up rows as an older schema or a script left them). */
export const runSql = (payload: Payload, statement: string) => {
  const db = payload.db.drizzle as unknown as Drizzle
  return payload.db.name === 'postgres' ? db.execute(sql.raw(statement)) : db.run(sql.raw(statement))
}
