import { randomUUID } from 'node:crypto'
import fs from 'node:fs'
import type { ServerResponse } from 'node:http'
import path from 'node:path'
import { pipeline, Readable } from 'node:stream'

import type { RequestHandler } from 'express'
import fresh from 'fresh'
import type { Payload } from 'payload'
import { headersWithCors } from 'payload'
import parseRange from 'range-parser'
import send from 'send'

import { fileVersionOf, signatureOf } from '../media/fileVersion'
import type { FileVersion } from '../media/fileVersion'
import type { MediaLookup } from '../media/lookup'
import type { MediaStorage } from '../media/storage'
import type { TransformSettings } from '../media/transforms'
import {
  TransformRefused,
  TransformsBusy,
  asksForTransform,
  createTransformStore,
  mimeTypeOfTransform,
  parseTransform,
  transformSettingsFromEnv,
} from '../media/transforms'
import { MEDIA_VERSION_PARAMETER } from '../media/versionedMediaUrl'
import { IMMUTABLE } from './cache/httpCache'
import type { Client } from './proxyTrust'
import type { RateLimiter } from './rateLimit'
import { applyRateLimitVerdict } from './rateLimit'
import type { Readers } from './readers'

/** A URL that names the bytes (`?v=`, src/media/versionedMediaUrl.ts) keeps them for good. */
export const MEDIA_IMMUTABLE = `public, ${IMMUTABLE}`

export type MediaFileSettings = {
  /** Cache-Control of a file asked for without its current version (a bare or an outdated URL). */
  cacheControl: string
  transforms: TransformSettings
}

export const mediaFileSettingsFromEnv = (env: Record<string, string | undefined>): MediaFileSettings => ({
  cacheControl: env.MEDIA_CACHE_CONTROL?.trim() || 'public, no-cache',
  transforms: transformSettingsFromEnv(env),
})

/** Seconds a client is asked to wait when every render slot and queue place is taken. */
const TRANSFORMS_RETRY_AFTER = '2'

/**
 * Added to the API's policy (src/server/securityHeaders.ts): a file opened on its own runs no script
 * and has no origin, whatever its type turns out to be (the collection takes raster images only; SVG,
 * which can carry script, is refused at upload, and a type that is not one of those is an attachment).
 */
const SANDBOX = 'sandbox'
/** Types a browser shows as a picture and never runs. */
const INLINE_TYPES = new Set(['image/jpeg', 'image/png', 'image/webp', 'image/avif', 'image/gif'])
/** More ranges than this in one request is a waste of parts (or an attempt to make many): the whole file is sent. */
const MAX_RANGES = 16

/** Headers that describe the file, set before `send` may still refuse it. */
const FILE_HEADERS = ['etag', 'last-modified', 'cache-control', 'content-type', 'content-disposition', 'accept-ranges', 'content-range', 'content-length']

const refuse = (res: ServerResponse, status: number, message: string, headers: Record<string, string> = {}) => {
  for (const name of FILE_HEADERS) res.removeHeader(name)
  const body = JSON.stringify({ errors: [{ message }] })
  res.statusCode = status
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value)
  res.setHeader('Cache-Control', 'no-store')
  res.setHeader('Content-Type', 'application/json; charset=utf-8')
  res.setHeader('Content-Length', Buffer.byteLength(body))
  res.end(res.req.method === 'HEAD' ? undefined : body)
}

/**
 * The file name in the request's path (after the route's mount point), decoded: `null` when the path
 * is not a valid URL encoding, `undefined` for a name no stored file can have (a way out of the folder,
 * a hidden file, a NUL), which is answered like any other name that names nothing.
 */
const fileNameOf = (url: string): string | null | undefined => {
  const raw = url.split('?', 1)[0].replace(/^\//, '')
  let name: string
  try {
    name = decodeURIComponent(raw)
  } catch {
    return null
  }
  // Payload stores plain names: anything that could leave the folder or name a hidden file is no stored file.
  if (!name || name.startsWith('.') || /[/\\\0]/.test(name) || name !== path.basename(name)) return undefined
  return name
}

const multipartBoundary = () => `greenroom-${randomUUID()}`

/**
 * Several ranges in one 206 (`multipart/byteranges`, RFC 9110 14.6), which `send` answers with the
 * whole file. Only asked when the request's preconditions hold: the caller checked freshness and
 * If-Range; a request with If-Match or If-Unmodified-Since goes to `send`, which judges those.
 */
const sendRanges = (
  res: ServerResponse,
  filePath: string,
  ranges: parseRange.Ranges,
  size: number,
  type: string,
  head: boolean,
) => {
  const boundary = multipartBoundary()
  const parts = ranges.map(
    ({ start, end }) =>
      Buffer.from(`\r\n--${boundary}\r\nContent-Type: ${type}\r\nContent-Range: bytes ${start}-${end}/${size}\r\n\r\n`),
  )
  const closing = Buffer.from(`\r\n--${boundary}--\r\n`)
  const length =
    parts.reduce((total, part) => total + part.length, 0) +
    ranges.reduce((total, { start, end }) => total + end - start + 1, 0) +
    closing.length
  res.statusCode = 206
  res.setHeader('Content-Type', `multipart/byteranges; boundary=${boundary}`)
  res.setHeader('Content-Length', length)
  if (head) return res.end()
  const body = async function* () {
    for (const [k, { start, end }] of ranges.entries()) {
      yield parts[k]
      for await (const chunk of fs.createReadStream(filePath, { start, end })) yield chunk as Buffer
    }
    yield closing
  }
  pipeline(Readable.from(body()), res, (error) => {
    if (error) res.destroy()
  })
}

/**
 * `GET|HEAD <api>/media/file/:filename` as a CDN's origin should answer it, in front of Payload's own
 * file route (which sends no validators, answers no conditional request and counts against the API's
 * rate limit): only files of media documents the public may read (src/media/lookup.ts); a strong
 * ETag (the bytes' SHA-256) and Last-Modified; 304 on If-None-Match / If-Modified-Since; Range with
 * one or several ranges, If-Range, 416; `immutable` for a URL that names the current bytes; the media
 * rate limit. Conditional requests, single ranges and the file itself are `send`'s (express's own
 * static-file sender). A file whose document the public may not read, asked with credentials, goes on
 * to Payload, which decides for that user.
 */
export const mediaFiles = ({
  payload,
  storage,
  lookup,
  limiter,
  client,
  readers,
  settings,
}: {
  payload: Payload
  storage: MediaStorage
  lookup: MediaLookup
  limiter: RateLimiter
  client: Client
  readers: Readers
  settings: MediaFileSettings
}): RequestHandler => {
  const transforms = createTransformStore(storage.directory, settings.transforms)
  const cors = payload.config.cors
  const corsVaries = Boolean(cors) && cors !== '*' && !(typeof cors === 'object' && !Array.isArray(cors) && cors.origins === '*')

  return (req, res, next) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next()
    void (async () => {
      if (applyRateLimitVerdict(res, await limiter.admitMediaFile(client.addressOf(req)))) return
      const filename = fileNameOf(req.url)
      if (filename === null) return refuse(res, 400, 'The file name in the URL is not validly encoded.')
      if (filename === undefined) return refuse(res, 404, 'There is no such file in media.')
      // On disk a name that is no file costs a stat, not a query (the stat a revalidation needs
      // anyway). In a bucket the database goes first: its answers are kept, and the document's
      // updatedAt lets this instance keep what the bucket said about the file (src/media/storage/s3.ts).
      if (storage.kind === 'disk' && !(await storage.localFile(filename))) {
        return refuse(res, 404, `There is no file "${filename}" in media.`)
      }
      const file = await lookup.publicFile(filename)
      if (!file) {
        if (readers.of(req).kind === 'credentialed' && (await lookup.anyDocumentNames(filename))) return next()
        return refuse(res, 404, `There is no file "${filename}" in media.`)
      }
      const filePath = await storage.localFile(filename, file.updatedAt)
      if (!filePath) return refuse(res, 404, `There is no file "${filename}" in media.`)
      // The hash is taken once per version of the local file.
      let version: FileVersion
      try {
        version = await fileVersionOf(filePath)
      } catch {
        return refuse(res, 404, `There is no file "${filename}" in media.`)
      }
      // What media URLs carry as `?v=` (on disk the same digest; in a bucket, from the object's ETag).
      const urlVersion = storage.kind === 'disk' ? version.version : await storage.versionOf(filename, file.updatedAt)

      // The original, or a transform of it (src/media/transforms.ts): stored under `.transforms/`,
      // rendered on the first request, then served like any file, with its own validators.
      let root = path.dirname(filePath)
      let servedName = path.basename(filePath)
      let servedPath = filePath
      let served = version
      let type = file.mimeType || 'application/octet-stream'
      if (asksForTransform(req.query)) {
        if (!settings.transforms.enabled) return refuse(res, 400, 'Image transforms are turned off on this server (MEDIA_TRANSFORMS=false).')
        if (!file.original) {
          return refuse(res, 400, `"${filename}" is a resized image; transform parameters apply to the original upload only.`)
        }
        let transform
        try {
          transform = parseTransform(req.query, file.mimeType, [MEDIA_VERSION_PARAMETER])
        } catch (error) {
          if (error instanceof TransformRefused) return refuse(res, 400, error.message)
          throw error
        }
        try {
          servedPath = await transforms.pathOf(
            { filename, version: version.version, path: filePath, focus: { focalX: file.focalX, focalY: file.focalY } },
            transform,
          )
        } catch (error) {
          if (error instanceof TransformsBusy) return refuse(res, 503, error.message, { 'Retry-After': TRANSFORMS_RETRY_AFTER })
          throw error
        }
        root = path.dirname(servedPath)
        servedName = path.basename(servedPath)
        served = await fileVersionOf(servedPath)
        type = mimeTypeOfTransform(transform)
      }

      const corsHeaders = headersWithCors({
        headers: new Headers(),
        req: { payload, headers: new Headers(req.headers.origin ? { origin: req.headers.origin } : {}) } as never,
      })
      for (const [name, value] of corsHeaders) res.setHeader(name, value)
      // The CORS headers name the request's Origin: a shared cache keeps one answer per Origin.
      if (corsVaries) res.setHeader('Vary', 'Origin')
      const asked = typeof req.query[MEDIA_VERSION_PARAMETER] === 'string' ? req.query[MEDIA_VERSION_PARAMETER] : undefined
      res.setHeader('Cache-Control', asked !== undefined && asked === urlVersion ? MEDIA_IMMUTABLE : settings.cacheControl)
      res.setHeader('ETag', served.etag)
      res.setHeader('Last-Modified', served.mtime.toUTCString())
      res.setHeader('Content-Security-Policy', `${String(res.getHeader('Content-Security-Policy') ?? "default-src 'none'")}; ${SANDBOX}`)
      res.setHeader('Content-Type', type)
      res.setHeader('Content-Disposition', INLINE_TYPES.has(type) ? 'inline' : 'attachment')
      res.setHeader('Accept-Ranges', 'bytes')

      // An origin server judges If-None-Match and If-Modified-Since whatever the request's Cache-Control
      // says (RFC 9110 13.2.1): `no-cache` there speaks to caches on the way (fetch() adds it to every
      // request that carries a validator), while `fresh`, which `send` asks, plays a cache and would answer 200.
      delete req.headers['cache-control']
      const preconditions = Boolean(req.headers['if-match'] || req.headers['if-unmodified-since'])
      const isFresh = fresh(req.headers, { etag: served.etag, 'last-modified': served.mtime.toUTCString() })
      // The common revalidation answered here: `send` would stat the file again only to say the same.
      // If-Match and If-Unmodified-Since come first (RFC 9110 13.2.2), so requests with them go to `send`.
      if (isFresh && !preconditions) {
        for (const name of ['content-type', 'content-disposition', 'accept-ranges']) res.removeHeader(name)
        res.statusCode = 304
        return res.end()
      }
      const range = req.headers.range
      if (range && !preconditions && !isFresh) {
        const ifRange = String(req.headers['if-range'] ?? '')
        const rangeFresh =
          !ifRange ||
          (ifRange.includes('"') ? ifRange.trim() === served.etag : Date.parse(ifRange) >= Math.floor(served.mtime.getTime() / 1000) * 1000)
        const ranges = rangeFresh ? parseRange(served.size, range, { combine: true }) : -2
        if (Array.isArray(ranges) && ranges.type === 'bytes' && ranges.length > 1 && ranges.length <= MAX_RANGES) {
          return sendRanges(res, servedPath, ranges, served.size, type, req.method === 'HEAD')
        }
        // One range, none that fits, or too many: `send` answers 206, 416 or the whole file.
        if (!rangeFresh || (Array.isArray(ranges) && ranges.length > MAX_RANGES)) delete req.headers.range
      }

      send(req, servedName, {
        root,
        dotfiles: 'deny',
        index: false,
        etag: false,
        lastModified: false,
        cacheControl: false,
        acceptRanges: true,
      })
        .on('headers', (_res: ServerResponse, _path: string, stat: fs.Stats) => {
          // Replaced between the hash and this read: no validator rather than a wrong one.
          if (signatureOf(stat) !== served.signature) {
            res.removeHeader('ETag')
            res.setHeader('Last-Modified', stat.mtime.toUTCString())
            res.setHeader('Cache-Control', 'no-cache')
          }
        })
        .on('error', (error: { status?: number; headers?: Record<string, string> }) => {
          if (res.headersSent) return res.destroy()
          const status = error.status ?? 500
          if (status === 416) {
            return refuse(res, 416, 'The requested range is not satisfiable.', {
              'Content-Range': `bytes */${served.size}`,
            })
          }
          if (status === 412) return refuse(res, 412, 'The file does not match the request\'s preconditions.')
          if (status >= 500) payload.logger.error({ err: error, filename }, 'a media file could not be sent')
          refuse(res, status >= 500 ? 500 : 404, status >= 500 ? 'Something went wrong.' : `There is no file "${filename}" in media.`)
        })
        .pipe(res)
    })().catch((error: unknown) => {
      payload.logger.error({ err: error, url: req.originalUrl }, 'the media route failed')
      if (res.headersSent) res.destroy()
      else refuse(res, 500, 'Something went wrong.')
    })
  }
}
