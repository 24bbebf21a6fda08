import type { CollectionConfig } from 'payload'

import { isEditor } from '../../access/isEditor'
import { labelledByContent } from '../../admin/labels'
import { isEditorial } from '../../access/isEditorial'
import { publishedOrEditorial } from '../../access/publishedOrEditorial'
import { Archive } from '../../blocks/Archive/config'
import { CallToAction } from '../../blocks/CallToAction/config'
import { Content } from '../../blocks/Content/config'
import { FormBlock } from '../../blocks/Form/config'
import { MediaBlock } from '../../blocks/MediaBlock/config'
import { heroField } from '../../fields/hero'
import { collectMediaInRichText, mediaInRichTextField } from '../../fields/mediaInRichText'
import { loadRenditionSources } from '../../fields/richTextRenditions'
import { sitePathField } from '../../fields/sitePath'
import { slugField } from '../../fields/slug'
import { rejectStaleCollectionUpdate } from '../../hooks/rejectStaleUpdate'
import { setPublishedAt } from '../../hooks/setPublishedAt'

export const Pages: CollectionConfig<'pages'> = {
  slug: 'pages',
  labels: { singular: 'Page', plural: 'Pages' },
  // Deleting in the admin moves a page to the trash (`deletedAt`); readers never see it there.
  trash: true,
  access: {
    read: publishedOrEditorial,
    readVersions: isEditorial,
    create: isEditor,
    update: isEditor,
    delete: isEditor,
  },
  defaultPopulate: { title: true, slug: true, path: true },
  admin: {
    useAsTitle: 'title',
    defaultColumns: ['title', 'slug', '_status', 'updatedAt'],
  },
  fields: [
    { name: 'title', type: 'text', required: true, maxLength: 200, localized: true },
    {
      type: 'tabs',
      tabs: [
        { label: 'Hero', fields: [heroField] },
        {
          label: 'Content',
          fields: [
            {
              name: 'layout',
              type: 'blocks',
              blocks: [Content, CallToAction, MediaBlock, Archive, FormBlock].map(labelledByContent),
              required: true,
              minRows: 1,
              admin: { initCollapsed: true },
            },
          ],
        },
      ],
    },
    {
      name: 'publishedAt',
      type: 'date',
      admin: { position: 'sidebar', date: { pickerAppearance: 'dayAndTime' } },
    },
    slugField(),
    sitePathField(),
    mediaInRichTextField(),
  ],
  hooks: {
    beforeOperation: [loadRenditionSources()],
    beforeValidate: [rejectStaleCollectionUpdate],
    beforeChange: [setPublishedAt, collectMediaInRichText],
  },
  versions: {
    drafts: {
      autosave: { interval: 800 },
      schedulePublish: true,
    },
    maxPerDoc: 50,
  },
}
