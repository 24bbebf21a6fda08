import type { CollectionConfig, Config, Field, Plugin } from 'payload'

import { redirectDeletedDocument, redirectMovedDocument, rememberMainRow } from './documentHooks'
import { exportEndpoints } from './export'
import { collapseChains, normalizeRedirect, refuseLoops } from './redirectHooks'
import { REDIRECT_TARGET_COLLECTIONS, REDIRECTS } from './resolve'

export { exportRedirects, netlifyRedirects, redirectMap } from './export'
export type { RedirectMap } from './export'

const replacedByField = (collection: string): Field => ({
  name: 'replacedBy',
  label: 'Replaced by',
  type: 'relationship',
  relationTo: [...REDIRECT_TARGET_COLLECTIONS],
  admin: {
    position: 'sidebar',
    description:
      'When this is unpublished or deleted, its address redirects here (301), and so do redirects that pointed at it.',
  },
  // Not itself: that redirect would loop.
  filterOptions: ({ id, relationTo }) => (relationTo === collection && id !== undefined ? { id: { not_equals: id } } : true),
})

const withDocumentHooks = (collection: CollectionConfig): CollectionConfig => ({
  ...collection,
  fields: [...collection.fields, replacedByField(collection.slug)],
  hooks: {
    ...collection.hooks,
    beforeChange: [...(collection.hooks?.beforeChange ?? []), rememberMainRow],
    afterChange: [...(collection.hooks?.afterChange ?? []), redirectMovedDocument],
    beforeDelete: [...(collection.hooks?.beforeDelete ?? []), redirectDeletedDocument],
  },
})

const withRedirectRules = (collection: CollectionConfig): CollectionConfig => ({
  ...collection,
  admin: {
    ...collection.admin,
    description:
      'Made automatically when a published post or page changes its address, or is unpublished or deleted with a ' +
      'replacement named; add your own for other paths. Builds read them at /api/redirects/export/netlify and /export/json.',
  },
  endpoints: [...exportEndpoints, ...(collection.endpoints || [])],
  hooks: {
    ...collection.hooks,
    beforeValidate: [...(collection.hooks?.beforeValidate ?? []), normalizeRedirect],
    beforeChange: [...(collection.hooks?.beforeChange ?? []), refuseLoops],
    afterChange: [...(collection.hooks?.afterChange ?? []), collapseChains],
  },
})

const documentRedirectsPlugins = new WeakSet<Plugin>()

/**
 * Redirects that keep themselves (after the official redirects plugin, whose collection they use):
 * published posts and pages that move leave a redirect behind, a `replacedBy` field names where an
 * unpublished or deleted one's readers go, loops are refused and chains collapsed, and builds read
 * the result as Netlify's `_redirects` or a JSON map. See README, Redirects.
 */
export const documentRedirectsPlugin = (): Plugin => {
  const plugin = (config: Config): Config => {
    if (!config.collections?.some(({ slug }) => slug === REDIRECTS)) {
      throw new Error('documentRedirectsPlugin comes after the redirects plugin')
    }
    return {
      ...config,
      collections: config.collections.map((collection) => {
        if (collection.slug === REDIRECTS) return withRedirectRules(collection)
        if ((REDIRECT_TARGET_COLLECTIONS as readonly string[]).includes(collection.slug)) return withDocumentHooks(collection)
        return collection
      }),
    }
  }
  documentRedirectsPlugins.add(plugin)
  return plugin
}

/** For a config as it was before automatic redirects existed (the migration tests build one). */
export const isDocumentRedirectsPlugin = (plugin: Plugin) => documentRedirectsPlugins.has(plugin)
