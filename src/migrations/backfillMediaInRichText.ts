import { MEDIA_IN_RICH_TEXT, mediaIdsInRichText } from '../fields/mediaInRichText'

import { jsonColumnValue } from './jsonColumn'

/** Raw SQL on the migration's own connection (inside its transaction), the same on SQLite and PostgreSQL. */
export type MigrationSql = {
  rows: (statement: string) => Promise<Record<string, unknown>[]>
  run: (statement: string) => Promise<unknown>
}

type Source = { relsTable: string; path: string; queries: string[] }

/**
 * Where rich text lived when `mediaInRichText` was added, and how each table reaches its document
 * (`parent`). Frozen at that schema: a data step that read through Payload's adapter would use the
 * current config's schema, which later migrations change (localization moved these columns into
 * `_locales` tables), and would fail on a database that applies both at once.
 */
const SOURCES: Source[] = [
  {
    relsTable: 'posts_rels',
    path: MEDIA_IN_RICH_TEXT,
    queries: ['SELECT "id" AS "parent", "content" AS "value" FROM "posts"'],
  },
  {
    relsTable: '_posts_v_rels',
    path: `version.${MEDIA_IN_RICH_TEXT}`,
    queries: ['SELECT "id" AS "parent", "version_content" AS "value" FROM "_posts_v"'],
  },
  ...(['pages', '_pages_v'] as const).map((table) => {
    const blocks = table === 'pages' ? 'pages_blocks' : '_pages_v_blocks'
    return {
      relsTable: `${table}_rels`,
      path: table === 'pages' ? MEDIA_IN_RICH_TEXT : `version.${MEDIA_IN_RICH_TEXT}`,
      queries: [
        `SELECT "id" AS "parent", "${table === 'pages' ? 'hero_rich_text' : 'version_hero_rich_text'}" AS "value" FROM "${table}"`,
        `SELECT b."_parent_id" AS "parent", c."rich_text" AS "value" FROM "${blocks}_content_columns" c ` +
          `JOIN "${blocks}_content" b ON c."_parent_id" = b."id"`,
        `SELECT "_parent_id" AS "parent", "rich_text" AS "value" FROM "${blocks}_cta"`,
        `SELECT "_parent_id" AS "parent", "intro_content" AS "value" FROM "${blocks}_archive"`,
        `SELECT "_parent_id" AS "parent", "intro_content" AS "value" FROM "${blocks}_form_block"`,
      ],
    }
  }),
]

const asInteger = (value: unknown): number | undefined => {
  const number = Number(value)
  return Number.isSafeInteger(number) ? number : undefined
}

/**
 * Data step of the migration that adds `mediaInRichText`: documents and versions saved before it
 * have images in their rich text that the new field does not list yet. Plain SQL, so no hook runs
 * and no version is added.
 */
export const backfillMediaInRichText = async (sql: MigrationSql) => {
  // An image deleted before the guard existed may still be named in rich text; it has nothing to point at.
  const existingMedia = new Set((await sql.rows('SELECT "id" FROM "media"')).map((row) => asInteger(row.id)))
  for (const { relsTable, path, queries } of SOURCES) {
    const richTextByParent = new Map<number, unknown[]>()
    for (const query of queries) {
      for (const row of await sql.rows(query)) {
        const parent = asInteger(row.parent)
        if (parent === undefined) continue
        richTextByParent.set(parent, [...(richTextByParent.get(parent) ?? []), jsonColumnValue(row.value)])
      }
    }
    for (const [parent, richTexts] of richTextByParent) {
      const mediaIds = [...mediaIdsInRichText(richTexts)].map(asInteger).filter((id) => existingMedia.has(id))
      for (const [index, mediaId] of mediaIds.entries()) {
        await sql.run(
          `INSERT INTO "${relsTable}" ("order", "parent_id", "path", "media_id") ` +
            `VALUES (${index + 1}, ${parent}, '${path}', ${mediaId})`,
        )
      }
    }
  }
}
