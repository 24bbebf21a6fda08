// Redirects that follow published documents (src/redirects): made in the write's own transaction
// through the Local API, on whichever database the suite runs on.
import type { Payload } from 'payload'
import { createLocalReq, initTransaction, killTransaction } from 'payload'

import { closePayload } from '../../src/db/closePayload'
import { redirectMap } from '../../src/redirects'
import { initPayload, postData } from '../helpers/payload'

let payload: Payload

beforeAll(async () => {
  payload = await initPayload()
})

afterAll(async () => {
  await closePayload(payload)
})

type Doc = { id: number | string; slug?: string | null }

const publishedPost = (slug: string, extra: Record<string, unknown> = {}) =>
  payload.create({
    collection: 'posts',
    overrideAccess: true,
    data: { ...postData(`Post ${slug}`), slug, _status: 'published', ...extra } as never,
  }) as Promise<Doc>

const publishedPage = (slug: string) =>
  payload.create({
    collection: 'pages',
    overrideAccess: true,
    data: {
      title: `Page ${slug}`,
      slug,
      _status: 'published',
      hero: { type: 'none' },
      layout: [{ blockType: 'content', columns: [] }],
    } as never,
  }) as Promise<Doc>

const publish = (id: Doc['id'], data: Record<string, unknown>, collection: 'posts' | 'pages' = 'posts') =>
  payload.update({ collection, id, overrideAccess: true, data: { ...data, _status: 'published' } as never })

const saveDraft = (id: Doc['id'], data: Record<string, unknown>) =>
  payload.update({ collection: 'posts', id, overrideAccess: true, draft: true, data: data as never })

type StoredRedirect = {
  id: number | string
  from: string
  type: string
  to: { type: string; reference?: { relationTo: string; value: number | string } | null; url?: string | null }
}

const redirectsFrom = async (...paths: string[]) => {
  const { docs } = await payload.find({
    collection: 'redirects',
    where: { from: { in: paths } },
    depth: 0,
    pagination: false,
    overrideAccess: true,
  })
  return docs as unknown as StoredRedirect[]
}

const redirectFrom = async (path: string) => (await redirectsFrom(path))[0]

const map = async () => redirectMap(await createLocalReq({}, payload))

const handMade = (from: string, to: StoredRedirect['to'], type = '302') =>
  payload.create({ collection: 'redirects', overrideAccess: true, data: { from, to, type } as never })

/** What a refused write throws: Payload's ValidationError, a 400 whose field errors say why. */
const refusal = async (write: Promise<unknown>) => {
  try {
    await write
  } catch (error) {
    const { status, data } = error as { status?: number; data?: { errors?: { message: string }[] } }
    return { status, message: data?.errors?.map(({ message }) => message).join(' ') ?? String(error) }
  }
  throw new Error('the write was not refused')
}

describe('a published document that moves', () => {
  test('a new slug leaves a 301 from the old address, in every language', async () => {
    const post = await publishedPost('slug-change-a')
    await publish(post.id, { slug: 'slug-change-b' })

    const english = await redirectFrom('/posts/slug-change-a')
    expect(english).toMatchObject({ type: '301', to: { type: 'reference', reference: { relationTo: 'posts', value: post.id } } })
    expect(await redirectFrom('/de/posts/slug-change-a')).toBeDefined()
    const redirects = await map()
    expect(redirects['/posts/slug-change-a']).toEqual({ to: '/posts/slug-change-b', status: 301 })
    expect(redirects['/de/posts/slug-change-a']).toEqual({ to: '/de/posts/slug-change-b', status: 301 })
  })

  test('a draft that renames a published post moves nothing until it is published', async () => {
    const post = await publishedPost('draft-rename-a')
    await saveDraft(post.id, { slug: 'draft-rename-b' })
    await saveDraft(post.id, { title: 'Still a draft' })
    expect(await redirectsFrom('/posts/draft-rename-a', '/posts/draft-rename-b')).toEqual([])
    expect((await map())['/posts/draft-rename-a']).toBeUndefined()

    // Publishing the draft (whose newest version already has the new slug) is the move.
    await publish(post.id, {})
    expect(await redirectFrom('/posts/draft-rename-a')).toMatchObject({ to: { reference: { value: post.id } } })
    expect((await map())['/posts/draft-rename-a']).toEqual({ to: '/posts/draft-rename-b', status: 301 })
  })

  test('a draft never published has no address to leave', async () => {
    const draft = await payload.create({
      collection: 'posts',
      overrideAccess: true,
      draft: true,
      data: { ...postData('Never published'), slug: 'never-published-a', _status: 'draft' } as never,
    })
    await saveDraft(draft.id, { slug: 'never-published-b' })
    expect(await redirectsFrom('/posts/never-published-a')).toEqual([])
  })

  test('renamed twice: both old addresses go straight to the newest', async () => {
    const post = await publishedPost('twice-a')
    await publish(post.id, { slug: 'twice-b' })
    await publish(post.id, { slug: 'twice-c' })
    const redirects = await map()
    expect(redirects['/posts/twice-a']).toEqual({ to: '/posts/twice-c', status: 301 })
    expect(redirects['/posts/twice-b']).toEqual({ to: '/posts/twice-c', status: 301 })
    expect(redirects['/posts/twice-c']).toBeUndefined()
  })

  test('renamed back: only the other address redirects, never one to itself', async () => {
    const post = await publishedPost('back-a')
    await publish(post.id, { slug: 'back-b' })
    await publish(post.id, { slug: 'back-a' })
    expect(await redirectsFrom('/posts/back-a', '/de/posts/back-a')).toEqual([])
    expect(await redirectFrom('/posts/back-b')).toMatchObject({ to: { reference: { value: post.id } } })
    const redirects = await map()
    expect(redirects['/posts/back-b']).toEqual({ to: '/posts/back-a', status: 301 })
    expect(redirects['/posts/back-a']).toBeUndefined()
  })

  test('a chain through a custom path is collapsed when its middle moves', async () => {
    const post = await publishedPost('chain-a')
    await handMade('/promo', { type: 'custom', url: '/posts/chain-a' })
    await publish(post.id, { slug: 'chain-b' })
    // /promo pointed at the address that now redirects: it now names the post itself.
    expect(await redirectFrom('/promo')).toMatchObject({
      type: '302',
      to: { type: 'reference', reference: { relationTo: 'posts', value: post.id } },
    })
    await publish(post.id, { slug: 'chain-c' })
    expect((await map())['/promo']).toEqual({ to: '/posts/chain-c', status: 302 })
  })

  test('A → B, then B → C: A is pointed at C', async () => {
    await handMade('/collapse-a', { type: 'custom', url: '/collapse-b' })
    await handMade('/collapse-b', { type: 'custom', url: 'https://example.org/c' })
    expect(await redirectFrom('/collapse-a')).toMatchObject({ to: { type: 'custom', url: 'https://example.org/c' } })
    expect((await map())['/collapse-a']).toEqual({ to: 'https://example.org/c', status: 302 })
  })

  test('publishing at an address takes over any redirect from it', async () => {
    await handMade('/taken-over', { type: 'custom', url: 'https://example.org/elsewhere' })
    await publishedPage('taken-over')
    expect(await redirectsFrom('/taken-over')).toEqual([])
  })
})

describe('loops and malformed redirects are refused', () => {
  test('a loop made by hand: 400 naming the chain, and nothing stored', async () => {
    await handMade('/loop-a', { type: 'custom', url: '/loop-b' })
    const refused = await refusal(handMade('/loop-b', { type: 'custom', url: '/loop-a' }))
    expect(refused.status).toBe(400)
    expect(refused.message).toContain('/loop-b → /loop-a → /loop-b')
    expect(await redirectsFrom('/loop-b')).toEqual([])
  })

  test('a redirect to itself, directly or through a document it names', async () => {
    expect((await refusal(handMade('/self', { type: 'custom', url: '/self/' }))).status).toBe(400)
    expect((await refusal(handMade('/self-url', { type: 'custom', url: 'http://localhost:3000/self-url' }))).message).toContain(
      'to itself',
    )
    const post = await publishedPost('loop-through-doc')
    await handMade('/to-the-doc', { type: 'reference', reference: { relationTo: 'posts', value: post.id } })
    const refused = await refusal(handMade('/posts/loop-through-doc', { type: 'custom', url: '/to-the-doc' }))
    expect(refused.status).toBe(400)
    expect(refused.message).toContain('loop')
  })

  test('an update that would close a loop is refused too', async () => {
    const second = await handMade('/update-loop-b', { type: 'custom', url: '/somewhere' })
    await handMade('/update-loop-a', { type: 'custom', url: '/update-loop-b' })
    const refused = await refusal(
      payload.update({
        collection: 'redirects',
        id: second.id,
        overrideAccess: true,
        data: { to: { type: 'custom', url: '/update-loop-a' } } as never,
      }),
    )
    expect(refused.status).toBe(400)
    expect(refused.message).toContain('/update-loop-b → /update-loop-a → /update-loop-b')
    expect(await redirectFrom('/update-loop-b')).toMatchObject({ to: { url: '/somewhere' } })
  })

  test('sources are paths, stored in one spelling; one redirect per source', async () => {
    const made = await handMade('/trailing/', { type: 'custom', url: '/x' })
    expect(made.from).toBe('/trailing')
    expect((await refusal(handMade('/trailing', { type: 'custom', url: '/y' }))).status).toBe(400)
    expect((await refusal(handMade('no-slash', { type: 'custom', url: '/x' }))).message).toContain('starts with "/"')
    expect((await refusal(handMade('https://example.org/x', { type: 'custom', url: '/x' }))).message).toContain('is a URL')
    expect((await refusal(handMade('/bad-target', { type: 'custom', url: 'javascript:alert(1)' }))).status).toBe(400)
  })
})

describe('unpublished or deleted, with or without a replacement', () => {
  test('unpublished with a replacement named: its address goes to the replacement', async () => {
    const old = await publishedPost('replaced-post')
    const page = await publishedPage('replacement-page')
    await payload.update({
      collection: 'posts',
      id: old.id,
      overrideAccess: true,
      data: { _status: 'draft', replacedBy: { relationTo: 'pages', value: page.id } } as never,
    })
    expect(await redirectFrom('/posts/replaced-post')).toMatchObject({
      type: '301',
      to: { type: 'reference', reference: { relationTo: 'pages', value: page.id } },
    })
    expect((await map())['/posts/replaced-post']).toEqual({ to: '/replacement-page', status: 301 })
    expect((await map())['/de/posts/replaced-post']).toEqual({ to: '/de/replacement-page', status: 301 })
  })

  test('unpublished without one: no redirect, and redirects to it leave the export until it is back', async () => {
    const post = await publishedPost('gone-a')
    await publish(post.id, { slug: 'gone-b' })
    await payload.update({ collection: 'posts', id: post.id, overrideAccess: true, data: { _status: 'draft' } as never })
    expect(await redirectsFrom('/posts/gone-b')).toEqual([])
    expect((await map())['/posts/gone-a']).toBeUndefined()
    await publish(post.id, {})
    expect((await map())['/posts/gone-a']).toEqual({ to: '/posts/gone-b', status: 301 })
  })

  test('redirects to an unpublished document with a replacement go on to the replacement', async () => {
    const post = await publishedPost('via-a')
    await publish(post.id, { slug: 'via-b' })
    const next = await publishedPost('via-next')
    await payload.update({
      collection: 'posts',
      id: post.id,
      overrideAccess: true,
      data: { _status: 'draft', replacedBy: { relationTo: 'posts', value: next.id } } as never,
    })
    const redirects = await map()
    expect(redirects['/posts/via-a']).toEqual({ to: '/posts/via-next', status: 301 })
    expect(redirects['/posts/via-b']).toEqual({ to: '/posts/via-next', status: 301 })
  })

  test('deleted with a replacement: its address and its redirects go to the replacement', async () => {
    const post = await publishedPost('deleted-a')
    await publish(post.id, { slug: 'deleted-b' })
    const next = await publishedPost('deleted-next')
    await payload.update({ collection: 'posts', id: post.id, overrideAccess: true, data: { replacedBy: { relationTo: 'posts', value: next.id } } as never })
    await payload.delete({ collection: 'posts', id: post.id, overrideAccess: true })
    for (const from of ['/posts/deleted-a', '/posts/deleted-b']) {
      expect(await redirectFrom(from)).toMatchObject({ to: { reference: { relationTo: 'posts', value: next.id } } })
      expect((await map())[from]).toEqual({ to: '/posts/deleted-next', status: 301 })
    }
  })

  test('deleted without one: its redirects go with it, none is left pointing nowhere', async () => {
    const post = await publishedPost('dangling-a')
    await publish(post.id, { slug: 'dangling-b' })
    await handMade('/points-at-dangling', { type: 'reference', reference: { relationTo: 'posts', value: post.id } })
    await payload.delete({ collection: 'posts', id: post.id, overrideAccess: true })
    expect(await redirectsFrom('/posts/dangling-a', '/points-at-dangling')).toEqual([])
  })

  test('a page named as a replacement can still be deleted', async () => {
    const page = await publishedPage('short-lived-replacement')
    const post = await publishedPost('names-a-page', { replacedBy: { relationTo: 'pages', value: page.id } })
    await payload.delete({ collection: 'pages', id: page.id, overrideAccess: true })
    const read = await payload.findByID({ collection: 'posts', id: post.id, overrideAccess: true, depth: 0 })
    expect(read.replacedBy ?? null).toBeNull()
  })

  test('a replacement cannot be the document itself', async () => {
    const post = await publishedPost('own-replacement')
    const refused = await refusal(publish(post.id, { replacedBy: { relationTo: 'posts', value: post.id } }))
    expect(refused.status).toBe(400)
  })
})

test('the redirect is part of the write: rolled back with it', async () => {
  const post = await publishedPost('rollback-a')
  const req = await createLocalReq({}, payload)
  await initTransaction(req)
  await payload.update({ collection: 'posts', id: post.id, overrideAccess: true, req, data: { slug: 'rollback-b', _status: 'published' } as never })
  expect(await payload.find({ collection: 'redirects', where: { from: { equals: '/posts/rollback-a' } }, req })).toMatchObject({ totalDocs: 1 })
  await killTransaction(req)
  expect(await redirectsFrom('/posts/rollback-a')).toEqual([])
  expect((await payload.findByID({ collection: 'posts', id: post.id, overrideAccess: true, depth: 0 })).slug).toBe('rollback-a')
})

describe("the site's address scheme decides the addresses", () => {
  const settings = (baseUrl: string | null, urls: Record<string, unknown>) =>
    payload.updateGlobal({ slug: 'site-settings', overrideAccess: true, data: { _status: 'published', siteName: 'Example', baseUrl, urls } as never })

  afterAll(async () => {
    await settings(null, { postPath: '/posts/:slug', localePaths: 'prefix-others' })
  })

  test('a new publish date moves a post under a dated pattern; the exports carry the base path', async () => {
    await settings('https://example.com/site', { postPath: '/blog/:year/:slug', localePaths: 'prefix-all' })
    const post = await publishedPost('dated', { publishedAt: '2025-03-01T00:00:00.000Z' })
    await publish(post.id, { publishedAt: '2024-03-01T00:00:00.000Z' })
    expect(await redirectFrom('/en/blog/2025/dated')).toMatchObject({ to: { reference: { value: post.id } } })
    expect(await redirectFrom('/de/blog/2025/dated')).toBeDefined()
    const redirects = await map()
    expect(redirects['/site/en/blog/2025/dated']).toEqual({ to: '/site/en/blog/2024/dated', status: 301 })
    expect(redirects['/site/de/blog/2025/dated']).toEqual({ to: '/site/de/blog/2024/dated', status: 301 })
  })
})
