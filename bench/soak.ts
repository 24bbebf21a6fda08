// `npm run bench:soak`: two Greenroom instances on one PostgreSQL database and Redis under a steady
// mixed load for SOAK_MINUTES (30): the fifty mixed reads of bench/mixed.ts at 70 % of the peak the two
// reached together (measured first, unthrottled), and meanwhile an editor publishing a post every
// second, through each instance by turns, each publish read back by slug through the other instance.
// Each minute prints a row: reads answered and failed, latency, publishes and their failures, reads
// of the other instance that did not show the publish, and both servers' RSS. The last line gives each
// server's RSS growth: the median of the last five minutes over that of minutes 2 to 6 (the target: under
// 10 %), and the highest reading of the second half over the first; then the same growth of each minute's
// lowest V8 old space (from /metrics), the live heap a leak would raise. A stale read-back is read again
// until the other instance shows the publish, and the row gives the longest such delay.
//
// Needs PostgreSQL (BENCH_POSTGRES_URI or TEST_POSTGRES_URI) and redis-server (or BENCH_REDIS_URL).
// Settings: SOAK_MINUTES (30), SOAK_LOAD (0.7 of the peak), POST_COUNT (1000), BENCH_CONNECTIONS (20),
// SOAK_PUBLISHES_PER_SECOND (1).
import os from 'node:os'

import { fireAt, startCluster } from './cluster'
import { median } from './cpuProfile'
import { mixedRequests } from './mixed'
import { PUBLISH_QUERY, signInEditor } from './mixed'
import { readMemory } from './processes'
import { fixed, percent, rate, table } from './report'

const log = (message: string) => console.log(`[bench:soak] ${message}`)

const MINUTES = Math.max(1, Number(process.env.SOAK_MINUTES || 30))
const LOAD = Number(process.env.SOAK_LOAD || 0.7)
const POSTS = Number(process.env.POST_COUNT || 1000)
const CONNECTIONS = Math.max(2, Number(process.env.BENCH_CONNECTIONS || 20))
const PUBLISHES_PER_SECOND = Number(process.env.SOAK_PUBLISHES_PER_SECOND || 1)

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

type Publishing = { done: number; failed: number; stale: number; lateMs: number[]; examples: string[]; latencies: number[] }

/** The title the other instance gives `slug`, or what it answered instead. */
const titleOf = async (url: string, slug: string): Promise<string | undefined> => {
  const read = await fetch(`${url}/api/posts?where[slug][equals]=${slug}&depth=0&limit=1`)
  return read.status === 200 ? ((await read.json()) as { docs: { title?: string }[] }).docs[0]?.title : `status ${read.status}`
}

/** After a stale read: how long until the other instance shows `title` (reads every 5 ms, for at most 2 s). */
const lateBy = async (url: string, slug: string, title: string, since: number): Promise<number> => {
  while (performance.now() - since < 2000) {
    await sleep(5)
    if ((await titleOf(url, slug)) === title) return performance.now() - since
  }
  return Infinity
}

/**
 * Publishes new titles of the posts in `targets` until `until`, through the servers by turns, each
 * read back by slug through the next server as soon as its publish returned.
 */
const publishUntil = async (
  urls: string[],
  cookies: string[],
  targets: { id: number | string; slug: string }[],
  until: number,
  minute: number,
): Promise<Publishing> => {
  const figures: Publishing = { done: 0, failed: 0, stale: 0, lateMs: [], examples: [], latencies: [] }
  const interval = 1000 / PUBLISHES_PER_SECOND
  const started = Date.now()
  for (let k = 0; started + k * interval < until; k++) {
    const wait = started + k * interval - Date.now()
    if (wait > 0) await sleep(wait)
    const writer = k % urls.length
    const reader = (k + 1) % urls.length
    const post = targets[k % targets.length]
    const title = `Soak minute ${minute} edit ${k}`
    const sent = performance.now()
    try {
      const res = await fetch(`${urls[writer]}/api/posts/${post.id}${PUBLISH_QUERY}`, {
        method: 'PATCH',
        headers: { 'content-type': 'application/json', cookie: cookies[writer], origin: urls[writer], 'sec-fetch-site': 'same-origin' },
        body: JSON.stringify({ title, _status: 'published' }),
      })
      await res.arrayBuffer()
      figures.latencies.push(performance.now() - sent)
      if (res.status !== 200) {
        figures.failed++
        if (figures.examples.length < 3) figures.examples.push(`publish: status ${res.status}`)
        continue
      }
      figures.done++
      const answered = performance.now()
      const seen = await titleOf(urls[reader], post.slug)
      if (seen !== title) {
        figures.stale++
        figures.lateMs.push(await lateBy(urls[reader], post.slug, title, answered))
        if (figures.examples.length < 3) figures.examples.push(`read back through the other instance: "${seen}", not "${title}"`)
      }
    } catch (error) {
      figures.failed++
      if (figures.examples.length < 3) figures.examples.push(`publish: ${String(error)}`)
    }
  }
  return figures
}

const METRICS_TOKEN = `soak-${process.pid}`

/**
 * V8's old space in use, from the server's /metrics. Its lowest reading over a minute is what survived the
 * full collections: the live set, which a leak raises minute after minute, while RSS also holds the heap
 * V8 keeps for later and swings with each collection.
 */
const oldSpaceUsedMb = async (url: string): Promise<number> => {
  try {
    const res = await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })
    const match = /^greenroom_nodejs_heap_space_size_used_bytes\{space="old"\} (\S+)$/m.exec(await res.text())
    return match ? Number(match[1]) / 2 ** 20 : NaN
  } catch {
    return NaN
  }
}

/** The lowest old-space reading of each server, every two seconds until `until`. */
const lowestOldSpaceUntil = async (urls: string[], until: number): Promise<number[]> => {
  const lowest = urls.map(() => Infinity)
  while (Date.now() < until - 1000) {
    const readings = await Promise.all(urls.map(oldSpaceUsedMb))
    readings.forEach((value, k) => {
      if (value < lowest[k]) lowest[k] = value
    })
    await sleep(2000)
  }
  return lowest.map((value) => (Number.isFinite(value) ? value : NaN))
}

const percentile = (values: number[], p: number) => {
  if (!values.length) return NaN
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]
}

const main = async () => {
  const cluster = await startCluster('soak', POSTS, 2, log, { METRICS_TOKEN })
  try {
    const urls = cluster.servers.map((server) => server.url)
    const set = await mixedRequests(urls[0], POSTS)
    // One after the other: Payload keeps a user's sessions in the user's row, and two sign-ins at once
    // can each write the list without the other's session.
    const cookies: string[] = []
    for (const url of urls) cookies.push(await signInEditor(url))
    // The newest posts: on the first list pages, in the reads' way.
    const newest = (await (await fetch(`${urls[0]}/api/posts?limit=20&depth=0&sort=-publishedAt`)).json()) as {
      docs: { id: number | string; slug: string }[]
    }

    log('warming both servers (10 s), then measuring their peak together (20 s)')
    await fireAt(urls, set.requests, { connections: CONNECTIONS, seconds: 10 })
    const peak = await fireAt(urls, set.requests, { connections: CONNECTIONS, seconds: 20 })
    const target = peak.requestsPerSecond * LOAD
    log(`peak ${rate(peak.requestsPerSecond)} req/s; soaking at ${rate(target)} req/s (${percent(LOAD)}) for ${MINUTES} minutes`)

    const rows: string[][] = []
    const rss: number[][] = []
    const oldSpace: number[][] = []
    const lateMs: number[] = []
    let failedReads = 0
    let failedPublishes = 0
    let staleReads = 0
    const examples: string[] = []
    for (let minute = 1; minute <= MINUTES; minute++) {
      const until = Date.now() + 60_000
      const [reads, publishing, lowestOldSpace] = await Promise.all([
        fireAt(urls, set.requests, { connections: CONNECTIONS, seconds: 60, overallRate: target }),
        publishUntil(urls, cookies, newest.docs, until, minute),
        lowestOldSpaceUntil(urls, until),
      ])
      const memory = cluster.servers.map((server) => readMemory(server.pid)?.rssMb ?? NaN)
      rss.push(memory)
      oldSpace.push(lowestOldSpace)
      lateMs.push(...publishing.lateMs)
      failedReads += reads.failures
      failedPublishes += publishing.failed
      staleReads += publishing.stale
      examples.push(...publishing.examples.slice(0, Math.max(0, 5 - examples.length)))
      const row = [
        String(minute),
        rate(reads.requestsPerSecond),
        fixed(reads.p50Ms, 1),
        fixed(reads.p99Ms, 1),
        String(reads.failures),
        String(publishing.done),
        String(publishing.failed),
        fixed(percentile(publishing.latencies, 50), 0),
        String(publishing.stale),
        publishing.lateMs.length ? fixed(Math.max(...publishing.lateMs), 0) : '',
        ...memory.map((value) => fixed(value, 0)),
        ...lowestOldSpace.map((value) => fixed(value, 0)),
        fixed(os.loadavg()[0], 2),
      ]
      rows.push(row)
      log(row.join(' | '))
    }
    // One RSS reading a minute swings by a third with the garbage collector, and minute 1 still holds the
    // warm-up: growth compares the median of the last five minutes with that of minutes 2 to 6, and the
    // highest reading of the second half with that of the first.
    const span = Math.max(1, Math.min(5, Math.floor((rss.length - 1) / 2)))
    const growthOf = (readings: number[][]) => {
      const early = (k: number) => readings.slice(readings.length > 1 ? 1 : 0).slice(0, span).map((minute) => minute[k])
      const late = (k: number) => readings.slice(-span).map((minute) => minute[k])
      return cluster.servers.map((_, k) => median(late(k)) / median(early(k)) - 1)
    }
    const growth = growthOf(rss)
    const liveGrowth = growthOf(oldSpace)
    const half = Math.ceil(rss.length / 2)
    const peakGrowth = cluster.servers.map(
      (_, k) => Math.max(...rss.slice(half).map((minute) => minute[k])) / Math.max(...rss.slice(0, half).map((minute) => minute[k])) - 1,
    )
    console.log(
      `\n## Soak: two instances, PostgreSQL and Redis, ${MINUTES} minutes at ${percent(LOAD)} of a ${rate(peak.requestsPerSecond)} req/s peak (the 50 mixed reads, ${CONNECTIONS} connections) and ${PUBLISHES_PER_SECOND} publish/s\n`,
    )
    console.log(
      table(
        ['minute', 'reads/s', 'p50 ms', 'p99 ms', 'failed reads', 'publishes', 'failed publishes', 'publish p50 ms', 'stale reads of the other instance', 'shown after ms (at most)', ...cluster.servers.map((_, k) => `RSS ${k + 1} MiB`), ...cluster.servers.map((_, k) => `old space low ${k + 1} MiB`), 'load avg'],
        rows,
      ).join('\n'),
    )
    console.log(
      `\nfailed reads ${failedReads}, failed publishes ${failedPublishes}, stale reads ${staleReads}${
        lateMs.length ? ` (each shown by the next reads, at most ${fixed(Math.max(...lateMs), 0)} ms after the publish answered)` : ''
      }; RSS growth, median of the last ${span} minutes over minutes 2 to ${span + 1}: ${growth
        .map((value, k) => `server ${k + 1} ${percent(value)}`)
        .join(', ')} (target: under 10 %); highest RSS of the second half over the first: ${peakGrowth
        .map((value, k) => `server ${k + 1} ${percent(value)}`)
        .join(', ')}; live heap (old space low point) growth, same minutes: ${liveGrowth
        .map((value, k) => `server ${k + 1} ${percent(value)}`)
        .join(', ')}`,
    )
    if (examples.length) console.log(`examples: ${examples.join('; ')}`)
  } finally {
    await cluster.close()
  }
}

main().catch((error) => {
  console.error(error)
  process.exit(1)
})
