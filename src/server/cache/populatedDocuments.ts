import DataLoader from 'dataloader'
import type { Config, Payload, PayloadRequest, Plugin } from 'payload'
import { getDataLoader } from 'payload'

import { isApiKeySession } from '../../access/roles'
import { documentTag } from '../../changes/cacheTags'
import type { ChangeFeed } from '../../changes/changeFeed'
import { changeFeedFor } from '../../changes/changeFeed'
import type { ContentVersion } from '../../changes/contentVersion'
import { contentVersionReaderFor } from '../../changes/contentVersion'
import type { Dependencies } from '../../changes/dependencies'
import { collectDependencies, declareDependencies, declareShown, dependencyList, isCollecting } from '../../changes/dependencies'
import { ConfigurationError } from '../../env'
import { isPreviewSession } from '../../preview/session'
import type { DependentCache } from './dependentCache'
import { createDependentCache } from './dependentCache'

/**
 * The populated form of a related document (a post's hero image with its sizes, its categories, a
 * related post) is the same for every reader who reads what the public reads, until that document, or
 * something it shows in turn, changes. Payload rebuilds it on every request: one `find` per related
 * collection, with its SQL, row conversion and afterRead traversal, about half of an uncached list.
 *
 * Payload populates through the request's dataloader (`req.payloadDataLoader.load`, keyed by
 * `createDataloaderCacheKey`). For a public reader's request this replaces it with one that keeps each
 * populated document across requests, with what it depends on (src/changes/dependencies.ts), in a
 * cache the change feed retires (src/server/cache/dependentCache.ts). Everything else is Payload's: a
 * miss is loaded by Payload's own dataloader, one `find` per collection and set of arguments.
 *
 * Never cached: loads with access overridden, drafts, hidden fields or a transaction, and any request
 * that is not the public's (an editor, a preview session: they may read what the public may not).
 * Those requests keep Payload's own dataloader.
 */

type Built = { value: unknown; dependencies: Dependencies }

type Shared = {
  feed: ChangeFeed
  cache: DependentCache<string, Built>
  readVersion: () => Promise<ContentVersion | null>
}

type LoaderKey = [
  transactionID: unknown,
  collection: string,
  id: number | string,
  depth: number,
  currentDepth: number,
  locale: unknown,
  fallbackLocale: unknown,
  overrideAccess: unknown,
  showHiddenFields: unknown,
  draft: unknown,
  select: unknown,
  populate: unknown,
]

/** `POPULATED_CACHE_MB`: memory for populated documents and read-time values; 0 turns the cache off. */
export const populatedCacheBytes = (env: Record<string, string | undefined> = process.env): number => {
  const raw = env.POPULATED_CACHE_MB
  const mb = raw === undefined || raw.trim() === '' ? 32 : Number(raw)
  if (!Number.isFinite(mb) || mb < 0) {
    throw new ConfigurationError(`POPULATED_CACHE_MB "${raw}" is not a size in megabytes (0 turns the cache off).`)
  }
  return Math.floor(mb * 1024 * 1024)
}

const shared = new WeakMap<Payload, Shared | null>()

/** The cache of one Payload instance, made on first use; null when it is turned off. */
const sharedOf = (payload: Payload, maxBytes: number): Shared | null => {
  let found = shared.get(payload)
  if (found !== undefined) return found
  if (maxBytes === 0) {
    found = null
  } else {
    // The process's one feed, which the response store and the count cache follow too.
    const feed = changeFeedFor(payload)
    found = {
      feed,
      // Strings are two bytes a character in V8; the objects around them cost about as much again.
      cache: createDependentCache<string, Built>({ feed, maxBytes, sizeOf: (built) => 4 * JSON.stringify(built.value).length }),
      readVersion: contentVersionReaderFor(payload),
    }
  }
  shared.set(payload, found)
  return found
}

/**
 * Whether the request reads exactly what the public reads: nobody signed in, or an API key (which reads
 * as the public does: src/access/readOnlyApiKeys.ts). Not a preview session: it reads a draft besides.
 */
const readsAsThePublic = (req: PayloadRequest) =>
  req.user === null || req.user === undefined || (isApiKeySession(req.user) && !isPreviewSession(req.user))

/** `[collection, select]` of loads with access overridden that show only what every reader may see. */
const publicSelections = new Set<string>()

/**
 * Declares that a load of `collection` with access overridden and exactly this `select` shows what any
 * reader may see (the public profile of a post's author: src/collections/Posts/hooks/populateAuthors.ts),
 * so a public reader's request may share it like any other populated document.
 */
export const sharedAsThePublic = (collection: string, select: Record<string, unknown>) => {
  publicSelections.add(JSON.stringify([collection, select]))
}

/** A load whose answer is the public's: access checked, published versions, no hidden field, no transaction. */
const cacheableLoad = (key: LoaderKey) => {
  const [transactionID, collection, , , , , , overrideAccess, showHiddenFields, draft, select] = key
  return (
    (transactionID === null || transactionID === undefined) &&
    (!overrideAccess || publicSelections.has(JSON.stringify([collection, select]))) &&
    !showHiddenFields &&
    !draft
  )
}

/**
 * A copy of a cached document for one request, which may change what it is handed (Payload's population
 * assigns into the documents it builds). Documents are JSON-like: plain objects and arrays are copied,
 * anything else (a Date) is shared. Five times faster than structuredClone on a media document.
 */
const copyOf = (value: unknown): unknown => {
  if (value === null || typeof value !== 'object') return value
  if (Array.isArray(value)) return value.map(copyOf)
  const prototype = Object.getPrototypeOf(value)
  if (prototype !== Object.prototype && prototype !== null) return value
  const copy: Record<string, unknown> = {}
  for (const key in value as Record<string, unknown>) copy[key] = copyOf((value as Record<string, unknown>)[key])
  return copy
}

/**
 * A document Payload loaded (not a failure, nor nothing: a reference the reader may not read). Only a
 * document whose own afterRead declared its tag is kept: one that went undeclared would never be retired.
 */
const isDocument = (value: unknown): value is { id: number | string } =>
  typeof value === 'object' && value !== null && !(value instanceof Error) && 'id' in value

/** The arguments a batch shares: everything but the document's id. */
const batchKeyOf = (key: LoaderKey) => JSON.stringify([key[0], key[1], ...key.slice(3)])

/** Payload's key for its per-request memo of `payloadDataLoader.find` (collections/dataloader.js, not exported). */
const findKeyOf = (args: Record<string, unknown>) => {
  const req = args.req as Partial<PayloadRequest> | undefined
  return JSON.stringify([
    args.collection, args.currentDepth, args.depth, args.disableErrors, args.draft, args.includeLockStatus, args.joins,
    args.limit, args.overrideAccess, args.page, args.pagination, args.populate, req?.locale, req?.fallbackLocale,
    req?.user?.id, req?.transactionID, args.select, args.showHiddenFields, args.sort, args.where,
  ])
}

type PayloadLoader = PayloadRequest['payloadDataLoader']

/**
 * A value served from a cache declares, in its reader's collector, what its build did: what it was built
 * from, and which of those it shows (the answer's Cache-Tag names those).
 */
const redeclare = ({ value, dependencies }: Built) => {
  if (isCollecting()) {
    declareDependencies(...dependencyList(dependencies))
    for (const tag of dependencies.shown) declareShown(tag)
  }
  return value
}

/** The caching dataloaders handed out, each with the cache it reads: a request that has one reads as the public, caught up. */
const facades = new WeakMap<object, Shared>()

/**
 * The request's dataloader for a public reader. It is a DataLoader like Payload's, batching and
 * memoizing the same keys and settling each batch's loads together in key order (GraphQL lists a
 * hasMany relationship in the order its loads settle, so the order must be Payload's), with a batch
 * function that answers from the cache what it can and has Payload's own dataloader load the rest.
 *
 * Each load also declares, in its caller's own collector, what its value depends on: a value from the
 * cache, from this request's memo, or from a batch that ran in another caller's async context (DataLoader
 * runs a batch in the context of its first load) still tells every caller what it showed, so a value
 * built around it (the response store's answer, another kept document) learns it too. Loads that are not
 * cacheable go the same way, for the same reason.
 */
const publicLoader = (req: PayloadRequest, shared: Shared): PayloadLoader => {
  const { feed, cache } = shared
  const cacheKeyOf = (key: string) => `${req.payloadAPI}\u0000${key}`

  const loadBatch = async (keys: readonly string[]): Promise<(Built | Error)[]> => {
    const results: (Built | Error)[] = new Array(keys.length)
    const asThePublic = readsAsThePublic(req)
    const groups = new Map<string, { index: number; key: string; parsed: LoaderKey }[]>()
    keys.forEach((key, index) => {
      // Only a cacheable load is ever kept, and whether one is depends on its key alone: a hit, most
      // loads once the cache is warm, is answered without parsing the key.
      const hit = asThePublic ? cache.get(cacheKeyOf(key)) : undefined
      if (hit) {
        results[index] = { value: copyOf(hit.value), dependencies: hit.dependencies }
        return
      }
      const parsed = JSON.parse(key) as LoaderKey
      const group = batchKeyOf(parsed)
      const items = groups.get(group)
      if (items) items.push({ index, key, parsed })
      else groups.set(group, [{ index, key, parsed }])
    })
    // One group after another, as Payload does, so as not to hang a transaction.
    for (const missing of groups.values()) {
      const cacheable = asThePublic && cacheableLoad(missing[0]!.parsed)
      const renderedFrom = feed.knownPosition()
      try {
        const { value: docs, dependencies } = await collectDependencies(() =>
          getDataLoader(req).loadMany(missing.map((item) => item.key)),
        )
        missing.forEach((item, index) => {
          const doc = docs[index]
          if (doc instanceof Error) {
            results[item.index] = doc
            return
          }
          // Kept as it came, before the request it was loaded for gets it.
          if (cacheable && isDocument(doc) && dependencies.documents.has(documentTag(item.parsed[1], doc.id))) {
            cache.set(cacheKeyOf(item.key), { value: copyOf(doc), dependencies }, dependencies, renderedFrom)
          }
          results[item.index] = { value: doc, dependencies }
        })
      } catch (error) {
        for (const item of missing) results[item.index] = error instanceof Error ? error : new Error(String(error))
      }
    }
    return results
  }

  const batched = new DataLoader<string, Built>(loadBatch)
  const findMemo = new Map<string, Promise<Built>>()
  const loader = {
    // `.then` runs in the caller's async context: that is where the dependencies are declared.
    load: (key: string) => batched.load(key).then(redeclare),
    find: (args: Record<string, unknown>) => {
      const key = findKeyOf(args)
      let built = findMemo.get(key)
      if (!built) findMemo.set(key, (built = collectDependencies(() => req.payload.find(args as never))))
      return built.then(redeclare)
    },
  }
  facades.set(loader, shared)
  return loader as unknown as PayloadLoader
}

/**
 * Before a read, gives a public reader's request the caching dataloader, once the change feed knows
 * every change committed before now (so nothing retired by one is served).
 */
const useCachingLoader =
  (maxBytes: number) =>
  async ({ args, operation, req }: { args: Record<string, unknown>; operation: string; req: PayloadRequest }) => {
    if (operation !== 'read' || args.overrideAccess || args.draft || req.transactionID) return args
    if (!readsAsThePublic(req) || facades.has(req.payloadDataLoader as object)) return args
    const found = sharedOf(req.payload, maxBytes)
    if (!found) return args
    const version = await found.readVersion()
    // Without the version the feed cannot be brought up to date: read as Payload does.
    if (!version) return args
    await found.feed.catchUp(version)
    if (!facades.has(req.payloadDataLoader as object)) req.payloadDataLoader = publicLoader(req, found)
    return args
  }

/**
 * A value computed at read time (a rendition, the address scheme) kept across requests like a populated
 * document: for a request that reads as the public does (it has the caching dataloader, and its feed is
 * caught up), the value `build` made for an earlier such request, until a change touches what that build
 * read; for any other request, `build()`. The value must not be changed by its users (a string, a frozen
 * object). `shows`, when given, is a tag the build must have declared, or the value is not kept: a value
 * whose reads went undeclared could never be retired.
 */
export const sharedWithThePublic = async <T>(
  req: PayloadRequest,
  key: string,
  build: () => Promise<T>,
  { shows }: { shows?: string } = {},
): Promise<T> => {
  const found = facades.get(req.payloadDataLoader as object)
  if (!found || req.transactionID) return build()
  const cacheKey = `value\u0000${key}`
  const hit = found.cache.get(cacheKey)
  if (hit) return redeclare(hit) as T
  const renderedFrom = found.feed.knownPosition()
  const built = await collectDependencies(build)
  if (!shows || built.dependencies.documents.has(shows)) found.cache.set(cacheKey, built, built.dependencies, renderedFrom)
  return built.value
}

/**
 * Adds the hook to every collection and global there is when it runs (list it after the plugins that add
 * some). Reads POPULATED_CACHE_MB now, so a bad value stops the start.
 */
export const populatedDocumentsPlugin =
  (env: Record<string, string | undefined> = process.env): Plugin =>
  (config: Config) => {
    const hook = useCachingLoader(populatedCacheBytes(env)) as never
    return {
      ...config,
      collections: (config.collections ?? []).map((collection) => ({
        ...collection,
        hooks: {
          ...collection.hooks,
          beforeOperation: [...(collection.hooks?.beforeOperation ?? []), hook],
        },
      })),
      globals: (config.globals ?? []).map((global) => ({
        ...global,
        hooks: {
          ...global.hooks,
          beforeOperation: [...(global.hooks?.beforeOperation ?? []), hook],
        },
      })),
    }
  }
