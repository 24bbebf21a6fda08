// Alt text and captions per language: the migration that moves existing texts into English
// (src/migrations/localizeMediaText.ts) and back, and every reader of an image getting the
// language it asked for, with English where a language has none.
import type { Payload } from 'payload'
import { getPayload } from 'payload'
import sharp from 'sharp'

import { sql } from '@payloadcms/db-sqlite'

import { closePayload } from '../../src/db/closePayload'
import { migrations as postgresMigrations } from '../../src/migrations/postgres'
import { migrations as sqliteMigrations } from '../../src/migrations/sqlite'
import { paragraph, richText, upload } from '../../src/seed/lexical'
import { createTestDatabase, testDatabaseKind } from '../helpers/database'
import { migrateDown } from '../helpers/migrations'

const runsHere = testDatabaseKind() !== 'mongodb'
const suite = runsHere ? describe : describe.skip

const MEDIA_TEXT_MIGRATION = /_issue16_localized$/

type Migration = { name: string; down: (args: never) => Promise<void> }
type Drizzle = {
  all: (query: unknown) => Promise<Record<string, unknown>[]>
  run: (query: unknown) => Promise<unknown>
  execute: (query: unknown) => Promise<{ rows: Record<string, unknown>[] }>
}
type MediaDoc = { id: number; alt?: string | null; caption?: string | null }

let payload: Payload
let migrations: Migration[]
let index: number
const before: Record<string, number> = {}

const rows = async (statement: string) => {
  const db = payload.db.drizzle as unknown as Drizzle
  return payload.db.name === 'postgres' ? (await db.execute(sql.raw(statement))).rows : db.all(sql.raw(statement))
}
const run = async (statement: string) => {
  const db = payload.db.drizzle as unknown as Drizzle
  await (payload.db.name === 'postgres' ? db.execute(sql.raw(statement)) : db.run(sql.raw(statement)))
}

const image = (background: string) => sharp({ create: { width: 400, height: 300, channels: 3, background } }).png().toBuffer()

const uploadImage = async (name: string, data: Record<string, unknown>, locale = 'en') => {
  const file = await image('#2060a0')
  return (await payload.create({
    collection: 'media',
    overrideAccess: true,
    locale,
    data,
    file: { data: file, mimetype: 'image/png', name, size: file.length },
  } as never)) as unknown as MediaDoc
}

const read = async (id: number, locale: string, fallbackLocale?: 'none') =>
  (await payload.findByID({ collection: 'media', id, depth: 0, locale, fallbackLocale } as never)) as unknown as MediaDoc

suite('alt text and captions per language', () => {
  beforeAll(async () => {
    const databaseUri = await createTestDatabase()
    if (databaseUri) process.env.DATABASE_URI = databaseUri
    const { default: config } = await import('@payload-config')
    payload = await getPayload({ config })
    migrations = (payload.db.name === 'postgres' ? postgresMigrations : sqliteMigrations) as never[]
    index = migrations.findIndex(({ name }) => MEDIA_TEXT_MIGRATION.test(name))
    expect(index).toBeGreaterThan(0)
    // The schema just before: alt and caption are columns of `media`. Rows written as that schema had them.
    await payload.db.migrate({ migrations: migrations.slice(0, index) as never })
    await run(`INSERT INTO "media" ("alt", "caption", "filename", "mime_type") VALUES ('A harbour at dawn', 'Taken from the pier', 'harbour.png', 'image/png')`)
    await run(`INSERT INTO "media" ("alt", "filename", "mime_type") VALUES ('A plain square', 'square.png', 'image/png')`)
    for (const row of await rows(`SELECT "id", "filename" FROM "media"`)) before[String(row.filename)] = Number(row.id)
    await payload.db.migrate({ migrations: migrations as never })
  }, 180_000)

  afterAll(async () => {
    if (payload) await closePayload(payload)
  })

  test('the migration makes every stored alt text and caption the English one; German falls back to it', async () => {
    expect(await read(before['harbour.png'], 'en')).toMatchObject({ alt: 'A harbour at dawn', caption: 'Taken from the pier' })
    expect(await read(before['square.png'], 'en')).toMatchObject({ alt: 'A plain square' })
    expect((await read(before['square.png'], 'en')).caption ?? null).toBeNull()
    expect(await read(before['harbour.png'], 'de')).toMatchObject({ alt: 'A harbour at dawn', caption: 'Taken from the pier' })
    const untranslated = await read(before['harbour.png'], 'de', 'none')
    expect([untranslated.alt ?? null, untranslated.caption ?? null]).toEqual([null, null])
    const stored = await rows(`SELECT "_locale", "alt", "caption" FROM "media_locales" WHERE "_parent_id" = ${before['harbour.png']}`)
    expect(stored).toEqual([{ _locale: 'en', alt: 'A harbour at dawn', caption: 'Taken from the pier' }])
  })

  test('a German alt text and caption are saved beside the English ones', async () => {
    const doc = await uploadImage('lighthouse.png', { alt: 'A lighthouse', caption: 'The old light' })
    await payload.update({
      collection: 'media',
      id: doc.id,
      locale: 'de',
      overrideAccess: true,
      data: { alt: 'Ein Leuchtturm', caption: 'Das alte Feuer' },
    } as never)
    expect(await read(doc.id, 'de')).toMatchObject({ alt: 'Ein Leuchtturm', caption: 'Das alte Feuer' })
    expect(await read(doc.id, 'en')).toMatchObject({ alt: 'A lighthouse', caption: 'The old light' })
    // A German alt text alone: the caption falls back to English.
    await payload.update({ collection: 'media', id: before['harbour.png'], locale: 'de', overrideAccess: true, data: { alt: 'Ein Hafen' } } as never)
    expect(await read(before['harbour.png'], 'de')).toMatchObject({ alt: 'Ein Hafen', caption: 'Taken from the pier' })
  })

  test("a post's rich-text HTML and its hero image carry the alt text of the language read", async () => {
    const doc = await uploadImage('bridge.png', { alt: 'A bridge', caption: 'Over the river' })
    await payload.update({ collection: 'media', id: doc.id, locale: 'de', overrideAccess: true, data: { alt: 'Eine Brücke', caption: 'Über den Fluss' } } as never)
    const post = await payload.create({
      collection: 'posts',
      overrideAccess: true,
      data: { title: 'Bridges', content: richText(paragraph('Across.'), upload(doc.id)), heroImage: doc.id, _status: 'published' },
    } as never)
    const readPost = async (locale: string) =>
      (await payload.findByID({ collection: 'posts', id: post.id, depth: 1, locale } as never)) as unknown as {
        contentHtml: string
        heroImage: MediaDoc
      }
    const german = await readPost('de')
    expect(german.heroImage.alt).toBe('Eine Brücke')
    expect(german.contentHtml).toContain('alt="Eine Brücke"')
    expect(german.contentHtml).toContain('<figcaption>Über den Fluss</figcaption>')
    const english = await readPost('en')
    expect(english.heroImage.alt).toBe('A bridge')
    expect(english.contentHtml).toContain('alt="A bridge"')
    expect(english.contentHtml).not.toContain('Brücke')
  })

  test('an alt text is still required in the language an upload is made in', async () => {
    const file = await image('#a02060')
    await expect(
      payload.create({
        collection: 'media',
        overrideAccess: true,
        locale: 'de',
        data: { caption: 'Nur eine Bildunterschrift' },
        file: { data: file, mimetype: 'image/png', name: 'no-alt.png', size: file.length },
      } as never),
    ).rejects.toThrow(/alt/i)
  })

  test('rolled back, English texts return to their columns; a file described only in German keeps its German alt text', async () => {
    const germanOnly = await uploadImage('nur-deutsch.png', { alt: 'Nur auf Deutsch', caption: 'Bildunterschrift' }, 'de')
    await migrateDown(payload, migrations.slice(index))
    const columns = async (id: number) => (await rows(`SELECT "alt", "caption" FROM "media" WHERE "id" = ${id}`))[0]
    expect(await columns(before['harbour.png'])).toEqual({ alt: 'A harbour at dawn', caption: 'Taken from the pier' })
    expect(await columns(before['square.png'])).toEqual({ alt: 'A plain square', caption: null })
    expect(await columns(germanOnly.id)).toEqual({ alt: 'Nur auf Deutsch', caption: null })
    const tables = await rows(
      payload.db.name === 'postgres'
        ? `SELECT table_name AS name FROM information_schema.tables WHERE table_name = 'media_locales'`
        : `SELECT name FROM sqlite_master WHERE name = 'media_locales'`,
    )
    expect(tables).toEqual([])
    // And up again, as `payload migrate` would after a rollback.
    await payload.db.migrate({ migrations: migrations as never })
    expect(await read(before['harbour.png'], 'en')).toMatchObject({ alt: 'A harbour at dawn' })
    expect(await read(germanOnly.id, 'en')).toMatchObject({ alt: 'Nur auf Deutsch' })
  })
})
