import type { Target } from './load'

/** The requests the bench loads: what a front end does most, plus a revalidation. */
export type ScenarioName = 'list' | 'slug' | 'graphql' | 'conditional'

export const SCENARIOS: ScenarioName[] = ['list', 'slug', 'graphql', 'conditional']

export const SCENARIO_LABELS: Record<ScenarioName, string> = {
  list: 'REST list',
  slug: 'REST find-by-slug',
  graphql: 'GraphQL list',
  conditional: 'revalidated REST list (If-None-Match)',
}

/** A response as Greenroom sent it, for the ceiling server to replay byte for byte. */
export type RecordedResponse = {
  scenario: ScenarioName
  target: Target
  /** Path and query, as the load generator sends them. */
  path: string
  status: number
  /** Every header but those node:http writes itself (see WRITTEN_BY_NODE). */
  headers: Record<string, string>
  body: Buffer
}

export const LIST_PATH = '/api/posts?limit=10&depth=1'
export const GRAPHQL_PATH = '/api/graphql'

/** A front end's page lookup: one post by slug, from the middle of the seeded ones. */
export const slugPath = (postCount: number) =>
  `/api/posts?where[slug][equals]=post-${Math.ceil(postCount / 2)}&depth=1&limit=1`

/** The GraphQL equivalent of the REST list: what a front end's post listing asks for. */
export const GRAPHQL_QUERY = `query NewestPosts {
  Posts(limit: 10, sort: "-publishedAt") {
    totalDocs
    docs {
      title
      slug
      excerpt
      publishedAt
      heroImage { url alt }
      categories { title slug }
    }
  }
}`

/** What a client or CDN acts on: shown in the report. */
export const CACHING_HEADERS = ['etag', 'last-modified', 'cache-control', 'cache-tag', 'surrogate-key', 'vary']

/**
 * Headers node:http writes for any server, the ceiling included; every other header Greenroom sent
 * (content type, caching, security, rate limit) the ceiling replays, so both send the same bytes.
 */
const WRITTEN_BY_NODE = new Set(['date', 'connection', 'keep-alive', 'content-length', 'transfer-encoding'])

export const listTarget = (baseUrl: string): Target => ({ url: baseUrl + LIST_PATH, method: 'GET' })

export const slugTarget = (baseUrl: string, postCount: number): Target => ({
  url: baseUrl + slugPath(postCount),
  method: 'GET',
})

export const graphqlTarget = (baseUrl: string): Target => ({
  url: baseUrl + GRAPHQL_PATH,
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ query: GRAPHQL_QUERY }),
})

/** The list again, as a client or CDN revalidates the copy it holds: If-None-Match with the ETag it got. */
export const conditionalTarget = (baseUrl: string, etag: string | undefined): Target => ({
  url: baseUrl + LIST_PATH,
  method: 'GET',
  headers: etag ? { 'if-none-match': etag } : undefined,
})

type ListedPost = { title?: string; slug?: string; heroImage?: { url?: string } | number | null }

class BenchCheckError extends Error {
  constructor(what: string, problem: string, body: Buffer) {
    super(`${what}: ${problem}. Response (first 800 bytes):\n${body.subarray(0, 800).toString()}`)
    this.name = 'BenchCheckError'
  }
}

const record = async (
  scenario: ScenarioName,
  baseUrl: string,
  target: Target,
  expectedStatus = 200,
): Promise<RecordedResponse> => {
  const res = await fetch(target.url, { method: target.method, headers: target.headers, body: target.body })
  const body = Buffer.from(await res.arrayBuffer())
  const path = target.url.slice(baseUrl.length)
  if (res.status !== expectedStatus) {
    throw new BenchCheckError(`${target.method} ${path}`, `status ${res.status}, expected ${expectedStatus}`, body)
  }
  const headers: Record<string, string> = {}
  res.headers.forEach((value, name) => {
    if (!WRITTEN_BY_NODE.has(name)) headers[name] = value
  })
  return { scenario, target, path, status: res.status, headers, body }
}

const parse = (what: string, response: RecordedResponse) => {
  try {
    return JSON.parse(response.body.toString())
  } catch {
    throw new BenchCheckError(what, 'the body is not JSON', response.body)
  }
}

const checker =
  (response: RecordedResponse) =>
  (problem: string): never => {
    throw new BenchCheckError(`${response.target.method} ${response.path}`, problem, response.body)
  }

/** Checks the page a reader gets: the newest ten of every seeded post, with populated images. */
const checkPosts = (
  response: RecordedResponse,
  docs: ListedPost[] | undefined,
  totalDocs: unknown,
  postCount: number,
) => {
  const fail = checker(response)
  if (!Array.isArray(docs)) return fail('no docs array')
  if (docs.length !== 10) fail(`${docs.length} docs, expected 10`)
  if (docs[0].title !== `Post ${postCount}`) fail(`the newest post is "${docs[0].title}", expected "Post ${postCount}"`)
  if (totalDocs !== postCount) fail(`totalDocs is ${String(totalDocs)}, expected ${postCount}`)
  const hero = docs[0].heroImage
  if (typeof hero !== 'object' || !hero?.url) fail('heroImage is not populated with a url')
}

export type VerifiedResponses = Record<ScenarioName, RecordedResponse>

/**
 * Fails loudly unless every answer is right; returns their bytes. The revalidation is sent with the
 * list's ETag and must answer 304 when there is one (a server without ETags answers it in full).
 */
export const verifyResponses = async (baseUrl: string, postCount: number): Promise<VerifiedResponses> => {
  const list = await record('list', baseUrl, listTarget(baseUrl))
  const listJson = parse(list.path, list)
  checkPosts(list, listJson.docs, listJson.totalDocs, postCount)

  const slug = await record('slug', baseUrl, slugTarget(baseUrl, postCount))
  const slugDocs = parse(slug.path, slug).docs as ListedPost[] | undefined
  const expectedSlug = `post-${Math.ceil(postCount / 2)}`
  if (slugDocs?.length !== 1 || slugDocs[0].slug !== expectedSlug)
    checker(slug)(`expected exactly the post "${expectedSlug}"`)

  const graphql = await record('graphql', baseUrl, graphqlTarget(baseUrl))
  const graphqlJson = parse(graphql.path, graphql)
  if (graphqlJson.errors?.length) checker(graphql)('GraphQL answered with errors')
  checkPosts(graphql, graphqlJson.data?.Posts?.docs, graphqlJson.data?.Posts?.totalDocs, postCount)

  const etag = list.headers.etag
  const conditional = await record('conditional', baseUrl, conditionalTarget(baseUrl, etag), etag ? 304 : 200)
  if (etag && conditional.body.length > 0) checker(conditional)('a 304 with a body')
  return { list, slug, graphql, conditional }
}
