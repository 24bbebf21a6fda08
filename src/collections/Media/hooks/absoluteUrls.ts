import type { CollectionAfterReadHook } from 'payload'

import { publicServerUrl } from '../../../env'

type SizeUrls = Record<string, { url?: string | null } | null | undefined>

/**
 * Where media URLs point: MEDIA_BASE_URL (a CDN in front of this server) when set, otherwise this
 * server's public address. Read once: both are settings, fixed for the life of the process.
 */
export const mediaBaseUrl = (env: Record<string, string | undefined> = process.env): string =>
  env.MEDIA_BASE_URL?.trim().replace(/\/+$/, '') || publicServerUrl(env)

/**
 * Payload writes upload URLs relative to the server (`/api/media/file/x.webp`) unless its serverURL
 * is set, and a front end on another origin, a feed reader or an email client then has nothing to
 * load. Every URL of a media document (the file, each size, the admin thumbnail) leaves absolute,
 * on the CDN base when there is one; the path stays Payload's, so the CDN pulls from this server.
 */
export const absoluteMediaUrls = (env: Record<string, string | undefined> = process.env): CollectionAfterReadHook => {
  const base = mediaBaseUrl(env)
  const serverPrefix = env.PUBLIC_SERVER_URL?.trim().replace(/\/+$/, '')
  const absolute = (url: unknown) => {
    if (typeof url !== 'string' || url === '') return url
    if (serverPrefix && url.startsWith(`${serverPrefix}/`)) return `${base}${url.slice(serverPrefix.length)}`
    return url.startsWith('/') ? `${base}${url}` : url
  }
  return ({ doc }) => {
    if (!doc || typeof doc !== 'object') return doc
    if ('url' in doc) doc.url = absolute(doc.url)
    if ('thumbnailURL' in doc) doc.thumbnailURL = absolute(doc.thumbnailURL)
    const sizes = doc.sizes as SizeUrls | undefined
    if (sizes && typeof sizes === 'object') {
      for (const size of Object.values(sizes)) if (size && typeof size === 'object' && 'url' in size) size.url = absolute(size.url) as string
    }
    return doc
  }
}
