// The OpenAPI document at /api/openapi.json: a valid OpenAPI 3.1 document, listing every route the
// server serves and nothing else, answers that conform to it (every api() call in the HTTP suite is
// checked, see test/helpers/openapi.ts; this file adds calls to routes the other files leave out), and
// the API reference page at /api/docs, which loads nothing from other origins.
import fs from 'node:fs'
import path from 'node:path'

import configPromise from '@payload-config'
import { Validator } from '@seriousme/openapi-schema-validator'
import type { Endpoint, SanitizedConfig } from 'payload'

import type { Json } from '../helpers/http'
import { api, graphql, login } from '../helpers/http'
import type { OpenAPIDocument } from '../helpers/openapi'
import { ResponseValidator } from '../helpers/openapi'
import type { TestServer } from '../helpers/server'
import { ROOT, TEST_ADMIN, startTestServer } from '../helpers/server'

let server: TestServer
let url: string
let adminAuth: string
let spec: OpenAPIDocument
let config: SanitizedConfig

const timed = async (route: string, headers: Record<string, string> = {}) => {
  const started = performance.now()
  const res = await fetch(`${url}${route}`, { headers })
  const text = await res.text()
  return { res, text, ms: Math.round(performance.now() - started) }
}

beforeAll(async () => {
  server = await startTestServer({ seed: true })
  url = server.url
  // The first request generates the spec; later ones are served from memory. Figures for the
  // README are noisy on shared CI cores.
  const first = await timed('/api/openapi.json')
  const cached = await timed('/api/openapi.json')
  expect(first.res.status).toBe(200)
  spec = JSON.parse(first.text)
  console.log(
    `/api/openapi.json: ${first.text.length} bytes; first request ${first.ms} ms (generates), cached ${cached.ms} ms; ` +
      `${Object.keys(spec.paths).length} paths, ${countOperations(spec)} operations, ${Object.keys(spec.components.schemas).length} schemas`,
  )
  config = await configPromise
  adminAuth = await login(url, TEST_ADMIN.email, TEST_ADMIN.password)
}, 120_000)

afterAll(async () => {
  await server?.stop()
})

const METHODS = ['get', 'head', 'post', 'put', 'patch', 'delete'] as const

const countOperations = (document: OpenAPIDocument) =>
  Object.values(document.paths).reduce((sum, item) => sum + METHODS.filter((method) => item[method]).length, 0)

/** `/:id` → `/{id}`; an optional `/:id?` is two routes. */
const templates = (base: string, endpointPath: string): string[] => {
  const suffix = endpointPath === '/' ? '' : endpointPath
  const optional = /\/:([^/?]+)\?$/.exec(suffix)
  const variants = optional ? [suffix.slice(0, optional.index), suffix.replace(/\?$/, '')] : [suffix]
  return variants.map((variant) => `${base}${variant.replace(/:([^/]+)/g, '{$1}')}`)
}

const endpointRoutes = (base: string, endpoints: Endpoint[] | false | undefined) =>
  (endpoints || []).flatMap((endpoint) =>
    templates(base, endpoint.path).map((template) => `${endpoint.method.toUpperCase()} ${template}`),
  )

/** Next's route files beside the catch-all REST route, e.g. /api/graphql. */
const nextRoutes = () => {
  const dir = path.join(ROOT, 'src', 'app', '(payload)', 'api')
  return fs
    .readdirSync(dir)
    .filter((name) => !name.startsWith('['))
    .flatMap((name) => {
      const source = fs.readFileSync(path.join(dir, name, 'route.ts'), 'utf8')
      return [...source.matchAll(/export const (GET|POST|PUT|PATCH|DELETE)\b/g)].map(
        (match) => `${match[1]} /api/${name}`,
      )
    })
}

/** Express routes in front of Payload (src/server/startServer.ts). */
// Served by express itself (src/server/startServer.ts, src/server/payloadApi.ts: a GraphQL GET gets 405).
const EXPRESS_ROUTES = [
  'GET /healthz',
  'GET /readyz',
  'GET /metrics',
  'GET /api/graphql',
  // The site's files (src/siteOutputs/routes.ts).
  'GET /robots.txt',
  'GET /sitemap.xml',
  'GET /sitemaps/{name}',
  ...['feed.xml', 'atom.xml', 'feed.json'].flatMap((file) => [`GET /${file}`, `GET /categories/{slug}/${file}`]),
]

/**
 * Routes the server has but the spec leaves out on purpose; each reason is checked below.
 * - Payload's internal collections: admin-panel state and bookkeeping, not public API.
 * - versions routes of collections and globals without versions: Payload registers them everywhere;
 *   here they answer 404 (src/plugins/unservedRoutes.ts).
 * - email verification: Greenroom does not turn it on, so the route answers 404 (the same plugin).
 * - the GraphQL playground: development only; production answers 404.
 */
const isLeftOut = (route: string, served: { versioned: Set<string> }) => {
  const [, template] = route.split(' ')
  if (/^\/api\/payload-[^/]+(\/|$)/.test(template)) return 'internal collection'
  const versions = /^(\/api\/(?:globals\/)?[^/]+)\/versions(\/|$)/.exec(template)
  if (versions && !served.versioned.has(versions[1])) return 'no versions'
  if (template === '/api/graphql-playground') return 'development only'
  if (
    /^\/api\/[^/]+\/verify\/\{id\}$/.test(template) &&
    !config.collections.some((collection) => collection.auth?.verify)
  )
    return 'verification off'
  return null
}

const servedRoutes = () => {
  const versioned = new Set([
    ...config.collections.filter((collection) => collection.versions).map((collection) => `/api/${collection.slug}`),
    ...config.globals.filter((global) => global.versions).map((global) => `/api/globals/${global.slug}`),
  ])
  const all = [
    ...config.collections.flatMap((collection) => endpointRoutes(`/api/${collection.slug}`, collection.endpoints)),
    ...config.globals.flatMap((global) => endpointRoutes(`/api/globals/${global.slug}`, global.endpoints)),
    ...endpointRoutes('/api', config.endpoints),
    ...nextRoutes(),
    ...EXPRESS_ROUTES,
  ]
  return { all: [...new Set(all)], versioned }
}

const specRoutes = () =>
  Object.entries(spec.paths).flatMap(([template, item]) =>
    METHODS.filter((method) => item[method]).map((method) => `${method.toUpperCase()} ${template}`),
  )

describe('the OpenAPI document', () => {
  test('is a valid OpenAPI 3.1 document', async () => {
    const result = await new Validator().validate(spec as Parameters<Validator['validate']>[0])
    expect(result).toEqual({ valid: true })
    expect(spec.openapi).toBe('3.1.0')
    expect(spec.servers).toEqual([{ url: '/', description: 'This server' }])
  })

  test('lists every route the server serves', () => {
    const served = servedRoutes()
    const documented = new Set(specRoutes())
    const missing = served.all.filter((route) => !isLeftOut(route, served) && !documented.has(route))
    expect(missing).toEqual([])
  })

  test('lists no route the server does not serve', () => {
    const served = servedRoutes()
    const real = new Set(served.all)
    // Where a route answers GET, it answers HEAD with the same headers and no body.
    const extra = specRoutes().filter(
      (route) => !real.has(route) && !(route.startsWith('HEAD ') && real.has(route.replace(/^HEAD/, 'GET'))),
    )
    expect(extra).toEqual([])
  })

  test('leaves out only what it says it leaves out', async () => {
    const served = servedRoutes()
    const leftOut = served.all.filter((route) => isLeftOut(route, served))
    expect(new Set(leftOut.map((route) => isLeftOut(route, served)))).toEqual(
      new Set(['internal collection', 'no versions', 'development only', 'verification off']),
    )
    expect(leftOut.filter((route) => route.includes('/openapi-auth'))).toEqual([])
    for (const route of ['/api/categories/versions']) {
      const res = await fetch(`${url}${route}`, { headers: { authorization: adminAuth } })
      expect(res.status).toBeGreaterThanOrEqual(400)
    }
    expect((await fetch(`${url}/api/users/verify/some-token`, { method: 'POST' })).status).toBeGreaterThanOrEqual(400)
    expect((await fetch(`${url}/api/graphql-playground`)).status).toBe(404)
  })

  test("documents Payload's query parameters", () => {
    const names = (operation: Json) =>
      operation.parameters.map((parameter: Json) =>
        parameter.$ref ? spec.components.parameters[parameter.$ref.split('/').at(-1)].name : parameter.name,
      )
    const postList = names(spec.paths['/api/posts'].get)
    expect(postList).toEqual(expect.arrayContaining(['where', 'limit', 'page', 'sort', 'depth', 'select', 'draft']))
    expect(names(spec.paths['/api/posts/{id}'].get)).toEqual(expect.arrayContaining(['depth', 'select', 'draft']))
    // Categories have no drafts; locale parameters appear once the config is localized.
    expect(names(spec.paths['/api/categories'].get)).not.toContain('draft')
    const localized = Boolean(config.localization)
    expect(postList.includes('locale')).toBe(localized)
    expect(postList.includes('fallback-locale')).toBe(localized)
  })

  test('is served once generated, with an ETag for revalidation', async () => {
    const first = await fetch(`${url}/api/openapi.json`)
    const etag = first.headers.get('etag')
    expect(etag).toBeTruthy()
    expect(first.headers.get('content-type')).toMatch(/^application\/json/)
    const again = await api(url, '/api/openapi.json', { headers: { 'if-none-match': etag! } })
    expect(again.status).toBe(304)
  })
})

test('names PUBLIC_SERVER_URL as the server when it is set', async () => {
  const publicServer = await startTestServer({ seed: false, env: { PUBLIC_SERVER_URL: 'https://cms.example.test' } })
  try {
    const res = await fetch(`${publicServer.url}/api/openapi.json`)
    expect((await res.json()).servers).toEqual([{ url: 'https://cms.example.test', description: 'PUBLIC_SERVER_URL' }])
  } finally {
    await publicServer.stop()
  }
}, 120_000)

describe('answers conform to the document', () => {
  // Each api() call below is checked against the spec; these add routes the other test files leave out.
  test('collection reads, with select, depth, draft, count and HEAD', async () => {
    const list = await api(url, '/api/posts?limit=2&depth=2&sort=-publishedAt')
    expect(list.status).toBe(200)
    const id = list.body.docs[0].id
    const selected = await api(url, `/api/posts?select[title]=true&select[slug]=true&where[id][equals]=${id}`)
    expect(Object.keys(selected.body.docs[0]).sort()).toEqual(['id', 'slug', 'title'])
    expect((await api(url, `/api/posts/${id}?depth=0&select[content]=false`)).status).toBe(200)
    expect((await api(url, `/api/posts/${id}?draft=true`, { auth: adminAuth })).status).toBe(200)
    expect((await api(url, '/api/posts/count?where[_status][equals]=published')).body.totalDocs).toBeGreaterThan(0)
    for (const slug of ['pages', 'categories', 'media', 'redirects', 'forms', 'search']) {
      expect((await api(url, `/api/${slug}?depth=1&limit=5`)).status).toBe(200)
    }
    expect((await api(url, '/api/pages?depth=3&draft=true', { auth: adminAuth })).status).toBe(200)
    expect((await api(url, '/api/form-submissions', { auth: adminAuth })).status).toBe(200)
    expect((await api(url, '/api/users?depth=1', { auth: adminAuth })).status).toBe(200)
  })

  test('globals', async () => {
    for (const slug of ['header', 'footer', 'site-settings']) {
      expect((await api(url, `/api/globals/${slug}?depth=2`)).status).toBe(200)
    }
    const footer = await api(url, '/api/globals/footer?depth=0', { auth: adminAuth })
    const saved = await api(url, '/api/globals/footer', {
      method: 'POST',
      auth: adminAuth,
      body: { _status: 'published', copyright: footer.body.copyright ?? 'Greenroom' },
    })
    expect(saved.status).toBe(200)
    expect((await api(url, '/api/globals/footer', { method: 'POST', body: { copyright: 'x' } })).status).toBe(403)
  })

  test('versions', async () => {
    const versions = await api(url, '/api/posts/versions?limit=3&depth=0', { auth: adminAuth })
    expect(versions.status).toBe(200)
    const version = versions.body.docs[0]
    expect((await api(url, `/api/posts/versions/${version.id}`, { auth: adminAuth })).status).toBe(200)
    expect((await api(url, '/api/pages/versions?limit=3', { auth: adminAuth })).status).toBe(200)
  })

  test('writes: create, bulk update, duplicate, access, delete', async () => {
    const created = await api(url, '/api/categories', {
      method: 'POST',
      auth: adminAuth,
      body: { title: 'Spec check' },
    })
    expect(created.status).toBe(201)
    const id = created.body.doc.id
    const bulk = await api(url, `/api/categories?where[id][equals]=${id}`, {
      method: 'PATCH',
      auth: adminAuth,
      body: { description: 'bulk' },
    })
    expect(bulk.status).toBe(200)
    expect((await api(url, `/api/categories/access/${id}`, { method: 'POST', auth: adminAuth })).status).toBe(200)
    expect((await api(url, '/api/categories/access', { method: 'POST', auth: adminAuth })).status).toBe(200)
    // Forms, not categories: a copy keeps the unique slug, and Payload's " - Copy" suffix is not a valid slug.
    const form = (await api(url, '/api/forms?limit=1', { auth: adminAuth })).body.docs[0]
    const copy = await api(url, `/api/forms/${form.id}/duplicate`, { method: 'POST', auth: adminAuth })
    expect(copy.status).toBe(200)
    expect((await api(url, `/api/forms/${copy.body.doc.id}`, { method: 'DELETE', auth: adminAuth })).status).toBe(200)
    const bulkDelete = await api(url, `/api/categories?where[id][equals]=${id}`, { method: 'DELETE', auth: adminAuth })
    expect(bulkDelete.status).toBe(200)
    expect(bulkDelete.body.docs).toHaveLength(1)
  })

  test('auth routes', async () => {
    expect((await api(url, '/api/users/me')).body.user).toBeNull()
    expect((await api(url, '/api/users/me', { auth: adminAuth })).body.user.email).toBe(TEST_ADMIN.email)
    expect((await api(url, '/api/users/init')).body.initialized).toBe(true)
    expect((await api(url, '/api/access')).status).toBe(200)
    expect((await api(url, '/api/access', { auth: adminAuth })).status).toBe(200)
    const session = await login(url, TEST_ADMIN.email, TEST_ADMIN.password)
    expect((await api(url, '/api/users/refresh-token', { method: 'POST', auth: session })).status).toBe(200)
    expect((await api(url, '/api/users/logout', { method: 'POST', auth: session })).status).toBe(200)
    expect(
      (
        await api(url, '/api/users/first-register', {
          method: 'POST',
          body: { email: 'x@greenroom.test', password: 'x' },
        })
      ).status,
    ).toBe(403)
  })

  test('errors', async () => {
    expect((await api(url, '/api/posts/999999')).status).toBe(404)
    expect((await api(url, '/api/users')).status).toBe(403)
    // Not through api(): a route the spec does not know fails the check by design.
    const unknown = await fetch(`${url}/api/nothing-here`)
    expect(unknown.status).toBe(404)
    const badQuery = await api(url, '/api/posts?where[nope][equals]=1')
    expect(badQuery.status).toBe(400)
    const syntax = await graphql(url, '{ Posts { docs { title }')
    expect(syntax.body.errors.length).toBeGreaterThan(0)
  })

  test('health checks', async () => {
    expect((await api(url, '/healthz')).status).toBe(200)
    expect((await api(url, '/readyz')).status).toBe(200)
  })
})

describe('the response validator', () => {
  // It must not be toothless: answers that break the spec are reported, with the path and the schema error.
  test('rejects what the spec does not allow', () => {
    const validator = new ResponseValidator(spec)
    const exchange = (method: string, route: string, status: number, body: unknown) => ({
      method,
      url: `${url}${route}`,
      status,
      contentType: 'application/json',
      text: JSON.stringify(body),
    })
    expect(validator.check(exchange('GET', '/api/posts', 200, { docs: [{ id: 1, title: 7 }] }))).toMatch(
      /\/docs\/0\/title must be string|must have required property/,
    )
    expect(validator.check(exchange('GET', '/api/posts/1', 418, {}))).toMatch(/status the spec does not list/)
    expect(validator.check(exchange('GET', '/api/not-a-collection/1', 200, {}))).toMatch(/no operation/)
    expect(validator.check(exchange('GET', '/api/posts?colour=red', 200, {}))).toMatch(/query parameter "colour"/)
    expect(validator.check(exchange('GET', '/api/posts/1', 404, { message: 'no' }))).toMatch(
      /must have required property 'errors'/,
    )
  })
})

describe('the API reference page', () => {
  test('serves Swagger UI from this server, under a CSP that allows nothing else', async () => {
    const page = await api(url, '/api/docs')
    expect(page.status).toBe(200)
    const html = page.body.raw as string
    const csp = page.headers.get('content-security-policy')!
    expect(csp).toContain("default-src 'none'")
    expect(csp).toContain("script-src 'self'")
    expect(csp).not.toMatch(/https?:|\*/)
    const assets = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((match) => match[1])
    expect(assets.length).toBeGreaterThanOrEqual(3)
    for (const asset of assets) {
      expect(asset).toMatch(/^\/api\/docs\//)
      const res = await api(url, asset)
      expect(res.status).toBe(200)
    }
    expect(html).not.toMatch(/<script>[^<]/) // no inline script: the CSP would block it
    const init = await fetch(`${url}/api/docs/init.js`)
    expect(await init.text()).toContain('validatorUrl: null')
    expect((await api(url, '/api/docs/secrets.txt')).status).toBe(404)
  })
})
