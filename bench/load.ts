import autocannon from 'autocannon'

export type Target = {
  url: string
  method: 'GET' | 'POST'
  headers?: Record<string, string>
  body?: string
}

export type LoadSettings = {
  connections: number
  durationSeconds: number
  warmupSeconds: number
  /** Greenroom and the ceiling take turns this many times per scenario, each for durationSeconds / rounds. */
  rounds: number
}

export type LoadResult = {
  url: string
  requestsPerSecond: number
  p50Ms: number
  p99Ms: number
  averageMs: number
  requests: number
  /** The status every answer must have (200, or 304 for a revalidation). */
  expectedStatus: number
  statusCounts: Record<string, number>
  /** Answers with another status, connection errors and timeouts: any of them voids the figures. */
  unexpectedStatus: number
  errors: number
  timeouts: number
}

const fire = (target: Target, connections: number, duration: number) => autocannon({ ...target, connections, duration })

/**
 * A warm-up run first (discarded): the first requests pay for JIT compilation, Next's route
 * loading and SQLite's page cache, which is not the steady state being compared.
 */
export const measureLoad = async (
  target: Target,
  settings: LoadSettings,
  expectedStatus = 200,
): Promise<LoadResult> => {
  if (settings.warmupSeconds > 0) await fire(target, settings.connections, settings.warmupSeconds)
  const result = await fire(target, settings.connections, settings.durationSeconds)
  const statusCounts = Object.fromEntries(
    Object.entries(result.statusCodeStats ?? {}).map(([status, { count }]) => [status, count]),
  )
  const answered = Object.values(statusCounts).reduce((sum, count) => sum + count, 0)
  return {
    url: target.url,
    requestsPerSecond: result.requests.average,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    averageMs: result.latency.average,
    requests: result.requests.total,
    expectedStatus,
    statusCounts,
    unexpectedStatus: answered - (statusCounts[String(expectedStatus)] ?? 0),
    errors: result.errors,
    timeouts: result.timeouts,
  }
}

/** autocannon counts a timeout as an error too. */
export const failedRequests = (result: LoadResult) => result.unexpectedStatus + result.errors

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
}

/**
 * Rounds of one load as one result: req/s over all of them, latency percentiles the median of the
 * rounds' (autocannon gives percentiles, not its histogram), counts added up.
 */
export const combineRounds = (rounds: LoadResult[]): LoadResult => {
  const statusCounts: Record<string, number> = {}
  for (const round of rounds) {
    for (const [status, count] of Object.entries(round.statusCounts)) statusCounts[status] = (statusCounts[status] ?? 0) + count
  }
  const sum = (pick: (round: LoadResult) => number) => rounds.reduce((total, round) => total + pick(round), 0)
  return {
    url: rounds[0].url,
    requestsPerSecond: sum((round) => round.requestsPerSecond) / rounds.length,
    p50Ms: median(rounds.map((round) => round.p50Ms)),
    p99Ms: median(rounds.map((round) => round.p99Ms)),
    averageMs: sum((round) => round.averageMs * round.requests) / Math.max(1, sum((round) => round.requests)),
    requests: sum((round) => round.requests),
    expectedStatus: rounds[0].expectedStatus,
    statusCounts,
    unexpectedStatus: sum((round) => round.unexpectedStatus),
    errors: sum((round) => round.errors),
    timeouts: sum((round) => round.timeouts),
  }
}

/** The middle of the rounds' ratios: one round's hiccup on a shared machine moves it little. */
export const medianRatio = (numerators: LoadResult[], denominators: LoadResult[]) =>
  median(numerators.map((round, k) => round.requestsPerSecond / denominators[k].requestsPerSecond))
