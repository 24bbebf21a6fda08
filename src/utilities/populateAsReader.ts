import type { PayloadRequest } from 'payload'
import { createDataloaderCacheKey } from 'payload'

import { documentTag } from '../changes/cacheTags'
import { declareDependencies } from '../changes/dependencies'
import type { HTMLPopulateFn } from './richTextHtml'

/**
 * Loads documents that a rendition or a link points at (images, link targets) through the request's dataloader,
 * so a list of posts costs one query per collection, and with the reader's own rights: what the
 * reader may not read (a draft, for an anonymous reader) comes back empty, and so does a trashed document.
 */
export const populateAsReader = ({
  req,
  draft,
  overrideAccess,
}: {
  req: PayloadRequest
  draft?: boolean
  overrideAccess?: boolean
}): HTMLPopulateFn =>
  (async ({ collectionSlug, id, select }) => {
    // What is made of the target (an href, an image) changes with it, and a target the reader may
    // not read yet (a draft) must be shown once it is published: declared whether it loads or not,
    // and on every call, since the dataloader answers a repeated load without reading again.
    declareDependencies(documentTag(collectionSlug, id))
    const doc = await req.payloadDataLoader.load(
      createDataloaderCacheKey({
        collectionSlug,
        docID: id,
        depth: 0,
        currentDepth: 1,
        draft: Boolean(draft),
        // Payload's own population passes these through unset in the same way.
        locale: req.locale!,
        fallbackLocale: req.fallbackLocale!,
        overrideAccess: Boolean(overrideAccess),
        showHiddenFields: false,
        transactionID: req.transactionID!,
        select,
      }),
    )
    // The dataloader reads trashed documents too (Payload's population drops them afterwards): a
    // link to one leads nowhere, for readers and the team alike.
    return doc && !(doc as { deletedAt?: unknown }).deletedAt ? doc : undefined
  }) as HTMLPopulateFn
