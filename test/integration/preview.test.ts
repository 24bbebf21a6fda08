// A preview session through the Local API, as the built-in renderer reads: its target's newest draft,
// population at the public's level, and nothing else.
import type { Payload } from 'payload'

import { closePayload } from '../../src/db/closePayload'
import type { PreviewUser } from '../../src/preview/session'
import { authenticatePreviewToken } from '../../src/preview/strategy'
import { signPreviewToken } from '../../src/preview/token'
import { richTextFromPlain } from '../../src/seed/lexical'
import type { TestUser } from '../helpers/payload'
import { createUser, initPayload, postData } from '../helpers/payload'

let payload: Payload
let editor: TestUser
let postId: number | string
let relatedId: number | string
let otherDraftId: number | string
let categoryId: number | string

const sessionFor = async (target: { collection: string; id: string }, user: TestUser = editor): Promise<PreviewUser> => {
  const { token } = await signPreviewToken(payload.secret, { target, userId: String(user.id) })
  const result = await authenticatePreviewToken(payload, token)
  if (!('user' in result)) throw new Error(result.refusal)
  return result.user
}

beforeAll(async () => {
  payload = await initPayload()
  editor = await createUser(payload, 'editor', 'Eve Editor')
  categoryId = (await payload.create({ collection: 'categories', overrideAccess: true, data: { title: 'Previewed' } as never })).id
  relatedId = (await payload.create({ collection: 'posts', overrideAccess: true, data: { ...postData('Related, published'), _status: 'published' } as never })).id
  // The related post gets a draft too: population shows readers' version of it, never its draft.
  await payload.update({ collection: 'posts', id: relatedId, overrideAccess: true, draft: true, data: { title: 'Related, unpublished edit', _status: 'draft' } as never })
  otherDraftId = (await payload.create({ collection: 'posts', overrideAccess: true, draft: true, data: { ...postData('Another draft'), _status: 'draft' } as never })).id
  postId = (
    await payload.create({
      collection: 'posts',
      overrideAccess: true,
      draft: true,
      data: { ...postData('Only a draft'), content: richTextFromPlain('Draft words.'), categories: [categoryId], relatedPosts: [relatedId, otherDraftId], _status: 'draft' } as never,
    })
  ).id
})

afterAll(async () => {
  await closePayload(payload)
})

test('a preview session reads its target draft, with relationships at the public level', async () => {
  const user = await sessionFor({ collection: 'posts', id: String(postId) })
  const doc = await payload.findByID({ collection: 'posts', id: postId, draft: true, depth: 1, overrideAccess: false, user })
  expect(doc.title).toBe('Only a draft')
  expect(doc.contentHtml).toContain('Draft words.')
  expect((doc.categories as { id: unknown }[]).map((category) => category.id)).toEqual([categoryId])
  // Readers' version of the related post; the other draft stays an unpopulated id, as for the public.
  expect(doc.relatedPosts).toEqual([expect.objectContaining({ id: relatedId, title: 'Related, published' }), otherDraftId])
  // Field access as the public's: the session sees no editorial field.
  expect(doc).not.toHaveProperty('authors.0.email')
})

test('a preview session is refused everything else', async () => {
  const user = await sessionFor({ collection: 'posts', id: String(postId) })
  // 401 from the preview guard; versions are refused earlier, by access control (403). Over HTTP both
  // are 401 (test/http/preview.test.ts).
  const refused = async (what: string, run: () => Promise<unknown>) => {
    const error = await run().then(
      () => undefined,
      (thrown: { status?: number }) => thrown,
    )
    expect({ what, refused: [401, 403].includes(error?.status ?? 0) }).toEqual({ what, refused: true })
  }
  await refused('another draft', () => payload.findByID({ collection: 'posts', id: otherDraftId, draft: true, overrideAccess: false, user }))
  await refused('a published post', () => payload.findByID({ collection: 'posts', id: relatedId, overrideAccess: false, user }))
  await refused('another collection', () => payload.find({ collection: 'categories', overrideAccess: false, user }))
  await refused('a global', () => payload.findGlobal({ slug: 'header', overrideAccess: false, user }))
  await refused('a count', () => payload.count({ collection: 'posts', overrideAccess: false, user }))
  await refused('versions', () => payload.findVersions({ collection: 'posts', overrideAccess: false, user }))
  await refused('a write', () => payload.update({ collection: 'posts', id: postId, data: { title: 'x' } as never, overrideAccess: false, user }))
  await refused('a list of more than the target', () => payload.find({ collection: 'posts', overrideAccess: false, user }))
  expect((await payload.findByID({ collection: 'posts', id: postId, draft: true, overrideAccess: true })).title).toBe('Only a draft')
})

test('a token whose editor was removed signs nobody in', async () => {
  const gone = await createUser(payload, 'author', 'Gone Soon')
  const { token } = await signPreviewToken(payload.secret, { target: { collection: 'posts', id: String(postId) }, userId: String(gone.id) })
  expect('user' in (await authenticatePreviewToken(payload, token))).toBe(true)
  await payload.delete({ collection: 'users', id: gone.id, overrideAccess: true })
  expect(await authenticatePreviewToken(payload, token)).toEqual({ refusal: expect.stringMatching(/no longer/) })
})
