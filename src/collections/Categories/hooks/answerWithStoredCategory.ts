import type { CollectionAfterChangeHook, PayloadRequest } from 'payload'

import type { Category } from '../../../payload-types'

/**
 * The nested-docs plugin saves a new category a second time, to put its own id in its breadcrumbs,
 * after the create has built its answer. Without this the client would get the first save's
 * `updatedAt` (stale at once, so its next save with it is refused as a conflict) and breadcrumbs
 * without the id. Runs after the plugin's hooks.
 */
export const answerWithStoredCategory: CollectionAfterChangeHook = async ({ doc, operation, req }) => {
  if (operation !== 'create') return doc
  const stored = await req.payload.db.findOne<Category>({
    collection: 'categories',
    where: { id: { equals: doc.id } },
    req,
  })
  if (!stored) return doc
  return { ...doc, updatedAt: stored.updatedAt, breadcrumbs: inRequestLocale(stored.breadcrumbs, req) }
}

/**
 * The adapter returns a localized field (the plugin's breadcrumbs are) as `{ en: …, de: … }`; the
 * answer carries the language the request asked for, falling back to the default as reads do.
 */
const inRequestLocale = (value: unknown, req: PayloadRequest): unknown => {
  const localization = req.payload.config.localization
  if (!localization || !value || typeof value !== 'object' || Array.isArray(value) || req.locale === 'all') return value
  const byLocale = value as Record<string, unknown>
  return byLocale[req.locale ?? localization.defaultLocale] ?? byLocale[localization.defaultLocale] ?? null
}
