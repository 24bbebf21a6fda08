import type { Field, FieldHook } from 'payload'

import { documentPath, urlSchemeFor } from '../urls'
import { inFieldOrder } from './inFieldOrder'

const resolvePath: FieldHook = async ({ siblingData, collection, req }) => {
  if (!collection || !siblingData) return null
  return documentPath(await urlSchemeFor(req), collection.slug, siblingData, req.locale)
}

/**
 * `path`: where the site serves this document under the one address scheme (site settings), in the
 * reader's language. Static-site builds and front ends write or route pages by it instead of
 * re-implementing the scheme. Computed when read, so a new pattern applies everywhere at once.
 */
export const sitePathField = (): Field => ({
  name: 'path',
  type: 'text',
  virtual: true,
  access: { create: () => false, update: () => false },
  admin: {
    position: 'sidebar',
    readOnly: true,
    description: 'Where the site serves this document (Site settings → Site addresses).',
  },
  hooks: { afterRead: [inFieldOrder(resolvePath)] },
})
