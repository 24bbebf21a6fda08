import type { Config, Payload, SanitizedConfig } from 'payload'
import { buildConfig, createLocalReq, getPayload } from 'payload'

import { sql } from '@payloadcms/db-sqlite'

import { closePayload } from '../../src/db/closePayload'
import { createDatabaseAdapter, parseDatabaseUri } from '../../src/db/databaseAdapter'
import { migrations as postgresMigrations } from '../../src/migrations/postgres'
import { migrations as sqliteMigrations } from '../../src/migrations/sqlite'
import type { MigrationSql } from '../../src/migrations/backfillMediaInRichText'
import { backfillMediaInRichText } from '../../src/migrations/backfillMediaInRichText'
import { seedDemoContent } from '../../src/seed'
import { isAuditLogPlugin } from '../../src/auditLog/plugin'
import { isLinkChecksPlugin } from '../../src/linkChecks'
import { isChangeLogPlugin } from '../../src/changes/plugin'
import { isDocumentRedirectsPlugin } from '../../src/redirects'
import { isObjectStoragePlugin } from '../../src/plugins/objectStorage'
import { copyPlain } from '../../src/utilities/copyPlain'
import { paragraph, richText } from '../../src/seed/lexical'
import { createTestDatabase, testDatabaseKind } from '../helpers/database'

const runsHere = testDatabaseKind() !== 'mongodb'
const suite = runsHere ? describe : describe.skip

const LOCALIZATION_MIGRATION = /_localization$/

type Doc = Record<string, any>
type Snapshot = {
  posts: Doc[]
  pages: Doc[]
  postVersions: Doc[]
  pageVersions: Doc[]
  categories: Doc[]
  forms: Doc[]
  search: Doc[]
  globals: Record<string, Doc>
}

const GLOBALS = ['header', 'footer', 'site-settings'] as const

type Drizzle = {
  all: (query: unknown) => Promise<Record<string, unknown>[]>
  run: (query: unknown) => Promise<unknown>
  execute: (query: unknown) => Promise<{ rows: Record<string, unknown>[] }>
}

/** Raw SQL on the adapter's connection, as migrations get it. */
const rawSql = (payload: Payload): MigrationSql => {
  const db = payload.db.drizzle as unknown as Drizzle
  return payload.db.name === 'postgres'
    ? {
        rows: async (statement) => (await db.execute(sql.raw(statement))).rows,
        run: (statement) => db.execute(sql.raw(statement)),
      }
    : { rows: (statement) => db.all(sql.raw(statement)), run: (statement) => db.run(sql.raw(statement)) }
}

const mediaInRichTextOf = (snapshot: Snapshot) =>
  [
    ...snapshot.posts,
    ...snapshot.pages,
    ...snapshot.postVersions.map((v) => v.version),
    ...snapshot.pageVersions.map((v) => v.version),
  ].map((doc) => doc.mediaInRichText)

/** Everything the migration touches, as the Local API returns it (ids only, no population). */
const snapshot = async (payload: Payload, locale?: string, fallbackLocale?: string | false): Promise<Snapshot> => {
  const options = { depth: 0, overrideAccess: true, pagination: false, sort: 'id', locale, fallbackLocale } as const
  const all = async (collection: 'posts' | 'pages' | 'categories' | 'forms' | 'search') =>
    (await payload.find({ collection, ...options, draft: false } as never)).docs as Doc[]
  const versions = async (collection: 'posts' | 'pages') =>
    (await payload.findVersions({ collection, ...options } as never)).docs as Doc[]
  const globals: Record<string, Doc> = {}
  for (const slug of GLOBALS)
    globals[slug] = (await payload.findGlobal({ slug, depth: 0, locale, fallbackLocale } as never)) as Doc
  return {
    posts: await all('posts'),
    pages: await all('pages'),
    postVersions: await versions('posts'),
    pageVersions: await versions('pages'),
    categories: await all('categories'),
    forms: await all('forms'),
    search: await all('search'),
    globals,
  }
}

const LOCALIZATION_BOOKKEEPING = new Set(['snapshot', 'publishedLocale'])
/** Link checks' index of a document's links came later: the schema of the migration's time has no such list. */
const ADDED_SINCE_ON_EVERY_DOCUMENT = new Set(['linkTargets'])

/**
 * For comparing reads before and after: drops the fields that only exist with localization (Payload's
 * per-locale publishing bookkeeping on versions), and empty values (a localized field without a
 * value reads as absent, an unlocalized one as null).
 */
const comparable = (value: unknown, isLexicalBlockFields = false): unknown => {
  if (Array.isArray(value)) return value.map((item) => comparable(item))
  if (!value || typeof value !== 'object') return value
  const isLexicalBlock = (value as { type?: unknown }).type === 'block'
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key, child]) => !LOCALIZATION_BOOKKEEPING.has(key) && !ADDED_SINCE_ON_EVERY_DOCUMENT.has(key) && child !== null && child !== undefined)
      // Payload gives a block inside rich text that was saved without an id a new random one on every read.
      .filter(([key]) => !(isLexicalBlockFields && key === 'id'))
      .map(([key, child]) => [key, comparable(child, isLexicalBlock && key === 'fields')]),
  )
}

/** Fields that later migrations added: the schema of the localization migration's time has none of them. */
const ADDED_SINCE: Record<string, string[]> = { media: ['uploadedBy', 'placeholder'] }
/** Image sizes that later migrations added (their columns do not exist yet). */
const IMAGE_SIZES_ADDED_SINCE = ['cardAvif', 'featureAvif']
const COLLECTIONS_ADDED_SINCE = ['build-hooks', 'build-deliveries', 'build-deploys']
const GLOBAL_FIELDS_ADDED_SINCE: Record<string, string[]> = {
  header: ['_status'],
  footer: ['_status'],
  'site-settings': ['urls', '_status'],
}

/** The config as it was when the localization migration was written: no localization, none of the later fields. */
const asBeforeLocalization = (config: Config): Config => ({
  ...config,
  localization: undefined,
  // The change log, automatic redirects, the audit log, link checks, object storage (its fields on media)
  // and the collections that publishing added came later too.
  plugins: [
    ...(config.plugins ?? []).filter(
      (plugin) =>
        !isChangeLogPlugin(plugin) &&
        !isDocumentRedirectsPlugin(plugin) &&
        !isAuditLogPlugin(plugin) &&
        !isLinkChecksPlugin(plugin) &&
        !isObjectStoragePlugin(plugin),
    ),
    (later) => ({
      ...later,
      collections: (later.collections ?? []).filter(({ slug }) => !COLLECTIONS_ADDED_SINCE.includes(slug)),
    }),
    // Plugins hand out field objects of their own (the form builder's blocks), shared with today's config:
    // sanitizing this one without localization would drop their `localized` there too.
    (later) => copyPlain(later),
  ],
  // The trash and drafts of globals came later too.
  collections: (config.collections ?? []).map((collection) => ({
    ...collection,
    trash: false,
    upload:
      collection.upload && typeof collection.upload === 'object'
        ? {
            ...collection.upload,
            imageSizes: collection.upload.imageSizes?.filter(({ name }) => !IMAGE_SIZES_ADDED_SINCE.includes(name!)),
          }
        : collection.upload,
    indexes: collection.indexes?.map((index) => ({ ...index, fields: index.fields.filter((field) => field !== 'deletedAt') })),
    fields: collection.fields.filter((field) => !('name' in field && ADDED_SINCE[collection.slug]?.includes(field.name))),
  })),
  globals: (config.globals ?? []).map((global) => ({
    ...global,
    versions: undefined,
    fields: global.fields.filter(
      (field) => !('name' in field && GLOBAL_FIELDS_ADDED_SINCE[global.slug]?.includes(field.name)),
    ),
  })),
})

/** A snapshot read with today's schema, without the global fields later migrations added (with their defaults). */
const withoutLaterFields = (taken: Snapshot): Snapshot => {
  const globals = Object.fromEntries(
    Object.entries(taken.globals).map(([slug, doc]) => [
      slug,
      Object.fromEntries(Object.entries(doc as Doc).filter(([key]) => !GLOBAL_FIELDS_ADDED_SINCE[slug]?.includes(key))),
    ]),
  )
  return { ...taken, globals } as Snapshot
}

suite('the localization migration', () => {
  let config: SanitizedConfig
  let withoutLocalization: SanitizedConfig
  let migrations: { name: string; down: (args: never) => Promise<void> }[]
  let index: number
  let before: Snapshot
  let backfilled: unknown[]
  let payload: Payload
  let closed = false
  // Kept outside beforeAll so a failure there still closes its connections (an open pool keeps jest alive).
  let old: Payload | undefined

  beforeAll(async () => {
    const databaseUri = await createTestDatabase()
    if (databaseUri) process.env.DATABASE_URI = databaseUri
    const configModule = await import('@payload-config')
    config = await configModule.default
    withoutLocalization = await buildConfig(
      copyPlain(asBeforeLocalization({ ...configModule.greenroomConfig, db: await createDatabaseAdapter(parseDatabaseUri(process.env.DATABASE_URI)) })),
    )
    migrations = (testDatabaseKind() === 'postgres' ? postgresMigrations : sqliteMigrations) as never[]
    index = migrations.findIndex(({ name }) => LOCALIZATION_MIGRATION.test(name))
    expect(index).toBeGreaterThan(0)

    // The database as it was before: the migrations up to this one, and the demo content written by
    // Payload without localization (the schema those migrations describe).
    old = await getPayload({ config: withoutLocalization, key: 'before-localization' })
    await old.db.migrate({ migrations: migrations.slice(0, index) as never[] })
    await seedDemoContent(old)
    // A published post with a newer, unpublished draft: its text lives in the versions table only.
    const [welcome] = (
      await old.find({ collection: 'posts', where: { slug: { equals: 'welcome-to-greenroom' } }, depth: 0 })
    ).docs
    await old.update({
      collection: 'posts',
      id: welcome.id,
      draft: true,
      data: { title: 'Welcome (draft edit)', content: richText(paragraph('An unpublished edit.')), _status: 'draft' },
    })
    before = await snapshot(old)
    // The older migration's data step, run again on the same content with its lists emptied, must
    // find the same images (it reads the tables of its own time with plain SQL).
    const sqlOnOld = rawSql(old)
    for (const table of ['posts_rels', '_posts_v_rels', 'pages_rels', '_pages_v_rels']) {
      await sqlOnOld.run(`DELETE FROM "${table}" WHERE "path" IN ('mediaInRichText', 'version.mediaInRichText')`)
    }
    await backfillMediaInRichText(sqlOnOld)
    backfilled = mediaInRichTextOf(await snapshot(old))
    await closePayload(old)
    old = undefined

    payload = await getPayload({ config, key: 'after-localization' })
    await payload.db.migrate({ migrations: migrations as never[] })
  }, 180_000)

  afterAll(async () => {
    if (old) await closePayload(old)
    if (payload && !closed) await closePayload(payload)
  })

  test('the seeded database has what the migration must carry over', () => {
    expect(before.posts.length).toBeGreaterThanOrEqual(5)
    expect(before.postVersions.some((version) => version.version.title === 'Welcome (draft edit)')).toBe(true)
    expect(before.pages.some((page) => page.layout.some((block: Doc) => block.blockType === 'content'))).toBe(true)
    expect(before.categories.some((category) => category.breadcrumbs?.length > 1)).toBe(true)
    expect(before.globals.header.navItems.length).toBeGreaterThan(0)
    expect(before.search.length).toBeGreaterThan(0)
    expect(before.forms.length).toBeGreaterThan(0)
  })

  test('the backfill of the older mediaInRichText migration finds every image the hooks listed', () => {
    const listed = mediaInRichTextOf(before)
    expect(listed.flat().length).toBeGreaterThan(0)
    expect(backfilled).toEqual(listed)
  })

  test('every stored value is now the English one: documents, versions, blocks, arrays, globals', async () => {
    expect(comparable(withoutLaterFields(await snapshot(payload, 'en')))).toEqual(comparable(before))
  })

  test('German falls back to English where nothing is translated', async () => {
    // Links' `href` and documents' `path` are computed German addresses (/de/…), by design; the stored
    // values are what must fall back.
    const withoutHrefs = (taken: Snapshot) =>
      JSON.parse(JSON.stringify(taken, (key, value) => (key === 'href' || key === 'path' ? undefined : value)))
    expect(comparable(withoutHrefs(withoutLaterFields(await snapshot(payload, 'de'))))).toEqual(comparable(withoutHrefs(before)))
  })

  test('without fallback, German has no texts yet, and the rest is shared', async () => {
    const german = await snapshot(payload, 'de', 'none')
    const post = german.posts.find((doc) => doc.slug === 'fetching-content-at-build-time')!
    expect(post.title ?? null).toBeNull()
    expect(post.content ?? null).toBeNull()
    expect(post.slug).toBe('fetching-content-at-build-time')
    expect(post.categories).toEqual(before.posts.find((doc) => doc.id === post.id)!.categories)
    expect(german.globals.header.navItems.every((item: Doc) => (item.link.label ?? null) === null)).toBe(true)
  })

  test('a German translation can be saved and read back, and English stays as it was', async () => {
    const page = before.pages.find((doc) => doc.slug === 'about')!
    const translated = await payload.update({
      collection: 'pages',
      id: page.id,
      locale: 'de',
      data: { title: 'Über uns', hero: { ...page.hero, richText: richText(paragraph('Wer wir sind')) } } as never,
    })
    expect(translated.title).toBe('Über uns')
    const german = await payload.findByID({ collection: 'pages', id: page.id, locale: 'de', depth: 0 })
    expect(german.title).toBe('Über uns')
    expect(german.hero.richTextText).toBe('Wer wir sind')
    expect(german.slug).toBe('about')
    // Untranslated blocks fall back to English.
    expect(comparable(german.layout)).toEqual(comparable(page.layout))
    const english = await payload.findByID({ collection: 'pages', id: page.id, locale: 'en', depth: 0 })
    expect(english.title).toBe(page.title)
    expect(english.hero.richText).toEqual(page.hero.richText)
  })

  test('rolled back, the English values return to their columns and the German ones are dropped', async () => {
    // This migration and the ones after it, newest first, as `payload migrate:down` would.
    // From a Payload of its own, as `payload migrate:down` runs in a process of its own.
    await closePayload(payload)
    closed = true
    const rollingBack = await getPayload({ config, key: 'rolling-back' })
    try {
      for (const migration of migrations.slice(index).reverse()) {
        await migration.down({ db: rollingBack.db.drizzle, payload: rollingBack, req: await createLocalReq({}, rollingBack) } as never)
        await rollingBack.delete({ collection: 'payload-migrations', where: { name: { equals: migration.name } } })
      }
    } finally {
      await closePayload(rollingBack)
    }

    const rolledBack = await getPayload({ config: withoutLocalization, key: 'rolled-back' })
    try {
      const after = await snapshot(rolledBack)
      const { pages, pageVersions, search, ...rest } = after
      const { pages: pagesBefore, pageVersions: _, search: searchBefore, ...restBefore } = before
      expect(comparable(rest)).toEqual(comparable(restBefore))
      // The about page was translated above (which also re-synced its search row): its English title
      // is back, the German one is gone.
      expect(pages.map((page) => page.title)).toEqual(pagesBefore.map((page) => page.title))
      expect(search.map((row) => row.title)).toEqual(searchBefore.map((row) => row.title))
      expect(pageVersions.some((version) => version.version.title === 'Über uns')).toBe(false)
    } finally {
      await closePayload(rolledBack)
    }
  })
})
