import type {
  HTMLConverterAsync,
  HTMLConvertersAsync,
  HTMLConvertersFunctionAsync,
} from '@payloadcms/richtext-lexical/html-async'
import { convertLexicalToHTMLAsync } from '@payloadcms/richtext-lexical/html-async'
import { sanitizeUrl } from 'payload/shared'

import { CODE_LANGUAGES } from '../blocks/Code/config'
import { pictureOf } from '../media/pictureSources'
import type { UrlScheme } from '../urls'
import { documentPath, routingSelect, urlSchemeFromSettings } from '../urls'
import { isLexicalState } from './richText'

/** Loads a document a node points at; Payload's converters call it `populate` (the type is not exported). */
export type HTMLPopulateFn = NonNullable<Parameters<typeof convertLexicalToHTMLAsync>[0]['populate']>
type Populate = HTMLPopulateFn | undefined
type Relation = { relationTo?: unknown; value?: unknown }
type ImageSize = { url?: string | null; width?: number | null; height?: number | null; mimeType?: string | null }
type MediaDoc = {
  url?: string | null
  alt?: string | null
  caption?: string | null
  width?: number | null
  height?: number | null
  sizes?: Record<string, ImageSize | undefined> | null
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }

/** For text and attribute values alike. */
export const escapeHtml = (value: unknown): string =>
  String(value ?? '').replace(/[&<>"']/g, (char) => HTML_ESCAPES[char])

const SCHEME = /^([a-z][a-z0-9+.-]*):/i
const SAFE_SCHEMES = new Set(['http', 'https', 'mailto', 'tel'])

/**
 * A URL that may become an href, or null. Payload's sanitizeUrl strips control characters and turns
 * `javascript:`/`data:` URLs into `#`; a dead `#` link would still look like a link, so such URLs
 * (and a bare `javascript:`, which sanitizeUrl lets through) are not linked at all.
 */
export const safeHref = (url: unknown): string | null => {
  if (typeof url !== 'string') return null
  const cleaned = sanitizeUrl(url)
  if (!cleaned) return null
  const scheme = SCHEME.exec(cleaned)?.[1]?.toLowerCase()
  if (scheme && !SAFE_SCHEMES.has(scheme)) return null
  if (cleaned === '#' && url.trim() !== '#') return null
  return cleaned
}

/** The id of a relation's value, whether populated or not. */
export const idOf = (value: unknown): number | string | undefined => {
  if (typeof value === 'number' || typeof value === 'string') return value
  if (value && typeof value === 'object' && 'id' in value) return idOf((value as { id: unknown }).id)
  return undefined
}

/**
 * The referenced document, loaded with the reader's own rights. A document the reader may not see
 * (a draft, for an anonymous reader) comes back empty, so nothing of it reaches the HTML.
 */
const loadDocument = async <T extends object>(
  collectionSlug: string,
  value: unknown,
  populate: Populate,
  select?: Record<string, true>,
): Promise<T | undefined> => {
  const id = idOf(value)
  if (id === undefined || !populate) return undefined
  return (await populate<T & { id: number | string }>({ collectionSlug, id, select })) ?? undefined
}

/** The address scheme links are written in, and the language of the rendition (for its path prefix). */
export type Rendering = { scheme: UrlScheme; locale?: string }

const LINKABLE_COLLECTIONS = new Set(['posts', 'pages'])

const internalHref = async (
  doc: Relation | undefined,
  populate: Populate,
  rendering: Rendering,
): Promise<string | null> => {
  const collection = doc?.relationTo
  if (typeof collection !== 'string' || !LINKABLE_COLLECTIONS.has(collection)) return null
  const target = await loadDocument<{ slug?: string | null; publishedAt?: string | null; id?: number | string }>(
    collection,
    doc?.value,
    populate,
    routingSelect(collection),
  )
  return target ? documentPath(rendering.scheme, collection, target, rendering.locale) : null
}

type LinkFields = { linkType?: string; url?: string; newTab?: boolean; doc?: Relation }

/** A link the reader cannot follow (unsafe URL, unreadable or deleted target) keeps its text and loses the anchor. */
const linkConverter =
  (rendering: Rendering): HTMLConverterAsync<any> =>
  async ({ node, nodesToHTML, populate, providedStyleTag }) => {
    const children = (await nodesToHTML({ nodes: node.children ?? [] })).join('')
    const fields: LinkFields = node.fields ?? {}
    const href =
      fields.linkType === 'internal' ? await internalHref(fields.doc, populate, rendering) : safeHref(fields.url)
    if (!href) return children
    const newTab = fields.newTab ? ' target="_blank" rel="noopener noreferrer"' : ''
    return `<a${providedStyleTag} href="${escapeHtml(href)}"${newTab}>${children}</a>`
  }

/**
 * A `<picture>`: AVIF and WebP sources with their widths (src/media/pictureSources.ts, the same list
 * as the document's `picture` field), the original as the fallback, and its width and height, so the
 * browser reserves the space before the image arrives.
 */
export const imageHtml = (media: MediaDoc): string => {
  const picture = pictureOf(media, (url) => safeHref(url) !== null)
  if (!picture) return ''
  const attributes = [
    `src="${escapeHtml(safeHref(picture.src))}"`,
    `alt="${escapeHtml(media.alt)}"`,
    picture.width ? `width="${Number(picture.width)}"` : '',
    picture.height ? `height="${Number(picture.height)}"` : '',
    'loading="lazy"',
    'decoding="async"',
  ]
  const img = `<img ${attributes.filter(Boolean).join(' ')} />`
  if (!picture.sources.length) return img
  const sources = picture.sources
    .map(({ type, srcset }) => `<source type="${escapeHtml(type)}" srcset="${escapeHtml(srcset)}" sizes="${escapeHtml(picture.sizes)}" />`)
    .join('')
  return `<picture>${sources}${img}</picture>`
}

const figureHtml = (media: MediaDoc | undefined, className: string): string => {
  const image = media ? imageHtml(media) : ''
  if (!image) return ''
  const caption = media?.caption ? `<figcaption>${escapeHtml(media.caption)}</figcaption>` : ''
  return `<figure class="${className}">${image}${caption}</figure>`
}

const uploadConverter: HTMLConverterAsync<any> = async ({ node, populate }) => {
  if (node.relationTo !== 'media') return ''
  const media =
    typeof node.value === 'object' && node.value !== null
      ? node.value
      : await loadDocument('media', node.value, populate)
  return figureHtml(media, 'upload')
}

const pick = <T extends string>(value: unknown, allowed: readonly T[], fallback: T): T =>
  allowed.includes(value as T) ? (value as T) : fallback

const BANNER_STYLES = ['info', 'warning', 'error', 'success'] as const
const MEDIA_WIDTHS = ['content', 'wide', 'full'] as const

/** Our blocks inside post content. Every value from the editor is escaped or checked against its options. */
const blockConverters: Record<string, HTMLConverterAsync<any>> = {
  banner: async ({ node, converters, populate }) => {
    const style = pick(node.fields?.style, BANNER_STYLES, 'info')
    const inner = isLexicalState(node.fields?.content)
      ? await convertLexicalToHTMLAsync({ data: node.fields.content, converters, populate, disableContainer: true })
      : ''
    return `<aside class="banner banner-${style}" role="note">${inner}</aside>`
  },
  code: ({ node }) => {
    const language = pick(node.fields?.language, CODE_LANGUAGES, 'plaintext')
    const pre = `<pre><code class="language-${language}">${escapeHtml(node.fields?.code)}</code></pre>`
    const caption = node.fields?.caption ? `<figcaption>${escapeHtml(node.fields.caption)}</figcaption>` : ''
    return `<figure class="code-block">${pre}${caption}</figure>`
  },
  mediaBlock: async ({ node, populate }) => {
    const width = pick(node.fields?.width, MEDIA_WIDTHS, 'content')
    const value = node.fields?.media
    const media = typeof value === 'object' && value !== null ? value : await loadDocument('media', value, populate)
    return figureHtml(media, `media-block media-block-${width}`)
  },
}

/** Payload's converters, with our links, images and blocks; a node type nobody knows keeps its text. */
const htmlConverters =
  (rendering: Rendering): HTMLConvertersFunctionAsync =>
  ({ defaultConverters }) =>
  ({
    ...defaultConverters,
    link: linkConverter(rendering),
    autolink: linkConverter(rendering),
    upload: uploadConverter,
    blocks: blockConverters,
    unknown: async ({ node, nodesToHTML }) => {
      const children = (node as { children?: unknown }).children
      return Array.isArray(children) ? (await nodesToHTML({ nodes: children })).join('') : ''
    },
  }) as HTMLConvertersAsync

/** HTML for a Lexical document, without a wrapping element; null for anything that is not one. */
export const richTextToHtml = async (
  value: unknown,
  populate?: HTMLPopulateFn,
  rendering: Rendering = { scheme: urlSchemeFromSettings({}, { locales: [], defaultLocale: 'en' }) },
): Promise<string | null> => {
  if (!isLexicalState(value)) return null
  return convertLexicalToHTMLAsync({
    data: value,
    converters: htmlConverters(rendering),
    populate,
    disableContainer: true,
  })
}
