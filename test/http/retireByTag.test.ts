// A change retires only the stored answers it touches (src/server/cache/httpCache.ts, src/changes/changeFeed.ts),
// and none that it touches survives: two servers on one database, one keeping answers, one (API_RESPONSE_CACHE_MB=0)
// asking Payload every time as the oracle. Readers read while writes of every kind go through either server; after
// each write, every URL read from the storing server must be byte for byte what the oracle answers.
import crypto from 'node:crypto'
import path from 'node:path'

import { richTextFromPlain } from '../../src/seed/lexical'
import type { Json } from '../helpers/http'
import { api, login } from '../helpers/http'
import type { TestServer } from '../helpers/server'
import { TEST_ADMIN, startTestServer } from '../helpers/server'

let stored: TestServer
let oracle: TestServer
let adminAuth: string

/** Readers read far more than an address may in a minute. */
const UNLIMITED = { RATE_LIMIT_PER_IP: '0', RATE_LIMIT_PER_SESSION: '0' }

/** Absolute URLs (media) name this address on both servers, and both read one media folder. */
const shared = (dir: string) => ({ ...UNLIMITED, PUBLIC_SERVER_URL: 'http://cms.example', MEDIA_DIR: path.join(dir, 'media') })

beforeAll(async () => {
  stored = await startTestServer({ seed: true, env: { ...UNLIMITED, PUBLIC_SERVER_URL: 'http://cms.example' } })
  oracle = await startTestServer({
    seed: false,
    databaseUri: stored.databaseUri,
    env: { ...shared(stored.dir), API_RESPONSE_CACHE_MB: '0' },
  })
  adminAuth = await login(stored.url, TEST_ADMIN.email, TEST_ADMIN.password)
}, 240_000)

afterAll(async () => {
  await oracle?.stop()
  await stored?.stop()
})

type Read = { path: string; graphql?: string }

const read = async (base: string, { path: url, graphql }: Read) => {
  const res = graphql
    ? await fetch(`${base}/api/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: graphql }),
      })
    : await fetch(`${base}${url}`)
  return { status: res.status, body: await res.text(), cacheStatus: res.headers.get('cache-status') }
}

const write = async (base: string, url: string, method: string, body?: unknown) => {
  const res = await api(base, url, { method, auth: adminAuth, body })
  if (res.status >= 300) throw new Error(`${method} ${url}: ${res.status} ${JSON.stringify(res.body)}`)
  return res.body
}

const unique = () => crypto.randomUUID().slice(0, 8)

const createPost = (base: string, title: string, extra: Json = {}) =>
  write(base, '/api/posts', 'POST', {
    title,
    content: richTextFromPlain(`${title} body text.`),
    _status: 'published',
    ...extra,
  }).then((body) => body.doc as Json)

test('after every write, on either server, every answer the store gives is the one Payload gives', async () => {
  const posts = (await api(stored.url, '/api/posts?limit=100&depth=0&sort=publishedAt')).body.docs as Json[]
  const categories = (await api(stored.url, '/api/categories?limit=100&depth=0')).body.docs as Json[]
  const media = (await api(stored.url, '/api/media?limit=1&depth=0')).body.docs as Json[]
  const home = (await api(stored.url, '/api/pages?where[slug][equals]=home&depth=0')).body.docs[0] as Json
  const users = (await api(stored.url, '/api/users?limit=10&depth=0', { auth: adminAuth })).body.docs as Json[]
  expect(posts.length).toBeGreaterThanOrEqual(3)
  expect(categories.length).toBeGreaterThanOrEqual(2)
  expect(home.layout.some((block: Json) => block.blockType === 'archive')).toBe(true)
  const author = users[0]!
  const [category, otherCategory] = categories
  // Two posts of our own, so that every write below is of something the readers read.
  const a = await createPost(stored.url, `Alpha ${unique()}`, { categories: [category!.id], authors: [author.id], heroImage: media[0]?.id })
  const b = await createPost(oracle.url, `Beta ${unique()}`, { categories: [otherCategory!.id], relatedPosts: [a.id] })
  const newSlug = `gamma-${unique()}`

  const reads: Read[] = [
    { path: '/api/posts?limit=3&depth=1' },
    { path: '/api/posts?limit=3&page=2&depth=1' },
    { path: '/api/posts?limit=10&depth=0&sort=-publishedAt' },
    { path: '/api/posts?limit=10&depth=0&sort=title' },
    { path: `/api/posts?where[slug][equals]=${a.slug}&depth=1` },
    { path: `/api/posts?where[slug][equals]=${b.slug}&depth=1` },
    { path: `/api/posts?where[slug][equals]=${newSlug}&depth=1` },
    { path: `/api/posts?where[categories.slug][equals]=${category!.slug}&depth=1` },
    { path: `/api/posts?where[categories][in]=${otherCategory!.id}&depth=0` },
    { path: `/api/posts/${a.id}?depth=1` },
    { path: `/api/posts/${a.id}?depth=0` },
    { path: `/api/posts/${b.id}?depth=2` },
    { path: `/api/posts/${posts[0]!.id}?depth=1` },
    { path: '/api/posts/count' },
    { path: '/api/pages?where[slug][equals]=home&depth=1' },
    { path: '/api/pages?where[slug][equals]=home&depth=0' },
    { path: `/api/pages/${home.id}?depth=1` },
    { path: '/api/categories?limit=20&depth=0' },
    { path: `/api/categories/${category!.id}` },
    { path: '/api/globals/header?depth=1' },
    { path: '/api/globals/footer?depth=1' },
    { path: '/api/globals/site-settings' },
    { path: '/api/media?limit=5' },
    ...(media[0] ? [{ path: `/api/media/${media[0].id}` }] : []),
    { path: '/api/search?limit=5' },
    { path: 'gql list', graphql: '{ Posts(limit: 3) { totalDocs docs { id title slug path categories { title slug } heroImage { alt url } populatedAuthors { name } } } }' },
    { path: 'gql by slug', graphql: `{ Posts(where: { slug: { equals: "${a.slug}" } }) { docs { id title path relatedPosts { title slug } } } }` },
    // Lists retired by the fields their where and sort use, as REST lists are.
    { path: 'gql page 2', graphql: '{ Posts(limit: 3, page: 2) { totalDocs docs { id title slug } } }' },
    { path: 'gql by title', graphql: '{ Posts(limit: 10, sort: "title") { docs { id title } } }' },
    { path: 'gql by new slug', graphql: `{ Posts(where: { slug: { equals: "${newSlug}" } }) { docs { id title } } countPosts(where: { slug: { equals: "${newSlug}" } }) { totalDocs } }` },
    { path: 'gql by category', graphql: `{ Posts(where: { categories: { in: [${JSON.stringify(otherCategory!.id)}] } }, sort: "-publishedAt") { totalDocs docs { id title } } }` },
    { path: 'gql document', graphql: `{ Post(id: ${JSON.stringify(b.id)}) { title slug path relatedPosts { id title path } } }` },
    { path: 'gql pages', graphql: '{ Pages { docs { id title path } } }' },
    { path: 'gql categories', graphql: '{ Categories(limit: 20) { docs { id title slug } } }' },
    { path: 'gql header', graphql: '{ Header { navItems { link { href label } } } }' },
  ]

  // Readers: keep the storing server busy (and its store full) while the writes run.
  let reading = true
  const readers = Array.from({ length: 3 }, async (_, worker) => {
    for (let k = worker; reading; k++) await read(stored.url, reads[k % reads.length]!)
  })

  const failures: string[] = []
  const compare = async (after: string) => {
    for (const one of reads) {
      const fromStore = await read(stored.url, one)
      const fromPayload = await read(oracle.url, one)
      if (fromStore.status !== fromPayload.status || fromStore.body !== fromPayload.body) {
        let at = 0
        while (fromStore.body[at] === fromPayload.body[at]) at++
        const around = (body: string) => body.slice(Math.max(0, at - 150), at + 150)
        failures.push(
          `after ${after}: ${one.path} (${fromStore.status}, ${fromStore.cacheStatus}) differs from Payload's (${fromPayload.status}) at ${at}:` +
            `\n  store:  …${around(fromStore.body)}\n  oracle: …${around(fromPayload.body)}`,
        )
      }
    }
  }

  const servers = [stored.url, oracle.url]
  const writes: [string, (base: string) => Promise<unknown>][] = [
    ['a title edit', (base) => write(base, `/api/posts/${a.id}`, 'PATCH', { title: `Alpha retitled ${unique()}` })],
    ['a slug change', (base) => write(base, `/api/posts/${a.id}`, 'PATCH', { slug: `alpha-moved-${unique()}` })],
    ['a category change', (base) => write(base, `/api/posts/${b.id}`, 'PATCH', { categories: [category!.id] })],
    ['a publishedAt change', (base) => write(base, `/api/posts/${b.id}`, 'PATCH', { publishedAt: '2020-01-01T00:00:00.000Z' })],
    ['an unpublish', (base) => write(base, `/api/posts/${a.id}`, 'PATCH', { _status: 'draft' })],
    ['a publish of a new post', (base) => createPost(base, `Gamma ${unique()}`, { slug: newSlug, categories: [category!.id] })],
    ['a republish', (base) => write(base, `/api/posts/${a.id}`, 'PATCH', { _status: 'published' })],
    ['a move to the trash', (base) => write(base, `/api/posts/${b.id}`, 'PATCH', { deletedAt: new Date().toISOString() })],
    ['a restore', (base) => write(base, `/api/posts/${b.id}?trash=true`, 'PATCH', { deletedAt: null, _status: 'published' })],
    ...(media[0]
      ? [['a media alt change', (base: string) => write(base, `/api/media/${media[0]!.id}`, 'PATCH', { alt: `Alt ${unique()}` })] as [string, (base: string) => Promise<unknown>]]
      : []),
    ['a category rename', (base) => write(base, `/api/categories/${category!.id}`, 'PATCH', { title: `Renamed ${unique()}` })],
    ['an author name change', (base) => write(base, `/api/users/${author.id}`, 'PATCH', { name: `Author ${unique()}` })],
    [
      'a header change',
      (base) =>
        write(base, '/api/globals/header', 'POST', {
          _status: 'published',
          navItems: [{ link: { type: 'reference', reference: { relationTo: 'posts', value: a.id }, label: 'Alpha' } }],
        }),
    ],
    [
      'a site-settings URL pattern change',
      (base) => write(base, '/api/globals/site-settings', 'POST', { _status: 'published', urls: { postPath: '/blog/:slug' } }),
    ],
    ['a slug change of a linked post', (base) => write(base, `/api/posts/${a.id}`, 'PATCH', { slug: `alpha-linked-${unique()}` })],
  ]

  try {
    await compare('warming up')
    for (const [index, [name, run]] of writes.entries()) {
      const through = servers[index % 2]!
      await run(through)
      await compare(`${name} through the ${through === stored.url ? 'storing' : 'oracle'} server`)
    }
  } finally {
    reading = false
    await Promise.all(readers)
  }
  expect(failures).toEqual([])
}, 600_000)

test('a title edit of one post leaves answers that do not show it stored', async () => {
  const older = await createPost(stored.url, `Older ${unique()}`, { publishedAt: '2001-01-01T00:00:00.000Z' })
  const edited = await createPost(stored.url, `Edited ${unique()}`, { publishedAt: '2099-01-01T00:00:00.000Z' })
  const untouched: Read[] = [
    { path: `/api/posts?where[slug][equals]=${older.slug}&depth=1` },
    { path: '/api/posts?limit=2&page=2&depth=1' },
    { path: 'gql by slug', graphql: `{ Posts(where: { slug: { equals: "${older.slug}" } }) { docs { id title } } }` },
    { path: 'gql page 2', graphql: '{ Posts(limit: 2, page: 2, sort: "-publishedAt") { totalDocs docs { id title } } }' },
  ]
  const page1 = (await api(stored.url, '/api/posts?limit=2&page=1&depth=0')).body.docs as Json[]
  expect(page1[0]!.id).toBe(edited.id)
  for (const one of untouched) {
    await read(stored.url, one)
    expect([one.path, (await read(stored.url, one)).cacheStatus]).toEqual([one.path, 'greenroom; hit'])
  }
  const touched: Read[] = [
    { path: `/api/posts/${edited.id}?depth=1` },
    { path: 'gql page 1', graphql: '{ Posts(limit: 2, page: 1, sort: "-publishedAt") { docs { id title } } }' },
    { path: 'gql by title', graphql: '{ Posts(limit: 2, sort: "title") { docs { id title } } }' },
  ]
  for (const one of touched) {
    await read(stored.url, one)
    expect([one.path, (await read(stored.url, one)).cacheStatus]).toEqual([one.path, 'greenroom; hit'])
  }

  await write(oracle.url, `/api/posts/${edited.id}`, 'PATCH', { title: `Edited again ${unique()}` })

  for (const one of untouched) expect([one.path, (await read(stored.url, one)).cacheStatus]).toEqual([one.path, 'greenroom; hit'])
  for (const one of touched) expect([one.path, (await read(stored.url, one)).cacheStatus]).not.toEqual([one.path, 'greenroom; hit'])
}, 120_000)

test('concurrent misses of one answer share one render', async () => {
  // A URL nobody read yet: the first request renders, the others wait for it (or find it stored).
  const url = `/api/posts?limit=4&depth=2&sort=-createdAt&where[title][not_equals]=${unique()}`
  const answers = await Promise.all(Array.from({ length: 6 }, () => read(stored.url, { path: url })))
  const statuses = answers.map(({ cacheStatus }) => cacheStatus)
  expect(statuses.filter((status) => status === 'greenroom; fwd=miss')).toHaveLength(1)
  expect(statuses.every((status) => /^greenroom; (hit|fwd=miss(; collapsed)?)$/.test(status ?? ''))).toBe(true)
  expect(new Set(answers.map(({ body }) => body)).size).toBe(1)
}, 60_000)
