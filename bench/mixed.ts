// The mixed-read scenario of issue 15: what a site's readers ask for while an editor publishes. Fifty
// requests (REST list pages, posts by slug, category lists, GraphQL queries), shuffled once, cycled by
// every autocannon connection; meanwhile an editor signed in through the REST API publishes a title
// change to one post of the first list page 0, 1 or 5 times a second (PATCH /api/posts/:id with the query
// string the admin panel's Publish button sends: PUBLISH_QUERY). Every
// answer's Cache-Status says whether the response store had it. After each publish the edited post is
// read back anonymously (by slug and on the first list page) and must carry the title just published:
// a stored answer that outlived the change would show the old one.
import autocannon from 'autocannon'

import type { LoadResult } from './load'
import { drain } from './turns'
import { BENCH_EDITOR_EMAIL, BENCH_EDITOR_PASSWORD } from './seed'
import { BenchCheckError, GRAPHQL_PATH, LIST_PATH, categoryPath } from './verify'

export type MixedKind = 'list' | 'slug' | 'category' | 'graphql'

export type MixedRequest = {
  kind: MixedKind
  method: 'GET' | 'POST'
  path: string
  headers?: Record<string, string>
  body?: string
}

/** The post whose title the editor changes: the second newest, on the first list page. */
export type EditedPost = { id: number | string; slug: string; title: string }

export type MixedSet = { requests: MixedRequest[]; edited: EditedPost }

const POST_FIELDS = 'title slug excerpt publishedAt heroImage { url alt } categories { title slug }'

const graphqlRequest = (query: string): MixedRequest => ({
  kind: 'graphql',
  method: 'POST',
  path: GRAPHQL_PATH,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ query }),
})

const getJson = async (url: string) => {
  const res = await fetch(url)
  const body = Buffer.from(await res.arrayBuffer())
  if (res.status !== 200) throw new BenchCheckError(`GET ${url}`, `status ${res.status}`, body)
  return JSON.parse(body.toString()) as { docs: { id: number | string; slug: string; title: string }[] }
}

/** Deterministic order, so that every run (and the run with the store off) sends the same sequence. */
const shuffled = <T>(items: T[]) => {
  let state = 15
  const random = () => ((state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31)
  const copy = [...items]
  for (let k = copy.length - 1; k > 0; k--) {
    const j = Math.floor(random() * (k + 1))
    ;[copy[k], copy[j]] = [copy[j], copy[k]]
  }
  return copy
}

/**
 * 10 list pages, 20 slugs (the five newest and 15 spread over the rest), the 10 category lists, and
 * 10 GraphQL queries (4 list pages, 4 posts by slug, the categories, one category's posts).
 */
export const mixedRequests = async (baseUrl: string, postCount: number): Promise<MixedSet> => {
  const categories = (await getJson(`${baseUrl}/api/categories?limit=10&depth=0&sort=slug`)).docs
  const slugs = [
    ...Array.from({ length: 5 }, (_, k) => postCount - k),
    ...Array.from({ length: 15 }, (_, k) => Math.max(1, Math.round((postCount * (k + 1)) / 17))),
  ].map((i) => `post-${i}`)
  const requests: MixedRequest[] = [
    { kind: 'list', method: 'GET', path: LIST_PATH },
    ...Array.from({ length: 9 }, (_, k): MixedRequest => ({ kind: 'list', method: 'GET', path: `${LIST_PATH}&page=${k + 2}` })),
    ...slugs.map((slug): MixedRequest => ({ kind: 'slug', method: 'GET', path: slugPathOf(slug) })),
    ...categories.map((category): MixedRequest => ({ kind: 'category', method: 'GET', path: categoryPath(category.id) })),
    ...[1, 2, 3, 4].map((page) =>
      graphqlRequest(`{ Posts(limit: 10, page: ${page}, sort: "-publishedAt") { totalDocs docs { ${POST_FIELDS} } } }`),
    ),
    ...[slugs[0], slugs[1], slugs[8], slugs[15]].map((slug) =>
      graphqlRequest(`{ Posts(where: { slug: { equals: "${slug}" } }, limit: 1) { docs { ${POST_FIELDS} } } }`),
    ),
    graphqlRequest('{ Categories(limit: 10, sort: "slug") { docs { id title slug description } } }'),
    graphqlRequest(
      `{ Posts(where: { categories: { in: [${JSON.stringify(categories[3]?.id ?? categories[0].id)}] } }, limit: 10) { docs { ${POST_FIELDS} } } }`,
    ),
  ]
  if (requests.length !== 50) throw new Error(`the mixed scenario has ${requests.length} requests, expected 50`)
  const editedSlug = `post-${postCount - 1}`
  const found = (await getJson(`${baseUrl}${slugPathOf(editedSlug)}`)).docs[0]
  if (!found) throw new Error(`the post "${editedSlug}" is missing`)
  return { requests: shuffled(requests), edited: { id: found.id, slug: editedSlug, title: found.title } }
}

const slugPathOf = (slug: string) => `/api/posts?where[slug][equals]=${slug}&depth=1&limit=1`

/** An editor's session: the cookie Payload sets at sign-in, sent back as a browser would. */
export const signInEditor = async (baseUrl: string): Promise<string> => {
  const res = await fetch(`${baseUrl}/api/users/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: BENCH_EDITOR_EMAIL, password: BENCH_EDITOR_PASSWORD }),
  })
  const body = Buffer.from(await res.arrayBuffer())
  const cookies = res.headers.getSetCookie().map((cookie) => cookie.split(';')[0])
  if (res.status !== 200 || !cookies.some((cookie) => cookie.includes('-token='))) {
    throw new BenchCheckError('POST /api/users/login (the bench editor)', `status ${res.status}, no session cookie`, body)
  }
  return cookies.join('; ')
}

export type PublishFigures = {
  /** Publishes asked for per second. */
  asked: number
  count: number
  /** Publishes completed per second of the load. */
  perSecond: number
  p50Ms: number
  p99Ms: number
  maxMs: number
  /** Publishes not answered 200 with the new title. */
  failed: number
  /** Anonymous reads of the edited post after its publish returned (by slug, first list page). */
  freshnessChecks: number
  /** Of those, reads that were not 200 or showed another title than the one just published. */
  stale: number
  staleExamples: string[]
}

const percentile = (values: number[], p: number) => {
  if (!values.length) return NaN
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/**
 * The query string of the admin panel's Publish button (@payloadcms/ui, elements/PublishButton):
 * `depth: 0` and the locale being edited (the default one, `en`). The answer is therefore the post
 * unpopulated, as the admin gets it; the admin sends the whole form as `_payload`, where this editor
 * sends the one field it changes (Payload merges either into the stored document alike).
 */
export const PUBLISH_QUERY = '?depth=0&locale=en'

const titleOnSlug = async (baseUrl: string, slug: string) => {
  const res = await fetch(`${baseUrl}${slugPathOf(slug)}`)
  if (res.status !== 200) return `status ${res.status}`
  return ((await res.json()) as { docs: { title?: string }[] }).docs[0]?.title ?? 'missing'
}

const titleOnFirstPage = async (baseUrl: string, id: number | string) => {
  const res = await fetch(`${baseUrl}${LIST_PATH}`)
  if (res.status !== 200) return `status ${res.status}`
  return ((await res.json()) as { docs: { id: unknown; title?: string }[] }).docs.find((doc) => doc.id === id)?.title ?? 'missing'
}

/** Which of this run's publishes a title is (-1: none of them, such as the title before the first). */
const editNumber = (title: string, base: string, tag: string) => {
  const prefix = `${base}, edit ${tag}-`
  return title.startsWith(prefix) ? Number(title.slice(prefix.length)) : -1
}

/**
 * Publishes `perSecond` title changes a second until `until` (one at a time: a publish slower than the
 * interval delays the next, and the achieved rate says so), each read back as soon as it returned.
 */
const publishUntil = async (
  baseUrl: string,
  cookie: string,
  edited: EditedPost,
  perSecond: number,
  until: number,
  tag: string,
): Promise<PublishFigures> => {
  const latencies: number[] = []
  const checks: Promise<void>[] = []
  let failed = 0
  let freshnessChecks = 0
  const staleExamples: string[] = []
  let stale = 0
  const started = Date.now()
  const interval = 1000 / perSecond
  // Publishes that would start after the reads ended change nothing the reads see.
  for (let k = 0; started + k * interval < until && Date.now() < until; k++) {
    const wait = started + k * interval - Date.now()
    if (wait > 0) await sleep(wait)
    const title = `${edited.title}, edit ${tag}-${k}`
    const sent = process.hrtime.bigint()
    const res = await fetch(`${baseUrl}/api/posts/${edited.id}${PUBLISH_QUERY}`, {
      method: 'PATCH',
      // What the admin panel's fetch sends from the server's own origin: Payload takes a session cookie
      // only from an origin in its `csrf` list (payload.config.ts).
      headers: { 'content-type': 'application/json', cookie, origin: baseUrl, 'sec-fetch-site': 'same-origin' },
      body: JSON.stringify({ title, _status: 'published' }),
    })
    const answer = (await res.json().catch(() => ({}))) as { doc?: { title?: string } }
    latencies.push(Number(process.hrtime.bigint() - sent) / 1e6)
    if (res.status !== 200 || answer.doc?.title !== title) {
      failed++
      if (staleExamples.length < 5) staleExamples.push(`publish ${k}: status ${res.status}, ${JSON.stringify(answer).slice(0, 200)}`)
      continue
    }
    // Read back without holding up the next publish (readers queue behind 20 connections): a read that
    // ends after a later publish may show that one, which is as fresh; an earlier title is stale.
    checks.push(
      ...(
        [
          ['by slug', titleOnSlug(baseUrl, edited.slug)],
          ['on the first list page', titleOnFirstPage(baseUrl, edited.id)],
        ] as const
      ).map(async ([where, reading]) => {
        const seen = await reading.catch((error: unknown) => `no answer: ${String(error)}`)
        freshnessChecks++
        if (seen === title || editNumber(seen, edited.title, tag) > k) return
        stale++
        if (staleExamples.length < 5) staleExamples.push(`after publishing "${title}", ${where}: "${seen}"`)
      }),
    )
  }
  const seconds = Math.max(Date.now(), until) - started
  await Promise.all(checks)
  return {
    asked: perSecond,
    count: latencies.length,
    perSecond: (latencies.length * 1000) / seconds,
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
    maxMs: Math.max(...latencies),
    failed,
    freshnessChecks,
    stale,
    staleExamples,
  }
}

export type MixedRun = {
  /** Publishes per second asked for. */
  publishesPerSecond: number
  load: LoadResult
  /**
   * Answers with `Cache-Status: greenroom; hit`, and all answers counted. An answer that joined another
   * request's render (`fwd=miss; collapsed`) waited for Payload: it is not from the store.
   */
  storeHits: number
  answers: number
  hitShare: number
  publishes?: PublishFigures
}

export type MixedSettings = { connections: number; durationSeconds: number; warmupSeconds: number }

const HIT = /greenroom;\s*hit/i

const fire = (baseUrl: string, requests: MixedRequest[], connections: number, seconds: number) => {
  const counts = { hits: 0, answers: 0 }
  const run = autocannon({
    url: baseUrl,
    connections,
    duration: seconds,
    requests: requests.map(({ method, path, headers, body }) => ({ method, path, headers, body })),
    // Headers only: reading every body would cost the load generator, which shares the two cores.
    setupClient: (client) =>
      client.on('headers', ({ headers }) => {
        counts.answers++
        for (let k = 0; k < headers.length; k += 2) {
          if (headers[k].toLowerCase() === 'cache-status' && HIT.test(headers[k + 1])) counts.hits++
        }
      }),
  })
  return { run, counts }
}

/** One load of the fifty requests, with the editor publishing `publishesPerSecond` times a second meanwhile. */
export const measureMixed = async (
  baseUrl: string,
  set: MixedSet,
  settings: MixedSettings,
  publishesPerSecond: number,
  cookie: string,
): Promise<MixedRun> => {
  if (settings.warmupSeconds > 0) {
    await fire(baseUrl, set.requests, settings.connections, settings.warmupSeconds).run
    await drain({ url: `${baseUrl}${set.requests[0].path}`, ...set.requests[0] })
  }
  const { run, counts } = fire(baseUrl, set.requests, settings.connections, settings.durationSeconds)
  const until = Date.now() + settings.durationSeconds * 1000
  const publishing =
    publishesPerSecond > 0
      ? publishUntil(baseUrl, cookie, set.edited, publishesPerSecond, until, `${publishesPerSecond}-${Date.now()}`)
      : undefined
  const [result, publishes] = await Promise.all([run, publishing])
  const statusCounts = Object.fromEntries(
    Object.entries(result.statusCodeStats ?? {}).map(([status, { count }]) => [status, count]),
  )
  const answered = Object.values(statusCounts).reduce((sum, count) => sum + count, 0)
  return {
    publishesPerSecond,
    load: {
      url: `${baseUrl} (50 requests)`,
      requestsPerSecond: result.requests.average,
      p50Ms: result.latency.p50,
      p99Ms: result.latency.p99,
      averageMs: result.latency.average,
      requests: result.requests.total,
      expectedStatus: 200,
      statusCounts,
      unexpectedStatus: answered - (statusCounts['200'] ?? 0),
      errors: result.errors,
      timeouts: result.timeouts,
    },
    storeHits: counts.hits,
    answers: counts.answers,
    hitShare: counts.answers ? counts.hits / counts.answers : 0,
    publishes,
  }
}

/** The publish rates of the scenario: none, one and five a second (BENCH_PUBLISH_RATES overrides). */
export const publishRates = (env: NodeJS.ProcessEnv) =>
  (env.BENCH_PUBLISH_RATES ?? '0,1,5')
    .split(',')
    .map((item) => Number(item.trim()))
    .filter((rate) => Number.isFinite(rate) && rate >= 0)

/** The scenario at every rate, the server warmed once with the fifty requests before the first. */
export const mixedScenario = async (
  baseUrl: string,
  set: MixedSet,
  settings: MixedSettings,
  rates: number[],
  log: (message: string) => void,
  who: string,
): Promise<MixedRun[]> => {
  const cookie = await signInEditor(baseUrl)
  // Each request once, one at a time: all fifty must answer 200, and the run without writes then
  // measures a warm store rather than how fast a warm-up filled it.
  for (const request of set.requests) {
    const res = await fetch(`${baseUrl}${request.path}`, { method: request.method, headers: request.headers, body: request.body })
    const body = Buffer.from(await res.arrayBuffer())
    if (res.status !== 200) throw new BenchCheckError(`${request.method} ${request.path} ${request.body ?? ''}`, `status ${res.status}`, body)
  }
  const runs: MixedRun[] = []
  for (const [k, rate] of rates.entries()) {
    log(
      `load: ${who}mixed reads (50 URLs), ${rate} publish${rate === 1 ? '' : 'es'}/s (` +
        `${k === 0 ? `${settings.warmupSeconds} s warm-up + ` : ''}${settings.durationSeconds} s)`,
    )
    runs.push(await measureMixed(baseUrl, set, { ...settings, warmupSeconds: k === 0 ? settings.warmupSeconds : 0 }, rate, cookie))
    // The reads autocannon left in flight would otherwise run during the next rate's (see turns.ts).
    await drain({ url: `${baseUrl}${set.requests[0].path}`, ...set.requests[0] })
  }
  return runs
}
