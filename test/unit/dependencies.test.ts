import type { FeedChange } from '../../src/changes/changeFeed'
import { affects, createChangeFeed } from '../../src/changes/changeFeed'
import type { ContentVersion } from '../../src/changes/contentVersion'
import {
  collectDependencies,
  declareDependencies,
  EVERYTHING,
  mergeDependencies,
} from '../../src/changes/dependencies'
import { createDependentCache } from '../../src/server/cache/dependentCache'

const tick = () => new Promise((resolve) => setImmediate(resolve))

describe('collectDependencies', () => {
  test('sees declarations made in awaited and unawaited async work, and nothing outside', async () => {
    declareDependencies('posts:0')
    const { value, dependencies } = await collectDependencies(async () => {
      declareDependencies('posts:1')
      await tick()
      await Promise.all([
        (async () => {
          await tick()
          declareDependencies({ collection: 'posts', fields: ['slug'] })
        })(),
        new Promise<void>((resolve) =>
          setTimeout(() => {
            declareDependencies({ collection: 'posts', fields: ['publishedAt'] }, 'global:header')
            resolve()
          }, 1),
        ),
      ])
      return 42
    })
    expect(value).toBe(42)
    expect([...dependencies.documents]).toEqual(['posts:1', 'global:header'])
    expect([...dependencies.queries.get('posts')!].sort()).toEqual(['publishedAt', 'slug'])
    expect(dependencies.everything).toBe(false)
  })

  test('nested collectors propagate to every enclosing one, not sideways', async () => {
    let inner: Awaited<ReturnType<typeof collectDependencies>>['dependencies'] | undefined
    let sibling: Awaited<ReturnType<typeof collectDependencies>>['dependencies'] | undefined
    const outer = await collectDependencies(async () => {
      declareDependencies('pages:1')
      await Promise.all([
        collectDependencies(async () => {
          await tick()
          declareDependencies('media:4', { collection: 'posts' })
        }).then((result) => (inner = result.dependencies)),
        collectDependencies(async () => {
          declareDependencies('users:2')
        }).then((result) => (sibling = result.dependencies)),
      ])
    })
    expect([...inner!.documents]).toEqual(['media:4'])
    expect(inner!.queries.get('posts')).toBeNull()
    expect([...sibling!.documents]).toEqual(['users:2'])
    expect([...outer.dependencies.documents].sort()).toEqual(['media:4', 'pages:1', 'users:2'])
    expect(outer.dependencies.queries.get('posts')).toBeNull()
  })

  test('all fields absorb named fields, in either order', () => {
    const a = mergeDependencies([{ collection: 'posts', fields: ['slug'] }, { collection: 'posts' }])
    const b = mergeDependencies([{ collection: 'posts' }, { collection: 'posts', fields: ['slug'] }])
    expect(a.queries.get('posts')).toBeNull()
    expect(b.queries.get('posts')).toBeNull()
  })

  test('a declaration after the build settled is not added to what it returned', async () => {
    let later: () => void = () => undefined
    const { dependencies } = await collectDependencies(async () => {
      later = () => declareDependencies('posts:9')
    })
    later()
    expect(dependencies.documents.has('posts:9')).toBe(false)
  })
})

const change = (overrides: Partial<FeedChange>): FeedChange => ({
  position: 1,
  event: 'updated',
  collectionSlug: 'posts',
  documentId: '1',
  fields: ['title'],
  ...overrides,
})

describe('affects', () => {
  const deps = (...list: Parameters<typeof mergeDependencies>[0][]) => mergeDependencies(...list)

  test('a document dependency: its own document, not another', () => {
    expect(affects(change({}), deps(['posts:1']))).toBe(true)
    expect(affects(change({ documentId: '2' }), deps(['posts:1']))).toBe(false)
    expect(affects(change({ collectionSlug: 'pages' }), deps(['posts:1']))).toBe(false)
  })

  test('a global: its own tag only', () => {
    const header = change({ collectionSlug: undefined, documentId: undefined, globalSlug: 'header', fields: null })
    expect(affects(header, deps(['global:header']))).toBe(true)
    expect(affects(header, deps(['global:footer', { collection: 'posts' }]))).toBe(false)
  })

  test('a query: membership changes always, updates only through the fields it uses', () => {
    const bySlug = deps([{ collection: 'posts', fields: ['slug', '_status'] }])
    expect(affects(change({ fields: ['title'] }), bySlug)).toBe(false)
    expect(affects(change({ fields: ['title', 'slug'] }), bySlug)).toBe(true)
    expect(affects(change({ fields: null }), bySlug)).toBe(true)
    expect(affects(change({ fields: undefined }), bySlug)).toBe(true)
    for (const event of ['published', 'unpublished', 'deleted'] as const) {
      expect(affects(change({ event, fields: null }), bySlug)).toBe(true)
    }
    expect(affects(change({ fields: ['title'] }), deps([{ collection: 'posts' }]))).toBe(true)
    expect(affects(change({ fields: ['slug'], collectionSlug: 'pages' }), bySlug)).toBe(false)
  })

  test('everything: any change', () => {
    expect(affects(change({ collectionSlug: 'media' }), deps([EVERYTHING]))).toBe(true)
  })
})

/** A change log in memory, read as readChangesAfter reads the real one. */
const memoryLog = () => {
  const rows: FeedChange[] = []
  let reads = 0
  return {
    rows,
    get reads() {
      return reads
    },
    read: async (after: number, limit: number) => {
      reads++
      return rows.filter((row) => row.position > after).slice(0, limit)
    },
    append: (row: Omit<FeedChange, 'position'>) => {
      rows.push({ ...row, position: rows.length + 1 } as FeedChange)
    },
    version: (epoch = 'e'): ContentVersion => ({
      version: `${epoch}.${rows.length}`,
      epoch,
      position: rows.length,
      changedAt: new Date().toISOString(),
      retainedFrom: 0,
    }),
  }
}

describe('changeFeed', () => {
  test('hands each change to the listeners once, in order, and reads only when the version moved', async () => {
    const log = memoryLog()
    const feed = createChangeFeed(undefined, { read: log.read })
    const seen: unknown[] = []
    feed.subscribe((event) => seen.push('everything' in event ? 'everything' : event.change.position))
    await feed.catchUp(log.version())
    expect(seen).toEqual(['everything'])
    log.append({ event: 'updated', collectionSlug: 'posts', documentId: '1', fields: ['title'] })
    log.append({ event: 'published', collectionSlug: 'posts', documentId: '2' })
    const version = log.version()
    await Promise.all([feed.catchUp(version), feed.catchUp(version), feed.catchUp(version)])
    expect(seen).toEqual(['everything', 1, 2])
    const reads = log.reads
    await feed.catchUp(version)
    expect(log.reads).toBe(reads)
    expect(feed.knownPosition()).toBe(2)
  })

  test('a new epoch or too many rows behind retire everything; positions never go back', async () => {
    const log = memoryLog()
    const feed = createChangeFeed(undefined, { read: log.read, maxRead: 3 })
    const seen: unknown[] = []
    feed.subscribe((event) => seen.push('everything' in event ? 'everything' : event.change.position))
    await feed.catchUp(log.version())
    for (let k = 0; k < 5; k++) log.append({ event: 'updated', collectionSlug: 'posts', documentId: String(k) })
    await feed.catchUp(log.version())
    expect(seen).toEqual(['everything', 'everything'])
    const before = feed.knownPosition()
    await feed.catchUp({ ...log.version('restored'), position: 1 })
    expect(seen).toEqual(['everything', 'everything', 'everything'])
    expect(feed.knownPosition()).toBeGreaterThan(before)
    expect(feed.changedSince(before, mergeDependencies([]))).toBe(true)
  })

  test('changedSince: only changes after the position that touch the dependencies; true beyond the window', async () => {
    const log = memoryLog()
    const feed = createChangeFeed(undefined, { read: log.read, window: 2 })
    await feed.catchUp(log.version())
    const start = feed.knownPosition()
    log.append({ event: 'updated', collectionSlug: 'posts', documentId: '1', fields: ['title'] })
    await feed.catchUp(log.version())
    expect(feed.changedSince(start, mergeDependencies(['posts:1']))).toBe(true)
    expect(feed.changedSince(start, mergeDependencies(['posts:2']))).toBe(false)
    expect(feed.changedSince(feed.knownPosition(), mergeDependencies(['posts:1']))).toBe(false)
    log.append({ event: 'updated', collectionSlug: 'posts', documentId: '2', fields: ['title'] })
    log.append({ event: 'updated', collectionSlug: 'posts', documentId: '3', fields: ['title'] })
    await feed.catchUp(log.version())
    // Position 1 has left the window of two: the feed can no longer tell.
    expect(feed.changedSince(start, mergeDependencies(['posts:9']))).toBe(true)
    expect(feed.changedSince(1, mergeDependencies(['posts:9']))).toBe(false)
  })

  test('a version ahead of every row (compacted away) retires everything', async () => {
    const log = memoryLog()
    const feed = createChangeFeed(undefined, { read: log.read })
    await feed.catchUp(log.version())
    const seen: unknown[] = []
    feed.subscribe((event) => seen.push('everything' in event ? 'everything' : event.change.position))
    await feed.catchUp({ ...log.version(), position: 2 })
    expect(seen).toEqual(['everything'])
  })
})

describe('dependentCache', () => {
  const setUp = async (options: { maxBytes?: number; maxEntries?: number } = { maxEntries: 100 }) => {
    const log = memoryLog()
    const feed = createChangeFeed(undefined, { read: log.read })
    await feed.catchUp(log.version())
    const cache = createDependentCache<string, string>({ feed, sizeOf: (value) => value.length, ...options })
    const write = async (row: Omit<FeedChange, 'position'>) => {
      log.append(row)
      await feed.catchUp(log.version())
    }
    return { log, feed, cache, write }
  }

  test('a change retires exactly the entries it touches', async () => {
    const { feed, cache, write } = await setUp()
    const at = feed.knownPosition()
    cache.set('post 1', 'a', mergeDependencies(['posts:1', 'media:4']), at)
    cache.set('post 2', 'b', mergeDependencies(['posts:2']), at)
    cache.set('list by date', 'c', mergeDependencies(['posts:1', 'posts:2', { collection: 'posts', fields: ['publishedAt'] }]), at)
    cache.set('by slug', 'd', mergeDependencies([{ collection: 'posts', fields: ['slug'] }]), at)
    cache.set('search', 'e', mergeDependencies([EVERYTHING]), at)
    cache.set('header', 'f', mergeDependencies(['global:header']), at)

    await write({ event: 'updated', collectionSlug: 'posts', documentId: '3', fields: ['title'] })
    expect(['post 1', 'post 2', 'list by date', 'by slug', 'search', 'header'].map((key) => cache.get(key))).toEqual([
      'a', 'b', 'c', 'd', undefined, 'f',
    ])
    await write({ event: 'updated', collectionSlug: 'media', documentId: '4', fields: ['alt'] })
    expect(cache.get('post 1')).toBeUndefined()
    expect(cache.get('post 2')).toBe('b')
    await write({ event: 'updated', collectionSlug: 'posts', documentId: '7', fields: ['slug'] })
    expect(cache.get('by slug')).toBeUndefined()
    expect(cache.get('list by date')).toBe('c')
    await write({ event: 'published', collectionSlug: 'posts', documentId: '8' })
    expect(cache.get('list by date')).toBeUndefined()
    expect(cache.get('post 2')).toBe('b')
    await write({ event: 'updated', globalSlug: 'header', fields: null })
    expect(cache.get('header')).toBeUndefined()
    expect(cache.get('post 2')).toBe('b')
  })

  test('refuses a value a change since its render started touched, keeps one the change did not', async () => {
    const { feed, cache, write } = await setUp()
    const renderedFrom = feed.knownPosition()
    await write({ event: 'updated', collectionSlug: 'posts', documentId: '1', fields: ['title'] })
    expect(cache.set('post 1', 'old', mergeDependencies(['posts:1']), renderedFrom)).toBe(false)
    expect(cache.get('post 1')).toBeUndefined()
    expect(cache.set('post 2', 'fine', mergeDependencies(['posts:2']), renderedFrom)).toBe(true)
    expect(cache.get('post 2')).toBe('fine')
  })

  test('a new epoch empties it; bytes bound it; an evicted entry leaves the index', async () => {
    const { feed, log, cache, write } = await setUp({ maxBytes: 80 })
    const at = feed.knownPosition()
    for (let k = 0; k < 10; k++) cache.set(`k${k}`, 'x'.repeat(10), mergeDependencies([`posts:${k}`]), at)
    expect(cache.bytes).toBeLessThanOrEqual(80)
    expect(cache.get('k0')).toBeUndefined()
    expect(cache.get('k9')).toBe('x'.repeat(10))
    expect(cache.set('huge', 'x'.repeat(11), mergeDependencies([]), at)).toBe(false)
    await write({ event: 'deleted', collectionSlug: 'posts', documentId: '9' })
    expect(cache.get('k9')).toBeUndefined()
    expect(cache.get('k8')).toBe('x'.repeat(10))
    await feed.catchUp(log.version('another'))
    expect(cache.size).toBe(0)
  })
})
