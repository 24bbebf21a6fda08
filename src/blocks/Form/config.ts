import type { Block } from 'payload'

import { richTextRenditions } from '../../fields/richTextRenditions'

export const FormBlock: Block = {
  slug: 'formBlock',
  interfaceName: 'FormBlock',
  fields: [
    { name: 'form', type: 'relationship', relationTo: 'forms', required: true },
    { name: 'enableIntro', type: 'checkbox', label: 'Show an introduction' },
    {
      name: 'introContent',
      type: 'richText',
      localized: true,
      admin: { condition: (_, sibling) => Boolean(sibling?.enableIntro) },
    },
    ...richTextRenditions('introContent'),
  ],
}
