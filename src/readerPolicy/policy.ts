import { wholeNumberFromEnv } from '../env'

/**
 * What a reader sees of a collection or global: its published documents only, or all of it; never
 * what is in the trash (of a collection with Payload's trash). A collection or global a reader may
 * not see at all is simply not listed.
 */
export type Visibility = 'published' | 'everything'

/**
 * The one statement of what a reader (an anonymous request, or an API key: anyone Payload does not
 * know as a member of the editorial team) may read and ask for, on REST and GraphQL alike. It is
 * enforced in one place (./enforce.ts) on every collection and global, Payload's own and the
 * plugins' included, so a collection added later is closed to readers until it is listed here.
 */
export type ReaderPolicy = {
  /** The deepest population a reader may ask for (`depth`); each level multiplies the work. */
  maxDepth: number
  /** The most documents per page (`limit`); a page of everything (`limit=0`, `pagination=false`) is refused. */
  maxLimit: number
  /** The last page a reader may ask for (`page`): enough to walk 1,000,000 documents at the largest limit. */
  maxPage: number
  /**
   * The most documents (or changes) per page of `/api/sync` (src/sync/). Larger than `maxLimit`: a
   * build walks every document once, in keyset pages that cost no count and no offset, and fewer
   * round trips are what make a full sync fast.
   */
  maxSyncLimit: number
  /** What readers see of each collection; drafts never, whatever they ask for (`draft=true` reads the published version). */
  collections: Readonly<Record<string, Visibility>>
  globals: Readonly<Record<string, Visibility>>
  /** The locales a `locale` or `fallback-locale` parameter may name; anything else is refused, not quietly ignored. */
  locales: readonly string[]
}

/** Readers' collections: content, and what the official plugins add for sites (forms, redirects, search rows). */
export const READER_COLLECTIONS: ReaderPolicy['collections'] = {
  posts: 'published',
  pages: 'published',
  categories: 'everything',
  media: 'everything',
  forms: 'everything',
  redirects: 'everything',
  search: 'everything',
}

/** Globals have drafts: readers see what was last published. */
export const READER_GLOBALS: ReaderPolicy['globals'] = {
  header: 'published',
  footer: 'published',
  'site-settings': 'published',
}

export const readerPolicyFromEnv = (env: Record<string, string | undefined>, locales: readonly string[]): ReaderPolicy => ({
  maxDepth: wholeNumberFromEnv(env, 'API_MAX_DEPTH', 3, 0),
  maxLimit: wholeNumberFromEnv(env, 'API_MAX_LIMIT', 100, 1),
  maxPage: wholeNumberFromEnv(env, 'API_MAX_PAGE', 10_000, 1),
  maxSyncLimit: wholeNumberFromEnv(env, 'API_MAX_SYNC_LIMIT', 500, 1),
  collections: READER_COLLECTIONS,
  globals: READER_GLOBALS,
  locales,
})
