// Least privilege inside the editorial team, on a server with default settings: authors and editors
// see only the public profile of other people's accounts (name, bio, avatar), authors edit only the
// media they uploaded, only admins grant API keys, and a session cookie sent from a foreign origin
// does not sign anyone in.
import crypto from 'node:crypto'

import sharp from 'sharp'

import type { Json } from '../helpers/http'
import { api, graphql, login } from '../helpers/http'
import { assertConformsToSpec } from '../helpers/openapi'
import type { TestServer } from '../helpers/server'
import { TEST_ADMIN, startTestServer } from '../helpers/server'

let server: TestServer
let url: string
let adminAuth: string
const people: Record<'editor' | 'author' | 'otherAuthor', { id: number; email: string; auth: string }> = {} as never
let adminId: number

/** What anyone on the team may see of someone else's account (Posts' populatedAuthors shows the same). */
const PUBLIC_PROFILE = ['id', 'name', 'bio', 'avatar', 'createdAt', 'updatedAt', 'collection']
/** Never to anyone but the person themself: the login session ids and the key material. */
const SECRETS = ['sessions', 'apiKey', 'apiKeyIndex', 'hash', 'salt', 'resetPasswordToken', 'loginAttempts', 'lockUntil']

/**
 * The fields of a user document that carry something. Payload hands an array field that access
 * hides back as [] (`sessions`), which says nothing; `collection` is Payload's note of where a user lives.
 */
const filled = (doc: Json) => Object.keys(doc).filter((key) => !(Array.isArray(doc[key]) && doc[key].length === 0))

const createPerson = async (role: 'editor' | 'author', name: string) => {
  const email = `${name.toLowerCase().replace(/\s+/g, '.')}@greenroom.test`
  const password = `password-${crypto.randomUUID()}`
  const res = await api(url, '/api/users', { method: 'POST', auth: adminAuth, body: { email, password, name, role, bio: `${name} writes.` } })
  expect(res.status).toBe(201)
  return { id: res.body.doc.id as number, email, auth: await login(url, email, password) }
}

/** A multipart upload, checked against the spec like every api() answer. */
const upload = async (auth: string, alt: string, extra: Json = {}) => {
  const png = await sharp({ create: { width: 32, height: 24, channels: 3, background: '#a72' } }).png().toBuffer()
  const form = new FormData()
  form.append('file', new Blob([new Uint8Array(png)], { type: 'image/png' }), `${crypto.randomUUID()}.png`)
  form.append('_payload', JSON.stringify({ alt, ...extra }))
  const res = await fetch(`${url}/api/media`, { method: 'POST', headers: { authorization: auth }, body: form })
  const text = await res.text()
  await assertConformsToSpec(url, { method: 'POST', url: `${url}/api/media`, status: res.status, contentType: res.headers.get('content-type'), text })
  return { status: res.status, body: JSON.parse(text) as Json }
}

beforeAll(async () => {
  // Default settings: no PUBLIC_SERVER_URL, CORS_ORIGINS or CSRF_ORIGINS.
  server = await startTestServer({ seed: true, env: { PUBLIC_SERVER_URL: undefined, CORS_ORIGINS: undefined, CSRF_ORIGINS: undefined } })
  url = server.url
  adminAuth = await login(url, TEST_ADMIN.email, TEST_ADMIN.password)
  adminId = (await api(url, '/api/users/me', { auth: adminAuth })).body.user.id
  people.editor = await createPerson('editor', 'Eda Editor')
  people.author = await createPerson('author', 'Abe Author')
  people.otherAuthor = await createPerson('author', 'Ola Author')
}, 180_000)

afterAll(async () => {
  await server?.stop()
})

describe("other people's accounts", () => {
  test.each(['author', 'editor'] as const)('an %s lists everyone by public profile only, and their own account in full', async (who) => {
    const me = people[who]
    const res = await api(url, '/api/users?limit=100&depth=0', { auth: me.auth })
    expect(res.status).toBe(200)
    expect(res.body.docs.length).toBeGreaterThanOrEqual(5)
    for (const doc of res.body.docs) {
      if (doc.id === me.id) {
        expect(doc).toMatchObject({ email: me.email, role: who })
        continue
      }
      const shown = { id: doc.id, fields: filled(doc).filter((key) => !PUBLIC_PROFILE.includes(key)) }
      expect(shown).toEqual({ id: doc.id, fields: [] })
    }
    const admin = await api(url, `/api/users/${adminId}`, { auth: me.auth })
    expect(admin.status).toBe(200)
    expect(admin.body.name).toBe('Site Admin')
    expect(admin.body.email).toBeUndefined()
    expect(admin.body.role).toBeUndefined()
  })

  test('nobody finds an email or a role out by querying or sorting on it', async () => {
    const res = await api(url, `/api/users?where[email][like]=${encodeURIComponent(TEST_ADMIN.email.split('@')[0])}`, { auth: people.author.auth })
    expect(res.status).toBeGreaterThanOrEqual(400)
    expect(res.status).toBeLessThan(500)
    expect(JSON.stringify(res.body)).not.toContain(TEST_ADMIN.email)
    const byRole = await api(url, '/api/users?where[role][equals]=admin', { auth: people.author.auth })
    expect(byRole.status).toBeGreaterThanOrEqual(400)
    // A sort is an oracle too: an author who changes their own email and sorts learns the others' letter by letter.
    for (const sort of ['email', '-email', 'name,role', 'lockUntil']) {
      const sorted = await api(url, `/api/users?sort=${sort}`, { auth: people.author.auth })
      expect({ sort, status: sorted.status }).toEqual({ sort, status: 403 })
      expect(sorted.body.errors[0].message).toMatch(/admins/)
    }
    const viaGraphql = await graphql(url, '{ Users(sort: "email") { docs { name } } }', {}, people.editor.auth)
    expect(viaGraphql.body.errors?.[0]?.message).toMatch(/admins/)
    expect((await api(url, '/api/users?sort=email', { auth: adminAuth })).status).toBe(200)
    expect((await api(url, '/api/users?sort=-name', { auth: people.author.auth })).status).toBe(200)
  })

  test('the author picker still lists people by name', async () => {
    // What the admin panel's relationship field asks for.
    const res = await api(url, '/api/users?depth=0&limit=10&select[name]=true&where[name][like]=Ola', { auth: people.author.auth })
    expect(res.status).toBe(200)
    expect(res.body.docs).toEqual([{ id: people.otherAuthor.id, name: 'Ola Author', collection: 'users' }])
  })

  test('over GraphQL too', async () => {
    const res = await graphql(url, '{ Users(limit: 100) { docs { id name email role } } }', {}, people.author.auth)
    expect(res.body.errors).toBeUndefined()
    for (const doc of res.body.data.Users.docs) {
      if (doc.id === people.author.id) expect(doc.email).toBe(people.author.email)
      else expect({ id: doc.id, email: doc.email, role: doc.role }).toEqual({ id: doc.id, email: null, role: null })
    }
  })

  test('admins see every account; session ids and key material reach nobody but the person themself', async () => {
    const res = await api(url, '/api/users?limit=100&depth=0', { auth: adminAuth })
    expect(res.body.docs.find((doc: Json) => doc.id === people.author.id)).toMatchObject({ email: people.author.email, role: 'author' })
    for (const doc of res.body.docs) {
      const leaked = filled(doc).filter((key) => SECRETS.includes(key) && (doc.id !== adminId || key !== 'sessions'))
      expect({ id: doc.id, leaked }).toEqual({ id: doc.id, leaked: [] })
    }
    const own = await api(url, '/api/users/me', { auth: people.author.auth })
    expect(own.body.user.email).toBe(people.author.email)
    expect(filled(own.body.user).filter((key) => SECRETS.includes(key) && key !== 'sessions')).toEqual([])
  })
})

describe('media', () => {
  let own: Json
  let others: Json
  let seeded: Json

  beforeAll(async () => {
    const mine = await upload(people.author.auth, 'Mine', { uploadedBy: adminId })
    expect(mine.status).toBe(201)
    own = mine.body.doc
    others = (await upload(people.otherAuthor.auth, "Someone else's")).body.doc
    seeded = (await api(url, '/api/media?limit=1&depth=0&sort=id')).body.docs[0]
  })

  test('the uploader is recorded from the session, whatever the request says', async () => {
    const res = await api(url, `/api/media/${own.id}?depth=0`, { auth: adminAuth })
    expect(res.body.uploadedBy).toBe(people.author.id)
  })

  test('an author edits the media they uploaded, and no other', async () => {
    const mine = await api(url, `/api/media/${own.id}`, { method: 'PATCH', auth: people.author.auth, body: { alt: 'Mine, described' } })
    expect(mine.status).toBe(200)
    for (const doc of [others, seeded]) {
      const res = await api(url, `/api/media/${doc.id}`, { method: 'PATCH', auth: people.author.auth, body: { alt: 'Defaced' } })
      expect({ id: doc.id, status: res.status }).toEqual({ id: doc.id, status: 403 })
      expect((await api(url, `/api/media/${doc.id}`)).body.alt).toBe(doc.alt)
    }
    const mutation = `mutation($id: Int!) { updateMedia(id: $id, data: { alt: "Defaced" }) { alt } }`
    const viaGraphql = await graphql(url, mutation, { id: others.id }, people.author.auth)
    expect(viaGraphql.body.errors?.[0]?.message).toMatch(/not allowed/i)
  })

  test('an author cannot hand their upload to someone else; editors edit every file', async () => {
    await api(url, `/api/media/${own.id}`, { method: 'PATCH', auth: people.author.auth, body: { uploadedBy: people.otherAuthor.id } })
    expect((await api(url, `/api/media/${own.id}?depth=0`, { auth: adminAuth })).body.uploadedBy).toBe(people.author.id)
    for (const doc of [own, others, seeded]) {
      const res = await api(url, `/api/media/${doc.id}`, { method: 'PATCH', auth: people.editor.auth, body: { alt: `Edited by the desk ${doc.id}` } })
      expect({ id: doc.id, status: res.status }).toEqual({ id: doc.id, status: 200 })
    }
  })

  test("deleting an uploader's account keeps their files, with no owner (editors edit them)", async () => {
    const leaving = await createPerson('author', 'Lea Leaving')
    const file = (await upload(leaving.auth, 'Left behind')).body.doc
    expect((await api(url, `/api/users/${leaving.id}`, { method: 'DELETE', auth: adminAuth })).status).toBe(200)
    const kept = await api(url, `/api/media/${file.id}?depth=0`, { auth: adminAuth })
    expect(kept.status).toBe(200)
    expect(kept.body.uploadedBy ?? null).toBeNull()
  })

  test('readers do not learn who uploaded a file', async () => {
    const res = await api(url, `/api/media/${own.id}?depth=0`)
    expect(res.status).toBe(200)
    expect(res.body.uploadedBy).toBeUndefined()
  })
})

describe('API keys', () => {
  test.each(['author', 'editor'] as const)('an %s cannot give themself a key: 403 with a message, and no key exists', async (who) => {
    const me = people[who]
    const key = crypto.randomUUID()
    const res = await api(url, `/api/users/${me.id}`, { method: 'PATCH', auth: me.auth, body: { enableAPIKey: true, apiKey: key } })
    expect(res.status).toBe(403)
    expect(res.body.errors[0].message).toMatch(/only admins/i)
    const keyed = await api(url, '/api/posts?limit=1', { auth: `users API-Key ${key}` })
    expect(keyed.status).toBe(200)
    const stored = await api(url, `/api/users/${me.id}?depth=0`, { auth: adminAuth })
    expect(stored.body.enableAPIKey ?? false).toBe(false)
    // Nor over GraphQL.
    const mutation = `mutation($id: Int!, $key: String) { updateUser(id: $id, data: { enableAPIKey: true, apiKey: $key }) { id } }`
    const viaGraphql = await graphql(url, mutation, { id: me.id, key }, me.auth)
    expect(viaGraphql.body.errors?.[0]?.message).toMatch(/only admins/i)
  })

  test('an admin grants one; its holder can still edit their profile', async () => {
    const key = crypto.randomUUID()
    const granted = await api(url, `/api/users/${people.author.id}`, { method: 'PATCH', auth: adminAuth, body: { enableAPIKey: true, apiKey: key } })
    expect(granted.status).toBe(200)
    // The admin panel sends the account's fields back as it read them.
    const saved = await api(url, `/api/users/${people.author.id}`, {
      method: 'PATCH',
      auth: people.author.auth,
      body: { bio: 'Still writing.', enableAPIKey: true },
    })
    expect(saved.status).toBe(200)
    expect(saved.body.doc.bio).toBe('Still writing.')
    const rotate = await api(url, `/api/users/${people.author.id}`, { method: 'PATCH', auth: people.author.auth, body: { apiKey: crypto.randomUUID() } })
    expect(rotate.status).toBe(403)
    expect((await api(url, '/api/posts?limit=1', { auth: `users API-Key ${key}` })).status).toBe(200)
  })
})

describe('session cookies and origins (default settings)', () => {
  const cookie = () => `payload-token=${adminAuth.replace(/^JWT /, '')}`
  const createCategory = (title: string, headers: Record<string, string>) =>
    api(url, '/api/categories', { method: 'POST', body: { title }, headers: { cookie: cookie(), ...headers } })

  test('a cross-origin POST with the cookie is not signed in, and writes nothing', async () => {
    const res = await createCategory('Planted from elsewhere', { origin: 'https://evil.example' })
    expect(res.status).toBe(403)
    const found = await api(url, '/api/categories?where[title][equals]=Planted%20from%20elsewhere', { auth: adminAuth })
    expect(found.body.totalDocs).toBe(0)
    // A browser that sends no Origin still says where the request came from.
    const noOrigin = await createCategory('Planted without origin', { 'sec-fetch-site': 'cross-site' })
    expect(noOrigin.status).toBe(403)
  })

  test("the server's own origins, by either loopback name, are signed in", async () => {
    const port = new URL(url).port
    for (const origin of [`http://127.0.0.1:${port}`, `http://localhost:${port}`]) {
      const res = await createCategory(`Same origin ${origin}`, { origin })
      expect({ origin, status: res.status }).toEqual({ origin, status: 201 })
    }
    const navigation = await api(url, '/api/users/me', { headers: { cookie: cookie(), 'sec-fetch-site': 'same-origin' } })
    expect(navigation.body.user?.email).toBe(TEST_ADMIN.email)
  })
})
