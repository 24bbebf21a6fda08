// `npm run bench:editorial`: what issue 14's editorial features cost, on the production server with
// the demo content (SQLite), in one run so the ratios share the machine's noise.
//
// Reads: a post's newest draft read with a preview token (Authorization: Preview, src/preview/)
// against the same read with an editor's session (Authorization: JWT): both run Payload, neither is
// ever stored; the published read by the public is listed as the stored-answer lane's reference.
// Writes: publishing a post that links to two pages, timed one after another, with link checks on
// (LINK_CHECKS=warn, the default) and off, on two servers started the same way; the audit log
// records every one of them in both. Settings: BENCH_CONNECTIONS (10), BENCH_SECONDS (5),
// BENCH_PUBLISHES (60).
import { ensureProductionBuild } from '../scripts/lib/build.mjs'
import { internalLink, paragraph, richText } from '../src/seed/lexical'
import type { TestServer } from '../test/helpers/server'
import { startTestServer, TEST_ADMIN } from '../test/helpers/server'
import type { LoadResult } from './load'
import { failedRequests, measureLoad } from './load'

const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS || 10)
const SECONDS = Number(process.env.BENCH_SECONDS || 5)
const PUBLISHES = Number(process.env.BENCH_PUBLISHES || 60)

const log = (message: string) => console.log(`[bench:editorial] ${message}`)

const json = async (server: TestServer, path: string, init: { method?: string; auth?: string; body?: unknown } = {}) => {
  const res = await fetch(`${server.url}${path}`, {
    method: init.method ?? 'GET',
    headers: { 'content-type': 'application/json', ...(init.auth ? { authorization: init.auth } : {}) },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  })
  const body = await res.json()
  if (!res.ok) throw new Error(`${init.method ?? 'GET'} ${path} answered ${res.status}: ${JSON.stringify(body).slice(0, 300)}`)
  return body
}

const signIn = async (server: TestServer) => `JWT ${(await json(server, '/api/users/login', { method: 'POST', body: TEST_ADMIN })).token}`

const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]

/** Publishes one post again and again (a new title each time), one request at a time. */
const timePublishes = async (server: TestServer): Promise<{ p50: number; p95: number; mean: number; brokenLinks: number }> => {
  const auth = await signIn(server)
  const pages = (await json(server, '/api/pages?limit=2&depth=0&sort=id', { auth })).docs as { id: number }[]
  const category = (await json(server, '/api/categories?limit=1&depth=0')).docs[0].id
  const post = await json(server, '/api/posts', {
    method: 'POST',
    auth,
    body: {
      title: 'Bench: a post with links',
      categories: [category],
      content: richText(...pages.map((page, k) => paragraph(internalLink('pages', page.id, `link ${k + 1}`)))),
      _status: 'published',
    },
  })
  const id = post.doc.id
  const times: number[] = []
  let brokenLinks = 0
  for (let k = 0; k < PUBLISHES; k++) {
    const started = performance.now()
    const saved = await json(server, `/api/posts/${id}?depth=0`, { method: 'PATCH', auth, body: { title: `Bench: publish ${k}`, _status: 'published' } })
    times.push(performance.now() - started)
    brokenLinks = saved.doc.brokenLinks?.length ?? 0
  }
  const sorted = [...times].sort((a, b) => a - b)
  return { p50: quantile(sorted, 0.5), p95: quantile(sorted, 0.95), mean: times.reduce((a, b) => a + b, 0) / times.length, brokenLinks }
}

const row = (label: string, result: LoadResult, reference?: LoadResult) =>
  `| ${label} | ${result.requestsPerSecond.toFixed(0)} | ${result.p50Ms} | ${result.p99Ms} | ${reference ? (result.requestsPerSecond / reference.requestsPerSecond).toFixed(2) + 'x' : '-'} | ${failedRequests(result)} |`

const main = async () => {
  await ensureProductionBuild(process.cwd(), console.log)
  const settings = { connections: CONNECTIONS, durationSeconds: SECONDS, warmupSeconds: 1, rounds: 1 }
  const env = { RATE_LIMIT_PER_IP: '0', RATE_LIMIT_PER_SESSION: '0', RATE_LIMIT_PER_API_KEY: '0' }

  log('reads: starting a server with the demo content')
  let server = await startTestServer({ seed: true, env })
  const lines: string[] = []
  try {
    const auth = await signIn(server)
    const draft = (await json(server, '/api/posts?where[_status][equals]=draft&draft=true&depth=0&limit=1', { auth })).docs[0]
    const published = (await json(server, '/api/posts?limit=1&depth=0')).docs[0]
    const { token } = await json(server, '/api/preview-tokens', { method: 'POST', auth, body: { collection: 'posts', id: draft.id } })
    const draftPath = `${server.url}/api/posts/${draft.id}?draft=true&depth=1`
    log('reads: editor session, preview token, public (stored)')
    const editor = await measureLoad({ url: draftPath, method: 'GET', headers: { authorization: auth } }, settings)
    const preview = await measureLoad({ url: draftPath, method: 'GET', headers: { authorization: `Preview ${token}` } }, settings)
    const stored = await measureLoad({ url: `${server.url}/api/posts/${published.id}?depth=1`, method: 'GET' }, settings)
    lines.push(
      `Reads (${CONNECTIONS} connections, ${SECONDS} s each, SQLite, demo content)`,
      '',
      '| read | req/s | p50 ms | p99 ms | vs editor session | failed |',
      '|---|---|---|---|---|---|',
      row("draft of a post, editor's session (JWT)", editor),
      row('draft of a post, preview token', preview, editor),
      row('published post, public (stored answer)', stored, editor),
    )
  } finally {
    await server.stop()
  }

  const publishes: Record<string, Awaited<ReturnType<typeof timePublishes>>> = {}
  for (const mode of ['warn', 'off']) {
    log(`writes: ${PUBLISHES} publishes with LINK_CHECKS=${mode}`)
    server = await startTestServer({ seed: true, env: { ...env, LINK_CHECKS: mode } })
    try {
      publishes[mode] = await timePublishes(server)
    } finally {
      await server.stop()
    }
  }
  lines.push(
    '',
    `Publishing a post with two internal links, ${PUBLISHES} times one after another (the audit log records each)`,
    '',
    '| link checks | p50 ms | p95 ms | mean ms | vs off (mean) |',
    '|---|---|---|---|---|',
    ...Object.entries(publishes).map(
      ([mode, t]) => `| ${mode} | ${t.p50.toFixed(1)} | ${t.p95.toFixed(1)} | ${t.mean.toFixed(1)} | ${(t.mean / publishes.off.mean).toFixed(2)}x |`,
    ),
  )
  console.log(`\n${lines.join('\n')}\n`)
}

main().catch((error) => {
  console.error(error)
  process.exit(1)
})
