import type { RequestHandler } from 'express'

type Localization = { localeCodes: string[] } | false | undefined

const NO_FALLBACK = ['none', 'false', 'null']
const EVERY_LOCALE = ['all', '*']

/** What is wrong with a request's `locale` and `fallback-locale` parameters, or null. */
export const localeProblem = (query: Record<string, unknown>, localeCodes: string[]): string | null => {
  const known = `${localeCodes.join(', ')}`
  const locale = query.locale
  if (locale !== undefined) {
    if (typeof locale !== 'string') return 'Give one locale.'
    if (!localeCodes.includes(locale) && !EVERY_LOCALE.includes(locale)) {
      return `Unknown locale "${locale.slice(0, 40)}": use one of ${known}, or "all".`
    }
  }
  for (const name of ['fallback-locale', 'fallbackLocale']) {
    const fallback = query[name]
    if (fallback === undefined) continue
    if (typeof fallback !== 'string') return `Give one ${name}.`
    if (!localeCodes.includes(fallback) && !NO_FALLBACK.includes(fallback)) {
      return `Unknown ${name} "${fallback.slice(0, 40)}": use one of ${known}, or "none".`
    }
  }
  return null
}

/**
 * Payload answers a request for a locale it does not know with the default locale's content, so a
 * typo (`?locale=dee`) would quietly give a German site English pages. API requests naming an
 * unknown locale or fallback locale are refused with 400 instead.
 */
export const rejectUnknownLocale =
  (localization: Localization): RequestHandler =>
  (req, res, next) => {
    if (!localization || !req.path.startsWith('/api/')) return next()
    const problem = localeProblem(req.query as Record<string, unknown>, localization.localeCodes)
    if (!problem) return next()
    res.status(400).json({ errors: [{ message: problem }] })
  }
