import { createHash } from 'node:crypto'

import type {
  CollectionBeforeOperationHook,
  CollectionSlug,
  Field,
  FieldHook,
  PayloadRequest,
  SelectType,
} from 'payload'
import { getSelectMode } from 'payload/shared'

import { documentTag, globalTag } from '../changes/cacheTags'
import { declareDependencies } from '../changes/dependencies'
import { richTextReferences } from '../changes/dependencyPlugin'
import { sharedWithThePublic } from '../server/cache/populatedDocuments'
import { richTextToPlainText } from '../utilities/richText'
import { richTextToHtml } from '../utilities/richTextHtml'
import { populateAsReader } from '../utilities/populateAsReader'
import { urlSchemeFor } from '../urls'
import { inFieldOrder } from './inFieldOrder'

/**
 * `locale=all` reads a localized rich-text field as `{ en: …, de: … }`: each language gets its own
 * rendition then.
 */
const perLocale = async (
  value: unknown,
  localeCodes: string[],
  render: (richText: unknown, locale?: string) => Promise<string | null> | string | null,
): Promise<unknown> => {
  const isLocaleMap =
    value !== null &&
    typeof value === 'object' &&
    !('root' in value) &&
    Object.keys(value).length > 0 &&
    Object.keys(value).every((key) => localeCodes.includes(key))
  if (!isLocaleMap) return render(value)
  const entries = Object.entries(value as Record<string, unknown>)
  return Object.fromEntries(
    await Promise.all(entries.map(async ([locale, richText]) => [locale, await render(richText, locale)])),
  )
}

const localeCodesOf = (req: PayloadRequest) =>
  req.payload.config.localization ? req.payload.config.localization.localeCodes : []

const fingerprints = new WeakMap<object, string>()

/**
 * The rich text's content, as a key: a rendition is made from the content alone (and what it loads, which
 * it declares), so one rendition serves every version and document with the same content. Taken once per
 * value read, for both renditions.
 */
const fingerprintOf = (richText: object) => {
  let fingerprint = fingerprints.get(richText)
  if (!fingerprint) fingerprints.set(richText, (fingerprint = createHash('sha256').update(JSON.stringify(richText)).digest('base64url')))
  return fingerprint
}

type HookArgs = Parameters<FieldHook>[0]

/**
 * Where a rich text sits: the document or global (as it is now: its tag and `updatedAt`), the field's
 * path and how deep the read populates (an image the rich text holds is populated or not by it). A public
 * read finds the same content there until that document changes; undefined when the read has no such
 * place (a document without id or `updatedAt`). Payload stamps `updatedAt` at every save, so a read that
 * raced a change keeps its rendition under the stamp of the content it rendered.
 */
const placeOf = ({ collection, global, data, path, depth, currentDepth }: HookArgs) => {
  const doc = data as { id?: unknown; updatedAt?: unknown } | undefined
  if (typeof doc?.updatedAt !== 'string') return undefined
  const tag = global
    ? globalTag(global.slug)
    : collection && (typeof doc.id === 'number' || typeof doc.id === 'string')
      ? documentTag(collection.slug, doc.id)
      : undefined
  if (!tag) return undefined
  return { tag, key: `${tag}\u0000${doc.updatedAt}\u0000${(path ?? []).join('.')}\u0000${depth}\u0000${currentDepth}` }
}

/**
 * A rendition as a public reader gets it, made once and kept until what it loaded (images, link targets,
 * the address scheme) changes; a draft read, or one with access overridden, makes its own.
 *
 * Kept twice: by the rich text's content (one rendition serves every version and document with the same
 * content, so a change elsewhere in the document renders nothing again), and by its place, until that
 * document changes, so that a read of unchanged content finds its rendition without serializing and
 * hashing the rich text again (about 5 % of the CPU time of an uncached list of ten posts).
 */
const rendition = async (
  kind: string,
  args: HookArgs,
  richText: unknown,
  locale: string | undefined,
  render: () => Promise<string | null>,
): Promise<string | null> => {
  const { req, draft, overrideAccess } = args
  if (draft || overrideAccess || !richText || typeof richText !== 'object') return render()
  // The request's own languages too: link targets and images are loaded in them.
  const languages = `${locale ?? ''}\u0000${String(req.locale)}\u0000${String(req.fallbackLocale)}`
  const byContent = () =>
    sharedWithThePublic(req, `${kind}\u0000${languages}\u0000${fingerprintOf(richText)}`, () => {
      // An image Payload has populated into the rich text already is rendered without loading it again:
      // the rendition depends on every document the rich text names all the same.
      richTextReferences(richText)
      return render()
    })
  const place = placeOf(args)
  if (!place) return byContent()
  return sharedWithThePublic(req, `${kind}\u0000${languages}\u0000${place.key}`, () => {
    // The content is the document's: any change to it retires this one (not the one kept by content).
    declareDependencies(place.tag)
    return byContent()
  })
}

const toHtml =
  (source: string): FieldHook =>
  async (args) => {
    const { siblingData, req, draft, overrideAccess } = args
    const populate = populateAsReader({ req, draft, overrideAccess })
    return perLocale(siblingData?.[source], localeCodesOf(req), (richText, locale) =>
      // The scheme is asked for inside the rendition, so a kept one learns that it depends on it.
      rendition('html', args, richText, locale ?? req.locale, async () =>
        richTextToHtml(richText, populate, { scheme: await urlSchemeFor(req), locale: locale ?? req.locale }),
      ),
    )
  }

const toText =
  (source: string): FieldHook =>
  (args) =>
    perLocale(args.siblingData?.[source], localeCodesOf(args.req), (richText) =>
      rendition('text', args, richText, undefined, async () =>
        richText ? richTextToPlainText(richText) : null,
      ),
    )

const derived = (name: string, description: string, hook: FieldHook): Field => ({
  name,
  type: 'textarea',
  virtual: true,
  // Computed on every read; whatever a client sends for it is dropped.
  access: { create: () => false, update: () => false },
  admin: { disabled: true, readOnly: true, description },
  hooks: { afterRead: [inFieldOrder(hook)] },
  // Not a localized field (nothing is stored), but read with locale=all it is one value per language.
  custom: { readPerLocale: true },
})

/**
 * `<source>Html` and `<source>Text` beside a rich-text field, for front ends without a Lexical
 * renderer. They are computed when read, not stored: images and link targets are resolved at that
 * moment, so a renamed slug, a new alt text or an unpublished target shows up at once, and what the
 * reader may not see never reaches the HTML.
 */
export const richTextRenditions = (source: string): Field[] => [
  derived(`${source}Html`, `HTML of ${source}, computed when read.`, toHtml(source)),
  derived(`${source}Text`, `Plain text of ${source}, computed when read.`, toText(source)),
]

const RENDITION_NAME = /^(.+)(Html|Text)$/

/**
 * A `select` that asks for `contentHtml` but not `content` would load nothing to render from.
 * In include mode each selected rendition brings its source along (the answer then carries the
 * Lexical JSON too). Exclude mode needs nothing: excluding `content` alone is the caller's choice.
 */
export const selectRenditionSources = (select: unknown): unknown => {
  if (!select || typeof select !== 'object' || Array.isArray(select)) return select
  const level = select as Record<string, unknown>
  const result: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(level)) {
    result[key] = typeof value === 'object' ? selectRenditionSources(value) : value
    const source = RENDITION_NAME.exec(key)?.[1]
    if (value === true && source && !(source in level)) result[source] = true
  }
  return result
}

export const loadRenditionSources =
  <TSlug extends CollectionSlug>(): CollectionBeforeOperationHook<TSlug> =>
  ({ args, operation }) => {
    if (operation !== 'read' || !args || typeof args !== 'object' || !('select' in args) || !args.select) return args
    if (getSelectMode(args.select as SelectType) !== 'include') return args
    return { ...args, select: selectRenditionSources(args.select) }
  }
