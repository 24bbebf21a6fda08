import type { ReaderPolicy } from './policy'

/**
 * Problems with the paging and population arguments of one operation, whoever asks: `depth`,
 * `limit` and `page` are whole numbers (Payload passes on anything else it cannot read as a number,
 * and a `limit` that is not one used to return every document), `page` counts from 1. A reader
 * (`policy` given) is also held to the policy's caps. Values come as Payload parsed them: REST's
 * query string as numbers or the raw strings and objects Payload could not read, GraphQL's as Ints.
 */
export const pagingProblem = (
  args: { depth?: unknown; limit?: unknown; page?: unknown; pagination?: unknown },
  policy: ReaderPolicy | undefined,
): string | null => {
  const { depth, limit, page, pagination } = args
  for (const [name, value, least] of [
    ['depth', depth, 0],
    ['limit', limit, 0],
    ['page', page, 1],
  ] as const) {
    if (value === undefined) continue
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < least) {
      return `${name} must be a whole number of at least ${least}; got ${describe(value)}.`
    }
  }
  if (!policy) return null
  if (typeof depth === 'number' && depth > policy.maxDepth) {
    return `depth ${depth} is deeper than the ${policy.maxDepth} levels readers may ask for.`
  }
  if (pagination === false || limit === 0) {
    return `Reading every document at once is not allowed; ask for pages of up to ${policy.maxLimit} (limit and page).`
  }
  if (typeof limit === 'number' && limit > policy.maxLimit) {
    return `limit ${limit} is more than the ${policy.maxLimit} documents per page readers may ask for.`
  }
  if (typeof page === 'number' && page > policy.maxPage) {
    return `page ${page} is past the ${policy.maxPage} pages readers may ask for; narrow the query with where instead.`
  }
  return null
}

const describe = (value: unknown) => {
  if (typeof value === 'string') return `"${value.slice(0, 40)}"`
  if (typeof value === 'number') return String(value)
  return Array.isArray(value) ? 'a list' : typeof value === 'object' && value !== null ? 'an object' : String(value)
}

const NO_FALLBACK = ['none', 'false', 'null']
const EVERY_LOCALE = ['all', '*']

/**
 * What is wrong with a request's `locale` and `fallback-locale` parameters, or null. Payload answers
 * an unknown locale with the default locale's content, so a typo (`?locale=dee`) would quietly give
 * a German site English pages.
 */
export const localeProblem = (query: Record<string, unknown>, localeCodes: readonly string[]): string | null => {
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
