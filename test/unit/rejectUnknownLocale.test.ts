import { localeProblem } from '../../src/server/rejectUnknownLocale'

const LOCALES = ['en', 'de']

describe('localeProblem', () => {
  test.each([
    {},
    { locale: 'de' },
    { locale: 'all' },
    { locale: '*' },
    { 'fallback-locale': 'none' },
    { fallbackLocale: 'en' },
  ])('accepts %j', (query) => expect(localeProblem(query, LOCALES)).toBeNull())

  test('names the unknown value and what is allowed', () => {
    expect(localeProblem({ locale: 'fr' }, LOCALES)).toBe('Unknown locale "fr": use one of en, de, or "all".')
    expect(localeProblem({ 'fallback-locale': 'xx' }, LOCALES)).toBe(
      'Unknown fallback-locale "xx": use one of en, de, or "none".',
    )
    expect(localeProblem({ locale: ['de', 'en'] }, LOCALES)).toBe('Give one locale.')
    expect(localeProblem({ locale: `${'x'.repeat(100)}` }, LOCALES)).toHaveLength(
      `Unknown locale "": use one of en, de, or "all".`.length + 40,
    )
  })
})
