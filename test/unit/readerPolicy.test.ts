// The reader policy (src/readerPolicy): what an anonymous or API-key reader may read and ask for.
import type { PayloadRequest, SanitizedConfig } from 'payload'
import { APIError } from 'payload'

import { applyReaderPolicy } from '../../src/readerPolicy/enforce'
import { localeProblem, pagingProblem } from '../../src/readerPolicy/parameters'
import type { ReaderPolicy } from '../../src/readerPolicy/policy'
import { readerPolicyFromEnv } from '../../src/readerPolicy/policy'

const LOCALES = ['en', 'de']
const policy: ReaderPolicy = { ...readerPolicyFromEnv({}, LOCALES), maxDepth: 2, maxLimit: 50, maxPage: 100 }

describe('localeProblem', () => {
  test.each([{}, { locale: 'de' }, { locale: 'all' }, { locale: '*' }, { 'fallback-locale': 'none' }, { fallbackLocale: 'en' }])(
    'accepts %j',
    (query) => expect(localeProblem(query, LOCALES)).toBeNull(),
  )

  test('names the unknown value and what is allowed', () => {
    expect(localeProblem({ locale: 'fr' }, LOCALES)).toBe('Unknown locale "fr": use one of en, de, or "all".')
    expect(localeProblem({ 'fallback-locale': 'xx' }, LOCALES)).toBe('Unknown fallback-locale "xx": use one of en, de, or "none".')
    expect(localeProblem({ locale: ['de', 'en'] }, LOCALES)).toBe('Give one locale.')
    expect(localeProblem({ locale: `${'x'.repeat(100)}` }, LOCALES)).toHaveLength(
      `Unknown locale "": use one of en, de, or "all".`.length + 40,
    )
  })
})

describe('pagingProblem', () => {
  // As Payload's REST parser leaves them: numbers where it could read one, the raw value otherwise.
  test.each<[string, Record<string, unknown>]>([
    ['a word', { limit: 'abc' }],
    ['false', { limit: 'false' }],
    ['null', { limit: 'null' }],
    ['true', { limit: 'true' }],
    ['NaN', { limit: Number.NaN }],
    ['empty', { limit: '' }],
    ['a fraction', { limit: 1.5 }],
    ['an object', { limit: { a: '1' } }],
    ['a list', { limit: ['1', '2'] }],
    ['1e21', { limit: 1e21 }],
    ['negative', { limit: -1 }],
    ['a negative page', { page: -3 }],
    ['page 0', { page: 0 }],
    ['a fractional page', { page: 2.5 }],
    ['a word for a page', { page: 'last' }],
    ['a negative depth', { depth: -1 }],
    ['a word for a depth', { depth: 'deep' }],
    ['Infinity', { depth: Number.POSITIVE_INFINITY }],
  ])('refuses %s, for editors too', (_, args) => {
    expect(pagingProblem(args, undefined)).toMatch(/must be a whole number of at least [01]; got /)
    expect(pagingProblem(args, policy)).toMatch(/must be a whole number of at least [01]; got /)
  })

  test('accepts whole numbers in range, and nothing at all', () => {
    expect(pagingProblem({}, policy)).toBeNull()
    expect(pagingProblem({ depth: 0, limit: 1, page: 1 }, policy)).toBeNull()
    expect(pagingProblem({ depth: 2, limit: 50, page: 100 }, policy)).toBeNull()
  })

  test("holds readers to the policy's caps, with messages that say them", () => {
    expect(pagingProblem({ depth: 3 }, policy)).toBe('depth 3 is deeper than the 2 levels readers may ask for.')
    expect(pagingProblem({ limit: 51 }, policy)).toBe('limit 51 is more than the 50 documents per page readers may ask for.')
    expect(pagingProblem({ page: 101 }, policy)).toMatch(/^page 101 is past the 100 pages readers may ask for/)
    expect(pagingProblem({ limit: 0 }, policy)).toMatch(/^Reading every document at once is not allowed/)
    expect(pagingProblem({ pagination: false }, policy)).toMatch(/^Reading every document at once is not allowed/)
  })

  test('editors are not capped', () => {
    expect(pagingProblem({ depth: 5, limit: 0, page: 10_000, pagination: false }, undefined)).toBeNull()
  })
})

describe('applyReaderPolicy', () => {
  const reader = null
  const apiKey = { id: 1, role: 'admin', collection: 'users', _strategy: 'api-key' }
  const author = { id: 2, role: 'author', collection: 'users' }
  const req = (user: unknown, payloadAPI = 'REST', query = {}) => ({ user, payloadAPI, query }) as unknown as PayloadRequest

  const config = () => {
    const collection = (slug: string, read?: unknown) => ({ slug, access: { read, readVersions: () => true }, hooks: {} })
    return applyReaderPolicy(policy)({
      collections: [
        collection('posts', () => true),
        collection('categories', () => true),
        collection('users', () => true),
        collection('payload-locked-documents', ({ req: { user } }: { req: PayloadRequest }) => Boolean(user)),
      ],
      globals: [{ slug: 'header', access: { read: () => true }, hooks: {} }],
    } as unknown as SanitizedConfig)
  }
  const accessOf = (slug: string, kind: 'read' | 'readVersions', user: unknown) => {
    const found = config().collections.find((collection) => collection.slug === slug)!
    return found.access[kind]!({ req: req(user) } as never)
  }

  test('a reader sees published posts, all categories, and nothing of what the policy does not list', async () => {
    for (const user of [reader, apiKey]) {
      expect(await accessOf('posts', 'read', user)).toEqual({ _status: { equals: 'published' } })
      expect(await accessOf('categories', 'read', user)).toBe(true)
      expect(await accessOf('users', 'read', user)).toBe(false)
      // Payload's own collections grant any signed-in user, and an API key is one to Payload.
      expect(await accessOf('payload-locked-documents', 'read', user)).toBe(false)
      expect(await accessOf('posts', 'readVersions', user)).toBe(false)
    }
  })

  test("the team gets what each collection's own access gives", async () => {
    expect(await accessOf('posts', 'read', author)).toBe(true)
    expect(await accessOf('users', 'read', author)).toBe(true)
    expect(await accessOf('payload-locked-documents', 'read', author)).toBe(true)
    expect(await accessOf('posts', 'readVersions', author)).toBe(true)
  })

  test("a collection's own, stricter access still holds for readers", async () => {
    const strict = applyReaderPolicy(policy)({
      collections: [{ slug: 'posts', access: { read: () => ({ featured: { equals: true } }) }, hooks: {} }],
      globals: [],
    } as unknown as SanitizedConfig)
    expect(await strict.collections[0].access.read!({ req: req(reader) } as never)).toEqual({
      and: [{ featured: { equals: true } }, { _status: { equals: 'published' } }],
    })
  })

  const hook = () => config().collections[0].hooks.beforeOperation![0] as unknown as (args: object) => unknown
  const run = (args: object, request: PayloadRequest) => hook()({ args, req: request, operation: 'read' })

  test("every operation's arguments are checked, readers' against the caps", () => {
    expect(() => run({ limit: 'abc' }, req(author))).toThrow(APIError)
    expect(() => run({ limit: 51 }, req(reader))).toThrow(/limit 51/)
    expect(() => run({ limit: 51 }, req(apiKey))).toThrow(/limit 51/)
    expect(run({ limit: 51 }, req(author))).toEqual({ limit: 51 })
    expect(() => run({}, req(reader, 'REST', { locale: 'fr' }))).toThrow(/Unknown locale "fr"/)
    // A global's handler drops a depth it cannot read, so the query string is checked as it came too.
    expect(() => run({}, req(author, 'REST', { depth: 'abc' }))).toThrow(/^depth must be a whole number of at least 0; got "abc"\.$/)
    expect(run({ depth: 1 }, req(reader, 'REST', { depth: '1' }))).toEqual({ depth: 1 })
  })

  test("a reader's draft read reads the published version; the team keeps it", () => {
    expect(run({ draft: true }, req(reader))).toEqual({ draft: false, trash: false })
    expect(run({ draft: true }, req(apiKey))).toEqual({ draft: false, trash: false })
    expect(run({ draft: true }, req(author))).toEqual({ draft: true })
  })

  test("a reader's trash read reads what it reads without it; the team keeps it", () => {
    expect(run({ trash: true }, req(reader))).toEqual({ draft: false, trash: false })
    expect(run({ trash: true }, req(apiKey))).toEqual({ draft: false, trash: false })
    expect(run({ trash: true }, req(author))).toEqual({ trash: true })
  })

  test('a collection with a trash adds "not in the trash" to what readers read', async () => {
    const withTrash = applyReaderPolicy(policy)({
      collections: [{ slug: 'posts', trash: true, access: {}, hooks: {} }],
      globals: [],
    } as unknown as SanitizedConfig)
    expect(await withTrash.collections[0].access.read!({ req: req(reader) } as never)).toEqual({
      and: [{ _status: { equals: 'published' } }, { deletedAt: { exists: false } }],
    })
    expect(await withTrash.collections[0].access.read!({ req: req(author) } as never)).toBe(true)
  })

  test("server code's Local API calls and Payload's own reads are not capped", () => {
    expect(run({ limit: 0 }, req(reader, 'local'))).toEqual({ limit: 0 })
    expect(run({ pagination: false, overrideAccess: true }, req(reader))).toEqual({ pagination: false, overrideAccess: true })
    expect(run({ limit: 500, currentDepth: 1 }, req(reader))).toEqual({ limit: 500, currentDepth: 1 })
  })
})
