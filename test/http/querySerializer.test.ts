// The README's openapi-fetch example: openapi-fetch's own query serializer throws on a nested `where`;
// the serializer the README gives (read from the README itself) writes Payload's bracket syntax, and
// the server answers the filtered list.
import fs from 'node:fs'
import path from 'node:path'

import createClient from 'openapi-fetch'
import { stringify } from 'qs-esm'

import { api } from '../helpers/http'
import type { TestServer } from '../helpers/server'
import { ROOT, startTestServer } from '../helpers/server'

let server: TestServer
let url: string

beforeAll(async () => {
  server = await startTestServer({ seed: true })
  url = server.url
}, 120_000)

afterAll(async () => {
  await server?.stop()
})

/** The `querySerializer:` of the README's openapi-fetch example, as written there. */
const readmeSerializer = () => {
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8')
  const example = /```ts\nimport createClient from 'openapi-fetch'\nimport \{ stringify \} from 'qs-esm'\n[\s\S]*?```/.exec(readme)
  const expression = example && /^\s*querySerializer: (.+),$/m.exec(example[0])
  if (!expression) throw new Error('The README has no openapi-fetch example with a querySerializer.')
  // eslint-disable-next-line @typescript-eslint/no-implied-eval -- the README's own code, on purpose
  return new Function('stringify', `return ${expression[1]}`)(stringify) as (query: Record<string, unknown>) => string
}

type Post = { slug: string; title: string }
type PostsPage = { totalDocs: number; docs: Post[] }

// Posts that are either the welcome post, or have "notes" in the title and a category named News.
const query = {
  where: {
    or: [
      { slug: { equals: 'welcome-to-greenroom' } },
      { and: [{ title: { like: 'notes' } }, { 'categories.title': { in: ['News'] } }] },
    ],
  },
  select: { slug: true, title: true },
  sort: 'slug',
  depth: 0,
  limit: 10,
}

test('openapi-fetch’s own serializer refuses a nested where', async () => {
  const client = createClient({ baseUrl: url })
  await expect(client.GET('/api/posts' as never, { params: { query } } as never)).rejects.toThrow(/Deeply-nested/)
})

test('with the README’s serializer, openapi-fetch gets the filtered list', async () => {
  const client = createClient({ baseUrl: url, querySerializer: readmeSerializer() })
  const { data, response } = await client.GET('/api/posts' as never, { params: { query } } as never)
  const page = data as unknown as PostsPage
  expect(response.status).toBe(200)
  expect(page.docs.map((post) => post.slug)).toEqual(['field-notes-from-the-newsroom', 'welcome-to-greenroom'])

  // The same query written by hand in the bracket syntax the README names, and the unfiltered list.
  const byHand = await api(
    url,
    '/api/posts?where[or][0][slug][equals]=welcome-to-greenroom&where[or][1][and][0][title][like]=notes' +
      '&where[or][1][and][1][categories.title][in][0]=News&select[slug]=true&select[title]=true&sort=slug&depth=0&limit=10',
  )
  expect(byHand.body).toEqual(page)
  const all = await api(url, '/api/posts?depth=0&limit=10')
  expect(all.body.totalDocs).toBeGreaterThan(page.totalDocs)
})
