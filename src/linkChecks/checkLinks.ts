import type { CollectionSlug, PayloadRequest, Where } from 'payload'

import type { DocumentID, FoundLink } from './findLinks'
import { targetKey } from './findLinks'

export type BrokenLinkReason = 'missing' | 'unpublished' | 'trashed'

export type BrokenLink = {
  path: string
  label: string
  locale?: string
  /** The target, with its title when it still exists; null when the database dropped the reference. */
  target: { relationTo: string; id: DocumentID; title?: string } | null
  reason: BrokenLinkReason
}

const fitsIdType = (req: PayloadRequest, collection: string, id: DocumentID) => {
  const config = req.payload.collections[collection as CollectionSlug]
  if (!config) return false
  const type = config.customIDType ?? req.payload.db.defaultIDType
  return type !== 'number' || (typeof id === 'number' ? Number.isSafeInteger(id) : /^\d{1,15}$/.test(id))
}

type TargetState = { reason: BrokenLinkReason | null; title?: string }

/** The document being checked: a link to itself is never broken (it is published with it). */
export type SelfState = { collection: string; id?: DocumentID }

/**
 * The state of each target as readers see it, one query per collection (`id in [...]`), in the
 * caller's transaction. Trashed documents are asked for too (`trash: true`), so that they are
 * reported as trashed rather than missing.
 */
const targetStates = async (req: PayloadRequest, links: FoundLink[]): Promise<Map<string, TargetState>> => {
  const idsByCollection = new Map<string, Set<DocumentID>>()
  for (const { target } of links) {
    // An id that cannot be one of the collection's (a word where ids are numbers) names nothing.
    if (!target || !fitsIdType(req, target.relationTo, target.id)) continue
    const ids = idsByCollection.get(target.relationTo) ?? new Set<DocumentID>()
    ids.add(target.id)
    idsByCollection.set(target.relationTo, ids)
  }
  const states = new Map<string, TargetState>()
  for (const [collection, ids] of idsByCollection) {
    const config = req.payload.collections[collection as CollectionSlug]?.config
    if (!config) continue
    const drafts = Boolean(config.versions?.drafts)
    const trash = Boolean((config as { trash?: boolean }).trash)
    const titleField = config.admin?.useAsTitle
    const where: Where = { id: { in: [...ids] } }
    const { docs } = await req.payload.find({
      collection: collection as CollectionSlug,
      where,
      depth: 0,
      limit: ids.size,
      pagination: false,
      overrideAccess: true,
      // What readers see: the stored (published) document, not a newer draft.
      draft: false,
      ...(trash ? { trash: true } : {}),
      select: {
        ...(titleField && titleField !== 'id' ? { [titleField]: true } : {}),
        ...(drafts ? { _status: true } : {}),
        ...(trash ? { deletedAt: true } : {}),
      } as never,
      req,
    })
    const found = new Map((docs as unknown as Record<string, unknown>[]).map((doc) => [String(doc.id), doc]))
    for (const id of ids) {
      const doc = found.get(String(id))
      const title = doc && titleField && typeof doc[titleField] === 'string' ? (doc[titleField] as string) : undefined
      const reason: BrokenLinkReason | null = !doc
        ? 'missing'
        : doc.deletedAt
          ? 'trashed'
          : drafts && doc._status !== 'published'
            ? 'unpublished'
            : null
      states.set(targetKey({ relationTo: collection, id }), { reason, ...(title ? { title } : {}) })
    }
  }
  return states
}

/**
 * The broken links among `links`. A link whose reference the database removed (no target) takes
 * its target from `previous`, the list stored before, when one was reported at the same place.
 */
export const checkLinks = async (
  req: PayloadRequest,
  links: FoundLink[],
  { self, previous = [] }: { self?: SelfState; previous?: BrokenLink[] } = {},
): Promise<BrokenLink[]> => {
  const states = await targetStates(req, links)
  const broken: BrokenLink[] = []
  for (const link of links) {
    if (!link.target) {
      const before = previous.find((entry) => entry.path === link.path && entry.target)
      broken.push({ ...link, target: before?.target ?? null, reason: 'missing' })
      continue
    }
    const isSelf =
      self && self.id !== undefined && link.target.relationTo === self.collection && String(link.target.id) === String(self.id)
    const state = states.get(targetKey(link.target))
    const reason = isSelf ? null : state ? state.reason : 'missing'
    if (reason) {
      broken.push({ ...link, target: { ...link.target, ...(state?.title ? { title: state.title } : {}) }, reason })
    }
  }
  return broken
}

const REASONS: Record<BrokenLinkReason, string> = {
  missing: 'does not exist (deleted)',
  unpublished: 'is not published',
  trashed: 'is in the trash',
}

export const describeBrokenLink = (link: BrokenLink) => {
  const target = link.target
    ? `${link.target.relationTo} ${link.target.id}${link.target.title ? ` "${link.target.title}"` : ''}`
    : 'its target'
  return `"${link.label}" (${link.path}${link.locale ? `, ${link.locale}` : ''}) links to ${target}, which ${REASONS[link.reason]}`
}
