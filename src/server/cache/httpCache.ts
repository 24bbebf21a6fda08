import { createHash } from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'

import type { Payload } from 'payload'

import { ConfigurationError } from '../../env'
import { apiRouteOf, cacheTagHeader, tagsOfAnswer } from '../../changes/cacheTags'
import type { ContentVersion } from '../../changes/contentVersion'
import { coalesceReads, readContentVersion } from '../../changes/contentVersion'
import { hasGraphqlErrors, isStorableGraphqlRead } from './graphqlReads'
import { entityTag, lastModifiedOf, sendGraphqlAnswer, sendStoredAnswer } from './validators'
import type { PayloadVerdict, Reader, Readers } from '../readers'

export type HttpCacheSettings = {
  /** Cache-Control of anonymous reads: browsers revalidate, shared caches keep them a while. */
  publicCacheControl: string
  /** Bytes of answers kept in this process; 0 turns the response cache off (headers and 304s stay). */
  responseCacheBytes: number
}

export const DEFAULT_PUBLIC_CACHE_CONTROL = 'public, max-age=0, s-maxage=60, stale-while-revalidate=300'

export const httpCacheSettingsFromEnv = (env: Record<string, string | undefined>): HttpCacheSettings => {
  const megabytes =
    env.API_RESPONSE_CACHE_MB === undefined || env.API_RESPONSE_CACHE_MB === '' ? 64 : Number(env.API_RESPONSE_CACHE_MB)
  if (!Number.isFinite(megabytes) || megabytes < 0) {
    throw new ConfigurationError(
      `API_RESPONSE_CACHE_MB "${env.API_RESPONSE_CACHE_MB}" is not a size in megabytes (0 turns the cache off).`,
    )
  }
  return {
    publicCacheControl: env.API_CACHE_CONTROL?.trim() || DEFAULT_PUBLIC_CACHE_CONTROL,
    responseCacheBytes: Math.round(megabytes * 1024 * 1024),
  }
}

/** The URL as the request arrived: express rewrites `url` while it routes and keeps the original. */
const arrivedUrl = (req: IncomingMessage) =>
  (req as IncomingMessage & { originalUrl?: string }).originalUrl ?? req.url ?? ''

/** As express's query parser reads it: a repeated parameter counts by its first value. */
export const asksForDrafts = (url: string) => {
  const query = url.indexOf('?')
  if (query === -1) return false
  // Asked of every read: only a query that names `draft`, plainly or percent-encoded, is parsed.
  if (!url.includes('draft', query) && !url.includes('%', query)) return false
  const draft = new URLSearchParams(url.slice(query + 1)).get('draft')
  return draft !== null && draft !== 'false'
}

export const PRIVATE_NO_STORE = 'private, no-store'
/** An API key's answers: a client may keep and revalidate them, a shared cache must not. */
const API_KEY_CACHE_CONTROL = 'private, no-cache'
/** A public answer its route marks `no-cache`: any cache may keep it, but must ask (an ETag, a cheap 304) before each use. */
export const PUBLIC_REVALIDATED = 'public, no-cache'
/** An answer its route marks `immutable`: the same URL never needs asking again (a past page of /api/sync). */
export const IMMUTABLE = 'max-age=31536000, immutable'

/** What a route said of its answer's lifetime, in its own Cache-Control; the reader decides public or private. */
type RouteLifetime = 'default' | 'revalidate' | 'immutable'
const routeLifetimeOf = (cacheControl: string): RouteLifetime =>
  /(^|,)\s*immutable\s*(,|$)/i.test(cacheControl)
    ? 'immutable'
    : /(^|,)\s*no-cache\s*(,|$)/i.test(cacheControl)
      ? 'revalidate'
      : 'default'

type CachedAnswer = {
  headers: [string, string][]
  body: Buffer
  etag: string
  tags: string
  /**
   * `revalidate`: the route asked (`Cache-Control: no-cache`) that no cache use this answer without
   * asking first: `/api/sync` at the head, whose answer changes with the next change, and which a
   * build calls right after that change (a CDN holding it for `s-maxage` would tell that build nothing
   * changed). `immutable`: a past page of `/api/sync`, right to reuse for as long as a cache likes.
   */
  lifetime: RouteLifetime
}

/** Answers of one content version, least recently used first out; a new version empties it. */
class AnswerStore {
  private version: string | undefined
  private answers = new Map<string, CachedAnswer>()
  private bytes = 0

  constructor(private readonly maxBytes: number) {}

  get(version: string, key: string): CachedAnswer | undefined {
    if (version !== this.version) return undefined
    const answer = this.answers.get(key)
    if (answer) {
      this.answers.delete(key)
      this.answers.set(key, answer)
    }
    return answer
  }

  set(version: string, key: string, answer: CachedAnswer) {
    if (answer.body.length > this.maxBytes / 8) return
    if (version !== this.version) {
      this.version = version
      this.answers.clear()
      this.bytes = 0
    }
    const previous = this.answers.get(key)
    if (previous) this.bytes -= previous.body.length
    this.answers.set(key, answer)
    this.bytes += answer.body.length
    for (const [oldest, { body }] of this.answers) {
      if (this.bytes <= this.maxBytes) break
      this.answers.delete(oldest)
      this.bytes -= body.length
    }
  }
}

/**
 * A private answer stays `private, no-store`: the Cache-Control a route sets for its public answers
 * (`no-cache` on /api/sync) would otherwise replace it when Payload's headers are copied on.
 */
const keptPrivate = (res: ServerResponse, response: Response): Response => {
  if (res.getHeader('Cache-Control') !== PRIVATE_NO_STORE || !response.headers.has('cache-control')) return response
  const headers = new Headers(response.headers)
  headers.delete('cache-control')
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers })
}

/** application/json, or a JSON-based type such as GraphQL's application/graphql-response+json. */
const JSON_MEDIA_TYPE = /^application\/([\w.-]+\+)?json\s*(;|$)/i
/** Plain text: files builds read as they are, such as Netlify's `_redirects` (/api/redirects/export/netlify). */
const TEXT_MEDIA_TYPE = /^text\/plain\s*(;|$)/i

/** Payload's headers kept on a cached answer: what describes the body, not this one request. */
const STORED_HEADERS = new Set(['content-type', 'content-language'])

/** RFC 9211 Cache-Status: whether this server's response store had the answer. */
const HIT = 'greenroom; hit'
const MISS = 'greenroom; fwd=miss'
const BYPASS = 'greenroom; fwd=bypass'

export type HttpCache = ReturnType<typeof createHttpCache>

/**
 * Payload's answer to a request, and who Payload's authentication decided the request was. `tags`:
 * an answer of Greenroom's own outside the API (the sitemap, feeds: src/siteOutputs/), whose route
 * names what it shows, since its body is no API answer to read them from; it is kept whatever its
 * media type.
 */
export type Produced = { response: Response; verdict: PayloadVerdict; tags?: Iterable<string> }

/**
 * Whose answer Payload made, if it may be stored: a request that carries nothing that could sign
 * anyone in and that Payload also found no user for shares the public answers; credentials that
 * Payload found to be an API key keep answers of their own. Anything else (an editor, credentials
 * Payload refused, a verdict it did not give) is nobody's to store.
 */
const storedAs = (reader: Reader, verdict: PayloadVerdict): 'public' | 'apiKey' | undefined => {
  if (reader.kind === 'anonymous') return verdict === 'anonymous' ? 'public' : undefined
  return verdict === 'apiKey' ? 'apiKey' : undefined
}

/**
 * HTTP caching for the REST API's reads. Anonymous readers share one public answer; an API key
 * gets validators but no shared caching, since its answers depend on its user's access; an editor,
 * any request with credentials Payload did not accept as an API key, and any draft read get
 * `private, no-store`. Who is who is Payload's verdict on the request (src/server/readers.ts). Anonymous and API-key GETs of JSON get a strong ETag,
 * Last-Modified (the content version's time), 304s on If-None-Match / If-Modified-Since,
 * Cache-Control and Cache-Tag / Surrogate-Key (src/changes/cacheTags.ts). Their answers are also
 * kept in this process under the content version read from the database for each request, so a
 * write on any instance retires them at once; a read answered from here skips Payload entirely.
 */
export const createHttpCache = (payload: Payload, settings: HttpCacheSettings, readers: Readers) => {
  const store = new AnswerStore(settings.responseCacheBytes)
  const readVersion = coalesceReads(() => readContentVersion(payload).catch(() => null))
  // One read per request: the lane's read serves the express path too when the lane passes it on.
  const versions = new WeakMap<IncomingMessage, Promise<ContentVersion | null>>()
  const versionFor = (req: IncomingMessage) => {
    let version = versions.get(req)
    if (!version) versions.set(req, (version = readVersion()))
    return version
  }
  const apiRoute = payload.config.routes.api
  const storing = settings.responseCacheBytes > 0

  /** Only answers Payload made for the same kind of reader are ever in the store (see `storedAs`). */
  const cacheControlFor = (reader: Reader, { lifetime }: CachedAnswer) => {
    if (lifetime === 'immutable') return `${reader.kind === 'anonymous' ? 'public' : 'private'}, ${IMMUTABLE}`
    if (reader.kind !== 'anonymous') return API_KEY_CACHE_CONTROL
    return lifetime === 'revalidate' ? PUBLIC_REVALIDATED : settings.publicCacheControl
  }

  const send = (
    req: IncomingMessage,
    res: ServerResponse,
    answer: CachedAnswer,
    reader: Reader,
    version: ContentVersion | null,
    cacheStatus: string,
  ) =>
    sendStoredAnswer(req, res, answer, {
      cacheStatus,
      cacheControl: cacheControlFor(reader, answer),
      lastModified: version ? lastModifiedOf(version) : undefined,
    })

  const isStorable = (response: Response, anyMediaType = false) =>
    response.status === 200 &&
    // An answer made for this moment only (a form's fill-time token).
    !/\bno-store\b/i.test(response.headers.get('cache-control') ?? '') &&
    (anyMediaType ||
      JSON_MEDIA_TYPE.test(response.headers.get('content-type') ?? '') ||
      TEXT_MEDIA_TYPE.test(response.headers.get('content-type') ?? '')) &&
    response.headers.getSetCookie().length === 0

  /** `apiPath` names the REST route read, for the cache tags; a GraphQL answer has none. */
  const answerOf = async (response: Response, apiPath?: string, ownTags?: Iterable<string>): Promise<CachedAnswer> => {
    const body = Buffer.from(await response.arrayBuffer())
    const route = apiPath === undefined ? undefined : apiRouteOf(payload, apiPath)
    let tags = ownTags ? cacheTagHeader(ownTags) : ''
    if (route && !ownTags) {
      try {
        tags = cacheTagHeader(tagsOfAnswer(payload, route, JSON.parse(body.toString('utf8'))))
      } catch {
        // Not JSON after all: no tags, the answer is still what Payload sent.
      }
    }
    // Payload's CORS headers depend on the request's Origin, which is part of the store's key.
    const headers = [...response.headers].filter(
      ([name]) => STORED_HEADERS.has(name) || name.startsWith('access-control-'),
    )
    const lifetime = routeLifetimeOf(response.headers.get('cache-control') ?? '')
    return { headers, body, etag: entityTag(body), tags, lifetime }
  }

  const isCacheableRead = (req: IncomingMessage) =>
    (req.method === 'GET' || req.method === 'HEAD') && !asksForDrafts(arrivedUrl(req))

  /**
   * Everything an answer may depend on: the URL as it arrived, who asks (the public, or one set of
   * credentials), the Origin (CORS headers) and the Host.
   */
  const keyOf = (req: IncomingMessage, reader: Reader) =>
    [
      arrivedUrl(req),
      reader.kind === 'credentialed' ? reader.fingerprint : '',
      req.headers.origin ?? '',
      req.headers.host ?? '',
    ].join('\n')

  /**
   * The stored answer to this read under the database's current content version, if there is one.
   * Made for the lane in front of express (storedAnswerLane.ts), which answers with it. A GraphQL
   * request comes with its body, which the lane has read; its answer goes out as serveGraphql's does.
   */
  const storedAnswerFor = async (req: IncomingMessage, graphqlBody?: Buffer) => {
    if (!storing || (graphqlBody ? req.method !== 'POST' : !isCacheableRead(req))) return undefined
    const reader = readers.of(req)
    const version = await versionFor(req)
    const key = graphqlBody ? graphqlKeyOf(req, reader, graphqlBody) : keyOf(req, reader)
    const answer = version ? store.get(version.version, key) : undefined
    if (!answer) return undefined
    return {
      send: graphqlBody
        ? (res: ServerResponse) => {
            res.setHeader('Cache-Control', PRIVATE_NO_STORE)
            sendGraphqlAnswer(res, answer, HIT)
          }
        : (res: ServerResponse) => send(req, res, answer, reader, version, HIT),
    }
  }

  /**
   * Answers a read, from the store or from `produce` (Payload's handler). Returns the Response when
   * it is not a cacheable answer (an error, a file, a redirect), for the caller to send as it is.
   */
  const produceAndRemember = async (req: IncomingMessage, produce: () => Promise<Produced>) => {
    const produced = await produce()
    readers.remember(req, produced.verdict)
    return produced
  }

  const serve = async (
    req: IncomingMessage,
    res: ServerResponse,
    produce: () => Promise<Produced>,
  ): Promise<Response | undefined> => {
    const reader = readers.of(req)
    // Private until Payload says these credentials are an API key's.
    if (reader.kind === 'credentialed' || !isCacheableRead(req)) res.setHeader('Cache-Control', PRIVATE_NO_STORE)
    if (!isCacheableRead(req)) return keptPrivate(res, (await produceAndRemember(req, produce)).response)
    // The version is read before the answer is made: an answer stored under it is at least as new.
    const version = await versionFor(req)
    const key = keyOf(req, reader)
    const stored = version && storing ? store.get(version.version, key) : undefined
    if (stored) {
      send(req, res, stored, reader, version, HIT)
      return undefined
    }
    const { response, verdict, tags } = await produceAndRemember(req, produce)
    if (!storedAs(reader, verdict)) {
      res.setHeader('Cache-Control', PRIVATE_NO_STORE)
      return keptPrivate(res, response)
    }
    if (!isStorable(response, tags !== undefined)) return keptPrivate(res, response)
    const path = arrivedUrl(req).split('?', 1)[0]
    const answer = tags ? await answerOf(response, undefined, tags) : await answerOf(response, path.slice(apiRoute.length))
    if (version && storing) store.set(version.version, key, answer)
    send(req, res, answer, reader, version, storing ? MISS : BYPASS)
    return undefined
  }

  /**
   * Everything a GraphQL answer may depend on: what a REST read's does (the URL, from which Payload
   * also takes `locale`, the reader, Origin and Host), and the body (query, variables, operation), the
   * Accept header (graphql-http picks the answer's media type by it) and the body's Content-Type.
   */
  const graphqlKeyOf = (req: IncomingMessage, reader: Reader, body: Buffer) =>
    [
      keyOf(req, reader),
      createHash('sha256').update(body).digest('base64url'),
      req.headers.accept ?? '',
      req.headers['content-type'] ?? '',
    ].join('\n')

  /**
   * Answers a GraphQL request, whose body has been read. Static sites and front ends read through
   * GraphQL as much as through REST, but with POST, which no CDN or browser caches: the answers of
   * anonymous and API-key queries are kept here like REST reads, under the same content version, so
   * a write retires them at once. On the wire they stay `private, no-store`. Mutations, drafts, an
   * editor's requests and answers with errors are never stored. Returns the Response when it is not
   * a storable answer, for the caller to send as it is.
   */
  const serveGraphql = async (
    req: IncomingMessage,
    res: ServerResponse,
    body: Buffer,
    produce: () => Promise<Produced>,
  ): Promise<Response | undefined> => {
    res.setHeader('Cache-Control', PRIVATE_NO_STORE)
    const reader = readers.of(req)
    if (!storing || !isStorableGraphqlRead(body)) return (await produceAndRemember(req, produce)).response
    const version = await versionFor(req)
    const key = graphqlKeyOf(req, reader, body)
    const stored = version ? store.get(version.version, key) : undefined
    if (stored) {
      sendGraphqlAnswer(res, stored, HIT)
      return undefined
    }
    const { response, verdict } = await produceAndRemember(req, produce)
    if (!storedAs(reader, verdict) || !isStorable(response)) return response
    const answer = await answerOf(response)
    if (hasGraphqlErrors(answer.body)) {
      sendGraphqlAnswer(res, answer)
      return undefined
    }
    if (version) store.set(version.version, key, answer)
    sendGraphqlAnswer(res, answer, MISS)
    return undefined
  }

  return { serve, serveGraphql, storedAnswerFor }
}
