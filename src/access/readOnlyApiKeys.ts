import type {
  Access,
  CollectionAfterLogoutHook,
  CollectionBeforeOperationHook,
  Endpoint,
  Field,
  GlobalBeforeOperationHook,
  PayloadHandler,
  PayloadRequest,
  SanitizedConfig,
} from 'payload'
import { Forbidden } from 'payload'

import { asThePublic } from '../readerPolicy/enforce'
import { isPayloadInternalCollection } from '../utilities/internalCollections'
import { isPreviewSession, NOT_THE_TARGET } from '../preview/session'
import { isReaderSession } from './roles'

/**
 * An API key reads what the public reads and changes nothing; so does a preview token, which reads
 * the drafts of its one document besides (src/preview/guard.ts). Both are "reader sessions"
 * (src/access/roles.ts), and everything below applies to both alike. Payload treats a key as its owner
 * signed in, so every default that lets "any signed-in user" in (`Boolean(req.user)`: document locks,
 * preferences, the migrations table, plugins' collections and fields) would let a key in too. The
 * rule is applied here to the sanitized config, once Payload has added its own collections, to every
 * collection, global, field, hook and endpoint there is, so a collection or endpoint added later,
 * by Greenroom, a plugin or Payload, cannot be forgotten:
 *
 * - access: writes (create, update, delete, unlock, admin) are refused; what a key reads is the reader
 *   policy's to decide, as for every reader (src/readerPolicy): what the public reads;
 * - field read access is decided as for an anonymous reader too (the form builder's `emails`, say);
 * - operations: anything but a read (login, refresh, forgot/reset password, unlock, logout, version
 *   restore) is refused before it runs, which covers GraphQL's auth mutations, whose resolvers call
 *   Payload's operations without going through an endpoint;
 * - endpoints: a route other than GET, and any route of an internal collection, is refused (Payload's
 *   preferences routes and job runner write without asking access control).
 */
export const readOnlyApiKeys = (config: SanitizedConfig): SanitizedConfig => {
  for (const collection of config.collections) {
    const internal = isPayloadInternalCollection(collection.slug)
    const access = collection.access as Record<string, Access | undefined>
    for (const operation of new Set([...COLLECTION_ACCESS, ...Object.keys(access)])) {
      access[operation] = guardAccess(operation, access[operation])
    }
    collection.hooks.beforeOperation = [refuseKeyOperations, ...(collection.hooks.beforeOperation ?? [])]
    if (collection.auth) collection.hooks.afterLogout = [refuseKeyLogout, ...(collection.hooks.afterLogout ?? [])]
    guardFieldReads(collection.fields)
    guardFieldReads(collection.flattenedFields as Field[])
    if (collection.endpoints) collection.endpoints = collection.endpoints.map((endpoint) => guardEndpoint(endpoint, internal))
  }
  for (const global of config.globals) {
    const access = global.access as Record<string, Access | undefined>
    for (const operation of new Set([...GLOBAL_ACCESS, ...Object.keys(access)])) {
      access[operation] = guardAccess(operation, access[operation])
    }
    global.hooks = { ...global.hooks, beforeOperation: [refuseKeyGlobalOperations, ...(global.hooks?.beforeOperation ?? [])] }
    guardFieldReads(global.fields)
    guardFieldReads(global.flattenedFields as Field[])
    if (global.endpoints) global.endpoints = global.endpoints.map((endpoint) => guardEndpoint(endpoint, false))
  }
  for (const block of config.blocks ?? []) guardFieldReads(block.fields)
  config.endpoints = config.endpoints.map((endpoint) => guardEndpoint(endpoint, false)) as SanitizedConfig['endpoints']
  // Queueing, cancelling and running jobs (GET /api/payload-jobs/run runs them).
  const jobsAccess = config.jobs.access as Record<string, ((args: { req: PayloadRequest }) => boolean | Promise<boolean>) | undefined>
  for (const [name, check] of Object.entries(jobsAccess ?? {})) {
    if (check) jobsAccess[name] = (args) => !isReaderSession(args.req.user) && check(args)
  }
  return config
}

export const API_KEY_READ_ONLY_MESSAGE =
  'An API key reads what the public reads: it cannot change anything, and cannot use this route. Sign in to edit.'

const refusal = (req: PayloadRequest) =>
  Object.assign(new Forbidden(req.t), { message: isPreviewSession(req.user) ? NOT_THE_TARGET : API_KEY_READ_ONLY_MESSAGE })

const COLLECTION_ACCESS = ['create', 'read', 'readVersions', 'update', 'delete', 'unlock']
const GLOBAL_ACCESS = ['read', 'readVersions', 'update']
/** Access checks that only read; every other one (create, update, delete, unlock, admin) writes or signs in. */
const READ_ACCESS = new Set(['read', 'readVersions', 'readDrafts'])
/** Payload's name for each operation that only reads (`beforeOperation`'s `operation`). */
const READ_OPERATIONS = new Set(['read', 'count', 'countVersions', 'readDistinct'])

/** Payload's own rule where a collection or global names no access function: any signed-in user. */
const signedIn: Access = ({ req }) => Boolean(req.user)

const GUARDED = Symbol('greenroom.readOnlyApiKeys')
type Guarded<T> = T & { [GUARDED]?: true }
const mark = <T extends object>(fn: T): T => Object.assign(fn, { [GUARDED]: true as const })

/** Writes are refused to a key; reads are left to the reader policy, which applies to keys as to the public. */
const guardAccess = (operation: string, original: Access | undefined): Access => {
  if (original && (original as Guarded<Access>)[GUARDED]) return original
  const decide = original ?? signedIn
  if (READ_ACCESS.has(operation)) return decide
  return mark<Access>((args) => (isReaderSession(args.req.user) ? false : decide(args)))
}

type FieldAccess = NonNullable<NonNullable<Extract<Field, { access?: unknown }>['access']>['read']>

/** Field read access, decided for a key as for an anonymous reader. */
const guardFieldReads = (fields: Field[] | undefined): void => {
  for (const field of fields ?? []) {
    const access = 'access' in field ? (field.access as { read?: Guarded<FieldAccess> } | undefined) : undefined
    const read = access?.read
    // The access object is changed in place: Payload keeps copies of fields (flattenedFields) that share it.
    if (access && read && !read[GUARDED]) {
      access.read = mark<FieldAccess>((args) => (isReaderSession(args.req.user) ? read({ ...args, req: asThePublic(args.req) }) : read(args)))
    }
    if ('fields' in field && Array.isArray(field.fields)) guardFieldReads(field.fields as Field[])
    if ('flattenedFields' in field && Array.isArray(field.flattenedFields)) guardFieldReads(field.flattenedFields as Field[])
    if ('tabs' in field && Array.isArray(field.tabs)) for (const tab of field.tabs) guardFieldReads(tab.fields)
    if ('blocks' in field && Array.isArray(field.blocks)) for (const block of field.blocks) guardFieldReads(block.fields)
  }
}

const refuseKeyOperations: CollectionBeforeOperationHook = ({ operation, overrideAccess, req }) => {
  if (isReaderSession(req.user) && !overrideAccess && !READ_OPERATIONS.has(operation)) throw refusal(req)
}

const refuseKeyGlobalOperations: GlobalBeforeOperationHook = ({ operation, overrideAccess, req }) => {
  if (isReaderSession(req.user) && !overrideAccess && !READ_OPERATIONS.has(operation)) throw refusal(req)
}

/** Logout has no `beforeOperation`; its hooks run before it ends sessions (`?allSessions=true` ends all of the owner's). */
const refuseKeyLogout: CollectionAfterLogoutHook = ({ req }) => {
  if (isReaderSession(req.user)) throw refusal(req)
}

const guardEndpoint = <E extends Endpoint>(endpoint: E, internal: boolean): E => {
  const handler = endpoint.handler as Guarded<PayloadHandler>
  if (handler[GUARDED]) return endpoint
  // Payload answers a POST with `X-Payload-HTTP-Method-Override: GET` with the GET endpoint, so a long
  // query sent that way still reads.
  const refuses = internal || endpoint.method !== 'get'
  if (!refuses) return endpoint
  return {
    ...endpoint,
    handler: mark<PayloadHandler>((req) => {
      if (isReaderSession(req.user)) throw refusal(req)
      return handler(req)
    }),
  }
}
