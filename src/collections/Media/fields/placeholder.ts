import type { Field } from 'payload'

import { nobodyField } from '../../../access/nobody'

/** Set on upload by hooks/storePlaceholder.ts from the file itself; nobody writes it through an API. */
export const placeholderField: Field = {
  name: 'placeholder',
  type: 'group',
  access: { create: nobodyField, update: nobodyField },
  admin: {
    readOnly: true,
    position: 'sidebar',
    description: 'Computed from the image on upload, for front ends to paint while the image loads.',
  },
  fields: [
    { name: 'thumbHash', type: 'text', admin: { description: 'ThumbHash, base64: decode it to a blurred preview with alpha.' } },
    { name: 'dataUrl', type: 'text', admin: { description: 'A ready data: URI (PNG, under 1 KB) of the blurred preview.' } },
    { name: 'dominantColor', type: 'text', admin: { description: 'The average colour of the visible pixels, #rrggbb.' } },
  ],
}
