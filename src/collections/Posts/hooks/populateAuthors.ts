import type { FieldHook } from 'payload'
import { createDataloaderCacheKey } from 'payload'

import { documentTag } from '../../../changes/cacheTags'
import { declareDependencies } from '../../../changes/dependencies'
import type { Media, User } from '../../../payload-types'
import { sharedAsThePublic } from '../../../server/cache/populatedDocuments'

export type PublicAuthor = {
  id: number | string
  name: string
  bio: string | null
  avatar: number | string | Media | null
}

const PUBLIC_PROFILE = { name: true, bio: true, avatar: true } as const

// What every reader sees of an author, whoever asks: the public's requests share it across requests.
// The change log records a user when one of these fields changes (src/changes/recordChanges.ts).
sharedAsThePublic('users', PUBLIC_PROFILE)

/**
 * Readers may not read the users collection, yet a post should show who wrote it. This fills the
 * virtual `populatedAuthors` with the public part of each author's profile (never email or
 * role). Loads go through Payload's request dataloader, so a list of posts costs one users query.
 */
export const populateAuthors: FieldHook = async ({ data, req, depth }): Promise<PublicAuthor[]> => {
  const ids: (number | string)[] = (data?.authors ?? []).map((author: number | string | User) =>
    typeof author === 'object' ? author.id : author,
  )
  if (ids.length === 0) return []
  // Declared on every read: the dataloader answers a repeated load without running users' hooks again.
  declareDependencies(...ids.map((id) => documentTag('users', id)))
  const profiles = (await Promise.all(
    ids.map((id) =>
      req.payloadDataLoader.load(
        createDataloaderCacheKey({
          collectionSlug: 'users',
          docID: id,
          depth: (depth ?? 0) > 0 ? 1 : 0,
          currentDepth: 1,
          draft: false,
          // Payload's own population passes these through unset in the same way.
          locale: req.locale!,
          fallbackLocale: req.fallbackLocale!,
          overrideAccess: true,
          showHiddenFields: false,
          transactionID: req.transactionID!,
          select: PUBLIC_PROFILE,
        }),
      ),
    ),
  )) as (User | null | undefined)[]
  return profiles
    .filter((profile): profile is User => Boolean(profile))
    .map(({ id, name, bio, avatar }) => ({ id, name, bio: bio ?? null, avatar: avatar ?? null }))
}
