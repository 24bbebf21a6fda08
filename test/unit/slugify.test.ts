import { MAX_SLUG_LENGTH, isValidSlug, slugify, withSuffix } from '../../src/utilities/slugify'

describe('slugify', () => {
  test.each([
    ['Hello World', 'hello-world'],
    ['  Über Größe  ', 'ueber-groesse'],
    ['Ça va déjà?', 'ca-va-deja'],
    ['Привет, мир', 'privet-mir'],
    ['Łódź & Œuvre', 'lodz-oeuvre'],
    ["Don't stop", 'dont-stop'],
    ['multiple   --- separators', 'multiple-separators'],
    ['Version 2.0 released!', 'version-2-0-released'],
  ])('%j → %j', (input, expected) => {
    expect(slugify(input)).toBe(expected)
  })

  test('returns an empty string when nothing transliterates', () => {
    expect(slugify('東京')).toBe('')
    expect(slugify('!!!')).toBe('')
    expect(slugify(undefined)).toBe('')
    expect(slugify(42)).toBe('')
  })

  test('cuts long titles at a word boundary within the limit', () => {
    const slug = slugify('word '.repeat(60))
    expect(slug.length).toBeLessThanOrEqual(MAX_SLUG_LENGTH)
    expect(slug.endsWith('word')).toBe(true)
    expect(isValidSlug(slug)).toBe(true)
  })

  test('cuts one very long word hard', () => {
    const slug = slugify('a'.repeat(200))
    expect(slug).toBe('a'.repeat(MAX_SLUG_LENGTH))
  })
})

describe('isValidSlug', () => {
  test.each(['post', 'post-2', 'a1-b2-c3'])('accepts %j', (slug) => expect(isValidSlug(slug)).toBe(true))
  test.each(['', 'Post', 'post--2', '-post', 'post-', 'post 2', 'päst', 'a/b', 'x'.repeat(MAX_SLUG_LENGTH + 1), null, 3])(
    'rejects %j',
    (slug) => expect(isValidSlug(slug)).toBe(false),
  )
})

describe('withSuffix', () => {
  test('appends the number', () => expect(withSuffix('post', 2)).toBe('post-2'))
  test('stays within the limit and valid', () => {
    const base = `${'a'.repeat(MAX_SLUG_LENGTH - 2)}-b`
    const next = withSuffix(base, 12)
    expect(next.length).toBeLessThanOrEqual(MAX_SLUG_LENGTH)
    expect(next.endsWith('-12')).toBe(true)
    expect(isValidSlug(next)).toBe(true)
  })
})
