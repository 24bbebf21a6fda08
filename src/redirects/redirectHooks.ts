import type { CollectionAfterChangeHook, CollectionBeforeChangeHook, CollectionBeforeValidateHook, CollectionSlug } from 'payload'
import { ValidationError } from 'payload'

import { urlSchemeFor } from '../urls'
import { customTargetProblem, normalizeFrom, sitePathOf } from './paths'
import type { RedirectTo, StoredRedirect } from './resolve'
import { idOf, landingOf, loadRedirects, REDIRECTS, resolveRedirects } from './resolve'

const refuse = (path: string, message: string) => new ValidationError({ collection: REDIRECTS, errors: [{ path, message }] })

type RedirectData = Partial<StoredRedirect> & Record<string, unknown>

/** The redirect as it will be stored: a PATCH sends only what changes. */
const merged = (data: RedirectData, originalDoc: RedirectData | undefined): StoredRedirect => ({
  ...(originalDoc as StoredRedirect),
  ...(data as StoredRedirect),
  to: { ...(originalDoc?.to as RedirectTo | undefined), ...(data.to as RedirectTo | undefined) },
})

/**
 * One spelling per source (`/old/` is `/old`), so that "one redirect per path" holds on the unique
 * `from` column and chains can be followed by exact match; and only targets a host can send
 * readers to.
 */
export const normalizeRedirect: CollectionBeforeValidateHook = ({ data, originalDoc }) => {
  if (!data) return data
  if (data.from !== undefined || !originalDoc) {
    const from = normalizeFrom(data.from)
    if ('problem' in from) throw refuse('from', from.problem)
    data.from = from.path
  }
  const to = merged(data, originalDoc).to
  if (to?.type === 'custom') {
    const problem = customTargetProblem(to.url)
    if (problem) throw refuse('to.url', problem)
    if (data.to && typeof (data.to as RedirectTo).url === 'string') (data.to as RedirectTo).url = (to.url as string).trim()
  }
  return data
}

/**
 * A redirect whose target leads back to its own source, at once or through other redirects, would
 * send readers round in circles (browsers give up after about 20 hops): refused, whoever writes it,
 * the admin panel, the API or the hooks that make redirects when documents move.
 */
export const refuseLoops: CollectionBeforeChangeHook = async ({ data, originalDoc, req }) => {
  const candidate = merged(data as RedirectData, originalDoc as RedirectData | undefined)
  const scheme = await urlSchemeFor(req)
  const others = (await loadRedirects(req)).filter(
    (redirect) => redirect.from !== candidate.from && (originalDoc?.id === undefined || redirect.id !== originalDoc.id),
  )
  const byFrom = await resolveRedirects(req, scheme, [...others, candidate])
  const landing = landingOf(byFrom, byFrom.get(candidate.from)!)
  if ('loop' in landing) {
    const field = candidate.to?.type === 'custom' ? 'to.url' : 'to.reference'
    const chain = landing.loop.join(' → ')
    throw refuse(
      field,
      landing.loop.length === 2
        ? `This redirect would send ${candidate.from} to itself.`
        : `This redirect would make a loop: ${chain}. Change its target or remove one of the redirects in the chain.`,
    )
  }
  return data
}

/**
 * Chains are collapsed: a redirect to a custom path that is now itself redirected (A → B, then
 * B → C) is pointed where the new redirect points (A → C), so readers make one hop. Redirects that
 * name a document are left alone: they follow the document wherever it goes.
 */
export const collapseChains: CollectionAfterChangeHook = async ({ doc, req }) => {
  const saved = doc as StoredRedirect
  const scheme = await urlSchemeFor(req)
  const { docs } = await req.payload.db.find<StoredRedirect>({
    collection: REDIRECTS as CollectionSlug,
    where: { and: [{ 'to.type': { equals: 'custom' } }, { id: { not_equals: saved.id } }] },
    pagination: false,
    select: { from: true, to: true },
    req,
  })
  const to = saved.to ?? {}
  const reference = to.reference ? { relationTo: to.reference.relationTo, value: idOf(to.reference.value) } : null
  for (const redirect of docs) {
    if (!redirect.to?.url || sitePathOf(scheme, redirect.to.url) !== saved.from) continue
    await req.payload.update({
      collection: REDIRECTS as CollectionSlug,
      id: redirect.id!,
      data: { to: { type: to.type, reference, url: to.url ?? null } } as never,
      depth: 0,
      overrideAccess: true,
      req,
    })
  }
  return doc
}
