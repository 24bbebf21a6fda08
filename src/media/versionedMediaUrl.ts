import type { CollectionAfterReadHook } from 'payload'

import type { MediaStorage } from './storage'
import { mediaStorage } from './storage'
import { isPlainFilename } from './storage/types'

/** The query parameter that names the version of a media file's bytes in its URL. */
export const MEDIA_VERSION_PARAMETER = 'v'

/**
 * `url` with the version of `filename`'s bytes appended (`?v=<16 hex digits of its SHA-256>`), or
 * `url` as it is when there is no such file (an external URL, a missing file). Payload reuses file
 * names (a size re-cropped in place, a name freed by a delete and taken by the next upload), so a
 * bare name may not be cached for good; a URL that names the bytes may: the media route answers it
 * `immutable` as long as the file still holds those bytes (src/server/mediaFiles.ts). Any code that
 * makes a media URL (absolute ones included) passes it through here. `stamp` is the document's
 * `updatedAt`, under which object storage keeps the answer (src/media/storage/s3.ts).
 */
export const versionedMediaUrl = async (
  url: string | null | undefined,
  filename: string | null | undefined,
  stamp?: string | null,
  storage: MediaStorage = mediaStorage(),
): Promise<string | null | undefined> => {
  if (!url || !filename || !isPlainFilename(filename)) return url
  const version = await storage.versionOf(filename, stamp).catch(() => undefined)
  if (!version) return url
  const hash = url.indexOf('#')
  const [base, fragment] = hash === -1 ? [url, ''] : [url.slice(0, hash), url.slice(hash)]
  const withoutVersion = base.replace(new RegExp(`([?&])${MEDIA_VERSION_PARAMETER}=[^&]*(&|$)`), (_, before, after) =>
    after ? before : '',
  )
  const separator = withoutVersion.includes('?') ? '&' : '?'
  return `${withoutVersion}${separator}${MEDIA_VERSION_PARAMETER}=${version}${fragment}`
}

type MediaDoc = {
  updatedAt?: string | null
  url?: string | null
  filename?: string | null
  thumbnailURL?: string | null
  sizes?: Record<string, { url?: string | null; filename?: string | null } | undefined> | null
}

/**
 * Versions every URL of a media document as Payload built them (`url`, `sizes.*.url`, and
 * `thumbnailURL`, which is its thumbnail's URL). Everything that shows a media document reads it
 * through here: REST, GraphQL, population, the rich-text renditions' `src` and `srcset`.
 */
export const versionMediaUrls =
  (storage?: MediaStorage): CollectionAfterReadHook =>
  async ({ doc, collection }) => {
    const media = doc as MediaDoc
    const thumbnailSize =
      typeof collection.upload === 'object' && typeof collection.upload.adminThumbnail === 'string'
        ? collection.upload.adminThumbnail
        : undefined
    const jobs: Promise<void>[] = []
    if (media.url) jobs.push(versionedMediaUrl(media.url, media.filename, media.updatedAt, storage).then((url) => void (media.url = url)))
    for (const [name, size] of Object.entries(media.sizes ?? {})) {
      if (!size?.url) continue
      jobs.push(
        versionedMediaUrl(size.url, size.filename, media.updatedAt, storage).then((url) => {
          size.url = url
          if (name === thumbnailSize && media.thumbnailURL) media.thumbnailURL = url
        }),
      )
    }
    await Promise.all(jobs)
    return doc
  }
