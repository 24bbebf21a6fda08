import crypto from 'node:crypto'

import type { Payload } from 'payload'

import { richTextFromPlain } from '../src/seed/lexical'
import type { SharedContent } from './content'

export const BENCH_AUTHOR_EMAIL = 'bench.author@greenroom.bench'

export type SeedTimings = {
  posts: number
  concurrency: number
  /** Milliseconds per phase, measured inside the seeding process (Payload's start-up excluded). */
  ms: { author: number; media: number; categories: number; posts: number; total: number }
}

type Id = number

const elapsed = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e6

/** Runs `fn` over the items with at most `limit` calls in flight. */
const inPool = async <T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>) => {
  let next = 0
  const worker = async () => {
    while (next < items.length) await fn(items[next++])
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker))
}

const createAuthor = async (payload: Payload): Promise<Id> => {
  const author = await payload.create({
    collection: 'users',
    overrideAccess: true,
    depth: 0,
    data: {
      email: BENCH_AUTHOR_EMAIL,
      // Nobody signs in during the bench; the password only has to satisfy the auth collection.
      password: crypto.randomBytes(18).toString('base64url'),
      name: 'Bench Author',
      role: 'author',
      bio: 'Writes every post of the benchmark.',
    },
  })
  return author.id
}

const createCovers = async (payload: Payload, content: SharedContent): Promise<Id[]> => {
  const ids: Id[] = []
  for (let index = 0; index < content.CATEGORY_COUNT; index++) {
    const data = content.coverPng(index)
    const cover = await payload.create({
      collection: 'media',
      overrideAccess: true,
      depth: 0,
      data: { alt: `Cover ${index}` },
      file: { data, mimetype: 'image/png', name: content.coverName(index), size: data.length },
    })
    ids.push(cover.id)
  }
  return ids
}

const createCategories = async (payload: Payload, content: SharedContent): Promise<Id[]> => {
  const ids: Id[] = []
  for (let c = 0; c < content.CATEGORY_COUNT; c++) {
    const { name, slug, description } = content.category(c)
    const category = await payload.create({
      collection: 'categories',
      overrideAccess: true,
      depth: 0,
      data: { title: name, slug, description },
    })
    ids.push(category.id)
  }
  return ids
}

type PostRefs = { authorId: Id; coverIds: Id[]; categoryIds: Id[] }

const createPost = async (payload: Payload, content: SharedContent, i: number, refs: PostRefs) => {
  const post = content.post(i)
  await payload.create({
    collection: 'posts',
    overrideAccess: true,
    // The created document is not used: skip populating its relationships.
    depth: 0,
    data: {
      title: post.title,
      slug: post.slug,
      excerpt: post.excerpt,
      content: richTextFromPlain(post.body) as never,
      categories: [refs.categoryIds[post.categoryIndex]],
      heroImage: refs.coverIds[post.coverIndex],
      authors: [refs.authorId],
      publishedAt: post.publishedAt,
      _status: 'published',
    },
  })
}

/** The libsql client inside Payload's SQLite adapter. */
type SqlClient = { execute: (sql: string) => Promise<unknown> }

/**
 * Payload's SQLite adapter runs without transactions unless `transactionOptions` is set, and the
 * project's WAL setting keeps `synchronous = FULL`: every INSERT is its own commit with an fsync,
 * about a dozen per post. One explicit transaction on the adapter's single connection turns that
 * into a single commit. Safe here because the adapter never opens a second connection while its
 * transactions are off, and the database is thrown away if anything fails.
 */
const inOneTransaction = async <T>(payload: Payload, work: () => Promise<T>): Promise<T> => {
  const client = (payload.db as unknown as { client?: SqlClient }).client
  if (!client) return work()
  await client.execute('BEGIN IMMEDIATE')
  try {
    const result = await work()
    await client.execute('COMMIT')
    return result
  } catch (error) {
    await client.execute('ROLLBACK')
    throw error
  }
}

/** Seeds the shared benchmark content through the Local API. */
export const seedBenchContent = async (payload: Payload, content: SharedContent, concurrency = 4): Promise<SeedTimings> => {
  const ms = { author: 0, media: 0, categories: 0, posts: 0, total: 0 }
  const started = process.hrtime.bigint()
  await inOneTransaction(payload, async () => {
    let phase = process.hrtime.bigint()
    const authorId = await createAuthor(payload)
    ms.author = elapsed(phase)

    phase = process.hrtime.bigint()
    const coverIds = await createCovers(payload, content)
    ms.media = elapsed(phase)

    phase = process.hrtime.bigint()
    const categoryIds = await createCategories(payload, content)
    ms.categories = elapsed(phase)

    phase = process.hrtime.bigint()
    const refs = { authorId, coverIds, categoryIds }
    const indexes = Array.from({ length: content.POST_COUNT }, (_, k) => k + 1)
    await inPool(indexes, concurrency, (i) => createPost(payload, content, i, refs))
    ms.posts = elapsed(phase)
  })
  ms.total = elapsed(started)
  return { posts: content.POST_COUNT, concurrency, ms }
}
