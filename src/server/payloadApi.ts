import { Readable } from 'node:stream'
import type { ReadableStream as NodeReadableStream } from 'node:stream/web'

import { GRAPHQL_POST } from '@payloadcms/next/routes'
import type { NextFunction, Request as ExpressRequest, Response as ExpressResponse } from 'express'
import type { SanitizedConfig } from 'payload'
import { handleEndpoints } from 'payload'

import { graphqlLimitsFromEnv, refuseBeforeValidation } from '../graphql/guards'

import type { HttpCache } from './httpCache'

/**
 * Payload's REST and GraphQL handlers are Web-standard (Request in, Response out); Next's route
 * files only wrap them. Express hands /api/* to them directly, which skips Next's routing, its
 * request adaptation and its response rendering on the hot path of every site. What stays with
 * Next: the GraphQL playground (development only) and the OG image route, which need Next itself.
 */
const LEFT_TO_NEXT = [/^\/api\/graphql-playground(\/|$)/, /^\/api\/og(\/|$)/]

const BODYLESS_METHODS = new Set(['GET', 'HEAD'])

/** The Web Request Payload's handlers take, streaming the body unless it has been read already. */
export const toWebRequest = (req: ExpressRequest, readBody?: Buffer): Request => {
  const headers = new Headers()
  for (let k = 0; k < req.rawHeaders.length; k += 2) headers.append(req.rawHeaders[k], req.rawHeaders[k + 1])
  const url = `${req.protocol}://${req.get('host') ?? 'localhost'}${req.originalUrl}`
  // Payload routes HEAD nowhere: it is answered as the GET it stands for, without the body.
  const method = req.method === 'HEAD' ? 'GET' : req.method
  if (BODYLESS_METHODS.has(method)) return new Request(url, { method, headers })
  if (readBody) return new Request(url, { method, headers, body: new Uint8Array(readBody) })
  return new Request(url, {
    method,
    headers,
    body: Readable.toWeb(req) as ReadableStream,
    // Required by undici for a streamed request body.
    duplex: 'half',
  } as RequestInit)
}

/** Status, headers (every Set-Cookie kept apart) and the body, streamed. */
export const sendWebResponse = async (req: ExpressRequest, res: ExpressResponse, response: Response) => {
  res.status(response.status)
  response.headers.forEach((value, name) => {
    if (name !== 'set-cookie') res.setHeader(name, value)
  })
  const cookies = response.headers.getSetCookie()
  if (cookies.length) res.setHeader('set-cookie', cookies)
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

const graphqlTakesPost = (res: ExpressResponse) =>
  res
    .status(405)
    .set('Allow', 'POST, OPTIONS')
    .json({
      errors: [
        { message: 'The GraphQL endpoint takes POST requests with a JSON body: {"query": "...", "variables": {...}}.' },
      ],
    })

/** Answers of GraphQL bodies up to this size may be stored and found again by their body. */
const GRAPHQL_STORED_BODY_BYTES = 64 * 1024

/** A GraphQL body is read before Payload sees it: its query is checked first, and it may key a stored answer. */
const readBody = async (req: ExpressRequest): Promise<Buffer> => {
  const chunks: Buffer[] = []
  for await (const chunk of req) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks)
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

/** Express middleware: /api/* into Payload's own handlers; anything left to Next goes on. */
export const payloadApi = (config: SanitizedConfig, httpCache?: HttpCache) => {
  const apiRoute = config.routes.api
  const graphqlRoute = `${apiRoute}${config.routes.graphQL}`
  const handleGraphql = GRAPHQL_POST(config)
  const graphqlLimits = graphqlLimitsFromEnv()

  /** Payload's GraphQL handler, unless the query must be refused before graphql-js validates it. */
  const runGraphql = async (req: ExpressRequest, body: Buffer): Promise<Response> => {
    const request = requestOf(body)
    const refusals = request ? refuseBeforeValidation(request.query, graphqlLimits, request.operationName) : []
    if (refusals.length) return refused(refusals)
    return withRequestErrorStatus(await handleGraphql(toWebRequest(req, body)))
  }

  const answerGraphql = async (req: ExpressRequest, res: ExpressResponse): Promise<Response | undefined> => {
    const body = await readBody(req)
    const produce = () => runGraphql(req, body)
    if (!httpCache) return produce()
    return body.length > GRAPHQL_STORED_BODY_BYTES ? httpCache.serve(req, res, produce) : httpCache.serveGraphql(req, res, body, produce)
  }

  /** Through the HTTP cache when there is one; a Response is left for the caller to send. */
  const answer = async (req: ExpressRequest, res: ExpressResponse): Promise<Response | undefined> => {
    if (req.path === graphqlRoute && req.method === 'POST') return answerGraphql(req, res)
    const respond = () => handleEndpoints({ config, request: toWebRequest(req) })
    return httpCache ? httpCache.serve(req, res, respond) : respond()
  }

  return async (req: ExpressRequest, res: ExpressResponse, next: NextFunction) => {
    if (req.path !== apiRoute && !req.path.startsWith(`${apiRoute}/`)) return next()
    if (LEFT_TO_NEXT.some((pattern) => pattern.test(req.path))) return next()
    if (req.path === graphqlRoute && req.method !== 'POST' && req.method !== 'OPTIONS') return graphqlTakesPost(res)
    try {
      const response = await answer(req, res)
      if (response) await sendWebResponse(req, res, response)
    } catch (error) {
      next(error)
    }
  }
}
