import type { CollectionConfig } from 'payload'

import { anyone } from '../../access/anyone'
import { isEditor } from '../../access/isEditor'
import { sitePathField } from '../../fields/sitePath'
import { slugField } from '../../fields/slug'
import { preventDeleteWhileReferenced } from '../../hooks/preventDeleteWhileReferenced'
import { rejectStaleCollectionUpdate } from '../../hooks/rejectStaleUpdate'
import { answerWithStoredCategory } from './hooks/answerWithStoredCategory'

/** Nested through the official nested-docs plugin, which adds `parent` and `breadcrumbs`. */
export const Categories: CollectionConfig<'categories'> = {
  slug: 'categories',
  labels: { singular: 'Category', plural: 'Categories' },
  access: {
    read: anyone,
    create: isEditor,
    update: isEditor,
    delete: isEditor,
  },
  defaultPopulate: { title: true, slug: true, path: true, breadcrumbs: true },
  admin: {
    useAsTitle: 'title',
    defaultColumns: ['title', 'slug', 'parent'],
  },
  hooks: {
    beforeValidate: [rejectStaleCollectionUpdate],
    beforeDelete: [preventDeleteWhileReferenced('category')],
    afterChange: [answerWithStoredCategory],
  },
  fields: [
    { name: 'title', type: 'text', required: true, maxLength: 120 },
    { name: 'description', type: 'textarea', maxLength: 500 },
    slugField(),
    sitePathField(),
  ],
}
