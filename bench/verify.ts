import type { Target } from './load'

/** A response as Greenroom sent it, for the ceiling server to replay byte for byte. */
export type RecordedResponse = {
  method: Target['method']
  path: string
  contentType: string
  body: Buffer
}

export const LIST_PATH = '/api/posts?limit=10&depth=1'
export const GRAPHQL_PATH = '/api/graphql'

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

export const listTarget = (baseUrl: string): Target => ({ url: baseUrl + LIST_PATH, method: 'GET' })

export const graphqlTarget = (baseUrl: string): Target => ({
  url: baseUrl + GRAPHQL_PATH,
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ query: GRAPHQL_QUERY }),
})

type ListedPost = { title?: string; heroImage?: { url?: string } | number | null }

class BenchCheckError extends Error {
  constructor(what: string, problem: string, body: Buffer) {
    super(`${what}: ${problem}. Response (first 800 bytes):\n${body.subarray(0, 800).toString()}`)
    this.name = 'BenchCheckError'
  }
}

const record = async (target: Target, path: string): Promise<RecordedResponse> => {
  const res = await fetch(target.url, { method: target.method, headers: target.headers, body: target.body })
  const body = Buffer.from(await res.arrayBuffer())
  if (res.status !== 200) throw new BenchCheckError(`${target.method} ${path}`, `status ${res.status}, expected 200`, body)
  return { method: target.method, path, contentType: res.headers.get('content-type') ?? '', body }
}

const parse = (what: string, response: RecordedResponse) => {
  try {
    return JSON.parse(response.body.toString())
  } catch {
    throw new BenchCheckError(what, 'the body is not JSON', response.body)
  }
}

/** Checks the page a reader gets: the newest ten of every seeded post, with populated images. */
const checkPosts = (what: string, response: RecordedResponse, docs: ListedPost[] | undefined, totalDocs: unknown, postCount: number) => {
  const fail = (problem: string): never => {
    throw new BenchCheckError(what, problem, response.body)
  }
  if (!Array.isArray(docs)) return fail('no docs array')
  if (docs.length !== 10) fail(`${docs.length} docs, expected 10`)
  if (docs[0].title !== `Post ${postCount}`) fail(`the newest post is "${docs[0].title}", expected "Post ${postCount}"`)
  if (totalDocs !== postCount) fail(`totalDocs is ${String(totalDocs)}, expected ${postCount}`)
  const hero = docs[0].heroImage
  if (typeof hero !== 'object' || !hero?.url) fail('heroImage is not populated with a url')
}

/** Fails loudly unless the REST list is right; returns its bytes. */
export const verifyList = async (baseUrl: string, postCount: number): Promise<RecordedResponse> => {
  const what = `GET ${LIST_PATH}`
  const response = await record(listTarget(baseUrl), LIST_PATH)
  const json = parse(what, response)
  checkPosts(what, response, json.docs, json.totalDocs, postCount)
  return response
}

/** Fails loudly unless the GraphQL list is right and error-free; returns its bytes. */
export const verifyGraphql = async (baseUrl: string, postCount: number): Promise<RecordedResponse> => {
  const what = `POST ${GRAPHQL_PATH}`
  const response = await record(graphqlTarget(baseUrl), GRAPHQL_PATH)
  const json = parse(what, response)
  if (json.errors?.length) throw new BenchCheckError(what, 'GraphQL answered with errors', response.body)
  checkPosts(what, response, json.data?.Posts?.docs, json.data?.Posts?.totalDocs, postCount)
  return response
}
