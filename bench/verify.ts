import type { Target } from './load'

/** The requests the bench loads: what a front end does most, plus a revalidation. */
export type ScenarioName = 'list' | 'slug' | 'category' | 'graphql' | 'conditional'

/** Loaded against the server with its response store on (each beside the ceiling). */
export const SCENARIOS: ScenarioName[] = ['list', 'slug', 'graphql', 'conditional']

/**
 * Loaded against the server with its store off, where every read runs Payload: the category list is
 * the read whose grouped count grows with the posts.
 */
export const UNCACHED_SCENARIOS: ScenarioName[] = ['list', 'slug', 'category', 'graphql', 'conditional']

export const SCENARIO_LABELS: Record<ScenarioName, string> = {
  list: 'REST list',
  slug: 'REST find-by-slug',
  category: 'REST category list',
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

/** A front end's category page: the newest ten posts of one category (the seeded "category-3"). */
export const categoryPath = (categoryId: number | string) =>
  `/api/posts?where[categories][in]=${categoryId}&limit=10&depth=1`

/** The id of a seeded category, by slug, as a reader finds it. */
export const categoryIdOf = async (baseUrl: string, slug = 'category-3'): Promise<number | string> => {
  const res = await fetch(`${baseUrl}/api/categories?where[slug][equals]=${slug}&limit=1&depth=0`)
  const body = Buffer.from(await res.arrayBuffer())
  const id = res.status === 200 ? (JSON.parse(body.toString()) as { docs?: { id?: number | string }[] }).docs?.[0]?.id : undefined
  if (id === undefined) throw new BenchCheckError(`GET /api/categories?where[slug][equals]=${slug}`, `status ${res.status}, no category`, body)
  return id
}

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

export class BenchCheckError extends Error {
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

export type VerifiedResponses = Record<Exclude<ScenarioName, 'category'>, RecordedResponse> & {
  category?: RecordedResponse
}

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

/** The category list, checked: ten posts, each of that category (post i is in category i % 10). */
export const verifyCategory = async (baseUrl: string, postCount: number): Promise<RecordedResponse> => {
  const categoryId = await categoryIdOf(baseUrl)
  const category = await record('category', baseUrl, { url: baseUrl + categoryPath(categoryId), method: 'GET' })
  const json = parse(category.path, category) as { docs?: { categories?: ({ id?: unknown } | unknown)[] }[]; totalDocs?: number }
  const fail = checker(category)
  if (json.docs?.length !== 10) fail(`${json.docs?.length ?? 'no'} docs, expected 10`)
  const ofCategory = (value: unknown) => (typeof value === 'object' && value !== null ? (value as { id?: unknown }).id : value) === categoryId
  if (!json.docs!.every((doc) => doc.categories?.some(ofCategory))) fail(`a post that is not in category ${categoryId}`)
  const expected = Math.floor((postCount - 3) / 10) + 1
  if (json.totalDocs !== expected) fail(`totalDocs is ${String(json.totalDocs)}, expected ${expected}`)
  return category
}
