import type { FieldHook } from 'payload'

/**
 * Payload sets a computed (virtual) field when its afterRead hook settles, so computed fields whose
 * hooks wait on something land in the answer in the order they happen to finish: one document could
 * serialize with `path` before or after `contentHtml` from one read to the next, giving different
 * bytes and ETags for the same content. Taking the field's place before the hook's first wait keeps
 * the answer in field order.
 */
export const inFieldOrder =
  (hook: FieldHook): FieldHook =>
  (args) => {
    const { siblingData, field } = args
    const name = 'name' in field ? field.name : undefined
    if (name && siblingData && typeof siblingData === 'object' && !(name in siblingData)) {
      ;(siblingData as Record<string, unknown>)[name] = null
    }
    return hook(args)
  }
