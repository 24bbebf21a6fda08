import { once } from 'node:events'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'

import express from 'express'
import next from 'next'
import type { Payload } from 'payload'
import { getPayload } from 'payload'

import { monacoAssets } from '../admin/monaco/assets'
import { joinCluster } from '../cluster'
import { metricsEndpoint } from '../metrics/endpoint'
import { watchQueues } from '../metrics/queues'
import { routeTemplates } from '../metrics/routes'
import { closePayload } from '../db/closePayload'
import { publicServerUrl } from '../env'
import { acceptFormPosts } from '../forms/formPosts'
import { formSettingsFromEnv } from '../forms/settings'
import { seedDemoContentIfEmpty } from '../seed'
import { ensureContentVersion } from '../changes/contentVersion'
import { isSiteOutputPath, siteOutputRoutes } from '../siteOutputs/routes'
import { previewRenderer } from '../preview/renderer'
import { siteOutputSettingsFromEnv } from '../siteOutputs/settings'
import { bodyLimitsFromEnv, readApiBodies } from './bodyLimits'
import type { ServerPhase } from './health'
import { healthz, readyz } from './health'
import { createHttpCache, httpCacheSettingsFromEnv } from './cache/httpCache'
import { authenticateWithPayload, payloadApi, prepareGraphql } from './payloadApi'
import type { TrustsProxy } from './proxyTrust'
import { clientOf, parseTrustProxy } from './proxyTrust'
import { loginClientContext } from './loginClient'
import { settleInterruptedDeletions } from '../media/fileCleanup'
import { createMediaLookup } from '../media/lookup'
import { mediaStorage } from '../media/storage'
import { mediaFileSettingsFromEnv, mediaFiles } from './mediaFiles'
import {
  createLoginThrottle,
  createRateLimiter,
  formSubmissionRateLimit,
  loginThrottleSettingsFromEnv,
  rateLimitSettingsFromEnv,
} from './rateLimit'
import { createReaders } from './readers'
import { createFrontDoor } from './frontDoor'
import { storedAnswerLane } from './cache/storedAnswerLane'

export type StartOptions = {
  port?: number
  host?: string
  dev?: boolean
  /** How long open requests may run on after a stop signal before their connections are cut. */
  shutdownGraceMs?: number
}

export type RunningServer = {
  url: string
  payload: Payload
  close: () => Promise<void>
}

const parsePort = (value: string | undefined): number => {
  if (value === undefined || value === '') return 3000
  const port = Number(value)
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw Object.assign(new Error(`PORT "${value}" is not a port number (0-65535).`), { name: 'ConfigurationError' })
  }
  return port
}

/** Milliseconds since the process started, for the start-up log line. */
const uptimeMs = () => Math.round(performance.now())

/**
 * Express in front of Next (Payload's custom-server pattern): express answers health checks, sets
 * headers and logging for everything and hands the REST and GraphQL API straight to Payload's
 * handlers (src/server/payloadApi.ts); Next serves the admin panel. The Payload instance made here
 * is the one the handlers and Next's routes reuse (Payload caches it per process), so there is one
 * database pool and one job runner.
 *
 * The server listens once Payload is ready; Next (the admin panel) and GraphQL's schema are made ready
 * after that, while the REST API already answers: neither is needed by a REST read, and together they
 * took about a second of a start. Requests for the admin wait for Next; /readyz answers 503 "starting"
 * until both are ready. The returned promise settles when everything is ready (or a part failed).
 */
export const startServer = async ({
  port = parsePort(process.env.PORT),
  host = process.env.HOST || '127.0.0.1',
  dev = process.env.NODE_ENV !== 'production',
  shutdownGraceMs = Number(process.env.SHUTDOWN_GRACE_MS || 10_000),
}: StartOptions = {}): Promise<RunningServer> => {
  // Imported here, not at the top: evaluating the config can refuse to start (no PAYLOAD_SECRET,
  // an unknown DATABASE_URI), and that must reach the caller as an error with a clear message.
  const timings: Record<string, number> = { modules: uptimeMs() }
  const { default: config } = await import('@payload-config')
  timings.config = uptimeMs()
  const httpCacheSettings = httpCacheSettingsFromEnv(process.env)
  const rateLimitSettings = rateLimitSettingsFromEnv(process.env)
  const loginThrottleSettings = loginThrottleSettingsFromEnv(process.env)
  const bodyLimits = bodyLimitsFromEnv(process.env)
  const siteOutputSettings = siteOutputSettingsFromEnv(process.env)
  const mediaFileSettings = mediaFileSettingsFromEnv(process.env)
  const payload = await getPayload({ config, cron: true })
  timings.payload = uptimeMs()
  await seedDemoContentIfEmpty(payload)
  await settleInterruptedDeletions(payload)
  await ensureContentVersion(payload)
  timings.content = uptimeMs()

  const nextApp = next({ dev, dir: process.cwd(), hostname: host, port })
  let phase: ServerPhase = 'starting'
  let adminReady: Promise<void> | undefined
  const handleWithNext = nextApp.getRequestHandler()
  const apiRoute = payload.config.routes.api
  const app = express()
  app.disable('x-powered-by')
  app.set('trust proxy', parseTrustProxy(process.env.TRUST_PROXY))
  const client = clientOf(app.get('trust proxy fn') as TrustsProxy)
  const readers = createReaders(payload.config.cookiePrefix || 'payload', authenticateWithPayload(payload.config))
  const cluster = joinCluster(payload)
  const limiter = createRateLimiter(rateLimitSettings, readers, cluster.rateLimitStoreFor)
  const loginThrottle = createLoginThrottle(loginThrottleSettings)
  const cache = createHttpCache(payload, httpCacheSettings, readers)
  // Security headers, the log line and the rate limit, for express and the stored-answer lane alike.
  const door = createFrontDoor({ limiter, client, logger: payload.logger, routeOf: routeTemplates(payload) })

  app.use(door.greeting)
  app.get('/healthz', healthz)
  app.get('/metrics', metricsEndpoint(process.env.METRICS_TOKEN?.trim() || undefined, watchQueues(payload)))
  // The admin's code editor, from this server (src/admin/monaco).
  const monaco = monacoAssets()
  app.use(monaco.route, monaco.handler)
  app.get(
    '/readyz',
    readyz(payload, () => phase),
  )
  // Before the API's rate limit: media files have their own, larger one.
  app.use(
    `${apiRoute}/media/file`,
    mediaFiles({
      payload,
      storage: mediaStorage(),
      lookup: createMediaLookup(payload, 'media'),
      limiter,
      client,
      readers,
      settings: mediaFileSettings,
    }),
  )
  app.use(apiRoute, door.admission)
  app.use(apiRoute, readApiBodies(bodyLimits, payload.logger))
  app.use(
    formSubmissionRateLimit(limiter, client, {
      collection: `${apiRoute}/form-submissions`,
      graphql: `${apiRoute}${payload.config.routes.graphQL}`,
    }),
  )
  // After the form-submission limit, so that every post counts, refused or dropped.
  app.use(acceptFormPosts(payload, formSettingsFromEnv(process.env), bodyLimits, `${apiRoute}/form-submissions`))
  app.use(apiRoute, loginClientContext(loginThrottle, client))
  app.use(payloadApi(payload.config, cache, payload.logger))
  // The sitemap, robots.txt and feeds: counted like API reads (a sitemap file is costly to make).
  app.use((req, res, next) => (isSiteOutputPath(req.path) ? door.admission(req, res, next) : next()))
  app.use(
    siteOutputRoutes({
      payload,
      cache,
      readers,
      authenticate: authenticateWithPayload(payload.config),
      settings: siteOutputSettings,
    }),
  )
  // The built-in preview renderer (/preview/:collection/:id?token=…), counted like API reads.
  app.use('/preview', door.admission)
  app.use(previewRenderer(payload))
  app.all('/{*path}', async (req, res) => {
    await adminReady
    await handleWithNext(req, res)
  })

  const lane = storedAnswerLane({
    apiRoute,
    graphqlRoute: `${apiRoute}${payload.config.routes.graphQL}`,
    isStoredPath: isSiteOutputPath,
    // Files are never stored answers: the lane would only read the content version for them.
    passOnPrefixes: [`${apiRoute}/media/file/`],
    cache,
    door,
    bodyLimits,
    logger: payload.logger,
  })
  const server = createServer(lane(app)).listen(port, host)
  // A request Node's parser refuses (a URL or headers over 16 KB, malformed framing) never reaches
  // express; Node would answer it with an empty 431 or 400. Clients get the API's JSON error instead.
  server.on('clientError', (error: NodeJS.ErrnoException, socket) => {
    if (error.code === 'ECONNRESET' || !socket.writable) return socket.destroy()
    const [status, message] =
      error.code === 'HPE_HEADER_OVERFLOW'
        ? ['431 Request Header Fields Too Large', 'The URL or the headers are too large (16 KB at most).']
        : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
          ? ['408 Request Timeout', 'The request did not arrive in time.']
          : ['400 Bad Request', 'The request is not valid HTTP.']
    const body = JSON.stringify({ errors: [{ message }] })
    socket.end(
      `HTTP/1.1 ${status}\r\nContent-Type: application/json\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    )
  })
  await once(server, 'listening')
  timings.listening = uptimeMs()
  // Next is prepared first: the admin's requests cannot be answered before it, while GraphQL's first request would
  // only build the schema itself.
  adminReady = nextApp.prepare().then(() => void (timings.admin = uptimeMs()))
  await adminReady
  if (!payload.config.graphQL?.disable) await prepareGraphql(payload.config)
  timings.graphql = uptimeMs()
  phase = 'serving'
  const address = server.address() as AddressInfo
  const url = `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`
  if (!dev && !process.env.PUBLIC_SERVER_URL?.trim()) {
    payload.logger.warn(
      `PUBLIC_SERVER_URL is not set: media URLs in answers point at ${publicServerUrl(process.env)}. ` +
        'Set it to the address readers reach this server at.',
    )
  }
  payload.logger.info(
    { startup: timings },
    `Greenroom is listening on ${url} (admin panel: ${url}/admin, REST: ${url}/api, GraphQL: ${url}/api/graphql); ` +
      `ready ${timings.graphql} ms after the process started`,
  )

  const close = async () => {
    if (phase === 'stopping') return
    phase = 'stopping'
    const closed = new Promise<void>((resolve) => server.close(() => resolve()))
    server.closeIdleConnections()
    const grace = setTimeout(() => server.closeAllConnections(), shutdownGraceMs)
    await closed
    clearTimeout(grace)
    limiter.close()
    loginThrottle.close()
    await cluster.close()
    await closePayload(payload)
    await nextApp.close()
    payload.logger.info('Greenroom stopped')
  }

  return { url, payload, close }
}
