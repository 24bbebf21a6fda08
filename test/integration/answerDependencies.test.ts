// What a REST or GraphQL answer depends on beyond what Payload read while making it
// (src/server/cache/answerDependencies.ts): the fields a list's where and sort use, related
// collections through relationship paths, and everything for routes that are not Payload's plain reads.
import type { Payload } from 'payload'

import { EVERYTHING } from '../../src/changes/dependencies'
import { closePayload } from '../../src/db/closePayload'
import { graphqlDependencies, restDependencies } from '../../src/server/cache/answerDependencies'
import { initPayload } from '../helpers/payload'

let payload: Payload

beforeAll(async () => {
  payload = await initPayload()
})

afterAll(async () => {
  await closePayload(payload)
})

const fieldsOf = (dependencies: ReturnType<typeof restDependencies>, collection: string) => {
  const query = dependencies.find((dependency) => typeof dependency === 'object' && dependency.collection === collection)
  return typeof query === 'object' ? (query.fields ? [...query.fields].sort() : 'all') : undefined
}

describe('restDependencies', () => {
  test('a list depends on the fields of its where and sort, and of the default sort', () => {
    const bySlug = restDependencies(payload, '/posts', 'where[slug][equals]=x&depth=1&limit=3')
    expect(fieldsOf(bySlug, 'posts')).toEqual(['createdAt', 'id', 'publishedAt', 'slug'])
    const sorted = restDependencies(payload, '/posts', '?sort=-title,slug&where[or][0][_status][equals]=published')
    expect(fieldsOf(sorted, 'posts')).toEqual(['_status', 'createdAt', 'id', 'publishedAt', 'slug', 'title'])
    expect(sorted).toHaveLength(1)
  })

  test('a path through a relationship also depends on the related collection, all fields; an id of it does not', () => {
    const byCategorySlug = restDependencies(payload, '/posts', 'where[categories.slug][equals]=news')
    expect(fieldsOf(byCategorySlug, 'posts')).toContain('categories')
    expect(fieldsOf(byCategorySlug, 'categories')).toBe('all')
    const byCategoryId = restDependencies(payload, '/posts', 'where[categories][in]=3')
    expect(fieldsOf(byCategoryId, 'categories')).toBeUndefined()
  })

  test('a path it cannot resolve, or a computed field, depends on everything', () => {
    expect(restDependencies(payload, '/posts', 'where[nothing.here][equals]=1')).toEqual([EVERYTHING])
    expect(restDependencies(payload, '/posts', 'sort=populatedAuthors')).toEqual([EVERYTHING])
  })

  test("Payload's findByID and findGlobal add nothing; other routes depend on everything", () => {
    expect(restDependencies(payload, '/posts/12', 'depth=1')).toEqual([])
    expect(restDependencies(payload, '/globals/header', '')).toEqual([])
    for (const path of ['/posts/count', '/posts/versions', '/users/me', '/sync', '/redirects/export/netlify', '/search', '/globals/header/versions', '/nothing']) {
      expect([path, restDependencies(payload, path, '')]).toEqual([path, [EVERYTHING]])
    }
  })
})

describe('graphqlDependencies', () => {
  const body = (query: string) => Buffer.from(JSON.stringify({ query }))

  test('lists and counts depend on the fields of their where and sort, as REST lists; documents and globals add nothing', () => {
    const [posts, categories] = graphqlDependencies(payload, body('{ Posts(limit: 3) { docs { title } } countCategories { totalDocs } }'))
    expect(fieldsOf([posts!], 'posts')).toEqual(['createdAt', 'id', 'publishedAt'])
    expect(categories).toEqual(restDependencies(payload, '/categories', '')[0])
    const bySlug = graphqlDependencies(payload, body('{ Posts(where: { slug: { equals: "x" } }, limit: 1) { docs { title } } }'))
    expect(bySlug).toEqual(restDependencies(payload, '/posts', 'where[slug][equals]=x&limit=1'))
    const sorted = graphqlDependencies(
      payload,
      body('{ Posts(sort: "-title,slug", where: { OR: [{ _status: { equals: published } }, { categories: { in: [3] } }] }) { totalDocs } }'),
    )
    expect(fieldsOf(sorted, 'posts')).toEqual(['_status', 'categories', 'createdAt', 'id', 'publishedAt', 'slug', 'title'])
    expect(graphqlDependencies(payload, body('{ Post(id: 1) { title } Header { id } SiteSetting { siteName } }'))).toEqual([])
  })

  test('a where or sort given in variables depends on every field; one it cannot resolve on everything', () => {
    const query = 'query ($slug: String) { Posts(where: { slug: { equals: $slug } }) { docs { title } } }'
    expect(graphqlDependencies(payload, Buffer.from(JSON.stringify({ query, variables: { slug: 'x' } })))).toEqual([{ collection: 'posts' }])
    const defaulted = 'query ($sort: String = "title") { Posts(sort: $sort) { docs { title } } }'
    expect(graphqlDependencies(payload, body(defaulted))).toEqual([{ collection: 'posts' }])
    expect(graphqlDependencies(payload, body('{ Posts(where: { nothing: { equals: 1 } }) { totalDocs } }'))).toEqual([EVERYTHING])
  })

  test('anything else at the top level depends on everything', () => {
    expect(graphqlDependencies(payload, body('{ Access { canAccessAdmin } }'))).toEqual([EVERYTHING])
    expect(graphqlDependencies(payload, body('query { ...Top } fragment Top on Query { Posts { totalDocs } }'))).toEqual([EVERYTHING])
    expect(graphqlDependencies(payload, body('{ Searches { docs { title } } }'))).toEqual([EVERYTHING])
  })
})
