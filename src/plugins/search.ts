import type { CollectionBeforeOperationHook, Plugin } from 'payload'
import type { BeforeSync, SearchPluginConfig } from '@payloadcms/plugin-search/types'

type FieldsOverride = NonNullable<NonNullable<SearchPluginConfig['searchOverrides']>['fields']>

/** Search rows carry what a results list shows, so a front end needs no second request. */
export const searchFields: FieldsOverride = ({ defaultFields }) => [
  ...defaultFields,
  { name: 'slug', type: 'text', index: true, admin: { readOnly: true } },
  { name: 'excerpt', type: 'textarea', localized: true, admin: { readOnly: true } },
  {
    name: 'categories',
    type: 'relationship',
    relationTo: 'categories',
    hasMany: true,
    admin: { readOnly: true },
  },
]

const idOf = (value: unknown) => (typeof value === 'object' && value !== null ? (value as { id: unknown }).id : value)

export const syncSearchDoc: BeforeSync = ({ originalDoc, searchDoc }) => ({
  ...searchDoc,
  slug: originalDoc.slug,
  excerpt: originalDoc.excerpt ?? originalDoc.meta?.description ?? null,
  categories: Array.isArray(originalDoc.categories) ? originalDoc.categories.map(idOf) : [],
})

const syncReads = new WeakMap<object, Set<string>>()

/**
 * The depth of the search plugin's read of the document it syncs. With languages configured, the plugin
 * reads the saved post or page again inside every save (Payload's findByID, no depth given: the default
 * of 2) only to hand `syncSearchDoc` the document in the language synced. What that takes (slug,
 * excerpt, description, the categories' ids through idOf) is the same at depth 0, and populating the
 * rest was a fifth of a publish's CPU (`npm run bench:publish`). The plugin notes the document in
 * `req.context.syncedDocsSet` (`collection:id:locale`) just before that read, which is how the read is
 * told from any other; once per document and request. A plugin version that stops noting it reads at
 * its default depth again, with the same search rows.
 */
export const searchSyncReadDepth: CollectionBeforeOperationHook = ({ args, collection, operation, req }) => {
  const read = args as { id?: number | string; depth?: number }
  if (operation !== 'read' || read.id === undefined || read.depth !== undefined) return args
  const synced = req.context?.syncedDocsSet
  const key = `${collection.slug}:${String(read.id)}:${String(req.locale)}`
  if (!(synced instanceof Set) || !synced.has(key)) return args
  let done = syncReads.get(req)
  if (!done) syncReads.set(req, (done = new Set()))
  if (done.has(key)) return args
  done.add(key)
  return { ...args, depth: 0 }
}

/** Gives the searched collections `searchSyncReadDepth`. */
export const searchSyncReadsPlugin =
  (collections: string[]): Plugin =>
  (config) => ({
    ...config,
    collections: config.collections?.map((collection) =>
      collections.includes(collection.slug)
        ? { ...collection, hooks: { ...collection.hooks, beforeOperation: [...(collection.hooks?.beforeOperation ?? []), searchSyncReadDepth] } }
        : collection,
    ),
  })
