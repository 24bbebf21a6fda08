/**
 * Data steps of the migration that makes media alt text and captions per language
 * (`*_issue16_localized`). As with the first localization (localizeExistingContent.ts), the generated
 * SQL creates `media_locales` empty and drops the columns, which would lose every alt text: what was
 * stored becomes the `en` value in between. Frozen to the schema this migration changes.
 */
import { copyColumnsIntoDefaultLocale, DEFAULT_LOCALE, type MovedColumns } from './localizeExistingContent'

export const MEDIA_TEXT: MovedColumns = { media: ['alt', 'caption'] }

type Run = (statement: string) => Promise<unknown>

/** Up, after `media_locales` exists and before `alt` and `caption` leave `media`. */
export const copyMediaTextIntoDefaultLocale = (run: Run) => copyColumnsIntoDefaultLocale(run, MEDIA_TEXT)

/**
 * Down, after the columns are back (nullable) and before `media_locales` goes: each file gets its
 * English texts. A file described only in another language keeps that language's alt text, so that
 * `alt` can be required again; its caption, which nothing requires, is not mixed in from another language.
 */
export const copyMediaTextBackIntoColumns = async (run: Run) => {
  const fromLocales = (column: string, where: string) =>
    `(SELECT l."${column}" FROM "media_locales" l WHERE l."_parent_id" = "media"."id" ${where} ORDER BY l."_locale" LIMIT 1)`
  const english = `AND l."_locale" = '${DEFAULT_LOCALE}'`
  await run(
    `UPDATE "media" SET ` +
      `"alt" = COALESCE(${fromLocales('alt', english)}, ${fromLocales('alt', 'AND l."alt" IS NOT NULL')}, ''), ` +
      `"caption" = ${fromLocales('caption', english)}`,
  )
}
