import type { IncomingMessage, ServerResponse } from 'node:http'

import type { RequestHandler } from 'express'
import getRawBody from 'raw-body'

import { wholeNumberFromEnv } from '../env'

export type BodyLimits = {
  /** JSON and every other body that is not multipart. */
  jsonBytes: number
  /** One uploaded file. */
  uploadBytes: number
  /** A whole multipart request: the file, the `_payload` field (a JSON body) and room for the framing. */
  multipartBytes: number
}

const KB = 1024
const MB = 1024 * KB

/**
 * API_MAX_JSON_BODY_KB defaults to 1 MB: what Payload's multipart parser already allowed the admin
 * panel's `_payload` field (its saves are multipart) and what Next allows the admin's server
 * functions, so no document an editor can save today is refused. MEDIA_MAX_UPLOAD_MB defaults to
 * Payload's own 20 MB per file.
 */
export const bodyLimitsFromEnv = (env: Record<string, string | undefined>): BodyLimits => {
  const jsonBytes = wholeNumberFromEnv(env, 'API_MAX_JSON_BODY_KB', 1024, 1) * KB
  const uploadBytes = wholeNumberFromEnv(env, 'MEDIA_MAX_UPLOAD_MB', 20, 1) * MB
  return { jsonBytes, uploadBytes, multipartBytes: uploadBytes + jsonBytes + 64 * KB }
}

export const jsonTooLargeMessage = ({ jsonBytes }: BodyLimits) =>
  `The request body is larger than ${jsonBytes / KB} KB, the most this server accepts outside uploads (API_MAX_JSON_BODY_KB).`

export const uploadTooLargeMessage = ({ uploadBytes }: BodyLimits) =>
  `The file is larger than ${uploadBytes / MB} MB, the most this server accepts for an upload (MEDIA_MAX_UPLOAD_MB).`

const BODYLESS_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])

export const isMultipart = (req: IncomingMessage) => /^multipart\//i.test(req.headers['content-type'] ?? '')

const hasBody = (req: IncomingMessage) =>
  req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0

/** How long a refused request may go on sending its body (read and thrown away) before its connection is closed. */
const DISCARD_MS = 5_000

/**
 * After an answer sent before the whole body arrived: the rest is read and thrown away, never
 * kept, so that the client, still sending, gets to read the answer (closing at once would reset
 * the connection under it and lose the answer); a client that goes on too long is cut off.
 */
export const discardRestOfBody = (req: IncomingMessage) => {
  if (req.complete || req.destroyed) return
  const cutOff = setTimeout(() => req.socket.destroy(), DISCARD_MS)
  cutOff.unref()
  req.once('end', () => clearTimeout(cutOff))
  req.once('close', () => clearTimeout(cutOff))
  req.resume()
}

export const refuseBody = (req: IncomingMessage, res: ServerResponse, status: number, message: string) => {
  const body = JSON.stringify({ errors: [{ message }] })
  res.statusCode = status
  res.setHeader('Cache-Control', 'no-store')
  res.setHeader('Content-Type', 'application/json; charset=utf-8')
  res.setHeader('Content-Length', Buffer.byteLength(body))
  res.end(body)
  discardRestOfBody(req)
}

const readBodies = new WeakMap<IncomingMessage, Promise<Buffer>>()

/**
 * A request's non-multipart body, at most `jsonBytes` of it, read once: the stored-answer lane reads
 * a GraphQL body to look its answer up, and a request it passes on to express is not read again here.
 * Refusals (too large, shorter than its Content-Length, aborted) are raw-body's errors, the same
 * to whichever reader asks.
 */
export const readBodyOnce = (req: IncomingMessage, limits: BodyLimits): Promise<Buffer> => {
  let body = readBodies.get(req)
  if (!body) {
    body = getRawBody(req, { length: req.headers['content-length'], limit: limits.jsonBytes })
    readBodies.set(req, body)
  }
  return body
}

/**
 * Reads each API request's body before Payload sees it, within the caps: a declared Content-Length
 * over the cap is refused unread, and a chunked body is counted as it arrives and refused once past
 * the cap (raw-body, the reader body-parser uses). Non-multipart bodies are read here, at most
 * `jsonBytes` of them, and handed on as `req.body`. Multipart bodies stream on to Payload, whose
 * parser counts file, field and request sizes against the same settings (see uploadLimitsPlugin).
 */
export const readApiBodies =
  (limits: BodyLimits, logger: { warn: (obj: object, msg: string) => void }): RequestHandler =>
  (req, res, next) => {
    if (BODYLESS_METHODS.has(req.method) || !hasBody(req)) return next()
    if (isMultipart(req)) {
      if (Number(req.headers['content-length']) > limits.multipartBytes) {
        logger.warn({ url: req.originalUrl, contentLength: req.headers['content-length'] }, 'upload refused: over the size limit')
        return refuseBody(req, res, 413, uploadTooLargeMessage(limits))
      }
      return next()
    }
    readBodyOnce(req, limits).then(
      (body) => {
        req.body = body
        next()
      },
      (error: getRawBody.RawBodyError) => {
        if (error.type === 'request.aborted') return
        if (error.type === 'entity.too.large') {
          logger.warn({ url: req.originalUrl, contentLength: req.headers['content-length'] }, 'request body refused: over the size limit')
          return refuseBody(req, res, 413, jsonTooLargeMessage(limits))
        }
        if (error.type === 'request.size.invalid') {
          return refuseBody(req, res, 400, 'The request body is shorter or longer than its Content-Length says.')
        }
        next(error)
      },
    )
  }
