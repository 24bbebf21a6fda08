import type {
  CollectionSlug,
  GlobalSlug,
  CollectionAfterChangeHook,
  CollectionAfterDeleteHook,
  CollectionAfterLoginHook,
  CollectionBeforeChangeHook,
  CollectionBeforeOperationHook,
  GlobalAfterChangeHook,
  GlobalBeforeChangeHook,
  PayloadRequest,
  SanitizedCollectionConfig,
  SanitizedGlobalConfig,
} from 'payload'

import type { AuditAction } from './collection'
import { AUDIT_LOG } from './collection'
import { changedFieldPaths } from './changedFields'
import type { AuditEntry } from './record'
import { actorOf, localeOf, originOf, writeAuditEntry } from './record'

type Doc = Record<string, unknown> & { id?: number | string; _status?: string; deletedAt?: string | null }

/**
 * Autosaves of one person on one draft within this many minutes are gathered into one `update`
 * entry (its changed paths merged), instead of one entry every few seconds of typing. A manual
 * save, a publish or another person's edit starts a new entry.
 */
export const AUTOSAVE_WINDOW_MINUTES = 10

/**
 * Secrets a write can set that the document never shows afterwards (Payload keeps the hash, and
 * removes the API key before any hook sees a document): a diff cannot see them change, so their
 * presence in the write's data is what names them.
 */
const WRITE_ONLY_SECRETS = ['password', 'apiKey']

/** What a write knew before it ran: the stored document's status, and which write-only secrets came with it. */
type Before = { storedStatus?: string; secrets?: string[] }
const before = new WeakMap<object, Map<string, Before>>()
const keyOf = (entity: string, id?: number | string) => `${entity}:${String(id ?? '')}`

const remember = (req: PayloadRequest, key: string, value: Before) => {
  let map = before.get(req)
  if (!map) before.set(req, (map = new Map()))
  map.set(key, value)
}
const recall = (req: PayloadRequest, key: string): Before => {
  const value = before.get(req)?.get(key) ?? {}
  before.get(req)?.delete(key)
  return value
}

const allLocalesOf = (req: PayloadRequest): string[] | undefined => {
  const localization = req.payload.config.localization
  return req.locale === 'all' && localization ? localization.localeCodes : undefined
}

/**
 * Before a document is written: whether readers see it now (its stored row, which only publishing
 * and unpublishing write; drafts go to versions), so the write can be told apart afterwards as a
 * publish, an unpublish or an edit; and which write-only secrets (a password, an API key) are set.
 */
export const noteCollectionBefore: CollectionBeforeChangeHook = async ({ collection, data, operation, originalDoc, req }) => {
  const id = (originalDoc as Doc | undefined)?.id
  const value: Before = { secrets: WRITE_ONLY_SECRETS.filter((name) => typeof (data as Doc | undefined)?.[name] === 'string') }
  if (operation === 'update' && id !== undefined && collection.versions?.drafts) {
    const stored = await req.payload.db.findOne<Doc & { id: number | string }>({
      collection: collection.slug,
      where: { id: { equals: id } },
      select: { _status: true },
      req,
    })
    value.storedStatus = stored?._status
  }
  if (id !== undefined) remember(req, keyOf(collection.slug, id), value)
  else if (value.secrets?.length) remember(req, keyOf(collection.slug, 'new'), value)
  return data
}

export const noteGlobalBefore: GlobalBeforeChangeHook = async ({ data, global, req }) => {
  if (global.versions?.drafts) {
    const stored = (await req.payload.db.findGlobal({ slug: global.slug, select: { _status: true }, req } as never)) as Doc | null
    remember(req, keyOf(global.slug), { storedStatus: stored?._status })
  }
  return data
}

/** Whether this draft save was an autosave: Payload marks the version it wrote (or rewrote). */
const wasAutosave = async (req: PayloadRequest, target: { collection: string; id: number | string } | { global: string }) => {
  const versions =
    'collection' in target
      ? await req.payload.db.findVersions({
          collection: target.collection as CollectionSlug,
          where: { parent: { equals: target.id } },
          sort: '-updatedAt',
          limit: 1,
          pagination: false,
          req,
        })
      : await req.payload.db.findGlobalVersions({ global: target.global as GlobalSlug, sort: '-updatedAt', limit: 1, pagination: false, req })
  return Boolean((versions.docs[0] as { autosave?: boolean } | undefined)?.autosave)
}

/**
 * What a write of a document with drafts did. Publishing writes the stored row as published;
 * unpublishing writes it as a draft; every other save writes a version only, and is an `update`.
 */
const statusAction = async (
  req: PayloadRequest,
  doc: Doc,
  storedBefore: string | undefined,
  readStoredAfter: () => Promise<Doc | null>,
): Promise<AuditAction> => {
  if (doc._status === 'published') return storedBefore === 'published' ? 'update' : 'publish'
  if (storedBefore !== 'published') return 'update'
  const stored = await readStoredAfter()
  return stored?._status === 'published' ? 'update' : 'unpublish'
}

/**
 * An autosave joins the same person's last entry for the document when that is an update made
 * within the window; otherwise it starts one, marked as gathering autosaves.
 */
const recordAutosave = async (req: PayloadRequest, entry: AuditEntry) => {
  const since = new Date(Date.now() - AUTOSAVE_WINDOW_MINUTES * 60_000).toISOString()
  const { docs } = await req.payload.db.find<{ id: number | string; action: string; detail?: string; changedFields?: unknown; user?: unknown }>({
    collection: AUDIT_LOG,
    where: {
      and: [
        { entity: { equals: entry.entity } },
        entry.documentId ? { documentId: { equals: entry.documentId } } : { documentId: { exists: false } },
        { createdAt: { greater_than: since } },
      ],
    },
    sort: '-createdAt',
    limit: 1,
    pagination: false,
    req,
  })
  const last = docs[0]
  const lastUser = last?.user && typeof last.user === 'object' ? (last.user as { id?: unknown }).id : last?.user
  if (last && last.action === 'update' && last.detail === 'autosave' && String(lastUser ?? '') === String(entry.user ?? '')) {
    const paths = new Set([...(Array.isArray(last.changedFields) ? last.changedFields.map(String) : []), ...(entry.changedFields ?? [])])
    await req.payload.db.updateOne({
      collection: AUDIT_LOG,
      id: last.id,
      data: { changedFields: [...paths], updatedAt: new Date().toISOString() },
      req,
      returning: false,
    })
    return
  }
  await writeAuditEntry(req, { ...entry, detail: 'autosave' })
}

/**
 * Documents whose create is running its afterChange hooks. Plugins finish a new document with an
 * update of it from there (nested docs writes its breadcrumbs): part of the create, not another
 * edit. The create's last hook forgets the document again.
 */
const createdHere = new WeakMap<object, Set<string>>()

/** First among a collection's afterChange hooks on create, so the create's entry comes before any follow-up update. */
export const recordCollectionCreate: CollectionAfterChangeHook = async (args) => {
  if (args.operation !== 'create') return args.doc
  let created = createdHere.get(args.req)
  if (!created) createdHere.set(args.req, (created = new Set()))
  created.add(keyOf(args.collection.slug, (args.doc as Doc).id))
  return recordCollectionWrite(args)
}

/** Last among a collection's afterChange hooks: records an update; ends a create's follow-up window. */
export const recordCollectionUpdate: CollectionAfterChangeHook = async (args) => {
  if (args.operation !== 'update') {
    createdHere.get(args.req)?.delete(keyOf(args.collection.slug, (args.doc as Doc).id))
    return args.doc
  }
  if (createdHere.get(args.req)?.has(keyOf(args.collection.slug, (args.doc as Doc).id))) {
    recall(args.req, keyOf(args.collection.slug, (args.doc as Doc).id))
    return args.doc
  }
  return recordCollectionWrite(args)
}

const recordCollectionWrite: CollectionAfterChangeHook = async ({ collection, doc, operation, previousDoc, req }) => {
  const current = doc as Doc
  const previous = operation === 'create' ? undefined : (previousDoc as Doc | undefined)
  const noted = recall(req, keyOf(collection.slug, operation === 'create' ? 'new' : current.id))
  const changedFields = changedFieldPaths(collection.flattenedFields, current, previous, allLocalesOf(req))
  for (const name of noted.secrets ?? []) if (!changedFields.includes(name)) changedFields.push(name)
  const entry: AuditEntry = {
    action: await collectionAction(collection, req, current, previous, operation, noted),
    entity: collection.slug,
    documentId: String(current.id),
    changedFields,
    ...actorOf(req),
    ...originOf(req),
    locale: localeOf(req),
  }
  if (collection.auth && operation === 'update' && resetRequests.has(req)) {
    resetRequests.delete(req)
    entry.detail = 'password reset link sent'
  }
  if (entry.action === 'update' && collection.versions?.drafts && current._status === 'draft') {
    if (await wasAutosave(req, { collection: collection.slug, id: current.id! })) {
      await recordAutosave(req, entry)
      return doc
    }
  }
  await writeAuditEntry(req, entry)
  return doc
}

const collectionAction = async (
  collection: SanitizedCollectionConfig,
  req: PayloadRequest,
  doc: Doc,
  previous: Doc | undefined,
  operation: 'create' | 'update',
  noted: Before,
): Promise<AuditAction> => {
  if (operation === 'create') return 'create'
  // Payload's trash (`trash: true`) is an update of `deletedAt`.
  if (doc.deletedAt && !previous?.deletedAt) return 'trash'
  if (!doc.deletedAt && previous?.deletedAt) return 'restore'
  if (!collection.versions?.drafts) return 'update'
  return statusAction(req, doc, noted.storedStatus, () =>
    req.payload.db.findOne<Doc & { id: number | string }>({ collection: collection.slug, where: { id: { equals: doc.id } }, select: { _status: true }, req }),
  )
}

export const recordCollectionDelete: CollectionAfterDeleteHook = async ({ collection, doc, req }) => {
  await writeAuditEntry(req, {
    action: 'delete',
    entity: collection.slug,
    documentId: String((doc as Doc).id),
    ...actorOf(req),
    ...originOf(req),
    locale: localeOf(req),
  })
  return doc
}

export const recordGlobalWrite: GlobalAfterChangeHook = async ({ doc, global, previousDoc, req }) => {
  const current = doc as Doc
  const noted = recall(req, keyOf(global.slug))
  const entry: AuditEntry = {
    action: await globalAction(global, req, current, noted),
    entity: global.slug,
    documentId: null,
    changedFields: changedFieldPaths(global.flattenedFields, current, previousDoc, allLocalesOf(req)),
    ...actorOf(req),
    ...originOf(req),
    locale: localeOf(req),
  }
  if (entry.action === 'update' && global.versions?.drafts && current._status === 'draft') {
    if (await wasAutosave(req, { global: global.slug })) {
      await recordAutosave(req, entry)
      return doc
    }
  }
  await writeAuditEntry(req, entry)
  return doc
}

const globalAction = async (global: SanitizedGlobalConfig, req: PayloadRequest, doc: Doc, noted: Before): Promise<AuditAction> => {
  if (!global.versions?.drafts) return 'update'
  return statusAction(req, doc, noted.storedStatus, async () =>
    (await req.payload.db.findGlobal({ slug: global.slug, select: { _status: true }, req } as never)) as Doc | null,
  )
}

/**
 * A successful sign-in, recorded in the sign-in's transaction (it adds the session). Payload's
 * password reset signs the person in too, after writing the new password straight to the database
 * (no update hooks run): that write is recorded here, before the sign-in it leads to.
 */
export const recordLogin: CollectionAfterLoginHook = async ({ collection, req, user }) => {
  loginAttempts.delete(req.context)
  const person = user as Doc & { email?: string }
  const actor = {
    user: collection.slug === 'users' ? person.id : null,
    actorLabel: typeof person.email === 'string' ? person.email : null,
    viaApiKey: false,
  }
  if (passwordResets.has(req)) {
    passwordResets.delete(req)
    await writeAuditEntry(req, {
      action: 'update',
      entity: collection.slug,
      documentId: String(person.id),
      changedFields: ['password'],
      ...actor,
      ...originOf(req),
      detail: 'password reset with an emailed link',
    })
  }
  await writeAuditEntry(req, {
    action: 'login',
    entity: collection.slug,
    documentId: String(person.id),
    ...actor,
    ...originOf(req),
  })
  return user
}

/**
 * Sign-in attempts still waiting for their outcome, per request (REST and GraphQL share the
 * request's context object with the operation; GraphQL hands the operation a proxy of the request).
 */
const loginAttempts = new WeakMap<object, { collection: string; email: string }>()

/**
 * Password resets under way: Payload writes the new password without update hooks. And reset
 * links being sent: Payload stores the link's token with an update of the account. Keyed by the
 * operation's request object, which its nested Local API calls reuse (they copy its context).
 */
const passwordResets = new WeakSet<object>()
const resetRequests = new WeakSet<object>()

/** Notes who is trying to sign in, before the throttle or the password check can refuse them, and password resets. */
export const noteLoginAttempt: CollectionBeforeOperationHook = ({ args, collection, operation, req }) => {
  if (operation === 'resetPassword') passwordResets.add(req)
  if (operation === 'forgotPassword') resetRequests.add(req)
  if (operation !== 'login') return args
  const { email, username } = ((args as { data?: unknown }).data ?? {}) as { email?: unknown; username?: unknown }
  const tried = typeof email === 'string' ? email : typeof username === 'string' ? username : undefined
  if (tried?.trim()) loginAttempts.set(req.context, { collection: collection.slug, email: tried.toLowerCase().trim().slice(0, 254) })
  return args
}

const FAILURE_REASONS: Record<string, string> = {
  AuthenticationError: 'wrong email or password',
  LoginThrottled: 'throttled: too many failed attempts',
  LockedAuth: 'account locked',
  UnverifiedEmail: 'email not verified',
  ValidationError: 'email or password missing',
}

/**
 * A sign-in that failed (Payload's `afterError`, which REST and GraphQL both call with the request).
 * Written on its own, outside the request's transaction: a failed sign-in changes nothing, and
 * whatever transaction the attempt had is rolled back with the error, which would take its entry
 * along; a refused attempt is exactly what the log must keep.
 */
export const recordFailedLogin = async ({ error, req }: { error: unknown; req: PayloadRequest }): Promise<void> => {
  const attempt = req?.context ? loginAttempts.get(req.context) : undefined
  if (!attempt) return
  loginAttempts.delete(req.context)
  try {
    await writeFailedLogin(req, attempt, error)
  } catch (err) {
    // The client still gets the sign-in's own answer; the missing entry is the operator's to see.
    req.payload.logger.error({ err, msg: 'Could not record a failed sign-in in the audit log' })
  }
}

const writeFailedLogin = async (req: PayloadRequest, attempt: { collection: string; email: string }, error: unknown) => {
  const cause = (error as { originalError?: { name?: string } })?.originalError ?? (error as { name?: string })
  const account = await req.payload.db.findOne<{ id: number | string }>({
    collection: attempt.collection as CollectionSlug,
    where: { email: { equals: attempt.email } },
    select: { id: true },
  })
  // Without `req`: in a transaction of its own, whatever became of the attempt's.
  await writeAuditEntry({ payload: req.payload } as PayloadRequest, {
    action: 'login-failed',
    entity: attempt.collection,
    documentId: account ? String(account.id) : null,
    user: account?.id ?? null,
    actorLabel: attempt.email,
    viaApiKey: false,
    ...originOf(req),
    detail: FAILURE_REASONS[cause?.name ?? ''] ?? cause?.name ?? 'failed',
  })
}
