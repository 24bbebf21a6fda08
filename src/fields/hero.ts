import type { Field } from 'payload'

import { linkGroupField } from './link'
import { richTextRenditions } from './richTextRenditions'

export const heroField: Field = {
  name: 'hero',
  type: 'group',
  fields: [
    {
      name: 'type',
      type: 'select',
      defaultValue: 'lowImpact',
      required: true,
      options: [
        { label: 'None', value: 'none' },
        { label: 'High impact', value: 'highImpact' },
        { label: 'Medium impact', value: 'mediumImpact' },
        { label: 'Low impact', value: 'lowImpact' },
      ],
    },
    { name: 'richText', type: 'richText', label: false, localized: true },
    ...richTextRenditions('richText'),
    linkGroupField({ maxRows: 2 }),
    {
      name: 'media',
      type: 'upload',
      relationTo: 'media',
      required: true,
      admin: { condition: (_, { type } = {}) => ['highImpact', 'mediumImpact'].includes(type) },
    },
  ],
}
