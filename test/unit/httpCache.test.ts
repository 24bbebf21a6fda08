import type { IncomingMessage } from 'node:http'

import { cacheTagHeader, tagsToPurge } from '../../src/changes/cacheTags'
import { coalesceReads } from '../../src/changes/contentVersion'
import { asksForDrafts, httpCacheSettingsFromEnv } from '../../src/server/cache/httpCache'
import { entityTag, isNotModified, lastModifiedOf, matchesIfNoneMatch } from '../../src/server/cache/validators'
import { createReaders, verdictOf } from '../../src/server/readers'

/** A request as Node parses it: `rawHeaders` keeps every line as sent, duplicates included. */
const request = (headers: Record<string, string>) => ({ headers }) as unknown as IncomingMessage
const requestWithLines = (lines: [string, string][]) =>
  ({ rawHeaders: lines.flat(), headers: Object.fromEntries(lines.map(([name, value]) => [name.toLowerCase(), value])) }) as unknown as IncomingMessage

describe('matchesIfNoneMatch', () => {
  test.each([
    ['"abc"', '"abc"', true],
    ['"x", "abc"', '"abc"', true],
    ['W/"abc"', '"abc"', true],
    ['*', '"abc"', true],
    ['"abd"', '"abc"', false],
    ['abc', '"abc"', false],
  ])('%s against %s → %s', (header, etag, expected) => {
    expect(matchesIfNoneMatch(header, etag)).toBe(expected)
  })
})

describe('lastModifiedOf', () => {
  const version = { version: 'v', changedAt: '2026-11-25T10:00:00.700Z' }

  test('is withheld while the second of the change lasts', () => {
    expect(lastModifiedOf(version, Date.parse('2026-11-25T10:00:00.900Z'))).toBeUndefined()
  })

  test('is the second of the change afterwards', () => {
    expect(lastModifiedOf(version, Date.parse('2026-11-25T10:00:01.000Z'))).toBe('Wed, 25 Nov 2026 10:00:00 GMT')
  })
})

describe('isNotModified', () => {
  const lastModified = 'Wed, 25 Nov 2026 10:00:00 GMT'

  test('If-None-Match decides when it is sent', () => {
    expect(
      isNotModified(request({ 'if-none-match': '"a"', 'if-modified-since': lastModified }), '"b"', lastModified),
    ).toBe(false)
    expect(isNotModified(request({ 'if-none-match': '"b"' }), '"b"', undefined)).toBe(true)
  })

  test('If-Modified-Since counts whole seconds and ignores what is not a date', () => {
    expect(isNotModified(request({ 'if-modified-since': lastModified }), '"b"', lastModified)).toBe(true)
    expect(isNotModified(request({ 'if-modified-since': 'Wed, 25 Nov 2026 09:59:59 GMT' }), '"b"', lastModified)).toBe(
      false,
    )
    expect(isNotModified(request({ 'if-modified-since': 'yesterday' }), '"b"', lastModified)).toBe(false)
    expect(isNotModified(request({ 'if-modified-since': lastModified }), '"b"', undefined)).toBe(false)
  })

  test('a conditional request saying Cache-Control: no-cache, as fetch() sends every one, still gets its 304', () => {
    const fromFetch = { 'cache-control': 'no-cache', pragma: 'no-cache' }
    expect(isNotModified(request({ 'if-none-match': '"b"', ...fromFetch }), '"b"', lastModified)).toBe(true)
    expect(isNotModified(request({ 'if-modified-since': lastModified, ...fromFetch }), '"b"', lastModified)).toBe(true)
    expect(isNotModified(request({ 'if-none-match': '"a"', ...fromFetch }), '"b"', lastModified)).toBe(false)
  })
})

describe('entityTag', () => {
  test('is strong and the same for the same bytes, different for others', () => {
    const tag = entityTag(Buffer.from('{"docs":[]}'))
    expect(tag).toMatch(/^"[^"]+"$/)
    expect(entityTag(Buffer.from('{"docs":[]}'))).toBe(tag)
    expect(entityTag(Buffer.from('{"docs":[1]}'))).not.toBe(tag)
  })
})

describe('asksForDrafts', () => {
  test.each([
    ['/api/posts', false],
    ['/api/posts?draft=false', false],
    ['/api/posts?draft=true', true],
    ['/api/posts?depth=1&draft=1', true],
    ['/api/posts?draft', true],
    ['/api/posts?draft=false&draft=true', false],
    ['/api/posts?notdraft=true', false],
  ])('%s → %s', (url, expected) => {
    expect(asksForDrafts(url)).toBe(expected)
  })
})

describe('readers', () => {
  const readers = createReaders('payload')
  const kindOf = (lines: [string, string][]) => readers.of(requestWithLines(lines)).kind

  test.each<[string, [string, string][], string]>([
    ['nothing', [], 'anonymous'],
    ['other cookies', [['Cookie', 'theme=dark; not-payload-tokens=1']], 'credentialed'],
    ['analytics cookies', [['Cookie', '_ga=GA1.2.3; theme=dark']], 'anonymous'],
    ['an API key', [['Authorization', 'users API-Key 1234']], 'credentialed'],
    ['a JWT', [['Authorization', 'JWT abc.def.ghi']], 'credentialed'],
    ['a Bearer token', [['authorization', 'Bearer abc.def.ghi']], 'credentialed'],
    ['any Authorization at all', [['Authorization', 'Basic Zm9vOmJhcg==']], 'credentialed'],
    ['the token cookie', [['Cookie', 'theme=dark; payload-token=abc']], 'credentialed'],
    ['a space before =', [['Cookie', 'payload-token =abc']], 'credentialed'],
    ['a tab inside the name', [['Cookie', 'payload-\ttoken=abc']], 'credentialed'],
    ['another case', [['Cookie', 'PAYLOAD-TOKEN=abc']], 'credentialed'],
    ['percent-encoded', [['Cookie', 'payload%2Dtoken=abc']], 'credentialed'],
    ['a name without a value', [['Cookie', 'payload-token']], 'credentialed'],
    ['a second Cookie line', [['Cookie', 'theme=dark'], ['cookie', 'payload-token=abc']], 'credentialed'],
  ])('%s → %s', (_, lines, kind) => {
    expect(kindOf(lines)).toBe(kind)
  })

  test('keeps two sets of credentials apart without keeping them', () => {
    const one = readers.of(requestWithLines([['Authorization', 'users API-Key one']]))
    const two = readers.of(requestWithLines([['Authorization', 'users API-Key two']]))
    expect(one).not.toEqual(two)
    expect(JSON.stringify(one)).not.toContain('one')
  })

  test('a duplicate Authorization line counts, though Node keeps only the first in `headers`', () => {
    const single = readers.of(requestWithLines([['Authorization', 'users API-Key one']]))
    const doubled = readers.of(requestWithLines([['Authorization', 'users API-Key one'], ['Authorization', 'JWT x']]))
    expect(doubled).not.toEqual(single)
  })

  test('remembers what Payload made of credentials, for the next request carrying them', () => {
    const lines: [string, string][] = [['Authorization', 'users API-Key remembered']]
    const first = requestWithLines(lines)
    expect(readers.of(first)).toMatchObject({ kind: 'credentialed', verified: undefined })
    readers.remember(first, 'apiKey')
    expect(readers.of(requestWithLines(lines))).toMatchObject({ kind: 'credentialed', verified: 'apiKey' })
    readers.remember(requestWithLines(lines), 'editor')
    expect(readers.of(requestWithLines(lines))).toMatchObject({ kind: 'credentialed', verified: 'editor' })
  })
})

describe('verdictOf (Payload leaves its user on the request it authenticated)', () => {
  const authenticated = (user: unknown) => Object.assign(new Request('http://x/api/posts'), { user })
  test.each<[string, Request, string]>([
    ['never authenticated', new Request('http://x/api/posts'), 'unknown'],
    ['no user', authenticated(null), 'anonymous'],
    ['an API key', authenticated({ id: 1, _strategy: 'api-key' }), 'apiKey'],
    ['a session', authenticated({ id: 1, _strategy: 'local-jwt' }), 'editor'],
  ])('%s → %s', (_, request, verdict) => {
    expect(verdictOf(request)).toBe(verdict)
  })
})

describe('httpCacheSettingsFromEnv', () => {
  test('defaults to browsers revalidating and shared caches keeping answers a minute', () => {
    expect(httpCacheSettingsFromEnv({})).toEqual({
      publicCacheControl: 'public, max-age=0, s-maxage=60, stale-while-revalidate=300',
      responseCacheBytes: 64 * 1024 * 1024,
    })
  })

  test('takes Cache-Control and the store size from the environment, 0 turning the store off', () => {
    expect(httpCacheSettingsFromEnv({ API_CACHE_CONTROL: 'public, s-maxage=5', API_RESPONSE_CACHE_MB: '0' })).toEqual({
      publicCacheControl: 'public, s-maxage=5',
      responseCacheBytes: 0,
    })
  })

  test('refuses a size that is not one', () => {
    expect(() => httpCacheSettingsFromEnv({ API_RESPONSE_CACHE_MB: 'lots' })).toThrow(/API_RESPONSE_CACHE_MB "lots"/)
  })
})

describe('cache tags', () => {
  test('a change purges its document and every list of its collection', () => {
    expect(tagsToPurge({ collection: 'posts', id: 12 })).toEqual(['posts', 'posts:12'])
    expect(tagsToPurge({ global: 'header' })).toEqual(['global:header'])
  })

  test('too many for one header fall back to their collections', () => {
    const tags = ['posts', ...Array.from({ length: 500 }, (_, k) => `posts:${k}`), 'media:1', 'global:footer']
    expect(cacheTagHeader(tags, 1000)).toBe('posts,media,global:footer')
    expect(cacheTagHeader(['posts:1', 'media:2'])).toBe('posts:1,media:2')
  })
})

describe('coalesceReads', () => {
  const deferredReads = () => {
    const pending: ((value: number) => void)[] = []
    let started = 0
    const read = () =>
      new Promise<number>((resolve) => {
        const n = ++started
        pending.push(() => resolve(n))
      })
    return { read, pending, started: () => started }
  }

  const nextTurn = () => new Promise((resolve) => setImmediate(resolve))

  test('callers of one turn share one read, started after all of them asked', async () => {
    const { read, pending, started } = deferredReads()
    const current = coalesceReads(read)
    const asked = [current(), current(), current()]
    expect(started()).toBe(0)
    await nextTurn()
    expect(started()).toBe(1)
    pending[0](0)
    expect(await Promise.all(asked)).toEqual([1, 1, 1])
  })

  test('callers arriving during a read share the next one, never the running one', async () => {
    const { read, pending, started } = deferredReads()
    const current = coalesceReads(read)
    const first = current()
    await nextTurn()
    expect(started()).toBe(1)
    const second = current()
    const third = current()
    await nextTurn()
    expect(started()).toBe(1)
    pending[0](0)
    expect(await first).toBe(1)
    await nextTurn()
    expect(started()).toBe(2)
    pending[1](0)
    expect(await second).toBe(2)
    expect(await third).toBe(2)
  })

  test('a failed read fails its callers only', async () => {
    let calls = 0
    const current = coalesceReads(async () => {
      calls++
      if (calls === 1) throw new Error('database gone')
      return calls
    })
    await expect(current()).rejects.toThrow('database gone')
    expect(await current()).toBe(2)
  })
})
