import { Readable } from 'node:stream'
import type { ReadableStream as NodeReadableStream } from 'node:stream/web'

import { GRAPHQL_POST } from '@payloadcms/next/routes'
import type { NextFunction, Request as ExpressRequest, Response as ExpressResponse } from 'express'
import type { Payload, SanitizedConfig } from 'payload'
import { handleEndpoints } from 'payload'

import { classifyBadInput } from '../badInput/answerBadInput'
import { inErrorShape } from '../badInput/errorShape'
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

/**
 * GraphQL bodies up to this size are read before Payload sees them, so that a query's answer can be
 * stored and found again by its body; larger ones, and bodies of unknown length, stream through.
 */
const GRAPHQL_BODY_READ_BYTES = 64 * 1024

const readSmallBody = async (req: ExpressRequest): Promise<Buffer | undefined> => {
  const length = Number(req.headers['content-length'])
  if (!Number.isInteger(length) || length > GRAPHQL_BODY_READ_BYTES) return undefined
  const chunks: Buffer[] = []
  for await (const chunk of req) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks)
}

/** Express middleware: /api/* into Payload's own handlers; anything left to Next goes on. */
export const payloadApi = (config: SanitizedConfig, httpCache?: HttpCache, logger?: Payload['logger']) => {
  const apiRoute = config.routes.api
  const graphqlRoute = `${apiRoute}${config.routes.graphQL}`
  const handleGraphql = GRAPHQL_POST(config)

  const respond = (req: ExpressRequest): Promise<Response> => {
    const request = toWebRequest(req)
    if (req.path === graphqlRoute && req.method === 'POST') return handleGraphql(request).then(inErrorShape)
    return handleEndpoints({ config, request }).then(inErrorShape)
  }

  /** Through the HTTP cache when there is one; a Response is left for the caller to send. */
  const answer = async (req: ExpressRequest, res: ExpressResponse): Promise<Response | undefined> => {
    if (!httpCache) return respond(req)
    if (req.path === graphqlRoute && req.method === 'POST') {
      const body = await readSmallBody(req)
      if (body) return httpCache.serveGraphql(req, res, body, () => handleGraphql(toWebRequest(req, body)).then(inErrorShape))
    }
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
      if (response) await sendWebResponse(req, res, response)
    } catch (error) {
      // What Payload's handlers throw instead of answering (GraphQL's reading of a malformed body):
      // the client's mistake gets a 400 in the error shape rather than express's HTML 500.
      const classified = classifyBadInput(error)
      if (!classified || res.headersSent) return next(error)
      logger?.warn({ method: req.method, url: req.path, status: classified.status }, classified.message)
      res.status(classified.status).json({ errors: [{ message: classified.message }] })
    }
  }
}
