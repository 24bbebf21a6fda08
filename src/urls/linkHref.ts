import type { FieldHook } from 'payload'

import { populateAsReader } from '../utilities/populateAsReader'
import { idOf, safeHref } from '../utilities/richTextHtml'
import { documentPath, routingSelect, urlSchemeFor } from '.'

type LinkData = {
  type?: string | null
  url?: string | null
  reference?: { relationTo?: string; value?: unknown } | null
}

type Routed = { id?: number | string; slug?: string | null; publishedAt?: string | null }

/**
 * A link's `href`, resolved by the server so front ends do not each re-implement the site's address
 * scheme: a custom URL as given (unless unsafe), a page or post at its path under the one scheme, in
 * the reader's language. The target is loaded with the reader's own rights, so a link to a draft
 * or a trashed or deleted document has no `href` for a reader (the front end renders plain text) and never
 * reveals its slug.
 */
export const resolveLinkHref: FieldHook = async ({ siblingData, req, draft, overrideAccess }) => {
  const link = (siblingData ?? {}) as LinkData
  if (link.type === 'custom') return safeHref(link.url)
  const collection = link.reference?.relationTo
  const id = idOf(link.reference?.value)
  if (typeof collection !== 'string' || id === undefined) return null
  const populate = populateAsReader({ req, draft, overrideAccess })
  const target = (await populate({ collectionSlug: collection, id, select: routingSelect(collection) })) as Routed | undefined
  if (!target) return null
  return documentPath(await urlSchemeFor(req), collection, target, req.locale)
}
