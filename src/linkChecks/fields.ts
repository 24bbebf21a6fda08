import type { JSONSchema4 } from 'json-schema'
import type { Field } from 'payload'

import { isEditorialField } from '../access/isEditorial'
import { nobodyField } from '../access/nobody'

export const BROKEN_LINKS = 'brokenLinks'
export const BROKEN_LINK_COUNT = 'brokenLinkCount'
export const LINK_TARGETS = 'linkTargets'
export const LINK_CHECK_FIELDS = [BROKEN_LINKS, BROKEN_LINK_COUNT, LINK_TARGETS]

const targetSchema: JSONSchema4 = {
  oneOf: [
    {
      type: 'object',
      properties: {
        relationTo: { type: 'string' },
        id: { type: ['number', 'string'] },
        title: { type: 'string' },
      },
      required: ['relationTo', 'id'],
      additionalProperties: false,
    },
    { type: 'null' },
  ],
}

/**
 * Kept by the server on every save (and when a linked document is unpublished, trashed, deleted or
 * comes back), for the editorial team only: readers and API keys never read, query or sort by them.
 */
const teamOnly = { read: isEditorialField, create: nobodyField, update: nobodyField }

export const linkCheckFields = (): Field[] => [
  {
    name: BROKEN_LINKS,
    type: 'json',
    access: teamOnly,
    admin: { hidden: true, readOnly: true },
    typescriptSchema: [
      () => ({
        type: 'array',
        items: {
          type: 'object',
          properties: {
            path: { type: 'string' },
            label: { type: 'string' },
            locale: { type: 'string' },
            target: targetSchema,
            reason: { type: 'string', enum: ['missing', 'unpublished', 'trashed'] },
          },
          required: ['path', 'label', 'target', 'reason'],
          additionalProperties: false,
        },
      }),
    ],
  },
  {
    name: BROKEN_LINK_COUNT,
    type: 'number',
    label: 'Broken links',
    index: true,
    access: teamOnly,
    admin: {
      readOnly: true,
      position: 'sidebar',
      description: 'Links to documents readers cannot reach (listed above). Filter the list by it.',
    },
  },
  {
    // `posts:12`: what the document links to, broken or not, so that the documents linking to one
    // can be found when it changes. Text, not a relationship, so that it outlives the target.
    name: LINK_TARGETS,
    type: 'text',
    hasMany: true,
    index: true,
    access: teamOnly,
    admin: { hidden: true },
  },
]

/** The sidebar warning (a client component that asks POST /api/link-check as the editor edits). */
export const linkCheckWarningField = (): Field => ({
  name: 'linkCheckWarning',
  type: 'ui',
  admin: {
    position: 'sidebar',
    components: { Field: '/linkChecks/components/LinkCheckWarning#LinkCheckWarning' },
  },
})
