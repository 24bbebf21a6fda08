import type { Plugin } from 'payload'

import { recordCollectionChange, recordCollectionDelete, recordGlobalChange } from '../hooks/recordContentChange'
import { isPayloadInternalCollection } from '../utilities/internalCollections'

/**
 * Collections whose writes never change what the API shows a reader: form submissions (readable
 * by editors only, and written by every visitor who sends a form) and Payload's own bookkeeping.
 */
const UNSEEN_COLLECTIONS = new Set(['form-submissions'])

/**
 * Records every content write as a new content version (src/utilities/contentVersion.ts), which
 * keys the API's response cache and its Last-Modified. Listed last among the plugins, so its hooks
 * run after every other plugin's: a write that fails in another hook records nothing.
 */
export const contentChangesPlugin = (): Plugin => (config) => ({
  ...config,
  collections: (config.collections ?? []).map((collection) =>
    UNSEEN_COLLECTIONS.has(collection.slug) || isPayloadInternalCollection(collection.slug)
      ? collection
      : {
          ...collection,
          hooks: {
            ...collection.hooks,
            afterChange: [...(collection.hooks?.afterChange ?? []), recordCollectionChange],
            afterDelete: [...(collection.hooks?.afterDelete ?? []), recordCollectionDelete],
          },
        },
  ),
  globals: (config.globals ?? []).map((global) => ({
    ...global,
    hooks: { ...global.hooks, afterChange: [...(global.hooks?.afterChange ?? []), recordGlobalChange] },
  })),
})
