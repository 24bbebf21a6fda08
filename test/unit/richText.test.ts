import { block, heading, paragraph, richText } from '../../src/seed/lexical'
import { countWords, excerptFromText, readingTimeMinutes, richTextToPlainText } from '../../src/utilities/richText'

describe('richTextToPlainText', () => {
  test('joins paragraphs and headings', () => {
    const text = richTextToPlainText(richText(heading('h2', 'Title'), paragraph('First.'), paragraph('Second.')))
    expect(text).toBe('Title\n\nFirst.\n\nSecond.')
  })

  test('reads the text inside code and banner blocks, not media', () => {
    const text = richTextToPlainText(
      richText(
        paragraph('Intro.'),
        block('code', { code: 'const answer = 42', language: 'typescript' }),
        block('banner', { style: 'info', content: richText(paragraph('Heads up.')) }),
        block('mediaBlock', { media: 1 }),
      ),
    )
    expect(text).toContain('const answer = 42')
    expect(text).toContain('Heads up.')
    expect(text.startsWith('Intro.')).toBe(true)
  })

  test('is empty for anything that is not Lexical state', () => {
    expect(richTextToPlainText(null)).toBe('')
    expect(richTextToPlainText('plain')).toBe('')
    expect(richTextToPlainText({ root: null })).toBe('')
  })
})

describe('reading time', () => {
  test('counts words across scripts and contractions', () => {
    expect(countWords("It's a well-known fact: Straße, café — 42 times.")).toBe(8)
  })
  test('rounds to whole minutes with a minimum of one', () => {
    expect(readingTimeMinutes('')).toBe(0)
    expect(readingTimeMinutes('one word')).toBe(1)
    expect(readingTimeMinutes('word '.repeat(220 * 5))).toBe(5)
    expect(readingTimeMinutes('word '.repeat(220 * 5 + 120))).toBe(6)
  })
})

describe('excerptFromText', () => {
  test('keeps short text as it is, flattened', () => {
    expect(excerptFromText('Short\n\ntext.')).toBe('Short text.')
  })
  test('cuts at a word boundary and adds an ellipsis', () => {
    const excerpt = excerptFromText('lorem ipsum '.repeat(40), 50)
    expect(excerpt.length).toBeLessThanOrEqual(50)
    expect(excerpt.endsWith('…')).toBe(true)
    expect(excerpt).not.toMatch(/\s…$/)
    expect(excerpt.replace('…', '').trim().split(' ').every((word) => ['lorem', 'ipsum'].includes(word))).toBe(true)
  })
})
