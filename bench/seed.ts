import crypto from 'node:crypto'

import type { Payload } from 'payload'

import { richTextFromPlain } from '../src/seed/lexical'
import type { SharedContent } from './content'

export const BENCH_AUTHOR_EMAIL = 'bench.author@greenroom.bench'
/** The editor who publishes during the mixed-read load, through the REST API with a session of their own. */
export const BENCH_EDITOR_EMAIL = 'bench.editor@greenroom.bench'
// A throw-away database on 127.0.0.1: the password only has to be known to the bench.
export const BENCH_EDITOR_PASSWORD = 'bench-editor-password-0123456789'

export type SeedTimings = {
  posts: number
  concurrency: number
  /** Posts per database transaction. */
  batchSize: number
  /** How the posts were committed, in words, for the report. */
  transactions: string
  /** Rows per table of a post after the SQL copies (bench/amplify.ts), when there were any. */
  rowsAfterCopy?: Record<string, number>
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

/** Created after the author, who is the first user and so an admin (firstUserIsAdmin). */
const createEditor = async (payload: Payload) => {
  await payload.create({
    collection: 'users',
    overrideAccess: true,
    depth: 0,
    data: { email: BENCH_EDITOR_EMAIL, password: BENCH_EDITOR_PASSWORD, name: 'Bench Editor', role: 'editor' },
  })
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

const createPost = async (payload: Payload, content: SharedContent, i: number, refs: PostRefs, transactionID?: number | string) => {
  const post = content.post(i)
  await payload.create({
    collection: 'posts',
    overrideAccess: true,
    // Inside the caller's transaction when there is one: Payload then neither begins nor commits.
    ...(transactionID === undefined ? {} : { req: { transactionID } }),
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

/** A transaction that a batch of creates shares; `transactionID` is undefined for a raw SQLite one. */
type BatchTransaction = { transactionID?: number | string; commit: () => Promise<void>; rollback: () => Promise<void> }

/**
 * Payload's own transaction API (what each create would otherwise begin and commit by itself),
 * held open for a batch: every create of the batch passes its id, so all of it (post, version,
 * relationship rows, search row) runs on one connection and commits once.
 */
const payloadTransaction = async (payload: Payload): Promise<BatchTransaction | null> => {
  const transactionID = await payload.db.beginTransaction()
  if (transactionID === null) return null
  return {
    transactionID,
    commit: () => payload.db.commitTransaction(transactionID),
    rollback: () => payload.db.rollbackTransaction(transactionID),
  }
}

/**
 * An SQLite adapter without `transactionOptions` runs without transactions, and WAL keeps
 * `synchronous = FULL`: every INSERT would be its own commit with an fsync, about a dozen per post.
 * An explicit transaction on the adapter's single connection makes a batch one commit. Only used
 * when Payload's transactions are off: then the adapter never opens a second connection.
 */
const rawSqliteTransaction = async (client: SqlClient): Promise<BatchTransaction> => {
  await client.execute('BEGIN IMMEDIATE')
  return {
    commit: async () => void (await client.execute('COMMIT')),
    rollback: async () => void (await client.execute('ROLLBACK')),
  }
}

const inTransaction = async (begin: () => Promise<BatchTransaction>, work: (transactionID?: number | string) => Promise<void>) => {
  const transaction = await begin()
  try {
    await work(transaction.transactionID)
  } catch (error) {
    await transaction.rollback().catch(() => undefined)
    throw error
  }
  await transaction.commit()
}

const batchesOf = (count: number, size: number): number[][] => {
  const batches: number[][] = []
  for (let first = 1; first <= count; first += size) {
    batches.push(Array.from({ length: Math.min(size, count - first + 1) }, (_, k) => first + k))
  }
  return batches
}

export type SeedOptions = {
  /** Posts in flight at once. */
  concurrency?: number
  /** Posts per transaction. */
  batchSize?: number
  /** Posts to create, the first of the shared content's (default: all of them). */
  posts?: number
  /** Called after every committed batch with the number of posts written so far. */
  onProgress?: (done: number, total: number) => void
}

/**
 * Seeds the shared benchmark content through the Local API: every row (posts, versions,
 * relationships, search rows) is one Payload wrote itself, through its hooks and validation.
 * Posts are committed in batches of `batchSize`:
 * - SQLite (one writer at a time): one batch after another, `concurrency` creates in flight
 *   inside each batch's transaction.
 * - PostgreSQL: `concurrency` batches at a time, each in its own transaction on its own
 *   connection, posts one after another inside a batch.
 */
export const seedBenchContent = async (payload: Payload, content: SharedContent, options: SeedOptions = {}): Promise<SeedTimings> => {
  const concurrency = Math.max(1, options.concurrency ?? 4)
  const batchSize = Math.max(1, options.batchSize ?? 250)
  const total = Math.min(content.POST_COUNT, options.posts ?? content.POST_COUNT)
  const ms = { author: 0, media: 0, categories: 0, posts: 0, total: 0 }
  const started = process.hrtime.bigint()

  // The user, images and categories: Payload commits each create itself (if it has transactions).
  let phase = process.hrtime.bigint()
  const authorId = await createAuthor(payload)
  await createEditor(payload)
  ms.author = elapsed(phase)
  phase = process.hrtime.bigint()
  const coverIds = await createCovers(payload, content)
  ms.media = elapsed(phase)
  phase = process.hrtime.bigint()
  const categoryIds = await createCategories(payload, content)
  ms.categories = elapsed(phase)
  const refs = { authorId, coverIds, categoryIds }

  phase = process.hrtime.bigint()
  const sqlite = payload.db.name === 'sqlite'
  const client = (payload.db as unknown as { client?: SqlClient }).client
  // Does this adapter do transactions? (Payload's SQLite adapter only with `transactionOptions`.)
  const probe = await payloadTransaction(payload)
  await probe?.rollback()
  const begin = async (): Promise<BatchTransaction> => {
    if (probe) return (await payloadTransaction(payload))!
    if (sqlite && client) return rawSqliteTransaction(client)
    return { commit: async () => undefined, rollback: async () => undefined }
  }
  const kind = probe ? 'Payload transaction' : sqlite ? "BEGIN IMMEDIATE on the adapter's connection" : 'no transaction'

  const batches = batchesOf(total, batchSize)
  let done = 0
  const finished = (batch: number[]) => {
    done += batch.length
    options.onProgress?.(done, total)
  }
  let transactions: string
  if (sqlite) {
    transactions = `one ${kind} per ${batchSize} posts, one at a time, ${concurrency} creates in flight`
    for (const batch of batches) {
      await inTransaction(begin, (transactionID) => inPool(batch, concurrency, (i) => createPost(payload, content, i, refs, transactionID)))
      finished(batch)
    }
  } else {
    transactions = `one ${kind} per ${batchSize} posts, ${concurrency} at a time`
    await inPool(batches, concurrency, async (batch) => {
      await inTransaction(begin, async (transactionID) => {
        for (const i of batch) await createPost(payload, content, i, refs, transactionID)
      })
      finished(batch)
    })
  }
  ms.posts = elapsed(phase)
  ms.total = elapsed(started)
  return { posts: total, concurrency, batchSize, transactions, ms }
}
