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
