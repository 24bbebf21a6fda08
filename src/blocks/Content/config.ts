import type { Block } from 'payload'

import { COLUMN_ROW_LABEL } from '../../admin/labels'
import { linkField } from '../../fields/link'
import { richTextRenditions } from '../../fields/richTextRenditions'

export const Content: Block = {
  slug: 'content',
  interfaceName: 'ContentBlock',
  fields: [
    {
      name: 'columns',
      type: 'array',
      minRows: 1,
      admin: { initCollapsed: true, components: { RowLabel: COLUMN_ROW_LABEL } },
      fields: [
        {
          name: 'size',
          type: 'select',
          defaultValue: 'full',
          options: [
            { label: 'One third', value: 'oneThird' },
            { label: 'Half', value: 'half' },
            { label: 'Two thirds', value: 'twoThirds' },
            { label: 'Full', value: 'full' },
          ],
        },
        { name: 'richText', type: 'richText', label: false, localized: true },
        ...richTextRenditions('richText'),
        { name: 'enableLink', type: 'checkbox' },
        { ...linkField({ appearances: false }), admin: { condition: (_, sibling) => Boolean(sibling?.enableLink) } },
      ],
    },
  ],
}
