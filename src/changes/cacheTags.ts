import type { Payload } from 'payload'

import type { DocumentID } from '../utilities/documentReferences'

/**
 * Cache tags name what an API answer shows, so a CDN can purge exactly the answers a change
 * affects (Cloudflare's Cache-Tag, Fastly's and Akamai's Surrogate-Key). An answer carries a tag
 * per document in it (`posts:12`, `media:4`, populated ones included), collected while Payload
 * builds it (src/changes/dependencies.ts), and, if it is a list or a query, its collection's tag
 * (`posts`): a new or changed post can enter any list of posts. A change purges its document's tag
 * and its collection's tag (tagsToPurge), which is also what a build hook is told.
 */
export const collectionTag = (collection: string) => collection
export const documentTag = (collection: string, id: DocumentID) => `${collection}:${id}`
export const globalTag = (global: string) => `global:${global}`

export type ApiRoute = { kind: 'collection'; slug: string; id?: string } | { kind: 'global'; slug: string }

/** The collection or global a REST path reads, e.g. /api/posts, /api/posts/12, /api/globals/header. */
export const apiRouteOf = (payload: Payload, apiPath: string): ApiRoute | undefined => {
  const [first, second, third] = apiPath.split('/').filter(Boolean).map(decodeURIComponent)
  if (first === 'globals' && second && payload.config.globals.some(({ slug }) => slug === second)) {
    return third === undefined ? { kind: 'global', slug: second } : undefined
  }
  if (!first || !payload.collections[first as keyof Payload['collections']]) return undefined
  return { kind: 'collection', slug: first, id: second }
}

/** What a change to a document or global makes stale. */
export type ContentChange = { collection: string; id: DocumentID } | { global: string }

export const tagsToPurge = (change: ContentChange): string[] =>
  'global' in change
    ? [globalTag(change.global)]
    : [collectionTag(change.collection), documentTag(change.collection, change.id)]

/**
 * CDNs cap the header (Cloudflare at 16 KB in all). Beyond the limit every document tag gives way to
 * its collection's tag, which every change of that collection purges too, so nothing stale survives.
 */
export const cacheTagHeader = (tags: Iterable<string>, maxLength = 8000): string => {
  const all = [...tags]
  const joined = all.join(',')
  if (joined.length <= maxLength) return joined
  return [...new Set(all.map((tag) => (tag.startsWith('global:') ? tag : tag.split(':')[0])))].join(',')
}
