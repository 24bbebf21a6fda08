import type { CollectionConfig, Plugin } from 'payload'

import { linkCheckEndpoint } from './endpoint'
import { linkCheckFields, linkCheckWarningField } from './fields'
import {
  checkLinksBeforeChange,
  refreshReferrersAfterChange,
  refreshReferrersAfterDelete,
  refuseReaderSortByLinkChecks,
  walkReferrersBeforeDelete,
} from './hooks'
import { LINKING_COLLECTIONS } from './refresh'
import { linkChecksMode } from './settings'

const withLinkChecks = (collection: CollectionConfig): CollectionConfig => ({
  ...collection,
  // The warning first, so it heads the sidebar.
  fields: [linkCheckWarningField(), ...collection.fields, ...linkCheckFields()],
  admin: {
    ...collection.admin,
    defaultColumns: collection.admin?.defaultColumns ? [...collection.admin.defaultColumns, 'brokenLinkCount'] : undefined,
  },
  hooks: {
    ...collection.hooks,
    beforeOperation: [...(collection.hooks?.beforeOperation ?? []), refuseReaderSortByLinkChecks],
    beforeChange: [...(collection.hooks?.beforeChange ?? []), checkLinksBeforeChange],
    afterChange: [...(collection.hooks?.afterChange ?? []), refreshReferrersAfterChange],
    beforeDelete: [...(collection.hooks?.beforeDelete ?? []), walkReferrersBeforeDelete],
    afterDelete: [...(collection.hooks?.afterDelete ?? []), refreshReferrersAfterDelete],
  },
})

/**
 * Links checked before publish (README, Link checks): posts and pages list their broken links
 * (`brokenLinks`, `brokenLinkCount`, for the team only) on every save, a publish with any is
 * refused under LINK_CHECKS=block, documents linking to one that readers lose (or get back) are
 * checked again, and the edit view warns as the editor types (POST /api/link-check).
 */
export const linkChecksPlugin = (): Plugin => {
  // A wrong LINK_CHECKS stops the start.
  linkChecksMode()
  const plugin: Plugin = (config) => ({
    ...config,
    collections: (config.collections ?? []).map((collection) =>
      (LINKING_COLLECTIONS as readonly string[]).includes(collection.slug) ? withLinkChecks(collection) : collection,
    ),
    endpoints: [...(config.endpoints ?? []), linkCheckEndpoint],
  })
  linkChecksPlugins.add(plugin)
  return plugin
}

const linkChecksPlugins = new WeakSet<Plugin>()

/** For a config as it was before link checks existed (the migration tests build one). */
export const isLinkChecksPlugin = (plugin: Plugin) => linkChecksPlugins.has(plugin)
