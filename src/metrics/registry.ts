import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client'

/**
 * This process's metrics, served at /metrics (src/metrics/endpoint.ts) in Prometheus's text format.
 * One registry per process: every instance is scraped on its own, and Prometheus adds them up.
 */
export const registry = new Registry()
collectDefaultMetrics({ register: registry, prefix: 'greenroom_' })

const DURATION_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]

export const httpRequests = new Counter({
  name: 'greenroom_http_requests_total',
  help: 'HTTP requests answered, by method, route template and status.',
  labelNames: ['method', 'route', 'status'] as const,
  registers: [registry],
})

export const httpDuration = new Histogram({
  name: 'greenroom_http_request_duration_seconds',
  help: 'Time from a request\'s arrival to its answer being sent, by method, route template and status.',
  labelNames: ['method', 'route', 'status'] as const,
  buckets: DURATION_BUCKETS,
  registers: [registry],
})

export const responseStore = new Counter({
  name: 'greenroom_response_store_total',
  help: 'Answers by what the response store did (its Cache-Status): hit, miss (rendered and stored), bypass (not storable).',
  labelNames: ['result'] as const,
  registers: [registry],
})

export const rateLimitRefusals = new Counter({
  name: 'greenroom_rate_limit_refusals_total',
  help: 'Requests refused with 429, by rate-limit policy.',
  labelNames: ['policy'] as const,
  registers: [registry],
})

export const databaseDuration = new Histogram({
  name: 'greenroom_db_operation_duration_seconds',
  help: 'Time in the database adapter, by Payload adapter operation.',
  labelNames: ['operation'] as const,
  buckets: DURATION_BUCKETS,
  registers: [registry],
})
