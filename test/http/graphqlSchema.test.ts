// The GraphQL schema in SDL at /api/graphql/schema.graphql (introspection is off in production): the
// committed schema.graphql, which graphql-js can build a schema from and which agrees with the server
// on which queries it accepts.
import fs from 'node:fs'
import path from 'node:path'

import { buildSchema, parse, validate } from 'graphql'

import { testDatabaseKind } from '../helpers/database'
import { api, graphql, login } from '../helpers/http'
import type { TestServer } from '../helpers/server'
import { ROOT, TEST_ADMIN, startTestServer } from '../helpers/server'

let server: TestServer
let url: string

beforeAll(async () => {
  server = await startTestServer({ seed: true })
  url = server.url
}, 120_000)

afterAll(async () => {
  await server?.stop()
})

const SDL_PATH = '/api/graphql/schema.graphql'

/** schema.graphql is generated for the SQL databases; on MongoDB ids are strings, so the served schema says so. */
const expectCommitted = (sdl: string) => {
  if (testDatabaseKind() !== 'mongodb') expect(sdl).toBe(fs.readFileSync(path.join(ROOT, 'schema.graphql'), 'utf8'))
}

const POSTS_QUERY = `query Latest($limit: Int) {
  Posts(limit: $limit, sort: "-publishedAt", where: { OR: [{ slug: { equals: "welcome-to-greenroom" } }, { title: { like: "notes" } }] }) {
    totalDocs
    docs { id title slug categories { title } heroImage { url alt } }
  }
  SiteSetting { siteName }
}`

test('serves the committed schema.graphql, with a validator for revalidation', async () => {
  const res = await api(url, SDL_PATH)
  expect(res.status).toBe(200)
  expect(res.headers.get('content-type')).toBe('text/plain; charset=utf-8')
  expectCommitted(res.body.raw)
  expect(res.headers.get('cache-control')).toBe('public, no-cache')
  const etag = res.headers.get('etag')
  expect(etag).toMatch(/^"[0-9a-f]+-[\w+/]{27}"$/)

  const again = await api(url, SDL_PATH, { headers: { 'If-None-Match': etag! } })
  expect(again.status).toBe(304)
  expect(again.headers.get('etag')).toBe(etag)
})

test('the same schema for an editor, but not for shared caches', async () => {
  const res = await api(url, SDL_PATH, { auth: await login(url, TEST_ADMIN.email, TEST_ADMIN.password) })
  expect(res.status).toBe(200)
  expect(res.body.raw).toBe((await api(url, SDL_PATH)).body.raw)
  expect(res.headers.get('cache-control')).toBe('private, no-store')
})

test('a query valid against the SDL runs on the server, and one it refuses the server refuses too', async () => {
  const schema = buildSchema((await api(url, SDL_PATH)).body.raw)

  expect(validate(schema, parse(POSTS_QUERY))).toEqual([])
  const ran = await graphql(url, POSTS_QUERY, { limit: 5 })
  expect(ran.status).toBe(200)
  expect(ran.body.errors).toBeUndefined()
  expect(ran.body.data.Posts.docs.map((post: { slug: string }) => post.slug).sort()).toEqual([
    'field-notes-from-the-newsroom',
    'welcome-to-greenroom',
  ])
  expect(typeof ran.body.data.SiteSetting.siteName).toBe('string')

  const misspelt = POSTS_QUERY.replace('totalDocs', 'totalDocz')
  expect(validate(schema, parse(misspelt)).map((error) => error.message)).toEqual([
    'Cannot query field "totalDocz" on type "Posts". Did you mean "totalDocs"?',
  ])
  const refused = await graphql(url, misspelt, { limit: 5 })
  expect(refused.status).toBe(400)
  expect(refused.body.errors[0].message).toBe('Cannot query field "totalDocz" on type "Posts". Did you mean "totalDocs"?')
})
