import type {
  CollectionAfterOperationHook,
  CollectionBeforeOperationHook,
  GlobalBeforeOperationHook,
  PayloadRequest,
  SanitizedConfig,
} from 'payload'
import { UnauthorizedError } from 'payload'

import {
  isCollectionTarget,
  isReadingTarget,
  markReadingTarget,
  markReadTarget,
  markUsedElsewhere,
  NOT_THE_TARGET,
  previewTargetOf,
} from './session'

/** The 401 of a preview token used elsewhere, in Payload's error shape. */
const usedElsewhere = (req: PayloadRequest): never => {
  markUsedElsewhere(req, NOT_THE_TARGET)
  throw Object.assign(new UnauthorizedError(req.t), { message: NOT_THE_TARGET })
}

/**
 * Reads Payload makes while answering are not the request's own: population (it carries
 * `currentDepth`, and reads at the public's level: src/readerPolicy/enforce.ts) and reads with
 * access overridden (looking up the token's user).
 */
const isOwnOperation = (args: unknown) => {
  const given = (args ?? {}) as { overrideAccess?: unknown; currentDepth?: unknown }
  return !given.overrideAccess && given.currentDepth === undefined
}

/**
 * A preview session reads its target and nothing else: by id only the target, a list only when the
 * target is all it finds. Other operations (writes, counts, versions, other collections) are refused
 * with 401, except reads that server code makes while the target is being read (a page's archive
 * block lists posts as the public sees them).
 */
const guardCollection: CollectionBeforeOperationHook = ({ args, collection, operation, req }) => {
  const target = previewTargetOf(req.user)
  if (!target || !isOwnOperation(args)) return args
  if (operation === 'read' && isCollectionTarget(target) && target.collection === collection.slug) {
    const id = (args as { id?: unknown }).id
    if (id !== undefined && String(id) !== target.id) return usedElsewhere(req)
    markReadingTarget(req)
    return args
  }
  if (operation === 'read' && isReadingTarget(req)) return args
  return usedElsewhere(req)
}

const confirmTarget: CollectionAfterOperationHook = ({ args, collection, operation, req, result }) => {
  const target = previewTargetOf(req.user)
  if (!target || !isCollectionTarget(target) || target.collection !== collection.slug || !isOwnOperation(args)) return result
  if (operation === 'findByID') markReadTarget(req)
  if (operation === 'find') {
    const docs = (result as { docs?: { id?: unknown }[] }).docs ?? []
    if (docs.length !== 1 || String(docs[0]?.id) !== target.id) return usedElsewhere(req)
    markReadTarget(req)
  }
  return result
}

/** A global is one document: reading it is reading the whole target. */
const guardGlobal: GlobalBeforeOperationHook = ({ args, global, operation, req }) => {
  const target = previewTargetOf(req.user)
  if (!target || !isOwnOperation(args)) return args
  if (operation === 'read' && !isCollectionTarget(target) && target.global === global.slug) {
    markReadingTarget(req)
    markReadTarget(req)
    return args
  }
  if (operation === 'read' && isReadingTarget(req)) return args
  return usedElsewhere(req)
}

/**
 * Applied to the sanitized config, so it covers every collection and global there is, Payload's and
 * the plugins' included, like the reader policy it works with.
 */
export const guardPreviewSessions = (config: SanitizedConfig): SanitizedConfig => {
  for (const collection of config.collections) {
    collection.hooks.beforeOperation = [guardCollection, ...(collection.hooks.beforeOperation ?? [])]
    collection.hooks.afterOperation = [...(collection.hooks.afterOperation ?? []), confirmTarget]
  }
  for (const global of config.globals) {
    global.hooks = { ...global.hooks, beforeOperation: [guardGlobal, ...(global.hooks?.beforeOperation ?? [])] }
  }
  return config
}
