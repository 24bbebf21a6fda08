// `npm run bench:mixed`: the mixed-read scenario of bench/mixed.ts alone, on a copy of the seeded database
// `npm run bench` keeps, with what the full bench does not show: per request of the fifty, how many answers
// came from the store, how many were renders and how many joined another request's render (`collapsed`),
// and which answers one publish retires (each URL read once before and once after a single publish, one
// at a time). For finding where the misses under publishes come from, without the rest of the bench.
//
//   npm run bench:mixed -- --rates 0,5 --seconds 8
//   PROBE_NODE_ARGS='--cpu-prof --cpu-prof-dir=/tmp/prof' npm run bench:mixed   # profile the server
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'

import autocannon from 'autocannon'

import { SERVER_NODE_ARGS } from '../scripts/lib/build.mjs'
import { createBenchDatabase } from './database'
import type { MixedRequest } from './mixed'
import { PUBLISH_QUERY, measureMixed, mixedRequests, signInEditor } from './mixed'
import { benchPaths, startGreenroom } from './processes'
import { findKeptSeed, restoreSeed } from './seedCache'
import { drain } from './turns'

const argument = (name: string, fallback: string) => {
  const at = process.argv.indexOf(`--${name}`)
  return at >= 0 && process.argv[at + 1] ? process.argv[at + 1]! : fallback
}

const postCount = Number(argument('posts', '1000'))
const rates = argument('rates', '0,5').split(',').map(Number)
const seconds = Number(argument('seconds', '8'))
const connections = Number(argument('connections', '20'))

const labelOf = (request: MixedRequest) =>
  request.body ? `${request.kind} ${(JSON.parse(request.body) as { query: string }).query.slice(0, 90)}` : `${request.kind} ${request.path}`

const statusOf = (cacheStatus: string | undefined) =>
  !cacheStatus ? 'none' : /;\s*hit/.test(cacheStatus) ? 'hit' : /collapsed/.test(cacheStatus) ? 'collapsed' : 'miss'

const readOnce = async (baseUrl: string, request: MixedRequest) => {
  const res = await fetch(`${baseUrl}${request.path}`, { method: request.method, headers: request.headers, body: request.body })
  await res.arrayBuffer()
  return statusOf(res.headers.get('cache-status') ?? undefined)
}

const main = async () => {
  const kept = findKeptSeed('sqlite', postCount)
  if (!kept) throw new Error(`no kept SQLite seed of ${postCount} posts: run \`npm run bench -- --posts ${postCount}\` once`)
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'greenroom-mixed-'))
  const database = await createBenchDatabase('sqlite', dir, postCount)
  const paths = benchPaths(dir, database.uri, postCount)
  restoreSeed(kept, paths)
  const server = await startGreenroom(paths, {}, 120_000, [...(process.env.PROBE_NODE_ARGS ?? '').split(' ').filter(Boolean), ...SERVER_NODE_ARGS]).catch(
    (error: unknown) => {
      fs.rmSync(dir, { recursive: true, force: true })
      throw error
    },
  )
  try {
    const set = await mixedRequests(server.url, postCount)
    const cookie = await signInEditor(server.url)
    for (const request of set.requests) await readOnce(server.url, request)

    // One publish, then every URL once: what it retired.
    const res = await fetch(`${server.url}/api/posts/${set.edited.id}${PUBLISH_QUERY}`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json', cookie, origin: server.url, 'sec-fetch-site': 'same-origin' },
      body: JSON.stringify({ title: `${set.edited.title}, probed`, _status: 'published' }),
    })
    await res.arrayBuffer()
    const retired: string[] = []
    for (const request of set.requests) if ((await readOnce(server.url, request)) !== 'hit') retired.push(labelOf(request))
    console.log(`one publish of post ${set.edited.id} (${set.edited.slug}) retired ${retired.length} of 50:`)
    for (const label of retired.sort()) console.log(`  ${label}`)
    console.log(`its change-log row (fields, tags): ${await lastChangeRow(database.uri)}`)

    for (const rate of rates) {
      // Per request of the fifty: how its answers came. A second load beside measureMixed's own reads
      // bodies (onResponse needs them), so it is a separate, shorter run of the same requests.
      const counts = new Map<string, Record<string, number>>()
      const figures = await measureMixed(server.url, set, { connections, durationSeconds: seconds, warmupSeconds: 0 }, rate, cookie)
      await drain({ url: `${server.url}${set.requests[0]!.path}`, ...set.requests[0]! })
      const byUrl = autocannon({
        url: server.url,
        connections,
        duration: Math.max(2, Math.round(seconds / 2)),
        requests: set.requests.map((request) => ({
          method: request.method,
          path: request.path,
          headers: request.headers,
          body: request.body,
          onResponse: (_status: number, _body: string, _context: unknown, headers: Record<string, string>) => {
            const label = labelOf(request)
            const row = counts.get(label) ?? {}
            const how = statusOf(headers['cache-status'] ?? headers['Cache-Status'])
            row[how] = (row[how] ?? 0) + 1
            counts.set(label, row)
          },
        })),
      })
      const publishing = rate > 0 ? publishFor(server.url, cookie, set.edited.id, set.edited.title, rate, Math.max(2, Math.round(seconds / 2))) : undefined
      await Promise.all([byUrl, publishing])
      await drain({ url: `${server.url}${set.requests[0]!.path}`, ...set.requests[0]! })
      console.log(
        `\n${rate} publishes/s: ${Math.round(figures.load.requestsPerSecond)} reads/s, p50 ${figures.load.p50Ms} ms, p99 ${figures.load.p99Ms} ms, ` +
          `${(figures.hitShare * 100).toFixed(1)} % from the store` +
          (figures.publishes
            ? `; publishes ${figures.publishes.count} (${figures.publishes.perSecond.toFixed(2)}/s), p50 ${figures.publishes.p50Ms.toFixed(0)} ms, ` +
              `p99 ${figures.publishes.p99Ms.toFixed(0)} ms, stale ${figures.publishes.stale}/${figures.publishes.freshnessChecks}`
            : ''),
      )
      const rows = [...counts.entries()].filter(([, row]) => (row.miss ?? 0) + (row.collapsed ?? 0) + (row.none ?? 0) > 0)
      console.log(`  not from the store (second run, ${Math.max(2, Math.round(seconds / 2))} s), per request: miss / collapsed / hit`)
      for (const [label, row] of rows.sort(([a], [b]) => a.localeCompare(b))) {
        console.log(`    ${row.miss ?? 0} / ${row.collapsed ?? 0} / ${row.hit ?? 0}  ${label}`)
      }
    }
    console.log(`\nload average: ${os.loadavg().map((value) => value.toFixed(2)).join(' ')}`)
  } finally {
    await server.stop()
    await database.drop?.()
    if (!process.env.PROBE_KEEP) fs.rmSync(dir, { recursive: true, force: true })
  }
}

/** The newest change-log row, read with the sqlite3 shell when there is one. */
const lastChangeRow = async (uri: string) => {
  const { execFileSync } = await import('node:child_process')
  try {
    return execFileSync('sqlite3', [uri.replace(/^file:/, ''), 'select event, fields, tags from content_changes order by position desc limit 1'], {
      encoding: 'utf8',
    }).trim()
  } catch (error) {
    return `not read (${error instanceof Error ? error.message.split('\n')[0] : String(error)})`
  }
}

/** The editor of bench/mixed.ts, without its read-backs: title publishes at `rate` a second for `seconds`. */
const publishFor = async (baseUrl: string, cookie: string, id: number | string, title: string, rate: number, seconds: number) => {
  const until = Date.now() + seconds * 1000
  for (let k = 0; Date.now() < until; k++) {
    const started = Date.now()
    const res = await fetch(`${baseUrl}/api/posts/${id}${PUBLISH_QUERY}`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json', cookie, origin: baseUrl, 'sec-fetch-site': 'same-origin' },
      body: JSON.stringify({ title: `${title}, probe ${k}`, _status: 'published' }),
    })
    await res.arrayBuffer()
    const wait = 1000 / rate - (Date.now() - started)
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait))
  }
}

main().catch((error: unknown) => {
  console.error(error)
  process.exit(1)
})
