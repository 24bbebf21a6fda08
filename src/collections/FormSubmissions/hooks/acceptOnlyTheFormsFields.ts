import type { CollectionBeforeValidateHook, PayloadRequest } from 'payload'
import { ValidationError } from 'payload'
import { email } from 'payload/shared'

import { wholeNumberFromEnv } from '../../../env'

export type SubmissionLimits = {
  /** Characters of a `text` field's value (and of fields whose kind sets no smaller bound). */
  textLength: number
  /** Characters of a `textarea` field's value. */
  textareaLength: number
}

export const submissionLimitsFromEnv = (env: Record<string, string | undefined>): SubmissionLimits => ({
  textLength: wholeNumberFromEnv(env, 'FORM_TEXT_MAX_LENGTH', 1000, 1),
  textareaLength: wholeNumberFromEnv(env, 'FORM_TEXTAREA_MAX_LENGTH', 10_000, 1),
})

/** A field of a form as plugin-form-builder stores it: a block; `message` blocks have no name and take no input. */
type FormField = {
  blockType: string
  name?: string | null
  required?: boolean | null
  options?: { value: string }[] | null
}

type Problem = { path: string; message: string }

/** RFC 5321 caps an address at 254 characters; checked before Payload's email pattern runs. */
const EMAIL_LENGTH = 254
/** Countries, states and dates are short; their fields are text on the wire. */
const SHORT_LENGTH = 100

const TRUE_VALUES = new Set([true, 'true', 'on'])
const FALSE_VALUES = new Set([false, 'false', ''])

/**
 * The value as it is stored (the plugin keeps every value as text), or a problem. An empty value is
 * stored as '' and left to the required check.
 */
const checkValue = (
  field: FormField,
  value: unknown,
  limits: SubmissionLimits,
  req: PayloadRequest,
): { value: string } | { problem: string } => {
  const name = `"${field.name}"`
  if (field.blockType === 'checkbox') {
    if (TRUE_VALUES.has(value as never)) return { value: 'true' }
    if (FALSE_VALUES.has(value as never) || value === null || value === undefined) return { value: 'false' }
    return { problem: `${name} must be true or false.` }
  }
  if (value === null || value === undefined) return { value: '' }
  if (typeof value === 'number' && field.blockType === 'number') {
    return Number.isFinite(value) ? { value: String(value) } : { problem: `${name} must be a number.` }
  }
  if (typeof value !== 'string') return { problem: `${name} must be text.` }
  if (value.trim() === '') return { value: '' }

  const tooLong = (length: number) => (value.length > length ? { problem: `${name} is longer than ${length} characters.` } : undefined)
  switch (field.blockType) {
    case 'textarea':
      return tooLong(limits.textareaLength) ?? { value }
    case 'email':
      if (tooLong(EMAIL_LENGTH)) return tooLong(EMAIL_LENGTH)!
      return email(value, { req, required: false } as never) === true
        ? { value }
        : { problem: `${name} must be an email address.` }
    case 'number': {
      const number = Number(value)
      return value.length <= SHORT_LENGTH && Number.isFinite(number) ? { value: String(number) } : { problem: `${name} must be a number.` }
    }
    case 'select':
    case 'radio': {
      const options = (field.options ?? []).map((option) => option.value)
      return options.includes(value) ? { value } : { problem: `${name} must be one of: ${options.join(', ')}.` }
    }
    case 'date':
      return value.length <= SHORT_LENGTH && !Number.isNaN(Date.parse(value)) ? { value } : { problem: `${name} must be a date.` }
    case 'country':
    case 'state':
      return tooLong(SHORT_LENGTH) ?? { value }
    default:
      return tooLong(limits.textLength) ?? { value }
  }
}

/** What the submission's `form` names: an id, or a populated form. */
const formIdOf = (form: unknown): number | string | undefined => {
  if (typeof form === 'number' || typeof form === 'string') return form
  if (form && typeof form === 'object' && 'id' in form) return formIdOf((form as { id: unknown }).id)
  return undefined
}

/**
 * A submission carries the fields its form defines and nothing else: no unknown names, none twice,
 * every required one, each value of its field's kind and size (an email looks like one, a number
 * is one, a select's value is one of its options, a checkbox is true or false). The plugin stores
 * any list of name/value pairs of any size; this is where a public write is held to its form.
 * Submissions written through the Local API (imports, seeding, scripts) are trusted as they are:
 * a restored submission must not fail because its form changed since.
 */
export const acceptOnlyTheFormsFields =
  (limits: SubmissionLimits): CollectionBeforeValidateHook =>
  async ({ collection, data, operation, req }) => {
    if (operation !== 'create' || req.payloadAPI === 'local' || !data) return data
    const formId = formIdOf(data.form)
    if (formId === undefined) return data
    let fields: FormField[]
    try {
      const form = await req.payload.findByID({ collection: 'forms', id: formId, depth: 0, overrideAccess: true, req })
      fields = ((form.fields ?? []) as FormField[]).filter((field) => typeof field.name === 'string' && field.name !== '')
    } catch {
      // No such form: the plugin's own validation of `form` answers that.
      return data
    }
    const entries: unknown = data.submissionData ?? []
    // Not a list: Payload's validation of the array field answers that.
    if (!Array.isArray(entries)) return data

    const byName = new Map(fields.map((field) => [field.name!, field]))
    const seen = new Set<string>()
    const problems: Problem[] = []
    const accepted = entries.map((entry: unknown, index) => {
      const path = `submissionData.${index}`
      const name = entry && typeof entry === 'object' ? (entry as { field?: unknown }).field : undefined
      if (typeof name !== 'string' || name === '') {
        problems.push({ path: `${path}.field`, message: 'Each entry needs the name of a field of the form.' })
        return entry
      }
      const field = byName.get(name)
      if (!field) {
        problems.push({ path: `${path}.field`, message: `"${name.slice(0, 100)}" is not a field of this form.` })
        return entry
      }
      if (seen.has(name)) {
        problems.push({ path: `${path}.field`, message: `"${name}" is sent more than once.` })
        return entry
      }
      seen.add(name)
      const checked = checkValue(field, (entry as { value?: unknown }).value, limits, req)
      if ('problem' in checked) {
        problems.push({ path: `${path}.value`, message: checked.problem })
        return entry
      }
      if (field.required && (checked.value === '' || (field.blockType === 'checkbox' && checked.value !== 'true'))) {
        problems.push({ path: `${path}.value`, message: `"${name}" is required.` })
      }
      return { ...(entry as object), value: checked.value }
    })
    for (const field of fields) {
      if (field.required && !seen.has(field.name!) && !problems.some((problem) => problem.message.startsWith(`"${field.name}"`))) {
        problems.push({ path: 'submissionData', message: `"${field.name}" is required.` })
      }
    }
    if (problems.length) throw new ValidationError({ collection: collection.slug, errors: problems, req })
    return { ...data, submissionData: accepted }
  }
