import type { CollectionConfig, GlobalConfig, Plugin } from 'payload'

import { isPayloadInternalCollection } from '../utilities/internalCollections'
import { AUDIT_LOG, AuditLog } from './collection'
import {
  noteCollectionBefore,
  noteGlobalBefore,
  noteLoginAttempt,
  recordCollectionCreate,
  recordCollectionDelete,
  recordCollectionUpdate,
  recordFailedLogin,
  recordGlobalWrite,
  recordLogin,
} from './hooks'
import { auditLogRetentionDays, pruneAuditLogTask } from './retention'

/**
 * What the audit log leaves out, and why. Everything else a person (or the system on their
 * behalf, such as scheduled publishing) writes is recorded.
 * - `search`: rows the search plugin derives from posts and pages on every save of one; the
 *   post's or page's own entry is the record.
 * - `build-deliveries`, `build-deploys`: the server's own queue of build-hook calls and the reports
 *   deploys send back (src/buildHooks, src/buildStatus): bookkeeping, not anyone's edit.
 * - `content-changes` (the change log) and Payload's own collections (`payload-*`): bookkeeping.
 * A collection can opt out with `custom: { auditLog: false }`.
 */
const UNAUDITED = new Set([AUDIT_LOG, 'search', 'build-deliveries', 'build-deploys', 'content-changes'])

/**
 * Form submissions are created by the public, often by bots: the collection is their record, and
 * logging each would let anyone fill the log. Editors' changes and deletions of them are recorded.
 */
const CREATES_UNAUDITED = new Set(['form-submissions'])

export const isAudited = (collection: { slug: string; custom?: Record<string, unknown> }) =>
  !UNAUDITED.has(collection.slug) && !isPayloadInternalCollection(collection.slug) && collection.custom?.auditLog !== false

const audited = (collection: CollectionConfig): CollectionConfig => {
  if (!isAudited(collection)) return collection
  const creates = CREATES_UNAUDITED.has(collection.slug) ? [] : [recordCollectionCreate]
  const hooks = collection.hooks ?? {}
  return {
    ...collection,
    hooks: {
      ...hooks,
      // First among the beforeChange hooks: what the stored document was before anything runs.
      beforeChange: [noteCollectionBefore, ...(hooks.beforeChange ?? [])],
      // A create is recorded first, so that a plugin's follow-up update of the new document (made
      // from its own afterChange hook) counts as part of it; an update last, after every other hook.
      // Either way in the write's transaction: a later hook that fails takes the entry with it.
      afterChange: [...creates, ...(hooks.afterChange ?? []), recordCollectionUpdate],
      afterDelete: [...(hooks.afterDelete ?? []), recordCollectionDelete],
      ...(collection.auth
        ? {
            // Before the sign-in protection, which may refuse the attempt before Payload looks at it.
            beforeOperation: [noteLoginAttempt, ...(hooks.beforeOperation ?? [])],
            afterLogin: [...(hooks.afterLogin ?? []), recordLogin],
          }
        : {}),
    },
  }
}

const auditedGlobal = (global: GlobalConfig): GlobalConfig => ({
  ...global,
  hooks: {
    ...global.hooks,
    beforeChange: [noteGlobalBefore, ...(global.hooks?.beforeChange ?? [])],
    afterChange: [...(global.hooks?.afterChange ?? []), recordGlobalWrite],
  },
})

/**
 * The audit log (src/auditLog/collection.ts) and the hooks that fill it, added to every collection
 * and global present when it runs: listed after every plugin that adds audited collections
 * (test/integration/auditLog.test.ts checks that each collection is either audited or named above).
 */
export const auditLogPlugin = (): Plugin => {
  const plugin: Plugin = (config) => {
    // Read here so that a wrong value stops the start, not the nightly job.
    auditLogRetentionDays()
    return {
      ...config,
      collections: [...(config.collections ?? []).map(audited), AuditLog],
      globals: (config.globals ?? []).map(auditedGlobal),
      hooks: { ...config.hooks, afterError: [recordFailedLogin, ...(config.hooks?.afterError ?? [])] },
      jobs: { ...config.jobs, tasks: [...(config.jobs?.tasks ?? []), pruneAuditLogTask] },
    }
  }
  auditLogPlugins.add(plugin)
  return plugin
}

const auditLogPlugins = new WeakSet<Plugin>()

/** For a config as it was before the audit log existed (the migration tests build one). */
export const isAuditLogPlugin = (plugin: Plugin) => auditLogPlugins.has(plugin)
