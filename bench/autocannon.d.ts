// The parts of autocannon's programmatic API the bench uses (the package ships no types and
// @types/autocannon is not a dependency).
declare module 'autocannon' {
  type Options = {
    url: string
    connections?: number
    /** Seconds. */
    duration?: number
    method?: string
    headers?: Record<string, string>
    body?: string | Buffer
    /** Seconds before a request counts as timed out. */
    timeout?: number
    /** Requests per second across all connections, at most (unset: as fast as answers come). */
    overallRate?: number
    /** A sequence each connection sends in turn, over and over; paths are relative to `url`. */
    requests?: {
      method?: string
      path?: string
      headers?: Record<string, string>
      body?: string | Buffer
    }[]
    /** Called with each connection's client; its 'headers' event gives each answer's raw headers. */
    setupClient?: (client: Client) => void
  }

  type Client = {
    on(event: 'headers', listener: (answer: { statusCode: number; headers: string[] }) => void): void
  }

  type Histogram = {
    average: number
    mean: number
    stddev: number
    min: number
    max: number
    p50: number
    p90: number
    p99: number
    total: number
  }

  type Result = {
    url: string
    connections: number
    duration: number
    errors: number
    timeouts: number
    non2xx: number
    /** Answers per HTTP status. */
    statusCodeStats?: Record<string, { count: number }>
    /** Latency in milliseconds. */
    latency: Histogram
    /** Requests per second, sampled each second. */
    requests: Histogram & { sent: number }
    /** Bytes per second, sampled each second. */
    throughput: Histogram
  }

  function autocannon(options: Options): Promise<Result>
  export type { Result }
  export default autocannon
}
