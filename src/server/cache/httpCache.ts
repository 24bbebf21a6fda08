import { createHash } from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'

import type { Payload } from 'payload'

import { ConfigurationError } from '../../env'
import type { ApiRoute } from '../../changes/cacheTags'
import { apiRouteOf, cacheTagHeader, collectionTag, documentTag, globalTag } from '../../changes/cacheTags'
import { changeFeedFor } from '../../changes/changeFeed'
import type { ContentVersion } from '../../changes/contentVersion'
import { contentVersionReaderFor, withRequestVersion } from '../../changes/contentVersion'
import type { Dependencies, Dependency } from '../../changes/dependencies'
import { collectDependencies, mergeDependencies } from '../../changes/dependencies'
import { graphqlDependencies, restDependencies } from './answerDependencies'
import { createDependentCache } from './dependentCache'
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
/** A miss that waited for another request's render of the same answer (RFC 9211 `collapsed`). */
const COLLAPSED = 'greenroom; fwd=miss; collapsed'

export type HttpCache = ReturnType<typeof createHttpCache>

/** An answer from the store, for the lane to send once the request is admitted. */
export type StoredAnswer = { send: (res: ServerResponse) => void }
const NO_ANSWER: Promise<undefined> = Promise.resolve(undefined)

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
 * The tags a route names for its own answer (src/siteOutputs/: `posts` for every post, `posts:12`,
 * `global:site-settings`), as dependencies: a collection's tag is a query of all its fields.
 */
const dependenciesOfTags = (payload: Payload, tags: Iterable<string>): Dependency[] =>
  [...tags].map((tag) =>
    !tag.includes(':') && payload.collections[tag as keyof Payload['collections']] ? { collection: tag } : tag,
  )

/**
 * The Cache-Tag of a REST answer, from what was shown while Payload made it: the route's own
 * document or global first, a list's or query's collection, then every document shown (populated
 * ones included). Globals read to compute something (the address scheme) are not shown in it.
 */
const tagsOfRoute = (route: ApiRoute, dependencies: Dependencies, findsOne: boolean): string[] => {
  const own =
    route.kind === 'global'
      ? globalTag(route.slug)
      : findsOne && route.id !== undefined
        ? documentTag(route.slug, route.id)
        : collectionTag(route.slug)
  const tags = new Set([own])
  for (const tag of dependencies.shown) if (!tag.startsWith('global:')) tags.add(tag)
  return [...tags]
}

/** A render under way, that misses for the same key may share. */
type Render = {
  /** The feed's position when it started: a request that caught up further must not take its answer. */
  from: number
  /** Its answer, when it is one the store could hold; otherwise each waiting request makes its own. */
  done: Promise<{ answer: CachedAnswer; verdict: PayloadVerdict } | undefined>
}

/**
 * HTTP caching for the REST API's reads. Anonymous readers share one public answer; an API key
 * gets validators but no shared caching, since its answers depend on its user's access; an editor,
 * any request with credentials Payload did not accept as an API key, and any draft read get
 * `private, no-store`. Who is who is Payload's verdict on the request (src/server/readers.ts). Anonymous and API-key GETs of JSON get a strong ETag,
 * Last-Modified (the content version's time), 304s on If-None-Match / If-Modified-Since,
 * Cache-Control and Cache-Tag / Surrogate-Key (src/changes/cacheTags.ts).
 *
 * Their answers are also kept in this process with what they depend on (collected while Payload
 * made them: src/changes/dependencies.ts), and a change retires only the answers it touches. Every
 * request reads the content version (one shared read per turn) and has the change feed catch up to
 * it before it looks in the store, so a write on any instance retires what it touched before the
 * next read here. Concurrent misses of one answer share one render.
 */
export const createHttpCache = (payload: Payload, settings: HttpCacheSettings, readers: Readers) => {
  const storing = settings.responseCacheBytes > 0
  const feed = changeFeedFor(payload)
  const store = storing
    ? createDependentCache<string, CachedAnswer>({
        feed,
        maxBytes: settings.responseCacheBytes,
        // The body, and about what the key, headers and tags take beside it.
        sizeOf: (answer) => answer.body.length + 512,
      })
    : undefined
  const renders = new Map<string, Render>()
  const readVersion = contentVersionReaderFor(payload)
  // One read per request: the lane's read serves the express path too when the lane passes it on.
  const versions = new WeakMap<IncomingMessage, Promise<ContentVersion | null>>()
  // The requests of one turn share one read (contentVersionReaderFor), and so one catch-up after it.
  const caughtUp = new WeakMap<Promise<ContentVersion | null>, Promise<ContentVersion | null>>()
  const versionFor = (req: IncomingMessage) => {
    let version = versions.get(req)
    if (!version) {
      const read = readVersion()
      version = caughtUp.get(read)
      if (!version) {
        // The feed retires what the changes up to this version touched before the store is looked in.
        version = read.then(async (current) => {
          await feed.catchUp(current)
          return current
        })
        caughtUp.set(read, version)
      }
      versions.set(req, version)
    }
    return version
  }
  /** Payload's work for a request, with the version it caught up to for the caches inside (withRequestVersion). */
  const rendering = <T>(version: ContentVersion | null, render: () => Promise<T>) =>
    collectDependencies(version ? () => withRequestVersion(payload, version, render) : render)
  const apiRoute = payload.config.routes.api

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

  const answerOf = async (response: Response, tags: string): Promise<CachedAnswer> => {
    const body = Buffer.from(await response.arrayBuffer())
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
   * The stored answer to this read, once the feed has caught up with the database's current
   * content version, if there is one. Made for the lane in front of express (storedAnswerLane.ts),
   * which answers with it. A GraphQL request comes with its body, which the lane has read; its
   * answer goes out as serveGraphql's does.
   */
  const storedAnswerFor = (req: IncomingMessage, graphqlBody?: Buffer): Promise<StoredAnswer | undefined> => {
    if (!store || (graphqlBody ? req.method !== 'POST' : !isCacheableRead(req))) return NO_ANSWER
    // Not an async function: on the path of every stored answer, each promise less is time less.
    return versionFor(req).then((version) => {
      const reader = readers.of(req)
      const key = graphqlBody ? graphqlKeyOf(req, reader, graphqlBody) : keyOf(req, reader)
      const answer = version ? store.get(key) : undefined
      if (!answer) return undefined
      return {
        send: graphqlBody
          ? (res: ServerResponse) => {
              res.setHeader('Cache-Control', PRIVATE_NO_STORE)
              sendGraphqlAnswer(res, answer, HIT)
            }
          : (res: ServerResponse) => send(req, res, answer, reader, version, HIT),
      }
    })
  }

  const produceAndRemember = async (req: IncomingMessage, produce: () => Promise<Produced>) => {
    const produced = await produce()
    readers.remember(req, produced.verdict)
    return produced
  }

  /**
   * A miss: waits for a render of the same key that started at or after the position this request
   * caught up to, if one is under way (never an older one: its answer could predate a commit this
   * request has seen); otherwise renders, and lets later misses wait for it. `render` returns the
   * answer to share, or undefined when it is not one (private, an error: each makes its own).
   */
  const shared = async <T>(
    key: string,
    joinWith: (answer: CachedAnswer, verdict: PayloadVerdict) => T,
    render: (from: number, share: (shared: Awaited<Render['done']>) => void) => Promise<T>,
  ): Promise<T> => {
    const from = feed.knownPosition()
    const running = renders.get(key)
    if (running && running.from >= from) {
      const done = await running.done
      if (done) return joinWith(done.answer, done.verdict)
    }
    let share!: (done: Awaited<Render['done']>) => void
    const mine: Render = { from, done: new Promise((resolve) => (share = resolve)) }
    renders.set(key, mine)
    try {
      return await render(from, share)
    } finally {
      share(undefined)
      if (renders.get(key) === mine) renders.delete(key)
    }
  }

  /**
   * Answers a read, from the store or from `produce` (Payload's handler). Returns the Response when
   * it is not a cacheable answer (an error, a file, a redirect), for the caller to send as it is.
   */
  const serve = async (
    req: IncomingMessage,
    res: ServerResponse,
    produce: () => Promise<Produced>,
  ): Promise<Response | undefined> => {
    const reader = readers.of(req)
    // Private until Payload says these credentials are an API key's.
    if (reader.kind === 'credentialed' || !isCacheableRead(req)) res.setHeader('Cache-Control', PRIVATE_NO_STORE)
    if (!isCacheableRead(req)) return keptPrivate(res, (await produceAndRemember(req, produce)).response)
    const version = await versionFor(req)
    const key = keyOf(req, reader)
    const stored = version ? store?.get(key) : undefined
    if (stored) {
      send(req, res, stored, reader, version, HIT)
      return undefined
    }
    const [path, search = ''] = arrivedUrl(req).split(/\?(.*)/s, 2) as [string, string?]
    const render = async (from: number, share: (done: Awaited<Render['done']>) => void) => {
      const { value: produced, dependencies: collected } = await rendering(version, () => produceAndRemember(req, produce))
      const { response, verdict, tags: ownTags } = produced
      if (!storedAs(reader, verdict)) {
        res.setHeader('Cache-Control', PRIVATE_NO_STORE)
        return keptPrivate(res, response)
      }
      if (!isStorable(response, ownTags !== undefined)) return keptPrivate(res, response)
      let dependencies: Dependencies
      let tags = ''
      if (ownTags) {
        const named = [...ownTags]
        dependencies = mergeDependencies(collected, dependenciesOfTags(payload, named))
        tags = cacheTagHeader(named)
      } else {
        const apiPath = path.slice(apiRoute.length)
        const added = restDependencies(payload, apiPath, search)
        dependencies = mergeDependencies(collected, added)
        const route = path.startsWith(apiRoute) ? apiRouteOf(payload, apiPath) : undefined
        // A route of Payload's own reads (not `count`, `versions` or an endpoint) adds nothing to what was collected.
        if (route) tags = cacheTagHeader(tagsOfRoute(route, dependencies, added.length === 0))
      }
      const answer = await answerOf(response, tags)
      share({ answer, verdict })
      if (version && store) store.set(key, answer, dependencies, from)
      send(req, res, answer, reader, version, store ? MISS : BYPASS)
      return undefined
    }
    if (!store || !version) return render(feed.knownPosition(), () => undefined)
    return shared(
      key,
      (answer, verdict) => {
        readers.remember(req, verdict)
        send(req, res, answer, reader, version, COLLAPSED)
        return undefined
      },
      render,
    )
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
   * anonymous and API-key queries are kept here like REST reads, retired in the same way (what was
   * collected while the query ran, and every collection it lists). On the wire they stay
   * `private, no-store`. Mutations, drafts, an editor's requests and answers with errors are never
   * stored. Returns the Response when it is not a storable answer, for the caller to send as it is.
   */
  const serveGraphql = async (
    req: IncomingMessage,
    res: ServerResponse,
    body: Buffer,
    produce: () => Promise<Produced>,
  ): Promise<Response | undefined> => {
    res.setHeader('Cache-Control', PRIVATE_NO_STORE)
    const reader = readers.of(req)
    if (!store || !isStorableGraphqlRead(body)) return (await produceAndRemember(req, produce)).response
    const version = await versionFor(req)
    const key = graphqlKeyOf(req, reader, body)
    const stored = version ? store.get(key) : undefined
    if (stored) {
      sendGraphqlAnswer(res, stored, HIT)
      return undefined
    }
    const render = async (from: number, share: (done: Awaited<Render['done']>) => void) => {
      const { value: produced, dependencies: collected } = await rendering(version, () => produceAndRemember(req, produce))
      const { response, verdict } = produced
      if (!storedAs(reader, verdict) || !isStorable(response)) return response
      const answer = await answerOf(response, '')
      if (hasGraphqlErrors(answer.body)) {
        sendGraphqlAnswer(res, answer)
        return undefined
      }
      share({ answer, verdict })
      if (version) store.set(key, answer, mergeDependencies(collected, graphqlDependencies(payload, body)), from)
      sendGraphqlAnswer(res, answer, MISS)
      return undefined
    }
    if (!version) return render(feed.knownPosition(), () => undefined)
    return shared(
      key,
      (answer, verdict) => {
        readers.remember(req, verdict)
        sendGraphqlAnswer(res, answer, COLLAPSED)
        return undefined
      },
      render,
    )
  }

  return { serve, serveGraphql, storedAnswerFor, feed }
}
