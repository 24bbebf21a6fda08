import transliterate from '@sindresorhus/transliterate'

export const SLUG_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/
export const MAX_SLUG_LENGTH = 96

/**
 * Turns any title into a URL segment: transliterated to ASCII ("Über Größe" → "ueber-groesse"),
 * lowercase, words joined by single hyphens, cut at a word boundary. Returns '' when nothing
 * usable is left (a title in a script transliteration does not cover, say).
 */
export const slugify = (input: unknown): string => {
  if (typeof input !== 'string') return ''
  const ascii = transliterate(input.normalize('NFKC'))
    .toLowerCase()
    .replace(/['’]/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
  if (ascii.length <= MAX_SLUG_LENGTH) return ascii
  const cut = ascii.slice(0, MAX_SLUG_LENGTH + 1)
  const lastHyphen = cut.lastIndexOf('-')
  return (lastHyphen > 0 ? cut.slice(0, lastHyphen) : cut.slice(0, MAX_SLUG_LENGTH)).replace(/-+$/, '')
}

export const isValidSlug = (value: unknown): value is string =>
  typeof value === 'string' && value.length <= MAX_SLUG_LENGTH && SLUG_PATTERN.test(value)

/** "post" → "post-2" → "post-3": the suffixed candidate number n, kept within the length limit. */
export const withSuffix = (base: string, n: number): string => {
  const suffix = `-${n}`
  return `${base.slice(0, MAX_SLUG_LENGTH - suffix.length).replace(/-+$/, '')}${suffix}`
}
