// An API key reads what the public reads, and changes nothing: on every collection, global and endpoint
// of the running server, Payload's own and the plugins' included (locks, preferences, jobs, the
// key-value store, plugin-seo, plugin-search, auth routes), over REST and GraphQL. The routes and
// mutations tried are not a list kept by hand: they come from the same sanitized config the server
// runs, so a collection or endpoint added later is tried too.
import crypto from 'node:crypto'

import configPromise from '@payload-config'
import { configToSchema } from '@payloadcms/graphql'
import type { GraphQLField, GraphQLInputType } from 'graphql'
import {
  getNamedType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
} from 'graphql'
import type { Endpoint, SanitizedConfig } from 'payload'

import { richTextFromPlain } from '../../src/seed/lexical'
import { isPayloadInternalCollection } from '../../src/utilities/internalCollections'
import type { Json } from '../helpers/http'
import type { OpenAPIDocument } from '../helpers/openapi'
import { api, graphql, login } from '../helpers/http'
import type { TestServer } from '../helpers/server'
import { TEST_ADMIN, startTestServer } from '../helpers/server'

let server: TestServer
let url: string
let config: SanitizedConfig
let spec: OpenAPIDocument
let adminAuth: string
let keyAuth: string
let adminId: number
let postId: number
let draftId: number
let formId: number
let mediaFilename: string
const PREFERENCE_KEY = 'greenroom-test-preference'

type Answer = { status: number; body: Json; text: string; contentType: string | null }

/**
 * Routes the public API documents go through api(), which checks every answer against the OpenAPI
 * spec; Payload's internal collections are not public API and not in the spec, so they are sent as is.
 */
const send = async (
  path: string,
  { method = 'GET', auth, body, unlisted = path.startsWith('/api/payload-') }: { method?: string; auth?: string; body?: unknown; unlisted?: boolean } = {},
): Promise<Answer> => {
  if (!unlisted) {
    const res = await api(url, path, { method, auth, body })
    return { status: res.status, body: res.body, text: JSON.stringify(res.body), contentType: res.headers.get('content-type') }
  }
  const res = await fetch(`${url}${path}`, {
    method,
    headers: { ...(auth ? { authorization: auth } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    body: body !== undefined ? JSON.stringify(body) : undefined,
  })
  const text = await res.text()
  let parsed: Json = {}
  try {
    parsed = JSON.parse(text)
  } catch {
    parsed = { raw: text }
  }
  return { status: res.status, body: parsed, text, contentType: res.headers.get('content-type') }
}

const expectRefused = (what: string, answer: Answer) => {
  const shown = `${what} with an API key answered ${answer.status} ${answer.text.slice(0, 300)}`
  expect({ what: shown, refused: [401, 403].includes(answer.status) }).toEqual({ what: shown, refused: true })
  expect({ what: shown, message: typeof answer.body.errors?.[0]?.message }).toEqual({ what: shown, message: 'string' })
}

/** A body that would be a valid write, so that a write the key is wrongly allowed shows up as one. */
const bodyFor = (slug: string | undefined, method: string): unknown => {
  if (method === 'delete') return undefined
  switch (slug) {
    case 'payload-locked-documents':
      return { document: { relationTo: 'posts', value: postId }, user: { relationTo: 'users', value: adminId } }
    case 'payload-preferences':
      return { key: 'written-by-key', value: { columns: [] }, user: { relationTo: 'users', value: adminId } }
    case 'payload-kv':
      return { key: 'written-by-key', data: { x: 1 } }
    case 'payload-jobs':
      return { taskSlug: 'schedulePublish', input: {} }
    case 'posts':
      return { title: 'Written by a key', content: richTextFromPlain('x') }
    case 'pages':
    case 'categories':
    case 'forms':
      return { title: 'Written by a key' }
    case 'form-submissions':
      return { form: formId, submissionData: [{ field: 'name', value: 'Key' }] }
    case 'redirects':
      return { from: '/written-by-key', to: { type: 'custom', url: '/' } }
    case 'users':
      return { email: 'written-by-key@greenroom.test', password: 'password-123456', name: 'Key' }
    default:
      return {}
  }
}

const AUTH_BODIES: Record<string, unknown> = {
  '/login': { email: TEST_ADMIN.email, password: TEST_ADMIN.password },
  '/forgot-password': { email: TEST_ADMIN.email },
  '/reset-password': { token: 'x', password: 'password-123456' },
  '/unlock': { email: TEST_ADMIN.email },
  '/first-register': { email: 'first@greenroom.test', password: 'password-123456', name: 'First' },
}

type Target = { path: string; method: string; body?: unknown; collection?: string; listed: boolean }

/** Every endpoint of the server's config, its parameters filled with real documents. */
const allEndpoints = async (): Promise<Target[]> => {
  const firstId = async (slug: string) => {
    const res = await send(`/api/${slug}?limit=1&depth=0`, { auth: adminAuth })
    return res.body.docs?.[0]?.id ?? 1
  }
  const ids: Record<string, number | string> = {}
  for (const collection of config.collections) ids[collection.slug] = await firstId(collection.slug)
  const postVersion = (await send(`/api/posts/versions?limit=1`, { auth: adminAuth })).body.docs[0].id
  const fill = (path: string, slug: string | undefined) =>
    path
      .replace(':id?', String(slug ? ids[slug] : ''))
      .replace(':filename', mediaFilename)
      .replace(':key', PREFERENCE_KEY)
      .replace(':asset', 'swagger-ui.css')
      .replace(/^\/versions\/:id$/, `/versions/${slug === 'posts' ? postVersion : 1}`)
      .replace(':id', String(slug ? ids[slug] : 1))
      .replace(/\/$/, '')
  const targets: Target[] = []
  const add = (base: string, endpoints: Endpoint[] | false | undefined, slug?: string) => {
    for (const endpoint of endpoints || []) {
      let path = `${base}${fill(endpoint.path, slug)}`
      // Bulk updates and deletes aim at a real document.
      if (slug && endpoint.path === '/' && ['patch', 'delete'].includes(endpoint.method)) {
        path += `?where[id][equals]=${ids[slug]}`
      }
      const body = AUTH_BODIES[endpoint.path] ?? bodyFor(slug, endpoint.method)
      const template = `${base}${endpoint.path.replace(/\/$/, '').replace(/:([^/?]+)\??/g, '{$1}')}` || '/'
      const listed = Boolean(spec.paths[template]?.[endpoint.method])
      targets.push({ path, method: endpoint.method, body: endpoint.method === 'get' ? undefined : body, collection: slug, listed })
    }
  }
  add('/api', config.endpoints)
  for (const collection of config.collections) add(`/api/${collection.slug}`, collection.endpoints, collection.slug)
  for (const global of config.globals) add(`/api/globals/${global.slug}`, global.endpoints)
  return targets
}

/** Admin's view of everything a write could have changed. */
const snapshot = async () => {
  const state: Record<string, unknown> = {}
  for (const collection of config.collections) {
    const res = await send(`/api/${collection.slug}?limit=200&depth=0&sort=id`, { auth: adminAuth })
    if (res.status !== 200) continue
    state[collection.slug] = res.body.docs.map((doc: Json) => `${doc.id} ${doc.updatedAt ?? ''}`)
  }
  for (const global of config.globals) {
    // The scheduler stamps its own bookkeeping global at each cron minute, whatever the requests did
    if (global.slug === 'payload-jobs-stats') continue
    state[`global:${global.slug}`] = (await send(`/api/globals/${global.slug}?depth=0`, { auth: adminAuth })).body.updatedAt
  }
  state.postVersions = (await send(`/api/posts/versions?limit=200&depth=0`, { auth: adminAuth })).body.totalDocs
  return state
}

beforeAll(async () => {
  config = await configPromise
  server = await startTestServer({ seed: true, env: { RATE_LIMIT_PER_IP: '0', RATE_LIMIT_PER_API_KEY: '0', RATE_LIMIT_PER_SESSION: '0' } })
  url = server.url
  spec = await (await fetch(`${url}/api/openapi.json`)).json()
  adminAuth = await login(url, TEST_ADMIN.email, TEST_ADMIN.password)
  adminId = (await send('/api/users/me', { auth: adminAuth })).body.user.id
  // The most powerful owner: an admin's key still reads only what the public reads.
  const key = crypto.randomUUID()
  const enabled = await send(`/api/users/${adminId}`, { method: 'PATCH', auth: adminAuth, body: { enableAPIKey: true, apiKey: key } })
  expect(enabled.status).toBe(200)
  keyAuth = `users API-Key ${key}`

  postId = (await send('/api/posts?limit=1&depth=0')).body.docs[0].id
  draftId = (await send('/api/posts?where[_status][equals]=draft&limit=1&depth=0&draft=true', { auth: adminAuth })).body.docs[0].id
  const form = (await send('/api/forms?limit=1&depth=0', { auth: adminAuth })).body.docs[0]
  formId = form.id
  mediaFilename = (await send('/api/media?limit=1&depth=0')).body.docs[0].filename
  // What an editor's open admin panel leaves behind: a lock on the draft being edited, a preference,
  // and the form's notification addresses, which only the editorial team may read.
  const lock = await send('/api/payload-locked-documents', {
    method: 'POST',
    auth: adminAuth,
    body: { document: { relationTo: 'posts', value: draftId }, user: { relationTo: 'users', value: adminId } },
  })
  expect(lock.status).toBe(201)
  const preference = await send(`/api/payload-preferences/${PREFERENCE_KEY}`, { method: 'POST', auth: adminAuth, body: { value: { open: true } } })
  expect(preference.status).toBe(200)
  const emails = await send(`/api/forms/${formId}`, {
    method: 'PATCH',
    auth: adminAuth,
    body: { emails: [{ emailTo: 'desk@greenroom.test', subject: 'New message', message: richTextFromPlain('A message.') }] },
  })
  expect(emails.status).toBe(200)
}, 180_000)

afterAll(async () => {
  await server?.stop()
})

describe('REST, every endpoint of the config', () => {
  test('every write is refused with the JSON error shape, and nothing changes', async () => {
    const before = await snapshot()
    const writes = (await allEndpoints()).filter((target) => target.method !== 'get')
    expect(writes.length).toBeGreaterThan(100)
    for (const target of writes) {
      const answer = await send(target.path, { method: target.method.toUpperCase(), auth: keyAuth, body: target.body, unlisted: !target.listed })
      expectRefused(`${target.method.toUpperCase()} ${target.path}`, answer)
    }
    expect(await snapshot()).toEqual(before)
  })

  test("every read answers what it answers an anonymous reader; Payload's internal collections are refused", async () => {
    const reads = (await allEndpoints()).filter((target) => target.method === 'get')
    expect(reads.length).toBeGreaterThan(50)
    for (const target of reads) {
      const what = `GET ${target.path}`
      const keyed = await send(target.path, { auth: keyAuth, unlisted: !target.listed })
      if (target.collection && isPayloadInternalCollection(target.collection)) {
        expectRefused(what, keyed)
        continue
      }
      const anonymous = await send(target.path, { unlisted: !target.listed })
      if (target.path === '/api/access') {
        // Permissions: the public may send forms, a key may not; a key may do nothing the public may not.
        expect({ what, status: keyed.status }).toEqual({ what, status: 200 })
        const publicMay = new Set(allowed(anonymous.body))
        expect(allowed(keyed.body).filter((permission) => !publicMay.has(permission))).toEqual([])
      } else if (anonymous.status >= 400) {
        expect({ what, keyed: keyed.status >= 400 }).toEqual({ what, keyed: true })
      } else if (![401, 403].includes(keyed.status)) {
        // The same answer, or a refusal (an API key's own account is not the public's to read).
        expect({ what, status: keyed.status }).toEqual({ what, status: anonymous.status })
        if (anonymous.contentType?.includes('application/json')) {
          expect({ what, body: keyed.text }).toEqual({ what, body: anonymous.text })
        }
      }
    }
  })

  test('the lock on a draft being edited is not shown to a key', async () => {
    const locks = await send('/api/payload-locked-documents?depth=0', { auth: keyAuth })
    expect(locks.text).not.toContain(`"value":${draftId}`)
    expectRefused('GET /api/payload-locked-documents', locks)
  })

  test('public reads still work with a key', async () => {
    const posts = await send('/api/posts?limit=10&depth=1', { auth: keyAuth })
    expect(posts.status).toBe(200)
    expect(posts.body.docs.length).toBeGreaterThan(0)
    expect((await send('/api/globals/header', { auth: keyAuth })).status).toBe(200)
    expect((await send('/api/media?limit=5', { auth: keyAuth })).status).toBe(200)
    expect((await send('/api/search?limit=5', { auth: keyAuth })).body.docs.length).toBeGreaterThan(0)
    const form = await send(`/api/forms/${formId}`, { auth: keyAuth })
    expect(form.status).toBe(200)
    // The form's notification addresses are the editorial team's.
    expect(form.body.emails ?? []).toEqual([])
    const query = await graphql(url, '{ Posts(limit: 3) { docs { title } } }', {}, keyAuth)
    expect(query.body.errors).toBeUndefined()
    expect(query.body.data.Posts.docs.length).toBeGreaterThan(0)
  })
})

/** The permissions an /api/access answer grants, as paths: `collections.posts.read`. */
const allowed = (node: unknown, path = ''): string[] =>
  node === true
    ? [path]
    : node && typeof node === 'object'
      ? Object.entries(node).flatMap(([key, child]) => allowed(child, path ? `${path}.${key}` : key))
      : []

/** A value for each required argument, enough for GraphQL to run the resolver. */
const sample = (type: GraphQLInputType): unknown => {
  if (isNonNullType(type)) return sample(type.ofType)
  if (isListType(type)) return [sample(type.ofType)]
  // Variables carry an enum's name (`_301`), not its value.
  if (isEnumType(type)) return type.getValues()[0].name
  if (isInputObjectType(type)) {
    const value: Json = {}
    for (const field of Object.values(type.getFields())) {
      if (isNonNullType(field.type)) value[field.name] = sample(field.type)
    }
    return value
  }
  if (isScalarType(type)) {
    switch (type.name) {
      case 'Int':
      case 'Float':
        return postId
      case 'Boolean':
        return false
      case 'JSON':
      case 'JSONObject':
        // A document id is valid JSON and a valid relationship value.
        return postId
      case 'DateTime':
        return new Date().toISOString()
      case 'EmailAddress':
        return 'someone@greenroom.test'
      default:
        return 'x'
    }
  }
  return null
}

describe('GraphQL, every mutation of the schema', () => {
  test('every mutation is refused, and nothing changes', async () => {
    const { schema } = configToSchema(config)
    const mutations = Object.values(schema.getMutationType()!.getFields()) as GraphQLField<unknown, unknown>[]
    expect(mutations.length).toBeGreaterThan(40)
    const before = await snapshot()
    const overrides: Record<string, Json> = {
      createPayloadLockedDocument: {
        data: { document: { relationTo: 'posts', value: postId }, user: { relationTo: 'users', value: adminId } },
      },
      createPayloadPreference: { data: { key: 'written-by-key', value: { x: 1 }, user: { relationTo: 'users', value: adminId } } },
      loginUser: { email: TEST_ADMIN.email, password: TEST_ADMIN.password },
      forgotPasswordUser: { email: TEST_ADMIN.email },
      unlockUser: { email: TEST_ADMIN.email },
      resetPasswordUser: { token: 'x', password: 'password-123456' },
    }
    const verificationOff = !config.collections.some((collection) => collection.auth && collection.auth.verify)
    for (const mutation of mutations) {
      // Payload defines verifyEmail<User> even where email verification is off; there it fails for
      // every caller alike (no user has a token to verify) and can change nothing.
      if (verificationOff && mutation.name.startsWith('verifyEmail')) continue
      const args = mutation.args.filter(
        (arg) => isNonNullType(arg.type) || arg.name === 'id' || overrides[mutation.name]?.[arg.name] !== undefined,
      )
      const variables: Json = {}
      for (const arg of args) variables[arg.name] = overrides[mutation.name]?.[arg.name] ?? sample(arg.type)
      const declared = args.map((arg) => `$${arg.name}: ${arg.type.toString()}`).join(', ')
      const passed = args.map((arg) => `${arg.name}: $${arg.name}`).join(', ')
      const selection = isObjectType(getNamedType(mutation.type)) ? '{ __typename }' : ''
      const query = `mutation${declared ? `(${declared})` : ''} { ${mutation.name}${passed ? `(${passed})` : ''} ${selection} }`
      const res = await graphql(url, query, variables, keyAuth)
      const what = `${mutation.name}: ${JSON.stringify(res.body).slice(0, 300)}`
      expect({ what, data: res.body.data?.[mutation.name] ?? null }).toEqual({ what, data: null })
      expect({ what, refused: /not allowed|API key/i.test(res.body.errors?.[0]?.message ?? '') }).toEqual({ what, refused: true })
    }
    expect(await snapshot()).toEqual(before)
  })

  test("Payload's internal collections are not listed to a key", async () => {
    for (const [query, field] of [
      ['{ PayloadLockedDocuments { docs { id } } }', 'PayloadLockedDocuments'],
      ['{ PayloadPreferences { docs { id key } } }', 'PayloadPreferences'],
    ]) {
      const res = await graphql(url, query, {}, keyAuth)
      expect({ query, data: res.body.data?.[field] ?? null }).toEqual({ query, data: null })
      expect(res.body.errors?.[0]?.message).toMatch(/not allowed/i)
    }
  })
})

describe("a key cannot end its owner's sessions", () => {
  test('logout with allSessions is refused, and the owner stays signed in', async () => {
    // Payload's `allSessions` is not in the spec: sent as is.
    const res = await send('/api/users/logout?allSessions=true', { method: 'POST', auth: keyAuth, unlisted: true })
    expectRefused('POST /api/users/logout?allSessions=true', res)
    const me = await send('/api/users/me', { auth: adminAuth })
    expect(me.body.user?.email).toBe(TEST_ADMIN.email)
  })
})
