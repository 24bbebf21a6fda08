// Links checked before publish, over HTTP: a publish with broken links answers the list (warn) or
// a 400 that names them (block, a second server on the same database); readers and API keys never
// see the lists on REST, GraphQL or /api/sync; the admin's check endpoint is for the team only.
import { internalLink, paragraph, richText } from '../../src/seed/lexical'
import type { Json } from '../helpers/http'
import { api, graphql, login } from '../helpers/http'
import type { TestServer } from '../helpers/server'
import { TEST_ADMIN, startTestServer } from '../helpers/server'

let server: TestServer
let blocking: TestServer | undefined
let adminAuth: string
let keyAuth: string

beforeAll(async () => {
  server = await startTestServer({ seed: true })
  adminAuth = await login(server.url, TEST_ADMIN.email, TEST_ADMIN.password)
  const me = await api(server.url, '/api/users/me', { auth: adminAuth })
  const key = `link-checks-key-${Date.now()}`
  const enabled = await api(server.url, `/api/users/${me.body.user.id}`, { method: 'PATCH', auth: adminAuth, body: { enableAPIKey: true, apiKey: key } })
  expect(enabled.status).toBe(200)
  keyAuth = `users API-Key ${key}`
}, 180_000)

afterAll(async () => {
  await blocking?.stop()
  await server?.stop()
})

const draftPage = async (base: string, title: string) => {
  const created = await api(base, '/api/pages?draft=true', {
    method: 'POST',
    auth: adminAuth,
    body: { title, _status: 'draft', hero: { type: 'none' }, layout: [{ blockType: 'content', columns: [{ size: 'full' }] }] },
  })
  expect(created.status).toBe(201)
  return created.body.doc as Json
}

const linkingPost = (title: string, target: Json) => ({
  title,
  _status: 'published',
  content: richText(paragraph(internalLink('pages', target.id, 'see the plans'))),
})

let warned: Json
let target: Json

describe('publishing with broken links', () => {
  test('warn: the publish answers 201 with the list', async () => {
    target = await draftPage(server.url, 'Plans, not yet published')
    const created = await api(server.url, '/api/posts', { method: 'POST', auth: adminAuth, body: linkingPost('Warned over HTTP', target) })
    expect(created.status).toBe(201)
    warned = created.body.doc
    expect(warned._status).toBe('published')
    expect(warned.brokenLinkCount).toBe(1)
    expect(warned.brokenLinks).toEqual([
      {
        path: 'content',
        label: 'see the plans',
        locale: 'en',
        target: { relationTo: 'pages', id: target.id, title: 'Plans, not yet published' },
        reason: 'unpublished',
      },
    ])
  })

  test('the admin asks for the list of the form as it is, before saving; readers may not', async () => {
    const body = { collection: 'posts', id: warned.id, data: { ...warned, content: linkingPost('x', target).content }, locale: 'en' }
    const checked = await api(server.url, '/api/link-check', { method: 'POST', auth: adminAuth, body })
    expect(checked.status).toBe(200)
    expect(checked.body.brokenLinks.map((link: Json) => link.reason)).toEqual(['unpublished'])
    const fixed = await api(server.url, '/api/link-check', { method: 'POST', auth: adminAuth, body: { ...body, data: { title: 'x', content: richText(paragraph('no links')) } } })
    expect(fixed.body).toEqual({ brokenLinks: [] })
    expect((await api(server.url, '/api/link-check', { method: 'POST', body })).status).toBe(403)
    expect((await api(server.url, '/api/link-check', { method: 'POST', auth: keyAuth, body })).status).toBe(403)
    const bad = await api(server.url, '/api/link-check', { method: 'POST', auth: adminAuth, body: { collection: 'users', data: {} } })
    expect(bad.status).toBe(400)
    expect(bad.body.errors[0].message).toContain('collection')
    const notAnId = await api(server.url, '/api/link-check', { method: 'POST', auth: adminAuth, body: { ...body, id: 'abc' } })
    expect(notAnId.status).toBe(400)
    // Ids in the form's data that cannot name a document are reported missing, not a server error.
    const odd = await api(server.url, '/api/link-check', {
      method: 'POST',
      auth: adminAuth,
      body: { collection: 'posts', data: { content: richText(paragraph(internalLink('pages', 'abc' as never, 'odd'))), relatedPosts: ['x'] } },
    })
    expect(odd.status).toBe(200)
    expect(odd.body.brokenLinks.map((link: Json) => link.reason)).toEqual(['missing', 'missing'])
    // Rich text nested far deeper than Lexical writes, and nodes no feature can read: an answer, not a 500.
    // (Written by hand: JSON.stringify itself runs out of stack on it in the test's VM.)
    const levels = 3000
    const nested = '{"type":"paragraph","children":['.repeat(levels) + ']}'.repeat(levels)
    const deep = await fetch(`${server.url}/api/link-check`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: adminAuth },
      body: `{"collection":"posts","data":{"content":{"root":{"type":"root","children":[${nested},{"type":"block","fields":7},{"type":"link","fields":null}]}}}}`,
    })
    expect(deep.status).toBe(200)
    expect(await deep.json()).toEqual({ brokenLinks: [] })
  })

  test('block: a publish answers 400 naming each broken link; a draft is saved', async () => {
    blocking = await startTestServer({ seed: false, databaseUri: server.databaseUri, env: { LINK_CHECKS: 'block' } })
    const refused = await api(blocking.url, '/api/posts', { method: 'POST', auth: adminAuth, body: linkingPost('Blocked over HTTP', target) })
    expect(refused.status).toBe(400)
    const [error] = refused.body.errors
    expect(error.message).toContain('cannot be published')
    expect(error.message).toContain(`"see the plans" (content, en) links to pages ${target.id} "Plans, not yet published", which is not published`)
    expect(error.data.brokenLinks).toEqual([expect.objectContaining({ path: 'content', reason: 'unpublished' })])

    const draft = await api(blocking.url, '/api/posts?draft=true', {
      method: 'POST',
      auth: adminAuth,
      body: { ...linkingPost('Blocked over HTTP', target), _status: 'draft' },
    })
    expect(draft.status).toBe(201)
    expect(draft.body.doc.brokenLinkCount).toBe(1)
  }, 180_000)
})

describe('readers', () => {
  const hidden = ['brokenLinks', 'brokenLinkCount', 'linkTargets']

  test.each([
    ['anonymous', () => undefined],
    ['an API key', () => keyAuth],
  ])('%s never get the lists on REST, GraphQL or /api/sync', async (_, auth) => {
    const one = await api(server.url, `/api/posts/${warned.id}`, { auth: auth() })
    expect(one.status).toBe(200)
    expect(one.body.title).toBe('Warned over HTTP')
    for (const field of hidden) expect(one.body).not.toHaveProperty(field)

    const list = await api(server.url, '/api/posts?limit=100', { auth: auth() })
    for (const doc of list.body.docs) for (const field of hidden) expect(doc).not.toHaveProperty(field)

    const queried = await api(server.url, `/api/posts?where[linkTargets][equals]=pages:${target.id}`, { auth: auth() })
    expect(queried.status).toBe(400)
    const sorted = await api(server.url, '/api/posts?sort=-brokenLinkCount', { auth: auth() })
    expect(sorted.status).toBe(403)

    const gql = await graphql(server.url, `{ Post(id: ${warned.id}) { title brokenLinks brokenLinkCount linkTargets } }`, {}, auth())
    expect(gql.body.data?.Post?.title).toBe('Warned over HTTP')
    expect(gql.body.data.Post.brokenLinks ?? null).toBeNull()
    expect(gql.body.data.Post.brokenLinkCount ?? null).toBeNull()
    expect(gql.body.data.Post.linkTargets ?? null).toBeNull()

    const sync = await api(server.url, '/api/sync?collections=posts&limit=500', { auth: auth() })
    expect(sync.status).toBe(200)
    const synced = (sync.body.changes as Json[]).find((change) => change.id === warned.id)
    expect(synced?.doc?.title).toBe('Warned over HTTP')
    for (const change of sync.body.changes as Json[]) for (const field of hidden) expect(change.doc ?? {}).not.toHaveProperty(field)
  })

  test('editors do', async () => {
    const one = await api(server.url, `/api/posts/${warned.id}`, { auth: adminAuth })
    expect(one.body.brokenLinkCount).toBe(1)
    const gql = await graphql(server.url, `{ Post(id: ${warned.id}) { brokenLinkCount } }`, {}, adminAuth)
    expect(gql.body.data.Post.brokenLinkCount).toBe(1)
  })
})
