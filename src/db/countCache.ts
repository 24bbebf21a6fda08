import { AsyncLocalStorage } from 'node:async_hooks'

import type { Collection, DatabaseAdapter, DatabaseAdapterObj, FlattenedField, Payload, PayloadRequest, Where } from 'payload'

import { editorialRole } from '../access/roles'
import type { ChangeFeed } from '../changes/changeFeed'
import { changeFeedFor } from '../changes/changeFeed'
import type { ContentVersion } from '../changes/contentVersion'
import { contentVersionReaderFor } from '../changes/contentVersion'
import type { Dependency } from '../changes/dependencies'
import { mergeDependencies } from '../changes/dependencies'
import { isFollowed } from '../changes/dependencyPlugin'
import { changeLogOptionsOf } from '../changes/recordChanges'
import type { DependentCache } from '../server/cache/dependentCache'
import { createDependentCache } from '../server/cache/dependentCache'

/**
 * `totalDocs` without counting every matching row on every read. Payload's SQL adapters count a
 * list's matches with a separate statement (`countDistinct`) that reads every matching row: with
 * 100,000 published posts 6.8 ms for the plain list and 55 ms for a category list (grouped by post),
 * more than the rest of the SQL of the page together, and growing with the table.
 *
 * A count is kept per collection, final where (the reader's where with access control and the trash
 * filter, as Payload hands it to the adapter) and locale, with the dependency that says what can
 * change it: a query of that collection using the where's fields (src/changes/dependencies.ts). The
 * change feed retires it when a change adds or removes a member of the collection or changes one of
 * those fields (src/changes/changeFeed.ts `affects`), on whichever instance the change was made,
 * because the feed is caught up to the content version before every lookup.
 *
 * Counted afresh, never served from or stored in the cache:
 * - inside a transaction (what it sees may never commit, and a write must see its own rows);
 * - for an editorial user or a draft read, and any count whose where does not keep to published rows
 *   outside the trash: the change log follows only what readers can see;
 * - a collection whose writes the log does not follow, or follows only in part (users: `visibleFields`),
 *   a where that reaches further than one relationship away, or a join field: the feed could not tell
 *   when the count changes.
 */

/** Counts kept; each is a number under a key of a few hundred bytes. */
const MAX_COUNTS = 10_000
/** A where longer than this (an `in` with thousands of ids) is counted each time instead of kept. */
const MAX_KEY_LENGTH = 4096

/** A list read whose count may come from the cache; its key is made only if Payload counts. */
type Scope = { args: ReadArgs; used: boolean }

type CountArgs = { db: unknown; tableName: string } & Record<string, unknown>

type DrizzleInstance = DatabaseAdapter & {
  drizzle: unknown
  countDistinct: (args: CountArgs) => Promise<number>
  tableNameMap: Map<string, string>
}

const scopes = new AsyncLocalStorage<Scope>()

const RELATIONAL = new Set(['relationship', 'upload'])

const configOf = (payload: Payload, slug: string) => (payload.collections as Record<string, Collection | undefined>)[slug]?.config

/** The conditions every match must meet: the where's top level and its `and`s, not what sits under an `or`. */
const conjunctsOf = (where: unknown, into: [string, unknown][] = []): [string, unknown][] => {
  if (!where || typeof where !== 'object') return into
  for (const [key, value] of Object.entries(where as Record<string, unknown>)) {
    if (key === 'and') {
      if (Array.isArray(value)) for (const part of value) conjunctsOf(part, into)
    } else if (key !== 'or') {
      into.push([key, value])
    }
  }
  return into
}

const requires = (conjuncts: [string, unknown][], field: string, condition: Record<string, unknown>) =>
  conjuncts.some(
    ([key, value]) =>
      key === field &&
      typeof value === 'object' &&
      value !== null &&
      Object.entries(condition).every(([operator, operand]) => (value as Record<string, unknown>)[operator] === operand),
  )

/**
 * Whether the change log follows every row a count under `where` can see. It records what readers
 * can see: a collection's writes (not the users' private fields: `visibleFields`), and of a
 * collection with drafts only its published rows, and of the trash nothing but the move into and
 * out of it. So the where must keep to published rows (readers' access control adds that; an
 * editor's read or a Local API read that overrides access does not) and out of the trash.
 */
const followedByTheLog = (payload: Payload, collection: string, where: Where | undefined): boolean => {
  const config = configOf(payload, collection)
  if (!config || !isFollowed(config)) return false
  const options = changeLogOptionsOf(config.custom)
  if (options && options.visibleFields) return false
  const conjuncts = conjunctsOf(where)
  if (config.versions?.drafts && !requires(conjuncts, '_status', { equals: 'published' })) return false
  if (config.trash && !requires(conjuncts, 'deletedAt', { exists: false })) return false
  return true
}

/**
 * What a count under `where` depends on: the collection's membership and the top-level fields the
 * where names (the change log reports changes by top-level field); for a relationship it names, the
 * related collections' membership too (deleting a category removes its rows from `posts_rels`
 * without a change to any post), and the field it reads through them. Undefined: not cacheable.
 */
export const countDependencies = (
  payload: Payload,
  collection: string,
  where: Where | undefined,
): Dependency[] | undefined => {
  if (!followedByTheLog(payload, collection, where)) return undefined
  const fields = configOf(payload, collection)!.flattenedFields
  const used = new Set<string>()
  const related: Dependency[] = []
  let cacheable = true

  const usePath = (path: string) => {
    const [name, next, ...rest] = path.split('.')
    if (!name) return
    used.add(name)
    const field = fields.find((candidate: FlattenedField) => candidate.name === name)
    if (!field) return
    if (field.type === 'join') {
      cacheable = false
      return
    }
    if (!RELATIONAL.has(field.type)) return
    const relationTo = (field as { relationTo: string | string[] }).relationTo
    const targets = Array.isArray(relationTo) ? relationTo : [relationTo]
    // `relationTo` / `value` of a polymorphic relationship are its own columns, not the target's fields.
    const through = next && next !== 'value' && next !== 'relationTo' ? next : undefined
    if (rest.length > 0 && through) cacheable = false
    for (const target of targets) {
      // Its rows are the related collection's to remove (a delete cascades to the relationship rows).
      const config = configOf(payload, target)
      const options = config ? changeLogOptionsOf(config.custom) : false
      if (!config || !isFollowed(config) || (options && options.visibleFields)) cacheable = false
      related.push({ collection: target, fields: through ? [through] : [] })
    }
  }

  const walk = (node: unknown) => {
    if (!node || typeof node !== 'object') return
    for (const [key, value] of Object.entries(node as Record<string, unknown>)) {
      if (key === 'and' || key === 'or') {
        if (Array.isArray(value)) value.forEach(walk)
      } else {
        usePath(key)
      }
    }
  }
  walk(where)
  if (!cacheable) return undefined
  return [{ collection, fields: [...used] }, ...related]
}

type ReadArgs = { collection: string; where?: Where; locale?: string; req?: Partial<PayloadRequest>; draftsEnabled?: boolean }

/** Whose read this is: an editor's, a draft read or one inside a transaction never uses the cache. */
const mayUseCache = ({ draftsEnabled, req }: ReadArgs) =>
  !draftsEnabled && !req?.transactionID && editorialRole(req?.user) === null

/** The key and dependencies of a read's count, or undefined when it is not kept. */
const keyOf = (payload: Payload, args: ReadArgs): { key: string; dependencies: Dependency[] } | undefined => {
  const key = JSON.stringify([args.collection, args.locale ?? null, args.where ?? null])
  if (key.length > MAX_KEY_LENGTH) return undefined
  const dependencies = countDependencies(payload, args.collection, args.where)
  return dependencies ? { key, dependencies } : undefined
}

type Counts = { cache: DependentCache<string, { count: number }>; feed: ChangeFeed; readVersion: () => Promise<ContentVersion | null> }

const countsOf = new WeakMap<object, Counts>()

const countsFor = (instance: DrizzleInstance): Counts => {
  let counts = countsOf.get(instance)
  if (!counts) {
    // The process's one feed, which the response store and the populated-document cache follow too.
    const feed = changeFeedFor(instance.payload)
    counts = {
      feed,
      cache: createDependentCache<string, { count: number }>({ feed, maxEntries: MAX_COUNTS }),
      readVersion: contentVersionReaderFor(instance.payload),
    }
    countsOf.set(instance, counts)
  }
  return counts
}

/**
 * The count of one scope: from the cache when the feed, caught up to the content version read now,
 * has retired nothing it depends on; otherwise counted and kept (unless a change the feed learnt of
 * meanwhile touches it: the count may predate it).
 */
const cachedCount = async (instance: DrizzleInstance, scope: Scope, count: () => Promise<number>): Promise<number> => {
  const kept = keyOf(instance.payload, scope.args)
  if (!kept) return count()
  const { cache, feed, readVersion } = countsFor(instance)
  const version = await readVersion()
  if (!version) return count()
  await feed.catchUp(version)
  const cached = cache.get(kept.key)
  if (cached) return cached.count
  const renderedFrom = feed.knownPosition()
  const counted = await count()
  cache.set(kept.key, { count: counted }, mergeDependencies(kept.dependencies), renderedFrom)
  return counted
}

const install = (instance: DrizzleInstance) => {
  const { find, count, countDistinct } = instance
  if (typeof countDistinct !== 'function') return

  instance.find = function findWithCachedCount(this: DrizzleInstance, args) {
    if (!mayUseCache(args)) return find.call(this, args)
    return scopes.run({ args, used: false }, () => find.call(this, args))
  } as typeof find

  instance.count = function countFromCache(this: DrizzleInstance, args) {
    if (!mayUseCache(args)) return count.call(this, args)
    return scopes.run({ args, used: false }, () => count.call(this, args))
  } as typeof count

  instance.countDistinct = function countDistinctFromCache(this: DrizzleInstance, args: CountArgs) {
    const scope = scopes.getStore()
    // Only the one count of the list read that opened the scope, and only on the shared connection:
    // `db` is a transaction's own connection when the read runs inside one.
    if (!scope || scope.used || args.db !== this.drizzle) return countDistinct.call(this, args)
    scope.used = true
    return cachedCount(this, scope, () => countDistinct.call(this, args))
  }
}

/** Payload's SQL adapter with list counts kept between reads (see above); other adapters as they are. */
export const cacheCounts = (adapter: DatabaseAdapterObj): DatabaseAdapterObj => ({
  ...adapter,
  init: (args) => {
    const instance = adapter.init(args)
    install(instance as unknown as DrizzleInstance)
    return instance
  },
})
