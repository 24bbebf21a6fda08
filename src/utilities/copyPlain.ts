const isPlainObject = (value: unknown): value is Record<string, unknown> => {
  if (!value || typeof value !== 'object') return false
  const prototype = Object.getPrototypeOf(value)
  return prototype === Object.prototype || prototype === null
}

/**
 * A copy of every plain object and array in `value`; functions, class instances (adapters, streams)
 * and primitives are shared. Payload sanitizes a config in place, so building a second config
 * (a test's variant) from the same objects would change the first one.
 */
export const copyPlain = <T>(value: T, seen = new WeakMap<object, unknown>()): T => {
  if (!Array.isArray(value) && !isPlainObject(value)) return value
  if (seen.has(value)) return seen.get(value) as T
  if (Array.isArray(value)) {
    const copy: unknown[] = []
    seen.set(value, copy)
    for (const item of value) copy.push(copyPlain(item, seen))
    return copy as T
  }
  const copy: Record<string, unknown> = {}
  seen.set(value, copy)
  for (const [key, child] of Object.entries(value)) copy[key] = copyPlain(child, seen)
  return copy as T
}
