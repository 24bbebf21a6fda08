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
