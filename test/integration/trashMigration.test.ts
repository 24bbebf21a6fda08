// Upgrading to the issue14_trash migration (globals get drafts, posts and pages the trash): a site's
// existing header, footer line and site settings stay published, so readers still see them after the
// upgrade. The database is made at the previous migration, its globals written with plain SQL (the
// tables of that time), then migrated. SQLite and PostgreSQL (TEST_DATABASE=postgres).
import type { Payload } from 'payload'
import { getPayload } from 'payload'

import { closePayload } from '../../src/db/closePayload'
import { migrations as postgresMigrations } from '../../src/migrations/postgres'
import { migrations as sqliteMigrations } from '../../src/migrations/sqlite'
import { createTestDatabase, testDatabaseKind } from '../helpers/database'
import { runSql } from '../helpers/payload'

const runsHere = testDatabaseKind() !== 'mongodb'
const suite = runsHere ? describe : describe.skip

const THEN = '2026-11-30T10:00:00.000Z'

suite('the issue14_trash migration', () => {
  let payload: Payload

  beforeAll(async () => {
    const databaseUri = await createTestDatabase()
    if (databaseUri) process.env.DATABASE_URI = databaseUri
    const { default: config } = await import('@payload-config')
    payload = await getPayload({ config })
    const migrations = (testDatabaseKind() === 'postgres' ? postgresMigrations : sqliteMigrations) as never[]
    const index = migrations.findIndex(({ name }: { name: string }) => name.endsWith('_issue14_trash'))
    expect(index).toBeGreaterThan(0)
    await payload.db.migrate({ migrations: migrations.slice(0, index) })

    // The globals as a site had them before the upgrade.
    for (const statement of [
      `INSERT INTO "header" ("id", "updated_at", "created_at") VALUES (1, '${THEN}', '${THEN}')`,
      `INSERT INTO "header_nav_items" ("_order", "_parent_id", "id", "link_type", "link_url") VALUES (1, 1, 'row-1', 'custom', 'https://old.example/')`,
      `INSERT INTO "header_nav_items_locales" ("link_label", "_locale", "_parent_id") VALUES ('Old home', 'en', 'row-1')`,
      `INSERT INTO "footer" ("id", "updated_at", "created_at") VALUES (1, '${THEN}', '${THEN}')`,
      `INSERT INTO "footer_locales" ("copyright", "_locale", "_parent_id") VALUES ('© Old site', 'en', 1)`,
      `INSERT INTO "site_settings" ("id", "base_url", "updated_at", "created_at") VALUES (1, 'https://old.example', '${THEN}', '${THEN}')`,
      `INSERT INTO "site_settings_locales" ("site_name", "_locale", "_parent_id") VALUES ('Old site', 'en', 1)`,
      `INSERT INTO "site_settings_social_links" ("_order", "_parent_id", "id", "platform", "url") VALUES (1, 1, 'social-1', 'rss', 'https://old.example/rss.xml')`,
    ]) {
      await runSql(payload, statement)
    }
    await payload.db.migrate({ migrations })
  }, 180_000)

  afterAll(async () => {
    if (payload) await closePayload(payload)
  })

  test('readers still see the header, footer and site settings, published', async () => {
    const read = (slug: 'header' | 'footer' | 'site-settings') =>
      payload.findGlobal({ slug, depth: 0, overrideAccess: false }) as Promise<Record<string, any>>
    const header = await read('header')
    expect(header._status).toBe('published')
    expect(header.navItems.map((item: any) => item.link.label)).toEqual(['Old home'])
    expect((await read('footer')).copyright).toBe('© Old site')
    const settings = await read('site-settings')
    expect(settings).toMatchObject({ _status: 'published', siteName: 'Old site', baseUrl: 'https://old.example' })
    expect(settings.socialLinks).toEqual([expect.objectContaining({ platform: 'rss', url: 'https://old.example/rss.xml' })])
  })

  test('after the upgrade a draft of the header stays unseen until published', async () => {
    await payload.updateGlobal({
      slug: 'header',
      draft: true,
      overrideAccess: true,
      data: { navItems: [{ link: { type: 'custom', url: 'https://new.example/', label: 'New home' } }] } as never,
    })
    const header = (await payload.findGlobal({ slug: 'header', depth: 0, overrideAccess: false })) as Record<string, any>
    expect(header.navItems.map((item: any) => item.link.label)).toEqual(['Old home'])
  })
})
