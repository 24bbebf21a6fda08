// The cache of populated documents (src/server/cache/populatedDocuments.ts): a public reader's read gets
// the same answer from it as Payload builds, sees an edit of anything it populates at once, and no
// editor, draft or access-overriding read ever uses it. Each test first makes the cache answer, then
// looks for the proof that it did (no query of the populated collection) or did not.
import type { Payload } from 'payload'

import { collectDependencies } from '../../src/changes/dependencies'
import { closePayload } from '../../src/db/closePayload'
import type { TestUser } from '../helpers/payload'
import { createPost, createUser, initPayload, uploadDemoImage, viaApiKey } from '../helpers/payload'

let payload: Payload
let editor: TestUser
let author: TestUser

beforeAll(async () => {
  payload = await initPayload()
  editor = await createUser(payload, 'editor')
  author = await createUser(payload, 'author', 'Ada Author')
})

afterAll(async () => {
  await closePayload(payload)
})

let imageCount = 0
const uploadImage = (alt: string) => uploadDemoImage(payload, `populated-${++imageCount}.png`, alt)


/** The collections Payload's database adapter was asked to find in while `read` ran. */
const collectionsQueried = async <T>(read: () => Promise<T>): Promise<{ result: T; queried: string[] }> => {
  const queried: string[] = []
  const find = payload.db.find
  payload.db.find = ((args: { collection: string }) => {
    queried.push(args.collection)
    return find.call(payload.db, args as never)
  }) as typeof find
  try {
    return { result: await read(), queried }
  } finally {
    payload.db.find = find
  }
}

type Reader = { user?: TestUser; draft?: boolean; overrideAccess?: boolean; locale?: 'en' | 'de' }
const PUBLIC: Reader = { overrideAccess: false }

const readPost = (id: number | string, reader: Reader = PUBLIC) =>
  payload.findByID({ collection: 'posts', id, depth: 1, overrideAccess: false, ...reader }) as Promise<Record<string, any>>

const listPosts = (reader: Reader = PUBLIC) =>
  payload.find({ collection: 'posts', depth: 1, limit: 10, overrideAccess: false, ...reader })

/** A post that populates one of everything: its hero image, a category, an author and a related post. */
const postPopulatingEverything = async (label: string) => {
  const image = await uploadImage(`${label} image`)
  const category = await payload.create({ collection: 'categories', overrideAccess: true, data: { title: `${label} category`, slug: `${label}-category` } })
  const related = await createPost(payload, `${label} related`, 'published', { slug: `${label}-related` })
  const post = await createPost(payload, `${label} post`, 'published', {
    slug: `${label}-post`,
    heroImage: image.id,
    categories: [category.id],
    authors: [author.id],
    relatedPosts: [related.id],
  })
  return { image, category, related, post }
}

describe('a public read', () => {
  test('gets from the cache exactly the answer Payload builds, without querying what it populates', async () => {
    const { post } = await postPopulatingEverything('same')
    const built = await collectionsQueried(() => listPosts())
    expect(built.queried).toEqual(expect.arrayContaining(['media', 'categories', 'users']))

    const cached = await collectionsQueried(() => listPosts())
    expect(JSON.stringify(cached.result)).toBe(JSON.stringify(built.result))
    // What a read from the cache declares is what the read that built it declared: the response store
    // keeps the answer with these, and Cache-Tag names the documents it shows.
    const sorted = (tags: ReadonlySet<string>) => [...tags].sort()
    const declaredBuilding = (await collectDependencies(() => readPost(post.id, { user: viaApiKey(author), overrideAccess: false, locale: 'de' }))).dependencies
    const declaredCached = (await collectDependencies(() => readPost(post.id, { user: viaApiKey(author), overrideAccess: false, locale: 'de' }))).dependencies
    expect(sorted(declaredCached.shown)).toEqual(sorted(declaredBuilding.shown))
    expect(sorted(declaredCached.documents)).toEqual(sorted(declaredBuilding.documents))
    expect(declaredCached.shown).toContain(`users:${author.id}`)
    expect(cached.queried).not.toContain('media')
    expect(cached.queried).not.toContain('categories')
    expect(cached.queried).not.toContain('users')

    // By id too, and an API key reads what the public reads, from the same entries.
    const one = await collectionsQueried(() => readPost(post.id))
    expect(one.result).toEqual(built.result.docs.find((doc) => doc.id === post.id))
    expect(one.queried).not.toContain('media')
    const keyed = await collectionsQueried(() => readPost(post.id, { user: viaApiKey(editor), overrideAccess: false }))
    expect(JSON.stringify(keyed.result)).toBe(JSON.stringify(one.result))
    expect(keyed.queried).not.toContain('media')
  })

  test('sees an edit of a populated image, category, author or related post at once', async () => {
    const { image, category, related, post } = await postPopulatingEverything('edited')
    await readPost(post.id)
    await readPost(post.id)

    await payload.update({ collection: 'media', id: image.id, overrideAccess: true, data: { alt: 'A new alt text' } })
    expect((await readPost(post.id)).heroImage.alt).toBe('A new alt text')

    await payload.update({ collection: 'categories', id: category.id, overrideAccess: true, data: { title: 'Renamed category' } })
    expect((await readPost(post.id)).categories[0].title).toBe('Renamed category')

    await payload.update({ collection: 'users', id: author.id, overrideAccess: true, data: { name: 'Ada Renamed' } })
    expect((await readPost(post.id)).populatedAuthors[0].name).toBe('Ada Renamed')

    await payload.update({ collection: 'posts', id: related.id, overrideAccess: true, data: { title: 'Retitled related' } })
    expect((await readPost(post.id)).relatedPosts[0].title).toBe('Retitled related')

    // Each of them once more, now from the cache again.
    const again = await collectionsQueried(() => readPost(post.id))
    expect(again.result.heroImage.alt).toBe('A new alt text')
    expect(again.result.categories[0].title).toBe('Renamed category')
    expect(again.result.populatedAuthors[0].name).toBe('Ada Renamed')
    expect(again.result.relatedPosts[0].title).toBe('Retitled related')
    expect(again.queried).not.toContain('media')
  })

  test('never shows a draft: a related post with a newer draft, unpublished, trashed, or never published', async () => {
    const { related, post } = await postPopulatingEverything('drafts')
    const unpublished = await createPost(payload, 'Never published', 'draft', { slug: 'never-published' })
    await payload.update({ collection: 'posts', id: post.id, overrideAccess: true, data: { relatedPosts: [related.id, unpublished.id] } })
    const relatedOf = async () => (await readPost(post.id)).relatedPosts as (number | string | Record<string, unknown>)[]

    expect(await relatedOf()).toEqual([expect.objectContaining({ title: 'drafts related' }), unpublished.id])
    // An editor populates both as drafts, in the same process; the public still reads the published one and the id.
    await payload.update({ collection: 'posts', id: related.id, draft: true, overrideAccess: true, data: { title: 'Secret draft title' } })
    const drafted = await readPost(post.id, { user: editor, draft: true })
    expect(drafted.relatedPosts.map((doc: { title: string }) => doc.title)).toEqual(['Secret draft title', 'Never published'])
    expect(JSON.stringify(await relatedOf())).not.toContain('Secret')
    expect(await relatedOf()).toEqual([expect.objectContaining({ title: 'drafts related' }), unpublished.id])

    // Unpublished after it was cached: the public gets its id only.
    await payload.update({ collection: 'posts', id: related.id, overrideAccess: true, data: { _status: 'draft' } })
    expect(await relatedOf()).toEqual([related.id, unpublished.id])
    // Published: populated at once.
    await payload.update({ collection: 'posts', id: unpublished.id, overrideAccess: true, data: { _status: 'published' } })
    expect((await relatedOf())[1]).toEqual(expect.objectContaining({ title: 'Never published' }))
    // Trashed after it was cached: its id only, as Payload answers a reference the reader may not read.
    await payload.update({ collection: 'posts', id: unpublished.id, overrideAccess: true, data: { deletedAt: new Date().toISOString() } as never })
    expect(await relatedOf()).toEqual([related.id, unpublished.id])
  })

  test('a populated document shows a reference it holds populated once the referenced draft is published', async () => {
    const draft = await createPost(payload, 'Published later', 'draft', { slug: 'published-later' })
    const middle = await createPost(payload, 'Holds a draft', 'published', { slug: 'holds-a-draft', relatedPosts: [draft.id] })
    const outer = await createPost(payload, 'Populates at depth 2', 'published', { slug: 'populates-at-depth-2', relatedPosts: [middle.id] })
    const held = async () =>
      (
        await payload.findByID({
          collection: 'posts',
          id: outer.id,
          depth: 2,
          overrideAccess: false,
          // Related posts show what `populate` asks for (their defaultPopulate leaves relatedPosts out).
          populate: { posts: { title: true, relatedPosts: true } },
        })
      ).relatedPosts as {
        relatedPosts: unknown[]
      }[]
    expect((await held())[0].relatedPosts).toEqual([draft.id])
    expect((await held())[0].relatedPosts).toEqual([draft.id])

    await payload.update({ collection: 'posts', id: draft.id, overrideAccess: true, data: { _status: 'published' } })
    expect((await held())[0].relatedPosts).toEqual([expect.objectContaining({ title: 'Published later' })])
  })
})

describe('never from the cache', () => {
  // An edit written straight to the database records no change: only a read that does not use the
  // cache can see it. The public's read shows the cached alt (so the cache is in use), the others the new one.
  test('an editor, a draft read, a read with access overridden, or one inside a transaction', async () => {
    const { image, post } = await postPopulatingEverything('bypass')
    await readPost(post.id)
    // Alt text is per language: the adapter takes it keyed by language, as Payload hands it over.
    await payload.db.updateOne({ collection: 'media', id: image.id, data: { alt: { en: 'Written behind the log' } } })

    expect((await readPost(post.id)).heroImage.alt).toBe('bypass image')
    expect((await readPost(post.id, { user: viaApiKey(editor), overrideAccess: false })).heroImage.alt).toBe('bypass image')
    expect((await readPost(post.id, { user: editor, overrideAccess: false })).heroImage.alt).toBe('Written behind the log')
    expect((await readPost(post.id, { user: editor, draft: true })).heroImage.alt).toBe('Written behind the log')
    expect((await readPost(post.id, { overrideAccess: true })).heroImage.alt).toBe('Written behind the log')

    const transactionID = await payload.db.beginTransaction()
    try {
      const inTransaction = await payload.findByID({
        collection: 'posts',
        id: post.id,
        depth: 1,
        overrideAccess: false,
        req: { transactionID: transactionID ?? undefined },
      })
      // SQLite without Payload's transactions gives no id: then the read is a public one.
      if (transactionID !== null) expect((inTransaction.heroImage as { alt: string }).alt).toBe('Written behind the log')
    } finally {
      if (transactionID !== null) await payload.db.rollbackTransaction(transactionID)
    }

    // A recorded edit retires the entry.
    await payload.update({ collection: 'media', id: image.id, overrideAccess: true, data: { alt: 'Recorded' } })
    expect((await readPost(post.id)).heroImage.alt).toBe('Recorded')
  })
})
