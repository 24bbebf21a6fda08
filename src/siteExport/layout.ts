import { stringify } from 'yaml'

import type { ContentFormat } from './manifest'
import { sortedKeys } from './manifest'
import type { UrlScheme } from '../urls'
import { documentPath } from '../urls'

type Doc = Record<string, any>

/** One file of the export: where it goes (relative to `--out`) and what it holds. */
export type ExportFile = { path: string; content: string }

/**
 * The folder layouts (see README, "Static export"):
 *
 * json                                     markdown (Hugo and Eleventy content folders)
 *   <locale>/posts/<slug>.json               content/posts/<slug>.md, content/posts/<slug>.<locale>.md
 *   <locale>/pages/<slug>.json               content/pages/<slug>.md (the home page: content/_index.md)
 *   <locale>/categories/<slug>.json          content/categories/<slug>/_index.md
 *   <locale>/globals/<slug>.json             data/<locale>/<slug>.json
 *   redirects.json, _redirects               data/redirects.json, static/_redirects
 *   media/<file>                             static/media/<file>
 *
 * JSON files hold the document exactly as the public reads it (depth 1, keys sorted). Markdown files
 * carry YAML front matter and the HTML rendition as body; translations use Hugo's file-name suffix.
 */
export const mediaFolder = (format: ContentFormat) => (format === 'json' ? 'media' : 'static/media')

export const redirectFiles = (format: ContentFormat) =>
  format === 'json' ? { json: 'redirects.json', netlify: '_redirects' } : { json: 'data/redirects.json', netlify: 'static/_redirects' }

const json = (value: unknown) => `${JSON.stringify(sortedKeys(value), null, 2)}\n`

const fileStem = (doc: Doc) => String(doc.slug || doc.id)

const isLexicalState = (value: unknown) =>
  Boolean(value && typeof value === 'object' && (value as Doc).root && typeof (value as Doc).root === 'object' && (value as Doc).root.type === 'root')

/**
 * The document without its Lexical states (every rich-text field has an `…Html` and `…Text`
 * sibling, which is what a template shows), for front matter.
 */
const withoutLexical = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.map(withoutLexical)
  if (!value || typeof value !== 'object') return value
  const copy: Doc = {}
  for (const [key, child] of Object.entries(value)) if (!isLexicalState(child)) copy[key] = withoutLexical(child)
  return copy
}

const idOf = (value: unknown) => (value && typeof value === 'object' ? (value as Doc).id : value)

/** The public URL of a populated upload (already rewritten to the export's media path or the server). */
const imageUrl = (media: unknown): string | undefined =>
  media && typeof media === 'object' && typeof (media as Doc).url === 'string' ? (media as Doc).url : undefined

/** Hugo (`url`) and Eleventy (`permalink`) both want the folder form of a path: `/posts/hello/`. */
const pagePermalink = (path: string) => (path.endsWith('/') ? path : `${path}/`)

const frontMatter = (data: Doc, body: string) => {
  const defined = Object.fromEntries(Object.entries(data).filter(([, value]) => value !== undefined && value !== null && value !== ''))
  return `---\n${stringify(defined, { lineWidth: 0 })}---\n\n${body.trim()}\n`
}

/** HTML of the page's hero and blocks, in order: the body of a page's Markdown file. */
const pageBody = (doc: Doc): string => {
  const parts: string[] = []
  const collect = (value: unknown) => {
    if (Array.isArray(value)) value.forEach(collect)
    else if (value && typeof value === 'object') {
      for (const [key, child] of Object.entries(value)) {
        if (key.endsWith('Html') && typeof child === 'string' && child) parts.push(child)
        else if (key !== 'docs' && key !== 'populatedDocs') collect(child)
      }
    }
  }
  collect(doc.hero)
  collect(doc.layout)
  return parts.join('\n\n')
}

type Context = { scheme: UrlScheme; locale: string; format: ContentFormat }

/**
 * A document's path without any language prefix, as Hugo wants `url` (it puts the language in front
 * itself, also for the default language when its content is in a subfolder).
 */
const unprefixedPath = (scheme: UrlScheme, collection: string, doc: Doc) =>
  documentPath({ ...scheme, localePaths: 'prefix-others' }, collection, doc, scheme.defaultLocale)

const markdownPath = (collection: string, doc: Doc, { locale, scheme }: Context) => {
  const suffix = locale === scheme.defaultLocale ? '' : `.${locale}`
  if (collection === 'pages' && unprefixedPath(scheme, collection, doc) === '/') return `content/_index${suffix}.md`
  if (collection === 'categories') return `content/categories/${fileStem(doc)}/_index${suffix}.md`
  return `content/${collection}/${fileStem(doc)}${suffix}.md`
}

const common = (collection: string, doc: Doc, { scheme, locale }: Context) => {
  const path = documentPath(scheme, collection, doc, locale)
  // Hugo puts the language in front of `url` itself; Eleventy's `permalink` is the whole path.
  const hugoPath = unprefixedPath(scheme, collection, doc)
  return {
    title: doc.title,
    slug: doc.slug,
    date: doc.publishedAt ?? doc.createdAt,
    lastmod: doc.updatedAt,
    draft: false,
    url: hugoPath ? pagePermalink(hugoPath) : undefined,
    permalink: path ? pagePermalink(path) : undefined,
    lang: locale,
    // Hugo pairs translations by it; Eleventy templates can too.
    translationKey: `${collection}/${String(doc.id)}`,
  }
}

const markdownDocument = (collection: string, doc: Doc, context: Context): string => {
  const greenroom = { collection, id: doc.id }
  if (collection === 'posts') {
    const image = imageUrl(doc.meta?.image) ?? imageUrl(doc.heroImage)
    return frontMatter(
      {
        ...common(collection, doc, context),
        description: doc.meta?.description || doc.excerpt,
        summary: doc.excerpt,
        categories: Array.isArray(doc.categories) ? doc.categories.map((category: Doc) => category?.slug ?? String(idOf(category))) : undefined,
        authors: Array.isArray(doc.populatedAuthors) ? doc.populatedAuthors.map((author: Doc) => author?.name).filter(Boolean) : undefined,
        image,
        // Hugo's internal Open Graph and Twitter templates read `images`.
        images: image ? [image] : undefined,
        readingTime: doc.readingTime,
        seo: doc.meta ? withoutLexical(doc.meta) : undefined,
        heroImage: doc.heroImage ? withoutLexical(doc.heroImage) : undefined,
        relatedPosts: Array.isArray(doc.relatedPosts) ? withoutLexical(doc.relatedPosts) : undefined,
        greenroom,
      },
      typeof doc.contentHtml === 'string' ? doc.contentHtml : '',
    )
  }
  if (collection === 'pages') {
    const image = imageUrl(doc.meta?.image) ?? imageUrl(doc.hero?.media)
    return frontMatter(
      {
        ...common(collection, doc, context),
        description: doc.meta?.description,
        image,
        images: image ? [image] : undefined,
        seo: doc.meta ? withoutLexical(doc.meta) : undefined,
        hero: withoutLexical(doc.hero),
        // Not `layout`: Hugo and Eleventy both read that key as the name of a template.
        blocks: withoutLexical(doc.layout),
        greenroom,
      },
      pageBody(doc),
    )
  }
  return frontMatter(
    {
      ...common(collection, doc, context),
      description: doc.description,
      parent: doc.parent ? ((doc.parent as Doc).slug ?? idOf(doc.parent)) : undefined,
      breadcrumbs: doc.breadcrumbs,
      greenroom,
    },
    typeof doc.description === 'string' ? doc.description : '',
  )
}

/**
 * Lexical gives a block stored without an id a new random one on every read (the demo content's
 * blocks have none), which would make every export of unchanged content differ. The id means
 * nothing to a site (the HTML renditions do not use it), so block nodes are exported without it.
 */
export const withoutBlockIds = <T>(value: T): T => {
  if (Array.isArray(value)) return value.map(withoutBlockIds) as T
  if (!value || typeof value !== 'object') return value
  const copy: Doc = {}
  for (const [key, child] of Object.entries(value)) copy[key] = withoutBlockIds(child)
  if ((copy.type === 'block' || copy.type === 'inlineBlock') && copy.fields && typeof copy.fields === 'object') {
    const { id: _id, ...fields } = copy.fields as Doc
    copy.fields = fields
  }
  return copy as T
}

/** The file one document gives in one locale. */
export const documentFile = (collection: string, doc: Doc, context: Context): ExportFile =>
  context.format === 'json'
    ? { path: `${context.locale}/${collection}/${fileStem(doc)}.json`, content: json(doc) }
    : { path: markdownPath(collection, doc, context), content: markdownDocument(collection, doc, context) }

export const globalFile = (slug: string, doc: Doc, { locale, format }: Context): ExportFile => ({
  path: format === 'json' ? `${locale}/globals/${slug}.json` : `data/${locale}/${slug}.json`,
  content: json(doc),
})

export const jsonText = json
