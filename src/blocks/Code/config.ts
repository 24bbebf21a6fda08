import type { Block } from 'payload'

import { blockWithSelfHostedMonaco } from '../../admin/monaco/selfHosted'

export const CODE_LANGUAGES = ['typescript', 'javascript', 'css', 'html', 'json', 'bash', 'python', 'sql', 'plaintext'] as const

// Its editor is Monaco, served by Greenroom: used in rich text too, where the admin plugin's pass does not reach.
export const Code: Block = blockWithSelfHostedMonaco({
  slug: 'code',
  interfaceName: 'CodeBlock',
  fields: [
    {
      name: 'language',
      type: 'select',
      defaultValue: 'typescript',
      options: CODE_LANGUAGES.map((value) => ({ label: value, value })),
    },
    {
      name: 'code',
      type: 'code',
      label: false,
      required: true,
      admin: { language: 'typescript' },
    },
    {
      name: 'caption',
      type: 'text',
      admin: { description: 'Optional file name or note shown with the snippet.' },
    },
  ],
})
