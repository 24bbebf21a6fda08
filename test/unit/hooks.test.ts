import { ValidationError } from 'payload'

import { assignAuthors } from '../../src/collections/Posts/hooks/assignAuthors'
import { computeReadingTime } from '../../src/collections/Posts/hooks/computeReadingTime'
import { fillExcerpt } from '../../src/collections/Posts/hooks/fillExcerpt'
import { setPublishedAt } from '../../src/hooks/setPublishedAt'
import { paragraph, richText, richTextFromPlain } from '../../src/seed/lexical'

const call = <T>(hook: (args: never) => T, args: Record<string, unknown>): T => hook(args as never)

describe('setPublishedAt', () => {
  test('dates the first publication', () => {
    const before = Date.now()
    const data = call(setPublishedAt, { data: { _status: 'published' }, originalDoc: undefined }) as { publishedAt: string }
    expect(Date.parse(data.publishedAt)).toBeGreaterThanOrEqual(before)
  })
  test('keeps an existing date when republishing', () => {
    const data = call(setPublishedAt, { data: { _status: 'published' }, originalDoc: { publishedAt: '2024-01-01T00:00:00.000Z' } })
    expect(data).not.toHaveProperty('publishedAt')
  })
  test('keeps a date the editor set', () => {
    const data = call(setPublishedAt, { data: { _status: 'published', publishedAt: '2020-05-05T00:00:00.000Z' } })
    expect(data).toMatchObject({ publishedAt: '2020-05-05T00:00:00.000Z' })
  })
  test('leaves drafts undated', () => {
    expect(call(setPublishedAt, { data: { _status: 'draft' } })).not.toHaveProperty('publishedAt')
  })
})

describe('computeReadingTime', () => {
  test('from incoming content', () => {
    const data = call(computeReadingTime, { data: { content: richTextFromPlain('word '.repeat(660)) } })
    expect(data).toMatchObject({ readingTime: 3 })
  })
  test('from stored content when the update does not touch it', () => {
    const data = call(computeReadingTime, { data: { title: 'New title' }, originalDoc: { content: richText(paragraph('Hello there')) } })
    expect(data).toMatchObject({ readingTime: 1 })
  })
})

describe('fillExcerpt', () => {
  const long = richTextFromPlain(`${'First paragraph words. '.repeat(20)}\n\nSecond paragraph.`)

  test('fills a blank excerpt from the content', () => {
    const data = call(fillExcerpt, { data: { content: long, excerpt: '  ' } }) as { excerpt: string }
    expect(data.excerpt.startsWith('First paragraph words.')).toBe(true)
    expect(data.excerpt.length).toBeLessThanOrEqual(200)
    expect(data.excerpt.endsWith('…')).toBe(true)
  })
  test("keeps the editor's excerpt", () => {
    const data = call(fillExcerpt, { data: { content: long, excerpt: 'Mine.' } })
    expect(data).toMatchObject({ excerpt: 'Mine.' })
  })
  test('a generated excerpt follows the content when it changes', () => {
    const first = call(fillExcerpt, { data: { content: richTextFromPlain('Old text.') } }) as { excerpt: string }
    expect(first.excerpt).toBe('Old text.')
    const next = call(fillExcerpt, {
      data: { content: richTextFromPlain('New text.') },
      originalDoc: { content: richTextFromPlain('Old text.'), excerpt: 'Old text.' },
    })
    expect(next).toMatchObject({ excerpt: 'New text.' })
  })
  test('an edited excerpt does not follow the content', () => {
    const next = call(fillExcerpt, {
      data: { content: richTextFromPlain('New text.') },
      originalDoc: { content: richTextFromPlain('Old text.'), excerpt: 'Hand-written.' },
    })
    expect(next).not.toHaveProperty('excerpt')
  })
})

describe('assignAuthors', () => {
  const author = { id: 5, role: 'author', collection: 'users' }
  const editor = { id: 6, role: 'editor', collection: 'users' }

  test('credits a new post to whoever writes it', () => {
    expect(call(assignAuthors, { data: { title: 'x' }, operation: 'create', req: { user: author } })).toMatchObject({ authors: [5] })
  })
  test('keeps chosen authors', () => {
    expect(call(assignAuthors, { data: { authors: [9] }, operation: 'create', req: { user: editor } })).toMatchObject({ authors: [9] })
  })
  test('an author cannot remove themselves', () => {
    expect(() =>
      call(assignAuthors, { data: { authors: [9] }, operation: 'update', originalDoc: { authors: [5] }, req: { user: author } }),
    ).toThrow(ValidationError)
  })
  test('an author may keep themselves among others, by id or populated', () => {
    expect(() =>
      call(assignAuthors, { data: { authors: [{ id: 5 }, 9] }, operation: 'update', req: { user: author } }),
    ).not.toThrow()
  })
  test('editors may credit anyone', () => {
    expect(() => call(assignAuthors, { data: { authors: [9] }, operation: 'update', req: { user: editor } })).not.toThrow()
  })
})
