import type {
  Access,
  AccessResult,
  CollectionBeforeOperationHook,
  GlobalBeforeOperationHook,
  PayloadRequest,
  SanitizedConfig,
  Where,
} from 'payload'
import { APIError, createLocalReq } from 'payload'

import { editorialRole } from '../access/roles'
import { isCollectionTarget, previewTargetOf, targetsEntity } from '../preview/session'
import { localeProblem, pagingProblem } from './parameters'
import type { ReaderPolicy, Visibility } from './policy'

const isReader = (req: PayloadRequest) => editorialRole(req.user) === null

/**
 * The request as an anonymous reader makes it: everything but the user. Payload counts an API key as
 * its owner signed in, so an access function written for signed-in people (`Boolean(req.user)`)
 * would grant a key what it refuses the public; asked with this request, it answers a key as it
 * answers the public.
 */
export const asThePublic = (req: PayloadRequest): PayloadRequest =>
  req.user === null || req.user === undefined
    ? req
    : new Proxy(req, {
        get: (target, property) => {
          if (property === 'user') return null
          const value = Reflect.get(target, property, target)
          return typeof value === 'function' ? value.bind(target) : value
        },
      })

/**
 * A request for server code that reads through the Local API as the public does, whoever asked:
 * no user, so access control and the reader policy give what an anonymous reader gets (published
 * documents only). Not `asThePublic(req)`: the Local API writes into the request it is given
 * (`createLocalReq` sets its user, locale and query), which through that proxy would land on the
 * asker's own request and overwrite Payload's verdict on who asked. It is also a Local API request,
 * so the per-request caps do not apply to its operations: the caller checks its own arguments
 * against the policy (src/sync/parameters.ts does). Keeps the asker's language for messages.
 */
export const publicLocalRequest = (
  req: PayloadRequest,
  { locale, fallbackLocale }: { locale?: string; fallbackLocale?: string } = {},
): Promise<PayloadRequest> =>
  createLocalReq(
    { locale, fallbackLocale: fallbackLocale as never, req: { i18n: req.i18n, t: req.t } },
    req.payload,
  )

const PUBLISHED: Where = { _status: { equals: 'published' } }

/**
 * Payload leaves trashed documents out of a find unless asked with `trash: true` (REST `?trash=true`),
 * and its population loads them with `trash: true` before it drops them: a reader's constraint says
 * it too, so no argument and no route brings a trashed document to a reader.
 */
const NOT_TRASHED: Where = { deletedAt: { exists: false } }

/** Both constraints: a boolean decides at once, two queries must both hold. */
const both = (first: AccessResult, second: AccessResult): AccessResult => {
  if (first === false || second === false) return false
  if (first === true) return second
  if (second === true) return first
  return { and: [first, second] }
}

/** Either: a boolean decides at once, two queries are joined by `or`. */
const either = (first: AccessResult, second: AccessResult): AccessResult => {
  if (first === true || second === true) return true
  if (first === false) return second
  if (second === false) return first
  return { or: [first, second] }
}

/** The one document of this collection a preview session (src/preview/) may read whatever its status. */
const previewTargetIn = (collection: string, req: PayloadRequest): AccessResult => {
  const target = previewTargetOf(req.user)
  return target && isCollectionTarget(target) && target.collection === collection ? { id: { equals: target.id } } : false
}

/**
 * Read access as the policy bounds it: the editorial team gets what the collection's own access
 * gives; a reader (an API key too) gets at most what the policy lists (nothing, published documents,
 * or everything), and less if the collection's own access refuses the public. A preview session reads
 * as the public does, and its one target document besides, draft or not.
 */
const boundedRead =
  (entity: { collection: string } | { global: string }, own: Access | undefined, visibility: Visibility | undefined, trash: boolean): Access =>
  async (args) => {
    if (!isReader(args.req)) return own ? own(args) : true
    // A global is one document: its preview session reads it whole, its newest draft included.
    const target = 'collection' in entity ? previewTargetIn(entity.collection, args.req) : targetsEntity(args.req.user, entity)
    if (!visibility) return target
    const granted: AccessResult = own ? await own({ ...args, req: asThePublic(args.req) }) : true
    // A trashed document is gone for every reader, its own preview included.
    return both(either(both(granted, visibility === 'published' ? PUBLISHED : true), target), trash ? NOT_TRASHED : true)
  }

/** Versions and drafts are the team's: a reader reads the published document itself. */
const teamOnly =
  (own: Access | undefined): Access =>
  async (args) =>
    isReader(args.req) ? false : own ? own(args) : true

/**
 * A global's versions are read without any `beforeOperation` hook (Payload's findVersions of globals
 * runs none), so the paging check of `checkArguments` happens here, before the query: a `limit` or
 * `page` the database cannot take is a 400, not a 500.
 */
const pagedChecked =
  (decide: Access): Access =>
  (args) => {
    if (args.req.payloadAPI !== 'local') {
      const problem = pagingProblem(asTheyArrived((args.req.query ?? {}) as Record<string, unknown>), undefined)
      if (problem) throw new APIError(problem, 400)
    }
    return decide(args)
  }

/** `depth`, `limit` and `page` of the query string: digits read as the number they are, anything else as it came. */
const asTheyArrived = (query: Record<string, unknown>) => {
  const read = (value: unknown) => (typeof value === 'string' && /^\d{1,15}$/.test(value) ? Number(value) : value)
  return { depth: read(query.depth), limit: read(query.limit), page: read(query.page) }
}

/**
 * Checks the arguments of every operation a request makes (REST and GraphQL alike; server code's
 * Local API calls are trusted with their arguments): `locale` and `fallback-locale` name known
 * locales, `depth`, `limit` and `page` are whole numbers, and a reader's are within the policy's caps.
 * A reader's `draft` read (server code's too, unless it overrides access) reads the published version
 * (for a published document with a newer draft, asking for drafts would otherwise find the draft,
 * which access then hides, and lose the document altogether). Reads Payload makes while answering
 * (population, which carries `currentDepth`, and its own reads with access overridden, such as
 * looking up an API key's user) are not the reader's to be capped. Too much is refused with a 400
 * that says the cap, not quietly cut down to it.
 */
const checkArguments =
  (policy: ReaderPolicy) =>
  ({
    args,
    operation,
    req,
    collection,
    global,
  }: {
    args: unknown
    operation: string
    req: PayloadRequest
    collection?: { slug: string }
    global?: { slug: string }
  }) => {
    if (!args || typeof args !== 'object') return args
    const given = args as Record<string, unknown>
    const reader = isReader(req)
    const askedByRequest = req.payloadAPI !== 'local' && !given.overrideAccess && given.currentDepth === undefined
    if (askedByRequest) {
      const query = (req.query ?? {}) as Record<string, unknown>
      const problem =
        localeProblem(query, policy.locales) ??
        // Some of Payload's handlers (globals') drop a depth they cannot read instead of passing it on.
        pagingProblem(asTheyArrived(query), undefined) ??
        pagingProblem(given, reader ? policy : undefined)
      if (problem) throw new APIError(problem, 400)
    }
    // Server code reading as a reader (access not overridden) gets what a reader gets, too; a preview
    // session's own read of its target collection (not population: that stays the public's) keeps its draft.
    if (reader && operation === 'read' && !given.overrideAccess && (given.draft || given.trash)) {
      const keepsDraft = given.draft && readsOwnTarget({ collection: collection?.slug, global: global?.slug }, given, req)
      // The trash is the team's: a reader's `trash=true` reads what it reads without it.
      if (given.trash || !keepsDraft) return { ...given, draft: keepsDraft ? given.draft : false, trash: false }
    }
    return args
  }

const readsOwnTarget = (entity: { collection?: string; global?: string }, given: Record<string, unknown>, req: PayloadRequest) =>
  targetsEntity(req.user, entity) && given.currentDepth === undefined

/**
 * Applies the reader policy to the sanitized config, so that it covers every collection and global
 * there is, including those Payload and its plugins add during sanitization (preferences, document
 * locks, jobs, migrations, the key-value store), which no plugin sees.
 */
export const applyReaderPolicy =
  (policy: ReaderPolicy) =>
  (config: SanitizedConfig): SanitizedConfig => {
    const check = checkArguments(policy)
    for (const collection of config.collections) {
      const { access } = collection
      access.read = boundedRead({ collection: collection.slug }, access.read, policy.collections[collection.slug], Boolean(collection.trash))
      access.readVersions = teamOnly(access.readVersions)
      collection.hooks.beforeOperation = [check as CollectionBeforeOperationHook, ...(collection.hooks.beforeOperation ?? [])]
    }
    for (const global of config.globals) {
      const { access } = global
      access.read = boundedRead({ global: global.slug }, access.read, policy.globals[global.slug], false)
      access.readVersions = pagedChecked(teamOnly(access.readVersions))
      global.hooks.beforeOperation = [check as GlobalBeforeOperationHook, ...(global.hooks.beforeOperation ?? [])]
    }
    return config
  }
