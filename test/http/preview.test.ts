// Preview tokens over real HTTP: an editor mints one for one document; a front end reads that
// document's newest draft with it on REST and GraphQL; every other use of the token, and every bad
// token, answers 401 and never an answer from the response store.
import crypto from 'node:crypto'

import { SignJWT } from 'jose'

import { keyFor, signPreviewToken } from '../../src/preview/token'
import { richTextFromPlain } from '../../src/seed/lexical'
import type { ApiResponse } from '../helpers/http'
import { api, graphql, login } from '../helpers/http'
import type { TestServer } from '../helpers/server'
import { TEST_ADMIN, startTestServer } from '../helpers/server'

let server: TestServer
let url: string
let adminAuth: string
let keyAuth: string
let postId: number
let otherPostId: number
let pageId: number
let categoryId: number
let heroImageId: number
const SLUG = `preview-${Date.now()}`
const PUBLISHED_TITLE = 'Preview: what readers see'
const DRAFT_TITLE = 'Preview: the newest draft'

const mint = (body: unknown, auth?: string) => api(url, '/api/preview-tokens', { method: 'POST', body, auth })
const previewAuth = (token: string) => `Preview ${token}`

const expect401 = (what: string, answer: ApiResponse) => {
  const shown = `${what}: ${answer.status} ${JSON.stringify(answer.body).slice(0, 200)}`
  expect({ shown, status: answer.status }).toEqual({ shown, status: 401 })
  expect(typeof answer.body.errors?.[0]?.message).toBe('string')
  expect(answer.headers.get('cache-control')).toMatch(/no-store/)
  expect(JSON.stringify(answer.body)).not.toContain(DRAFT_TITLE)
}

beforeAll(async () => {
  server = await startTestServer({ seed: true, env: { RATE_LIMIT_PER_IP: '0', RATE_LIMIT_PER_API_KEY: '0', RATE_LIMIT_PER_SESSION: '0' } })
  url = server.url
  adminAuth = await login(url, TEST_ADMIN.email, TEST_ADMIN.password)
  const me = await api(url, '/api/users/me', { auth: adminAuth })
  const key = crypto.randomUUID()
  expect((await api(url, `/api/users/${me.body.user.id}`, { method: 'PATCH', auth: adminAuth, body: { enableAPIKey: true, apiKey: key } })).status).toBe(200)
  keyAuth = `users API-Key ${key}`
  categoryId = (await api(url, '/api/categories?limit=1&depth=0')).body.docs[0].id
  heroImageId = (await api(url, '/api/media?limit=1&depth=0')).body.docs[0].id
  // Published first, then a newer draft on top: readers see the first, the preview the second.
  const created = await api(url, '/api/posts', {
    method: 'POST',
    auth: adminAuth,
    body: { title: PUBLISHED_TITLE, slug: SLUG, content: richTextFromPlain('Published body.'), categories: [categoryId], _status: 'published' },
  })
  expect(created.status).toBe(201)
  postId = created.body.doc.id
  const drafted = await api(url, `/api/posts/${postId}?draft=true`, {
    method: 'PATCH',
    auth: adminAuth,
    body: { title: DRAFT_TITLE, content: richTextFromPlain('Draft body words.'), heroImage: heroImageId, _status: 'draft' },
  })
  expect(drafted.status).toBe(200)
  otherPostId = (await api(url, `/api/posts?where[slug][not_equals]=${SLUG}&limit=1&depth=0`)).body.docs[0].id
  pageId = (await api(url, '/api/pages?limit=1&depth=0')).body.docs[0].id
}, 240_000)

afterAll(async () => {
  await server?.stop()
})

describe('minting', () => {
  test('an editor mints a token for one post, with the preview URL of the built-in renderer', async () => {
    const minted = await mint({ collection: 'posts', id: postId }, adminAuth)
    expect(minted.status).toBe(201)
    expect(minted.headers.get('cache-control')).toBe('private, no-store')
    expect(minted.body.token.split('.')).toHaveLength(3)
    const lifetime = Date.parse(minted.body.expiresAt) - Date.now()
    expect(lifetime).toBeGreaterThan(3500_000)
    expect(lifetime).toBeLessThanOrEqual(3600_000)
    expect(minted.body.url).toMatch(new RegExp(`/preview/posts/${postId}\\?token=`))
  })

  test('anonymous readers, API keys and preview tokens cannot mint', async () => {
    expect((await mint({ collection: 'posts', id: postId })).status).toBe(401)
    const byKey = await mint({ collection: 'posts', id: postId }, keyAuth)
    expect(byKey.status).toBe(403)
    const token = (await mint({ collection: 'posts', id: postId }, adminAuth)).body.token
    expect401('minting with a preview token', await mint({ collection: 'posts', id: postId }, previewAuth(token)))
  })

  test('bad input gets 4xx naming what is wrong', async () => {
    const unknownCollection = await mint({ collection: 'users', id: 1 }, adminAuth)
    expect(unknownCollection.status).toBe(400)
    expect(unknownCollection.body.errors[0].message).toMatch(/collection/)
    expect((await mint({ collection: 'posts' }, adminAuth)).status).toBe(400)
    expect((await mint({ collection: 'posts', id: postId, locale: 'xx' }, adminAuth)).status).toBe(400)
    expect((await mint({ collection: 'posts', id: 99_999_999 }, adminAuth)).status).toBe(404)
  })

  test("the preview URL follows site settings' pattern, which is validated", async () => {
    const bad = await api(url, '/api/globals/site-settings', { method: 'POST', auth: adminAuth, body: { urls: { previewUrl: 'https://site.example/preview?path={path}' } } })
    expect(bad.status).toBe(400)
    expect(JSON.stringify(bad.body)).toMatch(/previewUrl|Preview URL/)
    const set = await api(url, '/api/globals/site-settings', {
      method: 'POST',
      auth: adminAuth,
      body: { urls: { previewUrl: 'https://site.example/api/preview?path={path}&token={token}&c={collection}&i={id}' } },
    })
    expect(set.status).toBe(200)
    try {
      const minted = await mint({ collection: 'posts', id: postId }, adminAuth)
      const preview = new URL(minted.body.url)
      expect(preview.origin).toBe('https://site.example')
      expect(preview.searchParams.get('path')).toBe(`/posts/${SLUG}`)
      expect(preview.searchParams.get('token')).toBe(minted.body.token)
      expect(preview.searchParams.get('c')).toBe('posts')
      expect(preview.searchParams.get('i')).toBe(String(postId))
    } finally {
      expect((await api(url, '/api/globals/site-settings', { method: 'POST', auth: adminAuth, body: { urls: { previewUrl: '' } } })).status).toBe(200)
    }
  })
})

describe('reading the target', () => {
  let token: string
  beforeAll(async () => {
    token = (await mint({ collection: 'posts', id: postId }, adminAuth)).body.token
  })

  test('REST by id and by slug: the newest draft, private and never stored', async () => {
    const byId = await api(url, `/api/posts/${postId}?draft=true&depth=1`, { auth: previewAuth(token) })
    expect(byId.status).toBe(200)
    expect(byId.body.title).toBe(DRAFT_TITLE)
    expect(byId.body.contentHtml).toContain('Draft body words.')
    // Population stays the public's: the category comes populated.
    expect(byId.body.categories[0]).toMatchObject({ id: categoryId })
    expect(byId.headers.get('cache-control')).toBe('private, no-store')
    const bySlug = await api(url, `/api/posts?where[slug][equals]=${SLUG}&draft=true`, { auth: previewAuth(token) })
    expect(bySlug.status).toBe(200)
    expect(bySlug.body.docs.map((doc: { title: string }) => doc.title)).toEqual([DRAFT_TITLE])
    // Without draft=true, the published version.
    expect((await api(url, `/api/posts/${postId}`, { auth: previewAuth(token) })).body.title).toBe(PUBLISHED_TITLE)

    // The same requests without the token: the published version, twice (the second from the store).
    for (let k = 0; k < 2; k++) {
      const publicById = await api(url, `/api/posts/${postId}?draft=true&depth=1`)
      expect(publicById.status).toBe(200)
      expect(publicById.body.title).toBe(PUBLISHED_TITLE)
      const publicBySlug = await api(url, `/api/posts?where[slug][equals]=${SLUG}&draft=true`)
      expect(publicBySlug.body.docs.map((doc: { title: string }) => doc.title)).toEqual([PUBLISHED_TITLE])
    }
  })

  test("a page's token reads the page, its archive blocks listing posts as the public sees them", async () => {
    const pageToken = (await mint({ collection: 'pages', id: pageId }, adminAuth)).body.token
    const page = await api(url, `/api/pages/${pageId}?draft=true&depth=1`, { auth: previewAuth(pageToken) })
    expect(page.status).toBe(200)
    const anonymous = await api(url, `/api/pages/${pageId}?depth=1`)
    expect(page.body.layout.map((block: { blockType: string }) => block.blockType)).toEqual(
      anonymous.body.layout.map((block: { blockType: string }) => block.blockType),
    )
    expect(JSON.stringify(page.body)).not.toContain(DRAFT_TITLE)
  })

  test('GraphQL by id and by a list that finds it', async () => {
    const byId = await graphql(url, `query($id: Int!) { Post(id: $id, draft: true) { title categories { id } } }`, { id: postId }, previewAuth(token))
    expect({ status: byId.status, body: byId.status === 200 ? 'ok' : byId.body }).toEqual({ status: 200, body: 'ok' })
    expect(byId.body.errors).toBeUndefined()
    expect(byId.body.data.Post.title).toBe(DRAFT_TITLE)
    expect(byId.body.data.Post.categories[0].id).toBe(categoryId)
    const list = await graphql(url, `query($slug: String) { Posts(where: { slug: { equals: $slug } }, draft: true) { docs { title } } }`, { slug: SLUG }, previewAuth(token))
    expect(list.status).toBe(200)
    expect(list.body.data.Posts.docs).toEqual([{ title: DRAFT_TITLE }])
    const anonymous = await graphql(url, `query($id: Int!) { Post(id: $id, draft: true) { title } }`, { id: postId })
    expect(anonymous.body.data.Post.title).toBe(PUBLISHED_TITLE)
  })
})

describe('every other use answers 401', () => {
  let token: string
  beforeAll(async () => {
    token = (await mint({ collection: 'posts', id: postId }, adminAuth)).body.token
  })

  test('another document, collection or global, a write, versions, a count, another route', async () => {
    const auth = previewAuth(token)
    expect401('another post', await api(url, `/api/posts/${otherPostId}?draft=true`, { auth }))
    expect401('a list that is not the target', await api(url, `/api/posts?draft=true`, { auth }))
    expect401('a list that finds nothing', await api(url, `/api/posts?where[slug][equals]=nothing-${SLUG}&draft=true`, { auth }))
    expect401('another collection', await api(url, `/api/categories`, { auth }))
    expect401('a page', await api(url, `/api/pages/${pageId}?draft=true`, { auth }))
    expect401('a global', await api(url, `/api/globals/header`, { auth }))
    expect401('versions', await api(url, `/api/posts/versions?where[parent][equals]=${postId}`, { auth }))
    expect401('a count', await api(url, `/api/posts/count`, { auth }))
    expect401('a write', await api(url, `/api/posts/${postId}?draft=true`, { method: 'PATCH', auth, body: { title: 'Written by a token' } }))
    expect401('who am I', await api(url, `/api/users/me`, { auth }))
    expect401('sync', await api(url, `/api/sync`, { auth }))
    expect401('GraphQL: another post', await graphql(url, `query($id: Int!) { Post(id: $id, draft: true) { title } }`, { id: otherPostId }, auth))
    expect401('GraphQL: another collection', await graphql(url, `{ Categories { docs { id } } }`, {}, auth))
    expect401('GraphQL: the target and more', await graphql(url, `query($id: Int!) { Post(id: $id, draft: true) { title } Header { navItems { id } } }`, { id: postId }, auth))
    expect401('GraphQL: a mutation', await graphql(url, `mutation($id: Int!) { updatePost(id: $id, data: { title: "x" }) { title } }`, { id: postId }, auth))
    for (const path of ['/sitemap.xml', '/feed.xml']) {
      const res = await fetch(`${url}${path}`, { headers: { authorization: auth } })
      expect({ path, status: res.status }).toEqual({ path, status: 401 })
      expect(res.headers.get('cache-control')).toMatch(/no-store/)
    }
    // Nothing was written.
    expect((await api(url, `/api/posts/${postId}?draft=true`, { auth: adminAuth })).body.title).toBe(DRAFT_TITLE)
  })

  test('a tampered, foreign-audience, session or made-up token, and one whose editor is gone', async () => {
    const [head, body, signature] = token.split('.')
    const flipped = signature[5] === 'A' ? 'B' : 'A'
    const tampered = `${head}.${body}.${signature.slice(0, 5)}${flipped}${signature.slice(6)}`
    // The claims of another document under the same signature.
    const claims = JSON.parse(Buffer.from(body, 'base64url').toString())
    const retargeted = `${head}.${Buffer.from(JSON.stringify({ ...claims, tgt: { collection: 'posts', id: String(otherPostId) } })).toString('base64url')}.${signature}`
    const session = adminAuth.replace(/^JWT /, '')
    for (const [what, bad] of [
      ['a tampered signature', tampered],
      ['claims changed under the signature', retargeted],
      ["a Payload session token as a preview token", session],
      ['a made-up token', 'not-a-token'],
    ] as const) {
      expect401(what, await api(url, `/api/posts/${postId}?draft=true`, { auth: previewAuth(bad) }))
      // Asked twice: a second, identical request is never answered from the store either.
      expect401(`${what}, again`, await api(url, `/api/posts/${postId}?draft=true`, { auth: previewAuth(bad) }))
    }
    // A preview token is no session token either.
    const asSession = await api(url, '/api/users/me', { auth: `JWT ${token}` })
    expect(asSession.body.user ?? null).toBeNull()

    // An editor who mints a token and is then removed: the token dies with the account.
    const email = `preview-editor-${Date.now()}@greenroom.test`
    const editor = await api(url, '/api/users', { method: 'POST', auth: adminAuth, body: { email, password: 'password-123456', name: 'Temp', role: 'editor' } })
    expect(editor.status).toBe(201)
    const editorAuth = await login(url, email, 'password-123456')
    const theirs = (await mint({ collection: 'posts', id: postId }, editorAuth)).body.token
    expect((await api(url, `/api/posts/${postId}?draft=true`, { auth: previewAuth(theirs) })).status).toBe(200)
    expect((await api(url, `/api/users/${editor.body.doc.id}`, { method: 'DELETE', auth: adminAuth })).status).toBe(200)
    expect401("a token whose editor is gone", await api(url, `/api/posts/${postId}?draft=true`, { auth: previewAuth(theirs) }))
  })
})

describe('globals', () => {
  // The header gets a draft on top of what is published: readers keep the published one, the
  // global's token reads the draft with `draft=true`.
  test("a global's token reads that global's draft and nothing else", async () => {
    const published = (await api(url, '/api/globals/header')).body.navItems as { link: { label: string } }[]
    expect(published.length).toBeGreaterThan(0)
    const draftItems = [{ link: { type: 'custom', url: 'https://example.com/draft', label: 'Draft-only item' } }]
    const saved = await api(url, '/api/globals/header?draft=true', { method: 'POST', auth: adminAuth, body: { navItems: draftItems, _status: 'draft' } })
    expect(saved.status).toBe(200)
    const labels = (body: { navItems?: { link: { label: string } }[] }) => (body.navItems ?? []).map(({ link }) => link.label)

    const minted = await mint({ global: 'header' }, adminAuth)
    expect(minted.status).toBe(201)
    expect(minted.body.url).toMatch(/\/preview\/globals\/header\?token=/)
    const auth = previewAuth(minted.body.token)
    const header = await api(url, '/api/globals/header?draft=true', { auth })
    expect(header.status).toBe(200)
    expect(header.headers.get('cache-control')).toBe('private, no-store')
    expect(labels(header.body)).toEqual(['Draft-only item'])
    // Without draft=true the token reads what is published; readers never get the draft.
    expect(labels((await api(url, '/api/globals/header', { auth })).body)).toEqual(published.map(({ link }) => link.label))
    for (const path of ['/api/globals/header?draft=true', '/api/globals/header']) {
      expect(labels((await api(url, path)).body)).toEqual(published.map(({ link }) => link.label))
      expect(labels((await api(url, path, { auth: keyAuth })).body)).toEqual(published.map(({ link }) => link.label))
    }
    const viaGraphql = await graphql(url, '{ Header(draft: true) { navItems { link { label } } } }', {}, auth)
    expect(viaGraphql.status).toBe(200)
    expect(viaGraphql.body.data.Header.navItems.map(({ link }: { link: { label: string } }) => link.label)).toEqual(['Draft-only item'])
    const anonymousGraphql = await graphql(url, '{ Header(draft: true) { navItems { link { label } } } }', {})
    expect(JSON.stringify(anonymousGraphql.body)).not.toContain('Draft-only item')

    expect401('another global', await api(url, '/api/globals/footer', { auth }))
    expect401('a post', await api(url, `/api/posts/${postId}?draft=true`, { auth }))
    expect401('a write to the global', await api(url, '/api/globals/header', { method: 'POST', auth, body: { navItems: [] } }))
    expect((await mint({ global: 'users' }, adminAuth)).status).toBe(400)
    expect((await mint({ global: 'header' }, keyAuth)).status).toBe(403)

    // The built-in page shows the home page inside the header's draft.
    const page = await fetch(new URL(minted.body.url, url))
    expect(page.status).toBe(200)
    expect(await page.text()).toContain('Draft-only item')
  })

  test("the built-in page shows the home page around the global's draft", async () => {
    const minted = await mint({ global: 'footer' }, adminAuth)
    const res = await fetch(new URL(new URL(minted.body.url, url).pathname + new URL(minted.body.url, url).search, url))
    expect(res.status).toBe(200)
    const html = await res.text()
    expect(html).toContain('footer')
    expect(html).toMatch(/<footer><nav class="footer-nav">/)
    const wrong = await fetch(`${url}/preview/globals/header?token=${encodeURIComponent(minted.body.token)}`)
    expect(wrong.status).toBe(401)
  })
})

describe('expired and foreign tokens', () => {
  // The test server's secret (test/helpers/server.ts), as Payload keeps it (payload.secret).
  const secret = crypto.createHash('sha256').update('test-secret-0123456789abcdef0123456789abcdef').digest('hex').slice(0, 32)

  test('a token past its lifetime answers 401', async () => {
    const userId = String((await api(url, '/api/users/me', { auth: adminAuth })).body.user.id)
    const target = { collection: 'posts', id: String(postId) }
    const fresh = await signPreviewToken(secret, { target, userId, ttlSeconds: 60 })
    expect((await api(url, `/api/posts/${postId}?draft=true`, { auth: previewAuth(fresh.token) })).status).toBe(200)
    const expired = await signPreviewToken(secret, { target, userId, ttlSeconds: 60 }, Date.now() - 61_000)
    expect401('an expired token', await api(url, `/api/posts/${postId}?draft=true`, { auth: previewAuth(expired.token) }))
  })

  test('a token for another audience, under the same key, answers 401', async () => {
    const userId = String((await api(url, '/api/users/me', { auth: adminAuth })).body.user.id)
    const foreign = await new SignJWT({ tgt: { collection: 'posts', id: String(postId) } })
      .setProtectedHeader({ alg: 'HS256', typ: 'greenroom-preview+jwt' })
      .setIssuer('greenroom')
      .setAudience('somewhere-else')
      .setSubject(userId)
      .setIssuedAt()
      .setExpirationTime('10m')
      .setJti(crypto.randomUUID())
      .sign(keyFor(secret))
    expect401('another audience', await api(url, `/api/posts/${postId}?draft=true`, { auth: previewAuth(foreign) }))
  })
})

describe('the built-in renderer', () => {
  test('renders the newest draft as a plain, private, unindexed page that only the admin may frame', async () => {
    const minted = await mint({ collection: 'posts', id: postId }, adminAuth)
    const res = await fetch(`${url}${new URL(minted.body.url, url).pathname}${new URL(minted.body.url, url).search}`)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toMatch(/^text\/html/)
    expect(res.headers.get('cache-control')).toBe('no-store')
    expect(res.headers.get('x-robots-tag')).toMatch(/noindex/)
    expect(res.headers.get('content-security-policy')).toMatch(/frame-ancestors 'self'/)
    expect(res.headers.get('content-security-policy')).toMatch(/default-src 'none'/)
    const html = await res.text()
    expect(html).toContain(DRAFT_TITLE)
    expect(html).toContain('Draft body words.')
    // Media URLs are absolute (on PUBLIC_SERVER_URL or MEDIA_BASE_URL): that origin may serve images.
    const hero = /<img class="hero-image" src="([^"]+)"/.exec(html)
    expect(hero?.[1]).toMatch(/\/api\/media\/file\//)
    const mediaOrigin = new URL(hero![1]).origin
    expect(res.headers.get('content-security-policy')).toContain(`img-src 'self' data: ${mediaOrigin}`)
    expect((await fetch(hero![1].replace(/&amp;/g, '&'))).status).toBe(200)
    // No address of another origin to load anything from.
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\/(?!127\.0\.0\.1|localhost)/)
  })

  test('answers 401 HTML for a bad token and for a token of another document', async () => {
    const minted = await mint({ collection: 'posts', id: postId }, adminAuth)
    for (const path of [`/preview/posts/${postId}?token=nonsense`, `/preview/posts/${otherPostId}?token=${minted.body.token}`, `/preview/posts/${postId}`]) {
      const res = await fetch(`${url}${path}`)
      expect({ path, status: res.status }).toEqual({ path, status: 401 })
      expect(res.headers.get('cache-control')).toBe('no-store')
      const html = await res.text()
      expect(html).toContain('Preview unavailable')
      expect(html).not.toContain(DRAFT_TITLE)
    }
  })

  test('renders a page with its layout blocks', async () => {
    const minted = await mint({ collection: 'pages', id: pageId }, adminAuth)
    const res = await fetch(new URL(new URL(minted.body.url, url).pathname + new URL(minted.body.url, url).search, url))
    expect(res.status).toBe(200)
    const html = await res.text()
    expect(html).toMatch(/class="block /)
  })
})
