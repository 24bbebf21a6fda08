// The typed client (client/: Payload's SDK with the generated types) against the real server.
import crypto from 'node:crypto'

import type { GreenroomClient, Media, Post } from '../../client/src'
import { PayloadSDKError, createGreenroomClient } from '../../client/src'
import { richTextFromPlain } from '../../src/seed/lexical'
import type { TestServer } from '../helpers/server'
import { TEST_ADMIN, startTestServer } from '../helpers/server'

let server: TestServer
let cms: GreenroomClient

beforeAll(async () => {
  server = await startTestServer({ seed: true })
  cms = createGreenroomClient({ serverURL: `${server.url}/` })
}, 120_000)

afterAll(async () => {
  await server?.stop()
})

const isMedia = (value: Post['heroImage']): value is Media => typeof value === 'object' && value !== null

test('lists published posts with populated relationships, typed', async () => {
  const page = await cms.find({ collection: 'posts', limit: 2, depth: 1, sort: '-publishedAt' })
  expect(page.totalDocs).toBe(4)
  expect(page.docs).toHaveLength(2)
  expect(page.hasNextPage).toBe(true)
  const [newest] = page.docs
  expect(newest.title).toBe('Field notes from the newsroom')
  expect(newest._status).toBe('published')
  if (newest.heroImage) expect(isMedia(newest.heroImage) && newest.heroImage.url).toMatch(/^http:\/\/localhost:\d+\/api\/media\/file\//)
})

test('finds a post by slug, by id, with select, and counts', async () => {
  const bySlug = await cms.find({
    collection: 'posts',
    where: { slug: { equals: 'field-notes-from-the-newsroom' } },
    limit: 1,
  })
  const post = bySlug.docs[0]
  const byID = await cms.findByID({ collection: 'posts', id: post.id, depth: 0, select: { title: true, slug: true } })
  expect(byID).toMatchObject({ id: post.id, title: post.title, slug: post.slug })
  expect(byID).not.toHaveProperty('content')
  expect((await cms.count({ collection: 'posts' })).totalDocs).toBe(4)
})

test('reads the globals', async () => {
  const settings = await cms.findGlobal({ slug: 'site-settings' })
  expect(typeof settings.siteName).toBe('string')
  const header = await cms.findGlobal({ slug: 'header', depth: 0 })
  expect(Array.isArray(header.navItems)).toBe(true)
})

test('signs in and writes with the session, and a refused request throws with Payload’s message', async () => {
  const { token, user } = await cms.login({ collection: 'users', data: TEST_ADMIN })
  expect(user.email).toBe(TEST_ADMIN.email)
  const auth = { headers: { Authorization: `JWT ${token}` } }
  const title = `From the typed client ${crypto.randomUUID()}`
  const created = await cms.create(
    {
      collection: 'posts',
      data: { title, content: richTextFromPlain('Typed.') as Post['content'], _status: 'published' },
    },
    auth,
  )
  expect(created.slug).toMatch(/^from-the-typed-client-/)
  expect((await cms.find({ collection: 'posts', where: { title: { equals: title } } })).totalDocs).toBe(1)
  await cms.delete({ collection: 'posts', id: created.id }, auth)

  const refused = await cms
    .create({ collection: 'posts', data: { title: 'Anonymous', content: richTextFromPlain('No.') as Post['content'] } })
    .catch((error: unknown) => error)
  expect(refused).toBeInstanceOf(PayloadSDKError)
  expect((refused as PayloadSDKError).status).toBe(403)
})

test('reads with an API key like the public', async () => {
  const { token, user } = await cms.login({ collection: 'users', data: TEST_ADMIN })
  const apiKey = crypto.randomUUID()
  await cms.update(
    { collection: 'users', id: user.id, data: { enableAPIKey: true, apiKey } },
    { headers: { Authorization: `JWT ${token}` } },
  )
  const keyed = createGreenroomClient({ serverURL: server.url, apiKey })
  expect((await keyed.find({ collection: 'posts', limit: 10 })).totalDocs).toBe(4)
})
