import { rm } from 'node:fs/promises'
import type { IncomingMessage } from 'node:http'
import { Readable } from 'node:stream'
import type { ReadableStream as NodeReadableStream } from 'node:stream/web'

import { GRAPHQL_POST } from '@payloadcms/next/routes'
import type { NextFunction, Request as ExpressRequest, Response as ExpressResponse } from 'express'
import type { Payload, SanitizedConfig } from 'payload'
import { createPayloadRequest, handleEndpoints } from 'payload'

import { classifyBadInput } from '../badInput/answerBadInput'
import { inErrorShape } from '../badInput/errorShape'
import { graphqlLimitsFromEnv, refuseBeforeValidation } from '../graphql/guards'
import { previewRefusalOf } from '../preview/session'
import { discardRestOfBody } from './bodyLimits'
import { GRAPHQL_BODY_STORE_BYTES } from './cache/graphqlReads'
import type { HttpCache, Produced } from './cache/httpCache'
import type { PayloadVerdict } from './readers'
import { verdictOf } from './readers'

/**
 * Payload's REST and GraphQL handlers are Web-standard (Request in, Response out); Next's route
 * files only wrap them. Express hands /api/* to them directly, which skips Next's routing, its
 * request adaptation and its response rendering on the hot path of every site. What stays with
 * Next: the GraphQL playground (development only) and the OG image route, which need Next itself.
 */
const LEFT_TO_NEXT = [/^\/api\/graphql-playground(\/|$)/, /^\/api\/og(\/|$)/]

const BODYLESS_METHODS = new Set(['GET', 'HEAD'])

/**
 * The request body as a Web stream, read as Payload asks for it. Payload may stop reading (a file
 * over the upload limit): that pauses the request instead of destroying it, as Readable.toWeb
 * would, so that the connection lives on to carry Payload's 413 (see discardRestOfBody).
 */
const bodyStream = (req: ExpressRequest): ReadableStream<Uint8Array> => {
  let settled = false
  let onData: (chunk: Buffer) => void
  // Up to 1 MB waits for Payload before the socket is paused, rather than one chunk: fewer pauses.
  const strategy = new ByteLengthQueuingStrategy({ highWaterMark: 1024 * 1024 })
  return new ReadableStream<Uint8Array>({
    start(controller) {
      const settle = (end: () => void) => {
        if (settled) return
        settled = true
        req.off('data', onData)
        end()
      }
      onData = (chunk) => {
        controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength))
        if ((controller.desiredSize ?? 0) <= 0) req.pause()
      }
      req.on('data', onData)
      req.once('end', () => settle(() => controller.close()))
      req.once('error', (error) => settle(() => controller.error(error)))
      req.once('close', () =>
        settle(() => controller.error(new Error('The client closed the connection before the body was complete.'))),
      )
      req.pause()
    },
    pull() {
      req.resume()
    },
    cancel() {
      settled = true
      req.off('data', onData)
      req.pause()
    },
  }, strategy)
}

/** Every header line as it arrived, duplicates included (Node's parsed `headers` keeps one Authorization). */
const headersOf = (req: IncomingMessage) => {
  const headers = new Headers()
  for (let k = 0; k < req.rawHeaders.length; k += 2) headers.append(req.rawHeaders[k], req.rawHeaders[k + 1])
  return headers
}

/** The Web Request Payload's handlers take, streaming the body unless it has been read already. */
export const toWebRequest = (req: ExpressRequest, readBody?: Buffer): Request => {
  const headers = headersOf(req)
  const url = `${req.protocol}://${req.get('host') ?? 'localhost'}${req.originalUrl}`
  // Payload routes HEAD nowhere: it is answered as the GET it stands for, without the body.
  const method = req.method === 'HEAD' ? 'GET' : req.method
  if (BODYLESS_METHODS.has(method)) return new Request(url, { method, headers })
  if (readBody) return new Request(url, { method, headers, body: new Uint8Array(readBody) })
  return new Request(url, {
    method,
    headers,
    body: bodyStream(req),
    // Required by undici for a streamed request body.
    duplex: 'half',
  } as RequestInit)
}

/**
 * Payload's verdict on who a request's headers sign in, by Payload's own request set-up and auth
 * strategies (the same ones the API handlers run), for a request that has not reached them yet.
 */
export const authenticateWithPayload =
  (config: SanitizedConfig) =>
  async (req: IncomingMessage): Promise<PayloadVerdict> => {
    const headers = headersOf(req)
    const request = new Request(`http://${req.headers.host || 'localhost'}${config.routes.api}`, { headers })
    await createPayloadRequest({ config, request })
    return verdictOf(request)
  }

/** Status, headers (every Set-Cookie kept apart) and the body, streamed. */
export const sendWebResponse = async (req: ExpressRequest, res: ExpressResponse, response: Response) => {
  res.status(response.status)
  response.headers.forEach((value, name) => {
    if (name !== 'set-cookie') res.setHeader(name, value)
  })
  const cookies = response.headers.getSetCookie()
  if (cookies.length) res.setHeader('set-cookie', cookies)
  // Payload stopped reading a body it refused (an upload over the limit).
  res.once('finish', () => discardRestOfBody(req))
  if (!response.body || req.method === 'HEAD') {
    await response.body?.cancel()
    res.end()
    return
  }
  const body = Readable.fromWeb(response.body as NodeReadableStream)
  await new Promise<void>((resolve, reject) => {
    body.on('error', reject)
    res.on('close', resolve)
    body.pipe(res)
  })
}

/** The methods Payload's REST API routes; others (TRACE, PROPFIND, …) name nothing it does. */
const API_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']
const API_METHOD_SET = new Set(API_METHODS)

const methodNotAllowed = (req: ExpressRequest, res: ExpressResponse) =>
  res
    .status(405)
    .set('Allow', API_METHODS.join(', '))
    .json({ errors: [{ message: `The API does not answer ${req.method} requests; it answers ${API_METHODS.join(', ')}.` }] })

const graphqlTakesPost = (res: ExpressResponse) =>
  res
    .status(405)
    .set('Allow', 'POST, OPTIONS')
    .json({
      errors: [
        { message: 'The GraphQL endpoint takes POST requests with a JSON body: {"query": "...", "variables": {...}}.' },
      ],
    })

/** The body readApiBodies (./bodyLimits.ts) read, when it read one. */
const readBodyOf = (req: ExpressRequest): Buffer | undefined => (Buffer.isBuffer(req.body) ? req.body : undefined)

const storableGraphqlBody = (req: ExpressRequest): Buffer | undefined => {
  const body = readBodyOf(req)
  const length = Number(req.headers['content-length'])
  return body && Number.isInteger(length) && body.length <= GRAPHQL_BODY_STORE_BYTES ? body : undefined
}

/** The query and operationName of a JSON GraphQL body; anything else is left to Payload's handler to answer. */
const requestOf = (body: Buffer): { query: string; operationName?: unknown } | undefined => {
  try {
    const { query, operationName } = JSON.parse(body.toString('utf8')) as { query?: unknown; operationName?: unknown }
    return typeof query === 'string' ? { query, operationName } : undefined
  } catch {
    return undefined
  }
}

const unauthorized = (message: string) =>
  new Response(JSON.stringify({ errors: [{ message }] }), {
    status: 401,
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' },
  })

const refused = (messages: string[]) =>
  new Response(JSON.stringify({ errors: messages.map((message) => ({ message })) }), {
    status: 400,
    headers: { 'content-type': 'application/json; charset=utf-8' },
  })

/**
 * graphql-http answers a request error (a query that does not validate, variables of the wrong type, an
 * operationName the document lacks: nothing ran, the answer has no `data`) with 200 when the client
 * accepts application/json, as GraphQL over HTTP allows for older clients. Greenroom answers it with
 * 400 for every client, as graphql-http does for application/graphql-response+json; errors of a query
 * that ran (beside its `data`, such as access denied on a field) stay 200.
 */
const withRequestErrorStatus = async (response: Response): Promise<Response> => {
  if (response.status !== 200) return response
  const text = await response.text()
  let status = 200
  // JSON.stringify puts `errors` first in both kinds of answer; only those are parsed to tell them apart.
  if (text.startsWith('{"errors":')) {
    const answer = JSON.parse(text) as Record<string, unknown>
    if (!('data' in answer)) status = 400
  }
  return new Response(text, { status, headers: response.headers })
}

/**
 * Payload builds its GraphQL schema on the first GraphQL request and keeps it for the process: about a
 * second of event loop that the first reader would wait for, and every other request with them. One
 * `{ __typename }` answered at start-up, before the server listens, pays it instead.
 */
export const prepareGraphql = async (config: SanitizedConfig) => {
  const url = `http://localhost${config.routes.api}${config.routes.graphQL}`
  const response = await GRAPHQL_POST(config)(
    new Request(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{ __typename }"}' }),
  )
  await response.body?.cancel()
}

/**
 * Uploads arrive in temporary files (src/plugins/uploadLimits.ts). Payload removes one after an
 * upload collection's create or update, but a file sent to any other route (a post, a form, GraphQL)
 * would stay on disk, so every temporary file Payload records on the request is removed once it has
 * answered. They are noted as Payload sets them: a later Local API call with the same request
 * (a plugin's hook resaving a document) sets `req.file` again, to nothing.
 */
const watchUploadedFiles = (request: Request) => {
  const paths: string[] = []
  let file: unknown
  Object.defineProperty(request, 'file', {
    configurable: true,
    enumerable: true,
    get: () => file,
    set: (value: unknown) => {
      file = value
      const tempFilePath = (value as { tempFilePath?: unknown } | undefined)?.tempFilePath
      if (typeof tempFilePath === 'string' && tempFilePath) paths.push(tempFilePath)
    },
  })
  return { remove: () => Promise.all(paths.map((path) => rm(path, { force: true }))) }
}

/** An error Payload threw with a 4xx status of its own (its GraphQL handler's "Invalid JSON", say). */
const clientErrorOf = (error: unknown): { status: number; message: string } | null => {
  const status = (error as { status?: unknown } | null)?.status
  return error instanceof Error && typeof status === 'number' && status >= 400 && status < 500
    ? { status, message: error.message }
    : null
}

const answerRewrites = new WeakMap<ExpressResponse, (response: Response) => Promise<Response>>()

/**
 * Lets a middleware before Payload change the answer Payload gives to this request (a browser's
 * form post gets a redirect instead of JSON: src/forms/formPosts.ts).
 */
export const rewritePayloadAnswer = (res: ExpressResponse, rewrite: (response: Response) => Promise<Response>) => {
  answerRewrites.set(res, rewrite)
}

/** Express middleware: /api/* into Payload's own handlers; anything left to Next goes on. */
export const payloadApi = (config: SanitizedConfig, httpCache?: HttpCache, logger?: Payload['logger']) => {
  const apiRoute = config.routes.api
  const graphqlRoute = `${apiRoute}${config.routes.graphQL}`
  const handleGraphql = GRAPHQL_POST(config)
  const graphqlLimits = graphqlLimitsFromEnv()

  /** Payload's answer, and its verdict on who asked, read from the request it authenticated. */
  const respond = async (req: ExpressRequest, readBody?: Buffer): Promise<Produced> => {
    const request = toWebRequest(req, readBody ?? readBodyOf(req))
    const uploadedFiles = watchUploadedFiles(request)
    try {
      const response =
        req.path === graphqlRoute && req.method === 'POST' ? await handleGraphql(request) : await handleEndpoints({ config, request })
      // A preview token is good for reading its own document only: a refused token, or a valid one
      // used for anything else, gets 401 whatever Payload answered (src/preview/session.ts).
      const previewRefusal = previewRefusalOf(request, (request as { user?: never }).user)
      if (previewRefusal) {
        await response.body?.cancel()
        return { response: unauthorized(previewRefusal), verdict: verdictOf(request) }
      }
      return { response: await inErrorShape(response), verdict: verdictOf(request) }
    } finally {
      await uploadedFiles.remove()
    }
  }

  /** Payload's GraphQL handler, unless the query must be refused before graphql-js validates it. */
  const runGraphql = async (req: ExpressRequest, body: Buffer | undefined): Promise<Produced> => {
    const request = body && requestOf(body)
    const refusals = request ? refuseBeforeValidation(request.query, graphqlLimits, request.operationName) : []
    if (refusals.length) return { response: refused(refusals), verdict: 'unknown' }
    const produced = await respond(req, body)
    return { ...produced, response: await withRequestErrorStatus(produced.response) }
  }

  /** Through the HTTP cache when there is one; a Response is left for the caller to send. */
  const answer = async (req: ExpressRequest, res: ExpressResponse): Promise<Response | undefined> => {
    if (req.path === graphqlRoute && req.method === 'POST') {
      const produce = () => runGraphql(req, readBodyOf(req))
      if (!httpCache) return (await produce()).response
      const storable = storableGraphqlBody(req)
      return storable ? httpCache.serveGraphql(req, res, storable, produce) : httpCache.serve(req, res, produce)
    }
    if (!httpCache) return (await respond(req)).response
    return httpCache.serve(req, res, () => respond(req))
  }

  return async (req: ExpressRequest, res: ExpressResponse, next: NextFunction) => {
    if (req.path !== apiRoute && !req.path.startsWith(`${apiRoute}/`)) return next()
    if (LEFT_TO_NEXT.some((pattern) => pattern.test(req.path))) return next()
    // The Fetch API refuses to make a Request of TRACE, TRACK or CONNECT at all.
    if (!API_METHOD_SET.has(req.method)) return methodNotAllowed(req, res)
    if (req.path === graphqlRoute && req.method !== 'POST' && req.method !== 'OPTIONS') return graphqlTakesPost(res)
    try {
      const response = await answer(req, res)
      const rewrite = answerRewrites.get(res)
      if (response) await sendWebResponse(req, res, rewrite ? await rewrite(response) : response)
    } catch (error) {
      // What Payload's handlers throw instead of answering (GraphQL's reading of a malformed body):
      // the client's mistake gets a 400 in the error shape rather than express's HTML 500.
      const classified = classifyBadInput(error) ?? clientErrorOf(error)
      if (!classified || res.headersSent) return next(error)
      logger?.warn({ method: req.method, url: req.path, status: classified.status }, classified.message)
      res.status(classified.status).json({ errors: [{ message: classified.message }] })
    }
  }
}
