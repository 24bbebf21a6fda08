// The trash and global drafts on the production server, every /api answer checked against the
// OpenAPI document: a trashed post or page is gone from every reader route (REST list, by id and by
// slug, `?trash=true`, GraphQL, /api/sync full and delta, sitemap and feeds, the redirect export,
// search, populated relationships and link hrefs), anonymously and with an API key; a restore brings
// it back; REST DELETE keeps Payload's meaning. A global's draft is never served to readers on REST,
// GraphQL or /api/sync until it is published.
import crypto from 'node:crypto'

import { internalLink, paragraph, richText } from '../../src/seed/lexical'
import type { Json } from '../helpers/http'
import { api, graphql, login } from '../helpers/http'
import type { TestServer } from '../helpers/server'
import { TEST_ADMIN, startTestServer } from '../helpers/server'

let server: TestServer
let url: string
let adminAuth: string
let keyAuth: string
let readers: { name: string; auth?: string }[]

beforeAll(async () => {
  server = await startTestServer({ seed: true })
  url = server.url
  adminAuth = await login(url, TEST_ADMIN.email, TEST_ADMIN.password)
  const adminId = (await api(url, '/api/users/me', { auth: adminAuth })).body.user.id
  const key = crypto.randomUUID()
  const enabled = await api(url, `/api/users/${adminId}`, { method: 'PATCH', auth: adminAuth, body: { enableAPIKey: true, apiKey: key } })
  expect(enabled.status).toBe(200)
  keyAuth = `users API-Key ${key}`
  readers = [{ name: 'anonymous' }, { name: 'API key', auth: keyAuth }]
}, 180_000)

afterAll(async () => {
  await server?.stop()
})

const text = async (path: string) => (await fetch(`${url}${path}`)).text()

const createAs = async (collection: 'posts' | 'pages', body: Json) => {
  const res = await api(url, `/api/${collection}`, { method: 'POST', auth: adminAuth, body: { _status: 'published', ...body } })
  expect(res.status).toBe(201)
  return res.body.doc as Json
}

/** The admin's Delete: a PATCH that sets `deletedAt`. */
const trash = async (collection: 'posts' | 'pages', id: number) => {
  const res = await api(url, `/api/${collection}/${id}`, { method: 'PATCH', auth: adminAuth, body: { deletedAt: new Date().toISOString() } })
  expect(res.status).toBe(200)
}

/** The admin's Restore (published). */
const restore = async (collection: 'posts' | 'pages', id: number) => {
  const res = await api(url, `/api/${collection}/${id}?trash=true`, {
    method: 'PATCH',
    auth: adminAuth,
    body: { deletedAt: null, _status: 'published' },
  })
  expect(res.status).toBe(200)
}

const syncAll = async (query: string, auth?: string, cursor?: string) => {
  const changes: Json[] = []
  for (;;) {
    const res = await api(url, `/api/sync?${query}${cursor ? `&cursor=${cursor}` : ''}`, { auth })
    expect(res.status).toBe(200)
    changes.push(...res.body.changes)
    cursor = res.body.nextCursor
    if (!res.body.hasMore) return { changes, cursor: cursor! }
  }
}

describe('a trashed post or page', () => {
  let target: Json
  let linking: Json
  let page: Json
  let cursors: Record<string, string>

  beforeAll(async () => {
    target = await createAs('posts', { title: 'Trashable post', slug: 'trashable-post', content: richText(paragraph('Trash me')) })
    page = await createAs('pages', { title: 'Trashable page', slug: 'trashable-page', layout: [{ blockType: 'cta', links: [] }] })
    linking = await createAs('posts', {
      title: 'Points at the trash',
      slug: 'points-at-the-trash',
      relatedPosts: [target.id],
      content: richText(paragraph(internalLink('pages', page.id, 'the page'))),
    })
    // The old address of a renamed page redirects to it, while it is published.
    expect((await api(url, `/api/pages/${page.id}`, { method: 'PATCH', auth: adminAuth, body: { slug: 'trashable-page-moved' } })).status).toBe(200)
    const header = await api(url, '/api/globals/header?depth=0', { auth: adminAuth })
    const navItems = [...(header.body.navItems ?? []), { link: { type: 'reference', reference: { relationTo: 'pages', value: page.id }, label: 'Trashable' } }]
    expect((await api(url, '/api/globals/header', { method: 'POST', auth: adminAuth, body: { _status: 'published', navItems } })).status).toBe(200)

    cursors = {}
    for (const reader of readers) cursors[reader.name] = (await syncAll('collections=posts,pages&globals=', reader.auth)).cursor
    expect(await text('/sitemap.xml')).toContain('trashable-post')
    await trash('posts', target.id)
    await trash('pages', page.id)
  }, 120_000)

  test.each(['anonymous', 'API key'])('is on no REST route for %s, not even with trash=true', async (name) => {
    const auth = readers.find((reader) => reader.name === name)!.auth
    for (const path of [
      '/api/posts?limit=100&depth=0',
      '/api/posts?limit=100&depth=0&trash=true',
      '/api/posts?depth=0&trash=true&where[deletedAt][exists]=true',
      '/api/posts?depth=0&trash=true&where[slug][equals]=trashable-post',
      '/api/posts?depth=0&draft=true&trash=true&where[slug][equals]=trashable-post',
      '/api/pages?depth=0&trash=true&where[deletedAt][exists]=true',
    ]) {
      const res = await api(url, path, { auth })
      expect({ path, status: res.status }).toEqual({ path, status: 200 })
      const ids = res.body.docs.map((doc: Json) => doc.id)
      expect({ path, ids }).toEqual({ path, ids: expect.not.arrayContaining([target.id]) })
      expect(res.body.docs.filter((doc: Json) => doc.deletedAt)).toEqual([])
    }
    for (const path of [`/api/posts/${target.id}`, `/api/posts/${target.id}?trash=true`, `/api/pages/${page.id}?trash=true&draft=true`]) {
      expect({ path, status: (await api(url, path, { auth })).status }).toEqual({ path, status: 404 })
    }
  })

  test.each(['anonymous', 'API key'])('is not populated, linked or found in search for %s', async (name) => {
    const auth = readers.find((reader) => reader.name === name)!.auth
    const post = (await api(url, `/api/posts/${linking.id}?depth=1`, { auth })).body
    expect(post.relatedPosts.filter((value: unknown) => typeof value === 'object' && value !== null)).toEqual([])
    expect(post.contentHtml).toContain('the page')
    expect(post.contentHtml).not.toContain('trashable-page')
    const header = (await api(url, '/api/globals/header?depth=1', { auth })).body
    const link = header.navItems.find((item: Json) => item.link.label === 'Trashable').link
    expect(link.href).toBeNull()
    const search = await api(url, '/api/search?depth=0&where[title][like]=Trashable', { auth })
    expect(search.body.docs).toEqual([])
  })

  test.each(['anonymous', 'API key'])('is not in GraphQL for %s', async (name) => {
    const auth = readers.find((reader) => reader.name === name)!.auth
    const lists = await graphql(
      url,
      `query ($slug: String) {
        Posts(where: { slug: { equals: $slug } }, trash: true) { docs { id } }
        Pages(trash: true, where: { deletedAt: { exists: true } }) { docs { id } }
      }`,
      { slug: 'trashable-post' },
      auth,
    )
    expect(lists.body.errors).toBeUndefined()
    expect(lists.body.data).toEqual({ Posts: { docs: [] }, Pages: { docs: [] } })
    const one = await graphql(url, 'query ($id: Int!) { Post(id: $id, trash: true) { id } }', { id: target.id }, auth)
    expect(one.body.data?.Post ?? null).toBeNull()
    expect(one.body.errors?.[0]?.message).toBe('Not Found')
  })

  test('leaves the sitemap, the feeds, the full sync and the redirect export', async () => {
    expect(await text('/sitemap.xml')).not.toContain('trashable-post')
    expect(await text('/feed.json')).not.toContain('trashable-post')
    expect(await text('/feed.xml')).not.toContain('trashable-post')
    const full = await syncAll('collections=posts,pages&globals=')
    expect(full.changes.map((change) => `${change.collection}:${change.id}`)).not.toEqual(
      expect.arrayContaining([`posts:${target.id}`]),
    )
    expect(full.changes.map((change) => `${change.collection}:${change.id}`)).not.toEqual(
      expect.arrayContaining([`pages:${page.id}`]),
    )
    const exported = await api(url, '/api/redirects/export/json')
    expect(exported.status).toBe(200)
    expect(JSON.stringify(exported.body)).not.toContain('/trashable-page')
  })

  test.each(['anonymous', 'API key'])('comes as a delete in the sync delta for %s', async (name) => {
    const auth = readers.find((reader) => reader.name === name)!.auth
    const delta = await syncAll('collections=posts,pages&globals=', auth, cursors[name])
    expect(delta.changes).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ collection: 'posts', id: target.id, op: 'delete', event: 'deleted' }),
        expect.objectContaining({ collection: 'pages', id: page.id, op: 'delete', event: 'deleted' }),
      ]),
    )
    expect(delta.changes.find((change) => change.id === target.id && change.collection === 'posts')?.doc).toBeUndefined()
  })

  test('the team sees it in the trash; a restore brings it back everywhere, as an upsert in the delta', async () => {
    const inTrash = await api(url, '/api/posts?depth=0&trash=true&where[deletedAt][exists]=true', { auth: adminAuth })
    expect(inTrash.body.docs.map((doc: Json) => doc.id)).toContain(target.id)
    const before = (await syncAll('collections=posts&globals=')).cursor
    await restore('posts', target.id)
    await restore('pages', page.id)
    for (const reader of readers) {
      expect((await api(url, `/api/posts/${target.id}?depth=0`, { auth: reader.auth })).status).toBe(200)
      const header = (await api(url, '/api/globals/header?depth=1', { auth: reader.auth })).body
      expect(header.navItems.find((item: Json) => item.link.label === 'Trashable').link.href).toBe('/trashable-page-moved')
    }
    expect(await text('/sitemap.xml')).toContain('trashable-post')
    expect(JSON.stringify((await api(url, '/api/redirects/export/json')).body)).toContain('/trashable-page')
    const delta = await syncAll('collections=posts&globals=', undefined, before)
    expect(delta.changes).toEqual([expect.objectContaining({ collection: 'posts', id: target.id, op: 'upsert' })])
  })

  test('REST DELETE deletes for good, as in Payload; a trashed document needs ?trash=true to be deleted', async () => {
    const post = await createAs('posts', { title: 'Delete me twice', content: richText(paragraph('Twice')) })
    await trash('posts', post.id)
    expect((await api(url, `/api/posts/${post.id}`, { method: 'DELETE', auth: adminAuth })).status).toBe(404)
    expect((await api(url, `/api/posts/${post.id}?trash=true`, { method: 'DELETE', auth: adminAuth })).status).toBe(200)
    expect((await api(url, `/api/posts/${post.id}?trash=true`, { auth: adminAuth })).status).toBe(404)
    // An API key reads only: it can neither trash nor delete.
    const other = await createAs('posts', { title: 'Not for keys', content: richText(paragraph('Keys')) })
    const attempt = await api(url, `/api/posts/${other.id}`, { method: 'PATCH', auth: keyAuth, body: { deletedAt: new Date().toISOString() } })
    expect(attempt.status).toBe(403)
  })
})

describe('a global draft', () => {
  const footer = (auth?: string, query = '') => api(url, `/api/globals/footer?depth=0${query}`, { auth })

  test('is never served to readers on REST, GraphQL or /api/sync until published; then it is', async () => {
    const published = (await footer()).body.copyright
    expect(published).toBeTruthy()
    const head = (await syncAll('collections=&globals=footer')).cursor
    const saved = await api(url, '/api/globals/footer?draft=true', { method: 'POST', auth: adminAuth, body: { copyright: '© Draft only' } })
    expect(saved.status).toBe(200)
    expect((await footer(adminAuth, '&draft=true')).body.copyright).toBe('© Draft only')

    for (const reader of readers) {
      expect((await footer(reader.auth)).body.copyright).toBe(published)
      expect((await footer(reader.auth, '&draft=true')).body.copyright).toBe(published)
      const gql = await graphql(url, '{ Footer(draft: true) { copyright } }', {}, reader.auth)
      expect(gql.body.data.Footer.copyright).toBe(published)
      const versions = await api(url, '/api/globals/footer/versions', { auth: reader.auth })
      expect(versions.status).toBe(403)
      const full = await syncAll('collections=&globals=footer', reader.auth)
      expect(full.changes).toEqual([expect.objectContaining({ global: 'footer', doc: expect.objectContaining({ copyright: published }) })])
    }
    // A draft save is no change for readers: the delta is empty.
    expect((await syncAll('collections=&globals=footer', undefined, head)).changes).toEqual([])

    const publish = await api(url, '/api/globals/footer', { method: 'POST', auth: adminAuth, body: { _status: 'published', copyright: '© Draft only' } })
    expect(publish.status).toBe(200)
    for (const reader of readers) expect((await footer(reader.auth)).body.copyright).toBe('© Draft only')
    const delta = await syncAll('collections=&globals=footer', undefined, head)
    expect(delta.changes).toEqual([expect.objectContaining({ global: 'footer', doc: expect.objectContaining({ copyright: '© Draft only' }) })])
  })
})
