import { LRUCache } from 'lru-cache'

import { documentTag, globalTag } from '../../changes/cacheTags'
import type { ChangeFeed, FeedEvent } from '../../changes/changeFeed'
import { affects } from '../../changes/changeFeed'
import type { Dependencies } from '../../changes/dependencies'

export type DependentCacheOptions<V extends {}> = {
  feed: ChangeFeed
  /** Bound by bytes (with `sizeOf`) or by entries; at least one. */
  maxBytes?: number
  maxEntries?: number
  sizeOf?: (value: V) => number
}

type Entry<V> = { value: V; dependencies: Dependencies }

/**
 * A bounded cache (least recently used out) of values that know what they depend on, retired by the
 * change feed as changes arrive: a change removes exactly the entries whose dependencies it touches
 * (`affects`), found through an index by document tag and by queried collection rather than by a
 * walk over every entry. The response store and the cache of populated documents both use it.
 */
export const createDependentCache = <K extends {}, V extends {}>({
  feed,
  maxBytes,
  maxEntries,
  sizeOf,
}: DependentCacheOptions<V>) => {
  if (!maxBytes && !maxEntries) throw new Error('A dependent cache needs maxBytes or maxEntries.')
  if (maxBytes && !sizeOf) throw new Error('A dependent cache bounded by bytes needs sizeOf.')
  const byDocument = new Map<string, Set<K>>()
  const byCollection = new Map<string, Set<K>>()
  const onEverything = new Set<K>()

  const index = (map: Map<string, Set<K>>, name: string, key: K) => {
    let keys = map.get(name)
    if (!keys) map.set(name, (keys = new Set()))
    keys.add(key)
  }
  const unindex = (map: Map<string, Set<K>>, name: string, key: K) => {
    const keys = map.get(name)
    if (!keys) return
    keys.delete(key)
    if (keys.size === 0) map.delete(name)
  }

  const bounds: LRUCache.Options<K, Entry<V>, unknown> = maxBytes
    ? {
        ...(maxEntries ? { max: maxEntries } : {}),
        maxSize: maxBytes,
        // One value may take an eighth of the room at most: one huge answer must not empty the cache.
        maxEntrySize: Math.max(1, Math.floor(maxBytes / 8)),
        sizeCalculation: (entry: Entry<V>) => Math.max(1, sizeOf!(entry.value)),
      }
    : { max: maxEntries! }
  const entries = new LRUCache<K, Entry<V>>({
    ...bounds,
    dispose: (entry, key) => {
      for (const tag of entry.dependencies.documents) unindex(byDocument, tag, key)
      for (const collection of entry.dependencies.queries.keys()) unindex(byCollection, collection, key)
      if (entry.dependencies.everything) onEverything.delete(key)
    },
  })

  const retire = (event: FeedEvent) => {
    if ('everything' in event) {
      entries.clear()
      return
    }
    const { change } = event
    const doomed = new Set<K>(onEverything)
    const tag = change.globalSlug
      ? globalTag(change.globalSlug)
      : change.collectionSlug && change.documentId !== undefined
        ? documentTag(change.collectionSlug, change.documentId)
        : undefined
    if (tag) for (const key of byDocument.get(tag) ?? []) doomed.add(key)
    if (change.collectionSlug) {
      for (const key of byCollection.get(change.collectionSlug) ?? []) {
        const entry = entries.peek(key)
        if (!entry || affects(change, entry.dependencies)) doomed.add(key)
      }
    }
    // A change the index cannot place (neither a document nor a global) retires everything.
    if (!change.globalSlug && !change.collectionSlug) {
      entries.clear()
      return
    }
    for (const key of doomed) entries.delete(key)
  }

  const unsubscribe = feed.subscribe(retire)

  return {
    get: (key: K): V | undefined => entries.get(key)?.value,
    /**
     * Keeps `value`, made by a render that started when the feed stood at `renderedFrom`
     * (`feed.knownPosition()`), unless a change the feed knows of since then touches what it
     * depends on: such a value may show the document as it was before that change, and nothing
     * would retire it any more. Changes committed but not yet read retire it when the feed reads them.
     * Returns whether it was kept.
     */
    set: (key: K, value: V, dependencies: Dependencies, renderedFrom: number): boolean => {
      if (feed.changedSince(renderedFrom, dependencies)) return false
      const entry: Entry<V> = { value, dependencies }
      entries.set(key, entry)
      // Too large to keep, or pushed out at once.
      if (entries.peek(key) !== entry) return false
      for (const tag of dependencies.documents) index(byDocument, tag, key)
      for (const collection of dependencies.queries.keys()) index(byCollection, collection, key)
      if (dependencies.everything) onEverything.add(key)
      return true
    },
    delete: (key: K) => entries.delete(key),
    clear: () => entries.clear(),
    get size() {
      return entries.size
    },
    /** Bytes held, for a cache bounded by bytes. */
    get bytes() {
      return entries.calculatedSize
    },
    /** Stops following the feed (tests, shutdown). */
    close: () => {
      unsubscribe()
      entries.clear()
    },
  }
}

export type DependentCache<K extends {}, V extends {}> = ReturnType<typeof createDependentCache<K, V>>
