import type { PayloadRequest } from 'payload'

import type { UrlScheme } from '../urls'
import { documentPath } from '../urls'

export type SiteRedirect = { from: string; to: string; status: number }

type RedirectDoc = {
  from?: string | null
  type?: string | null
  to?: { type?: string | null; url?: string | null; reference?: { relationTo?: string; value?: unknown } | null } | null
}

/**
 * The redirects a site should serve, from the redirects plugin's collection as the public reads it:
 * a redirect to a document the public cannot read (a draft, a deleted page) is left out. The one
 * place the export learns redirects; src/redirects/ (another branch) will offer the same list with
 * the automatic ones, and this function then asks it instead.
 */
export const readRedirects = async (req: PayloadRequest, scheme: UrlScheme): Promise<SiteRedirect[]> => {
  const { docs } = await req.payload.find({
    collection: 'redirects',
    depth: 1,
    pagination: false,
    sort: 'from',
    overrideAccess: false,
    draft: false,
    req,
  })
  const redirects: SiteRedirect[] = []
  for (const doc of docs as unknown as RedirectDoc[]) {
    if (!doc.from) continue
    let to: string | null = null
    if (doc.to?.type === 'custom') to = doc.to.url || null
    else {
      const reference = doc.to?.reference
      const target = reference?.value
      if (reference?.relationTo && target && typeof target === 'object') {
        to = documentPath(scheme, reference.relationTo, target as { slug?: string })
      }
    }
    if (!to) continue
    redirects.push({ from: doc.from, to, status: Number(doc.type) || 301 })
  }
  return redirects.sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : 0))
}

/** Netlify's `_redirects` (Cloudflare Pages reads the same file): `from to status`, one a line. */
export const netlifyRedirects = (redirects: SiteRedirect[]): string =>
  redirects.map(({ from, to, status }) => `${from.replace(/\s/g, '%20')} ${to.replace(/\s/g, '%20')} ${status}\n`).join('')
