import type { CollectionSlug, FieldHook, RowField, TextField, Where } from 'payload'
import { ValidationError, slugField as payloadSlugField } from 'payload'

import { MAX_SLUG_LENGTH, isValidSlug, slugify, withSuffix } from '../utilities/slugify'

const FALLBACK_SLUG = 'untitled'
const MAX_SUFFIX_ATTEMPTS = 50

type SlugOptions = {
  /** The field the slug is generated from. */
  useAsSlug?: string
}

const isTaken = async (
  req: Parameters<FieldHook>[0]['req'],
  collection: CollectionSlug,
  slug: string,
  ownId: number | string | undefined,
): Promise<boolean> => {
  const where: Where = { slug: { equals: slug } }
  if (ownId !== undefined) where.id = { not_equals: ownId }
  const { totalDocs } = await req.payload.count({
    collection,
    where,
    overrideAccess: true,
    req,
  })
  return totalDocs > 0
}

const slugError = (collection: string, path: (number | string)[], message: string) =>
  new ValidationError({ collection, errors: [{ path: path.join('.'), message }] })

/**
 * Checks a slug sent by a client before Payload's generator touches it, so a malformed slug is
 * refused with a suggestion instead of being silently rewritten. Runs for drafts too, which
 * skip field validation.
 */
export const rejectMalformedSlug: FieldHook = ({ value, collection, path }) => {
  if (value === undefined || value === null || value === '') return value
  if (isValidSlug(value)) return value
  const suggestion = slugify(value)
  throw slugError(
    collection?.slug ?? 'document',
    path,
    `Slug "${String(value).slice(0, 120)}" is not valid: use lowercase letters, digits and single hyphens ` +
      `(at most ${MAX_SLUG_LENGTH} characters)` +
      (suggestion ? `, for example "${suggestion}".` : '.'),
  )
}

/**
 * Runs after Payload's generator has filled the slug in: a slug generated from the title that
 * collides gets a numeric suffix ("post-2"); a hand-typed slug that is taken is refused rather
 * than renamed behind the editor's back.
 */
export const ensureUniqueSlug =
  ({ useAsSlug }: Required<SlugOptions>): FieldHook =>
  async ({ value, data, originalDoc, collection, req, path }) => {
    if (!collection) return value
    if ((value === undefined || value === null || value === '') && originalDoc?.slug) return originalDoc.slug

    const generatedFromTitle = slugify(data?.[useAsSlug] ?? originalDoc?.[useAsSlug])
    const candidate: string = typeof value === 'string' && value !== '' ? value : generatedFromTitle || FALLBACK_SLUG
    const ownId = originalDoc?.id as number | string | undefined
    if (candidate === originalDoc?.slug || !(await isTaken(req, collection.slug, candidate, ownId))) {
      return candidate
    }

    const wasGenerated = candidate === generatedFromTitle || candidate === FALLBACK_SLUG
    if (!wasGenerated) {
      throw slugError(
        collection.slug,
        path,
        `Slug "${candidate}" is already used by another document in ${collection.slug}; choose another.`,
      )
    }
    for (let n = 2; n < MAX_SUFFIX_ATTEMPTS + 2; n++) {
      const next = withSuffix(candidate, n)
      if (!(await isTaken(req, collection.slug, next, ownId))) return next
    }
    throw slugError(collection.slug, path, `Could not find a free slug for "${candidate}"; set one by hand.`)
  }

/**
 * One slug per document, shared by its languages (see README, Languages). Saving a translation must
 * not rename the document, so Payload's generator (which follows the title while a document is
 * new) only runs when a document is created or saved in the default language.
 */
const notInTranslations =
  (hook: FieldHook): FieldHook =>
  (args) => {
    const localization = args.req.payload.config.localization
    const isTranslation = Boolean(localization) && args.req.locale !== (localization && localization.defaultLocale)
    return args.operation === 'update' && isTranslation ? args.value : hook(args)
  }

/**
 * Payload's slug field (sidebar field with the "generate from title" lock in the admin panel),
 * with transliteration, format checks and collision handling added.
 */
export const slugField = ({ useAsSlug = 'title' }: SlugOptions = {}): RowField =>
  payloadSlugField({
    useAsSlug,
    // Always filled in by the hooks below; not marking it required keeps it optional in the
    // GraphQL input types, so API clients may leave it to be generated as REST clients can.
    required: false,
    slugify: ({ valueToSlugify }) => slugify(valueToSlugify) || undefined,
    overrides: (row) => {
      row.fields = row.fields.map((field) => {
        if (field.type === 'checkbox' && field.name === 'generateSlug') {
          return { ...field, hooks: { ...field.hooks, beforeChange: field.hooks?.beforeChange?.map(notInTranslations) } }
        }
        if (field.type !== 'text' || field.name !== 'slug') return field
        const slug: TextField = {
          ...field,
          maxLength: MAX_SLUG_LENGTH,
          admin: {
            ...field.admin,
            description: 'The URL segment. Generated from the title until you edit it; lowercase letters, digits and hyphens.',
          },
          hooks: {
            ...field.hooks,
            beforeValidate: [rejectMalformedSlug, ...(field.hooks?.beforeValidate ?? [])],
            beforeChange: [...(field.hooks?.beforeChange ?? []), ensureUniqueSlug({ useAsSlug })],
          },
        }
        return slug
      })
      return row
    },
  })
