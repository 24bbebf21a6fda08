import type { Block } from 'payload'

export const CODE_LANGUAGES = ['typescript', 'javascript', 'css', 'html', 'json', 'bash', 'python', 'sql', 'plaintext'] as const

export const Code: Block = {
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
}
