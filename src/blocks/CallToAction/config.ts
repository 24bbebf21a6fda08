import type { Block } from 'payload'

import { richTextRenditions } from '../../fields/richTextRenditions'

import { linkGroupField } from '../../fields/link'

export const CallToAction: Block = {
  slug: 'cta',
  interfaceName: 'CallToActionBlock',
  labels: { singular: 'Call to action', plural: 'Calls to action' },
  fields: [
    { name: 'richText', type: 'richText', label: false, localized: true },
    ...richTextRenditions('richText'),
    linkGroupField({ maxRows: 2 }),
  ],
}
