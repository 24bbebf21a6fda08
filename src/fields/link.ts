import type { Field, GroupField } from 'payload'

import { LINK_ROW_LABEL } from '../admin/labels'
import { resolveLinkHref } from '../urls/linkHref'
import { inFieldOrder } from './inFieldOrder'

export type LinkAppearance = 'default' | 'primary' | 'secondary'

type LinkOptions = {
  /** Whether the link carries a visible label (navigation) or not (a wrapped card). */
  withLabel?: boolean
  appearances?: LinkAppearance[] | false
  name?: string
}

/**
 * A link to a page, a post or any URL. Front ends get `href` to render (resolved by the server under
 * the site's address scheme), `type` to branch on, the referenced document (populated by depth) or
 * the URL, and a label.
 */
export const linkField = ({ withLabel = true, appearances = false, name = 'link' }: LinkOptions = {}): GroupField => {
  const fields: Field[] = [
    {
      type: 'row',
      fields: [
        {
          name: 'type',
          type: 'radio',
          options: [
            { label: 'Page or post', value: 'reference' },
            { label: 'URL', value: 'custom' },
          ],
          defaultValue: 'reference',
          admin: { layout: 'horizontal', width: '50%' },
        },
        {
          name: 'newTab',
          type: 'checkbox',
          label: 'Open in a new tab',
          admin: { style: { alignSelf: 'flex-end' }, width: '50%' },
        },
      ],
    },
    {
      type: 'row',
      fields: [
        {
          name: 'reference',
          type: 'relationship',
          relationTo: ['pages', 'posts'],
          required: true,
          maxDepth: 1,
          admin: { condition: (_, sibling) => sibling?.type === 'reference', width: withLabel ? '50%' : '100%' },
        },
        {
          name: 'url',
          label: 'URL',
          type: 'text',
          required: true,
          validate: (value: string | null | undefined, { siblingData }: { siblingData: Record<string, unknown> }) => {
            if (siblingData?.type !== 'custom') return true
            if (!value) return 'A URL is required for a custom link.'
            return /^(https?:\/\/|mailto:|tel:|\/|#)/.test(value)
              ? true
              : 'Use an absolute http(s) URL, a mailto:/tel: link, a path starting with "/" or an anchor "#".'
          },
          admin: { condition: (_, sibling) => sibling?.type === 'custom', width: withLabel ? '50%' : '100%' },
        },
        ...(withLabel
          ? ([{ name: 'label', type: 'text', required: true, localized: true, admin: { width: '50%' } }] satisfies Field[])
          : []),
      ],
    },
  ]

  fields.push({
    name: 'href',
    type: 'text',
    virtual: true,
    // Computed on every read from the target's current address; whatever a client sends is dropped.
    access: { create: () => false, update: () => false },
    admin: { hidden: true },
    hooks: { afterRead: [inFieldOrder(resolveLinkHref)] },
  })

  if (appearances !== false) {
    const options = appearances ?? ['default', 'primary', 'secondary']
    fields.push({
      name: 'appearance',
      type: 'select',
      defaultValue: options[0],
      options: options.map((value) => ({ label: value[0].toUpperCase() + value.slice(1), value })),
      admin: { description: 'How the front end should render the link.' },
    })
  }

  return { name, type: 'group', admin: { hideGutter: true }, fields }
}

/** A list of links, e.g. a hero's buttons. */
export const linkGroupField = ({ maxRows, appearances }: { maxRows?: number; appearances?: LinkAppearance[] } = {}): Field => ({
  name: 'links',
  type: 'array',
  maxRows,
  fields: [linkField({ appearances: appearances ?? ['primary', 'secondary'] })],
  admin: { initCollapsed: true, components: { RowLabel: LINK_ROW_LABEL } },
})
