import type { PayloadRequest, SelectType } from 'payload'
import { sanitizeSelectParam } from 'payload'

import { localeProblem, pagingProblem } from '../readerPolicy/parameters'
import type { ReaderPolicy } from '../readerPolicy/policy'
import type { SyncCursor } from './cursor'
import { decodeCursor, idCheckFor, MalformedCursor } from './cursor'

/**
 * What a site builds from, in the order a full sync sends them: the collections readers may read,
 * less the search rows (a site that wants them asks with `collections=`). Globals: all of readers'.
 */
export const SITE_COLLECTIONS = ['posts', 'pages', 'categories', 'media', 'forms', 'redirects']

export const DEFAULT_SYNC_LIMIT = 100

export type SyncParameters = {
  collections: string[]
  globals: string[]
  cursor: SyncCursor | null
  limit: number
  depth: number | undefined
  locale: string | undefined
  fallbackLocale: string | undefined
  select: SelectType | undefined
}

/** A request the client must change: answered 400 in Payload's error shape. */
export class SyncRequestProblem extends Error {}

const listOf = (query: Record<string, unknown>, name: string, known: readonly string[], fallback: readonly string[]) => {
  const value = query[name]
  if (value === undefined) return [...fallback]
  if (typeof value !== 'string') {
    throw new SyncRequestProblem(`Give ${name} as one comma-separated list, e.g. ${name}=${known.slice(0, 2).join(',')}.`)
  }
  const asked = [...new Set(value.split(',').map((slug) => slug.trim()).filter(Boolean))]
  const unknown = asked.filter((slug) => !known.includes(slug))
  if (unknown.length) {
    const kind = name === 'globals' ? 'global' : 'collection'
    throw new SyncRequestProblem(
      `Unknown ${kind}${unknown.length > 1 ? 's' : ''} ${unknown.map((slug) => `"${slug.slice(0, 40)}"`).join(', ')}: ` +
        `sync reads ${known.join(', ')}.`,
    )
  }
  return asked
}

/** `depth` and `limit` as the query string gives them: digits as numbers, anything else as it came. */
const numberOf = (value: unknown) => (typeof value === 'string' && /^\d{1,15}$/.test(value) ? Number(value) : value)

/** `select[title]=true&select[slug]=true`, as Payload's REST API reads it: nested objects of booleans. */
const isSelect = (value: unknown): boolean =>
  typeof value === 'object' &&
  value !== null &&
  !Array.isArray(value) &&
  Object.values(value).every((leaf) => typeof leaf === 'boolean' || isSelect(leaf))

/**
 * Reads and checks the query of `/api/sync`. Every answer is the public's, so every caller (an
 * editor too) is held to the reader policy's caps: `depth` up to `maxDepth`, `limit` up to
 * `maxSyncLimit`, `locale` and `fallback-locale` among the policy's locales; collections and
 * globals among those readers may read. Anything else is a problem to report, not to guess at.
 */
export const readSyncParameters = (req: PayloadRequest, policy: ReaderPolicy): SyncParameters => {
  const query = (req.query ?? {}) as Record<string, unknown>
  const readable = Object.keys(policy.collections)
  const collections = listOf(
    query,
    'collections',
    readable,
    SITE_COLLECTIONS.filter((slug) => readable.includes(slug) && req.payload.collections[slug as never]),
  )
  const globals = listOf(query, 'globals', Object.keys(policy.globals), Object.keys(policy.globals))

  const depth = numberOf(query.depth)
  const limit = numberOf(query.limit)
  const problem = localeProblem(query, policy.locales) ?? pagingProblem({ depth }, policy)
  if (problem) throw new SyncRequestProblem(problem)
  if (limit !== undefined && (typeof limit !== 'number' || limit < 1 || limit > policy.maxSyncLimit)) {
    const given = typeof limit === 'string' ? `"${limit.slice(0, 40)}"` : typeof limit === 'number' ? String(limit) : 'a list'
    throw new SyncRequestProblem(`limit must be a whole number from 1 to ${policy.maxSyncLimit} per page; got ${given}.`)
  }

  let select: SelectType | undefined
  if (query.select !== undefined) {
    const sanitized = sanitizeSelectParam(query.select as never) as unknown
    if (!isSelect(sanitized)) {
      throw new SyncRequestProblem('Give select as field names mapped to true or false, e.g. select[title]=true&select[slug]=true.')
    }
    select = sanitized as SelectType
  }

  let cursor: SyncCursor | null = null
  if (query.cursor !== undefined && query.cursor !== '') {
    try {
      if (typeof query.cursor !== 'string') throw new MalformedCursor()
      cursor = decodeCursor(query.cursor, idCheckFor(req.payload.db.defaultIDType, req.payload.db.name))
    } catch (error) {
      if (!(error instanceof MalformedCursor)) throw error
      throw new SyncRequestProblem(
        'The cursor is not one this server gave: pass a nextCursor from an earlier answer as it came, or sync from scratch (call /api/sync without a cursor).',
      )
    }
    if (cursor.mode === 'full' && !collections.includes(cursor.collection)) {
      throw new SyncRequestProblem(
        `The cursor continues a full sync of "${cursor.collection}", which this request does not ask for: ask for the same collections on every page.`,
      )
    }
  }

  return {
    collections,
    globals,
    cursor,
    limit: (limit as number | undefined) ?? Math.min(DEFAULT_SYNC_LIMIT, policy.maxSyncLimit),
    depth: depth as number | undefined,
    // Payload has read and normalised them (`*` is `all`, `none` no fallback); localeProblem vouched for them.
    locale: query.locale === undefined ? undefined : req.locale,
    fallbackLocale: query['fallback-locale'] === undefined && query.fallbackLocale === undefined ? undefined : (req.fallbackLocale as string),
    select,
  }
}
