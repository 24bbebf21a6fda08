import type { Block } from 'payload'

import { inFieldOrder } from '../../fields/inFieldOrder'
import { richTextRenditions } from '../../fields/richTextRenditions'

import { ARCHIVE_MAX_LIMIT, countArchive, populateArchive } from './hooks/populateArchive'

export const Archive: Block = {
  slug: 'archive',
  interfaceName: 'ArchiveBlock',
  fields: [
    { name: 'introContent', type: 'richText', label: 'Introduction', localized: true },
    ...richTextRenditions('introContent'),
    {
      name: 'populateBy',
      type: 'select',
      defaultValue: 'collection',
      options: [
        { label: 'Latest posts', value: 'collection' },
        { label: 'Hand-picked posts', value: 'selection' },
      ],
    },
    {
      name: 'categories',
      type: 'relationship',
      relationTo: 'categories',
      hasMany: true,
      admin: {
        condition: (_, sibling) => sibling?.populateBy === 'collection',
        description: 'Only posts in these categories; leave empty for all posts.',
      },
    },
    {
      name: 'limit',
      type: 'number',
      defaultValue: 10,
      min: 1,
      max: ARCHIVE_MAX_LIMIT,
      admin: { condition: (_, sibling) => sibling?.populateBy === 'collection', step: 1 },
    },
    {
      name: 'selectedDocs',
      type: 'relationship',
      relationTo: 'posts',
      hasMany: true,
      admin: { condition: (_, sibling) => sibling?.populateBy === 'selection' },
    },
    {
      name: 'populatedDocs',
      type: 'relationship',
      relationTo: 'posts',
      hasMany: true,
      virtual: true,
      admin: {
        readOnly: true,
        disabled: true,
        description: 'Filled in when the page is read: the published posts this block shows, newest first.',
      },
      hooks: { afterRead: [inFieldOrder(populateArchive)] },
    },
    {
      name: 'populatedDocsTotal',
      type: 'number',
      virtual: true,
      admin: { readOnly: true, disabled: true },
      hooks: { afterRead: [inFieldOrder(countArchive)] },
    },
  ],
}
