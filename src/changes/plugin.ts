import type { Plugin } from 'payload'

import { isPayloadInternalCollection } from '../utilities/internalCollections'
import type { ChangeSubscriber } from './changeLog'
import { ChangeLog } from './changeLog'
import { compactChangeLogTask } from './compaction'
import { changeLogOptionsOf, recordCollectionChange, recordCollectionDelete, recordGlobalChange } from './recordChanges'

/** Collections that plugins create, whose writes never change what the API shows a reader. */
const UNSEEN_PLUGIN_COLLECTIONS = new Set(['form-submissions'])

const isRecorded = (collection: { slug: string; custom?: Record<string, unknown> }) =>
  !UNSEEN_PLUGIN_COLLECTIONS.has(collection.slug) &&
  !isPayloadInternalCollection(collection.slug) &&
  changeLogOptionsOf(collection.custom) !== false

/**
 * Records every write a reader could see in the change log (src/changes/changeLog.ts), which is
 * also the content version that keys the API's response cache. Side effects that must follow a
 * change (build hooks, and later purges or indexing) subscribe here and run in the write's own
 * transaction. Listed last among the plugins, so its hooks run after every other plugin's: a write
 * that fails in another hook records nothing.
 */
export const contentChangesPlugin = ({ subscribers = [] }: { subscribers?: ChangeSubscriber[] } = {}): Plugin => {
  const plugin: Plugin = (config) => ({
    ...config,
    collections: [
      ...(config.collections ?? []).map((collection) =>
        isRecorded(collection)
          ? {
              ...collection,
              hooks: {
                ...collection.hooks,
                afterChange: [...(collection.hooks?.afterChange ?? []), recordCollectionChange(subscribers)],
                afterDelete: [...(collection.hooks?.afterDelete ?? []), recordCollectionDelete(subscribers)],
              },
            }
          : collection,
      ),
      ChangeLog,
    ],
    globals: (config.globals ?? []).map((global) => ({
      ...global,
      hooks: {
        ...global.hooks,
        afterChange: [...(global.hooks?.afterChange ?? []), recordGlobalChange(subscribers)],
      },
    })),
    jobs: { ...config.jobs, tasks: [...(config.jobs?.tasks ?? []), compactChangeLogTask] },
  })
  changeLogPlugins.add(plugin)
  return plugin
}

const changeLogPlugins = new WeakSet<Plugin>()

/** For a config as it was before the change log existed (the migration tests build one). */
export const isChangeLogPlugin = (plugin: Plugin) => changeLogPlugins.has(plugin)
