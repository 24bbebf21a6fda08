/**
 * Data steps of the migration that turns localization on (en, de). Drizzle's generated SQL creates
 * each `<table>_locales` table empty and drops the columns that move into it, which would lose every
 * existing title, text and label. These steps run between the two, inside the migration's
 * transaction: what was stored becomes the `en` (default locale) value. The same statements run on
 * SQLite and PostgreSQL.
 *
 * The lists are frozen: they describe the schema as this migration changes it (derived from the
 * snapshots before and after it), not whatever the config says later.
 */

export const DEFAULT_LOCALE = 'en'

/** Tables and the columns each hands over to its `_locales` table. */
export type MovedColumns = Readonly<Record<string, readonly string[]>>

/** Columns each table hands over to its `_locales` table, which has the same columns plus `_locale` and `_parent_id`. */
export const MOVED_TO_LOCALES: MovedColumns = {
  posts: ['title', 'content', 'excerpt', 'reading_time', 'meta_title', 'meta_description'],
  _posts_v: [
    'version_title',
    'version_content',
    'version_excerpt',
    'version_reading_time',
    'version_meta_title',
    'version_meta_description',
  ],
  pages: ['title', 'hero_rich_text', 'meta_title', 'meta_description'],
  _pages_v: ['version_title', 'version_hero_rich_text', 'version_meta_title', 'version_meta_description'],
  pages_hero_links: ['link_label'],
  pages_blocks_content_columns: ['rich_text', 'link_label'],
  pages_blocks_cta_links: ['link_label'],
  pages_blocks_cta: ['rich_text'],
  pages_blocks_archive: ['intro_content'],
  pages_blocks_form_block: ['intro_content'],
  _pages_v_version_hero_links: ['link_label'],
  _pages_v_blocks_content_columns: ['rich_text', 'link_label'],
  _pages_v_blocks_cta_links: ['link_label'],
  _pages_v_blocks_cta: ['rich_text'],
  _pages_v_blocks_archive: ['intro_content'],
  _pages_v_blocks_form_block: ['intro_content'],
  forms: ['submit_button_label', 'confirmation_message'],
  forms_emails: ['subject', 'message'],
  forms_blocks_checkbox: ['label'],
  forms_blocks_country: ['label'],
  forms_blocks_email: ['label'],
  forms_blocks_message: ['message'],
  forms_blocks_number: ['label'],
  forms_blocks_select: ['label', 'default_value'],
  forms_blocks_select_options: ['label'],
  forms_blocks_state: ['label'],
  forms_blocks_text: ['label', 'default_value'],
  forms_blocks_textarea: ['label', 'default_value'],
  search: ['title', 'excerpt'],
  header_nav_items: ['link_label'],
  footer_nav_items: ['link_label'],
  footer: ['copyright'],
  site_settings: ['site_name', 'description'],
}

/** Relationship rows that became per-locale: `mediaInRichText` lists the images of one language's rich text. */
export const LOCALIZED_RELATIONSHIPS: Readonly<Record<string, readonly string[]>> = {
  posts_rels: ['mediaInRichText'],
  _posts_v_rels: ['version.mediaInRichText'],
  pages_rels: ['mediaInRichText'],
  _pages_v_rels: ['version.mediaInRichText'],
}

/** Arrays that are localized as a whole (the nested-docs plugin's breadcrumbs) gain a `_locale` column. */
export const ARRAYS_GAINING_LOCALE = ['categories_breadcrumbs'] as const

type Run = (statement: string) => Promise<unknown>

const quoted = (identifier: string) => `"${identifier}"`
const columnList = (columns: readonly string[]) => columns.map(quoted).join(', ')

/** Before the old columns are dropped: every row's values become its `en` row. */
export const copyColumnsIntoDefaultLocale = async (run: Run, moved: MovedColumns = MOVED_TO_LOCALES) => {
  for (const [table, columns] of Object.entries(moved)) {
    await run(
      `INSERT INTO ${quoted(`${table}_locales`)} (${columnList(columns)}, "_locale", "_parent_id") ` +
        `SELECT ${columnList(columns)}, '${DEFAULT_LOCALE}', "id" FROM ${quoted(table)}`,
    )
  }
}

/** After the `locale` columns are added to the relationship tables. */
export const assignRelationshipsToDefaultLocale = async (run: Run) => {
  for (const [table, paths] of Object.entries(LOCALIZED_RELATIONSHIPS)) {
    const list = paths.map((path) => `'${path}'`).join(', ')
    await run(`UPDATE ${quoted(table)} SET "locale" = '${DEFAULT_LOCALE}' WHERE "path" IN (${list})`)
  }
}

/** Down: the `en` values go back into the re-added columns, before the `_locales` tables are dropped. */
export const copyDefaultLocaleBackIntoColumns = async (run: Run, moved: MovedColumns = MOVED_TO_LOCALES) => {
  for (const [table, columns] of Object.entries(moved)) {
    for (const column of columns) {
      await run(
        `UPDATE ${quoted(table)} SET ${quoted(column)} = (SELECT l.${quoted(column)} FROM ${quoted(`${table}_locales`)} l ` +
          `WHERE l."_parent_id" = ${quoted(table)}."id" AND l."_locale" = '${DEFAULT_LOCALE}')`,
      )
    }
  }
}

/** Down: other languages' relationship rows and breadcrumbs have nowhere to go once localization is off. */
export const dropOtherLocales = async (run: Run) => {
  for (const table of Object.keys(LOCALIZED_RELATIONSHIPS)) {
    await run(`DELETE FROM ${quoted(table)} WHERE "locale" IS NOT NULL AND "locale" <> '${DEFAULT_LOCALE}'`)
  }
  for (const table of ARRAYS_GAINING_LOCALE) {
    await run(`DELETE FROM ${quoted(table)} WHERE "_locale" <> '${DEFAULT_LOCALE}'`)
  }
}
