import type { Payload } from 'payload'

import { documentTag, globalTag } from './cacheTags'
import type { RecordedChange } from './changeLog'
import { readChangesAfter } from './changeLog'
import type { ContentVersion } from './contentVersion'
import type { Dependencies } from './dependencies'

/** What the feed needs of a change-log row. `fields`: the top-level fields an `updated` change changed; null: unknown, all. */
export type FeedChange = Pick<RecordedChange, 'position' | 'event' | 'collectionSlug' | 'documentId' | 'globalSlug'> & {
  fields?: readonly string[] | null
}

/** What a listener is told: one change, or that the feed lost track (a new epoch, too much at once) and everything is retired. */
export type FeedEvent = { change: FeedChange } | { everything: true }

export type FeedListener = (event: FeedEvent) => void

/**
 * The one rule of retirement. A change touches a value that shows its document (or global); and a
 * value that shows a query of its collection when it adds or removes a member (published,
 * unpublished, deleted) or changed a field the query's where or sort uses. Unknown fields (null) are
 * every field.
 */
export const affects = (change: FeedChange, dependencies: Dependencies): boolean => {
  if (dependencies.everything) return true
  if (change.globalSlug) return dependencies.documents.has(globalTag(change.globalSlug))
  if (!change.collectionSlug) return true
  if (change.documentId !== undefined && dependencies.documents.has(documentTag(change.collectionSlug, change.documentId))) {
    return true
  }
  if (!dependencies.queries.has(change.collectionSlug)) return false
  if (change.event !== 'updated') return true
  const used = dependencies.queries.get(change.collectionSlug)
  if (!used || !change.fields) return true
  return change.fields.some((field) => used.has(field))
}

export type ChangeFeedOptions = {
  /** Reads change-log rows after a position, oldest first (readChangesAfter). */
  read?: (after: number, limit: number) => Promise<FeedChange[]>
  /** More rows than this behind: retire everything instead of reading them. */
  maxRead?: number
  /** Recent changes kept for `changedSince`. */
  window?: number
}

export type ChangeFeed = ReturnType<typeof createChangeFeed>

/**
 * What this process knows of the change log. Every request reads the content version (one shared
 * read per turn) and calls `catchUp` before it looks in a cache: when the version moved, the rows
 * after the last known position are read and handed to the listeners, which retire what the changes
 * touch. So a write on any instance retires stored values here before the next read here that could
 * see it. A new epoch (a restore) or more rows than `maxRead` behind retire everything instead.
 */
export const createChangeFeed = (payload: Payload | undefined, options: ChangeFeedOptions = {}) => {
  const read = options.read ?? ((after: number, limit: number) => readChangesAfter(payload!, after, limit))
  const maxRead = options.maxRead ?? 500
  const windowSize = options.window ?? 5000
  const listeners = new Set<FeedListener>()
  let epoch: string | undefined
  /** The last log position handed to the listeners. */
  let known = 0
  /**
   * Feed positions are log positions plus `base`, raised at a new epoch so they never go back: a
   * render that started under the old log must not pass for one that started under the new.
   */
  let base = 0
  /** Feed positions before this one are no longer in `recent`: `changedSince` them answers true. */
  let rememberedFrom = 0
  /** Recent changes, each with its feed position. */
  let recent: { at: number; change: FeedChange }[] = []
  let running: Promise<void> | undefined

  const tell = (event: FeedEvent) => {
    for (const listener of listeners) listener(event)
  }

  const forgetAll = (position: number) => {
    known = position
    rememberedFrom = known + base
    recent = []
    tell({ everything: true })
  }

  const remember = (change: FeedChange) => {
    recent.push({ at: change.position + base, change })
    if (recent.length > windowSize) {
      const dropped = recent.splice(0, recent.length - windowSize)
      rememberedFrom = dropped[dropped.length - 1]!.at
    }
  }

  const advance = async (version: ContentVersion) => {
    if (version.epoch !== epoch) {
      if (epoch !== undefined) base = Math.max(base, known + base + 1 - version.position)
      epoch = version.epoch
      forgetAll(version.position)
      return
    }
    if (version.position <= known) return
    if (version.position - known > maxRead) {
      forgetAll(version.position)
      return
    }
    let changes: FeedChange[]
    try {
      // Not bounded by the version read: rows committed since are read too, and compaction may have
      // dropped a row below the version whose document has a later row (read here as well).
      changes = await read(known, maxRead + 1)
    } catch {
      forgetAll(version.position)
      return
    }
    if (changes.length > maxRead || (changes.length > 0 && changes[0]!.position <= known)) {
      forgetAll(Math.max(version.position, changes[changes.length - 1]?.position ?? 0))
      return
    }
    for (const change of changes) {
      if (change.position <= known) continue
      known = change.position
      remember(change)
      tell({ change })
    }
    // The version said a change exists that no row shows (compacted away with no later row): retire all.
    if (known < version.position) forgetAll(version.position)
  }

  const upToDate = (version: ContentVersion) => version.epoch === epoch && version.position <= known

  /**
   * Resolves once every change up to `version` has been handed to the listeners. Catch-ups run one
   * at a time, so a caller never resolves while an earlier change is still being read.
   */
  const catchUp = async (version: ContentVersion | null | undefined): Promise<void> => {
    if (!version) return
    while (running) {
      await running
    }
    if (upToDate(version)) return
    const current = advance(version).finally(() => {
      if (running === current) running = undefined
    })
    running = current
    await current
  }

  return {
    catchUp,
    /**
     * Where the feed is: the last log position handed to the listeners (raised past every earlier one
     * after a new epoch). A render records it when it starts, and passes it to `changedSince`.
     */
    knownPosition: () => known + base,
    /** The epoch of the log this feed follows; undefined before the first catch-up. */
    knownEpoch: () => epoch,
    subscribe: (listener: FeedListener) => {
      listeners.add(listener)
      return () => {
        listeners.delete(listener)
      }
    },
    /** Whether a known change after `position` touches `dependencies`; true when the feed no longer remembers that far back. */
    changedSince: (position: number, dependencies: Dependencies): boolean => {
      if (position < rememberedFrom) return true
      for (let k = recent.length - 1; k >= 0; k--) {
        const { at, change } = recent[k]!
        if (at <= position) break
        if (affects(change, dependencies)) return true
      }
      return false
    },
  }
}

const feeds = new WeakMap<Payload, ChangeFeed>()

/**
 * The process's one feed for a Payload instance: the response store and every other cache of
 * values with dependencies (populated documents) follow the same one, caught up by each request.
 */
export const changeFeedFor = (payload: Payload): ChangeFeed => {
  let feed = feeds.get(payload)
  if (!feed) feeds.set(payload, (feed = createChangeFeed(payload)))
  return feed
}
