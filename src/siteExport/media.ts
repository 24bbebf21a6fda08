import type { MediaMode } from './manifest'

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

export type MediaUrls = {
  /** Rewrites every media URL inside `value` (deeply) and adds the file names it found to `found`. */
  rewrite: <T>(value: T, found: Set<string>) => T
  /** Where a media file goes in the export folder. */
  exportPath: (filename: string) => string
}

/**
 * Media URLs as Greenroom answers them (`url`, `sizes.*.url`, `thumbnailURL`, `src`/`srcset` in
 * rich-text HTML): `<media base>/api/media/file/<name>`, the media base being MEDIA_BASE_URL or this
 * server (src/collections/Media/hooks/absoluteUrls.ts); the server's origin and the origin-less form
 * are recognised too. `copy`: each becomes the path the copied file has on the site
 * (`<site base path>/media/<name>`); `link`: each stays on the media base. Either way the file names
 * are collected, so the export knows which files its documents show.
 */
export const mediaUrls = ({ mode, mediaBase, serverUrl, siteUrl, folder }: { mode: MediaMode; mediaBase: string; serverUrl: string; siteUrl: string; folder: string }): MediaUrls => {
  const prefixes = [...new Set([mediaBase, new URL(serverUrl).origin])].map(escapeRegExp)
  const basePath = new URL(siteUrl).pathname.replace(/\/+$/, '')
  // The origin-less form only where no other origin stands before it.
  const pattern = new RegExp(`(?:${prefixes.join('|')}|(?<![\\w.:/-]))/api/media/file/([^\\s"'<>?#),]+)(?:\\?[^\\s"'<>#),]*)?`, 'g')
  const exportPath = (filename: string) => `${folder}/${filename}`

  const rewriteString = (text: string, found: Set<string>) =>
    text.includes('/api/media/file/')
      ? text.replace(pattern, (match, encoded: string) => {
          let filename: string
          try {
            filename = decodeURIComponent(encoded)
          } catch {
            return match
          }
          if (filename.includes('/') || filename.startsWith('.')) return match
          found.add(filename)
          return mode === 'copy' ? `${basePath}/media/${encoded}` : `${mediaBase}/api/media/file/${encoded}`
        })
      : text

  const rewrite = <T>(value: T, found: Set<string>): T => {
    if (typeof value === 'string') return rewriteString(value, found) as T
    if (Array.isArray(value)) return value.map((item) => rewrite(item, found)) as T
    if (value && typeof value === 'object') {
      const copy: Record<string, unknown> = {}
      for (const [key, child] of Object.entries(value)) copy[key] = rewrite(child, found)
      return copy as T
    }
    return value
  }
  return { rewrite, exportPath }
}
