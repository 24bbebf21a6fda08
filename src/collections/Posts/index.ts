import type { CollectionConfig } from 'payload'

import { editorOrOwnPost } from '../../access/editorOrOwnPost'
import { isEditorial } from '../../access/isEditorial'
import { publishedOrEditorial } from '../../access/publishedOrEditorial'
import { inFieldOrder } from '../../fields/inFieldOrder'
import { postContentEditor } from '../../fields/lexical'
import { collectMediaInRichText, mediaInRichTextField } from '../../fields/mediaInRichText'
import { loadRenditionSources, richTextRenditions } from '../../fields/richTextRenditions'
import { sitePathField } from '../../fields/sitePath'
import { slugField } from '../../fields/slug'
import { rejectStaleCollectionUpdate } from '../../hooks/rejectStaleUpdate'
import { livePreviewFor, previewButtonUrl } from '../../preview/mint'
import { setPublishedAt } from '../../hooks/setPublishedAt'
import { assignAuthors } from './hooks/assignAuthors'
import { computeReadingTime } from './hooks/computeReadingTime'
import { EXCERPT_LENGTH, fillExcerpt } from './hooks/fillExcerpt'
import { populateAuthors } from './hooks/populateAuthors'

export const Posts: CollectionConfig<'posts'> = {
  slug: 'posts',
  labels: { singular: 'Post', plural: 'Posts' },
  access: {
    read: publishedOrEditorial,
    readVersions: isEditorial,
    create: isEditorial,
    update: editorOrOwnPost,
    delete: editorOrOwnPost,
  },
  defaultPopulate: {
    title: true,
    slug: true,
    excerpt: true,
    heroImage: true,
    categories: true,
    publishedAt: true,
    path: true,
  },
  defaultSort: '-publishedAt',
  // The list readers ask for most: published posts, newest first. Access control adds the
  // `_status` filter, so the index leads with it and carries the sort right behind; the trash's
  // `deletedAt is null` comes last, checked in the index. Between them it would cost PostgreSQL the
  // order: its planner takes `=` as fixing a column, but not `is null`, and sorted instead.
  indexes: [{ fields: ['_status', 'publishedAt', 'createdAt', 'deletedAt'] }],
  // Deleting in the admin moves a post to the trash (`deletedAt`), where it can be restored;
  // readers never see it there (src/readerPolicy/).
  trash: true,
  admin: {
    useAsTitle: 'title',
    // The Preview button and live preview: the front end's preview URL from site settings, or
    // Greenroom's own renderer, with a preview token for the editor (src/preview/).
    preview: previewButtonUrl('posts'),
    livePreview: livePreviewFor('posts'),
    defaultColumns: ['title', 'slug', '_status', 'publishedAt', 'updatedAt'],
    listSearchableFields: ['title', 'slug', 'excerpt'],
  },
  fields: [
    { name: 'title', type: 'text', required: true, maxLength: 200, localized: true },
    {
      type: 'tabs',
      tabs: [
        {
          label: 'Content',
          fields: [
            { name: 'heroImage', type: 'upload', relationTo: 'media' },
            { name: 'content', type: 'richText', editor: postContentEditor, required: true, localized: true },
            ...richTextRenditions('content'),
          ],
        },
        {
          label: 'Meta',
          fields: [
            {
              name: 'excerpt',
              type: 'textarea',
              maxLength: 400,
              localized: true,
              admin: {
                description: `Teaser for listings and feeds. Leave blank to use the first ${EXCERPT_LENGTH} characters of the content.`,
              },
            },
            {
              name: 'relatedPosts',
              type: 'relationship',
              relationTo: 'posts',
              hasMany: true,
              filterOptions: ({ id }) => (id ? { id: { not_in: [id] } } : true),
            },
            { name: 'categories', type: 'relationship', relationTo: 'categories', hasMany: true, index: true },
          ],
        },
      ],
    },
    {
      name: 'publishedAt',
      type: 'date',
      index: true,
      admin: {
        position: 'sidebar',
        date: { pickerAppearance: 'dayAndTime' },
        description: 'Set on first publication; edit to back-date.',
      },
    },
    {
      name: 'authors',
      type: 'relationship',
      relationTo: 'users',
      hasMany: true,
      index: true,
      admin: { position: 'sidebar' },
    },
    {
      name: 'populatedAuthors',
      type: 'array',
      virtual: true,
      access: { update: () => false, create: () => false },
      admin: { disabled: true, readOnly: true },
      hooks: { afterRead: [inFieldOrder(populateAuthors)] },
      // Each row shows a user: a change to that user changes the post's answer (see src/changes/cacheTags.ts).
      custom: { rowsAreDocumentsOf: 'users' },
      fields: [
        // The author's user id: a number on SQL databases, a string on MongoDB (the hook copies it).
        { name: 'id', type: 'text', typescriptSchema: [() => ({ type: ['number', 'string'] })] },
        { name: 'name', type: 'text' },
        { name: 'bio', type: 'textarea' },
        { name: 'avatar', type: 'upload', relationTo: 'media' },
      ],
    },
    {
      name: 'readingTime',
      type: 'number',
      // Computed from each language's own content.
      localized: true,
      admin: { position: 'sidebar', readOnly: true, description: 'Minutes, computed from the content.' },
      access: { create: () => false, update: () => false },
    },
    slugField(),
    sitePathField(),
    mediaInRichTextField(),
  ],
  hooks: {
    beforeOperation: [loadRenditionSources()],
    beforeValidate: [rejectStaleCollectionUpdate, assignAuthors],
    beforeChange: [setPublishedAt, computeReadingTime, fillExcerpt, collectMediaInRichText],
  },
  versions: {
    drafts: {
      autosave: { interval: 800 },
      schedulePublish: true,
    },
    maxPerDoc: 50,
  },
}
