// The cursor of /api/sync (src/sync/cursor.ts): what the server gives it reads back as it was; anything
// else is refused before it reaches a query.
import type { SyncCursor } from '../../src/sync/cursor'
import { decodeCursor, encodeCursor, idCheckFor, MalformedCursor } from '../../src/sync/cursor'

const numeric = idCheckFor('number', 'sqlite')
const objectIds = idCheckFor('text', 'mongoose')

test.each<SyncCursor>([
  { mode: 'delta', epoch: 'a2c1e3b0-9c1e-4a8f-8d7e-0f3c2b1a4d5e', position: 0 },
  { mode: 'delta', epoch: 'e', position: 4321 },
  { mode: 'full', epoch: 'e', head: 17, collection: 'posts', after: null },
  { mode: 'full', epoch: 'e', head: 17, collection: 'media', after: 12 },
])('%o reads back as it was', (cursor) => {
  const text = encodeCursor(cursor)
  expect(text).toMatch(/^[A-Za-z0-9_-]+$/)
  expect(decodeCursor(text, numeric)).toEqual(cursor)
})

test('a MongoDB cursor carries an ObjectId, and only one', () => {
  const cursor = { mode: 'full' as const, epoch: 'e', head: 3, collection: 'posts', after: '6b0f1a9ba443ab6e1819542a' }
  expect(decodeCursor(encodeCursor(cursor), objectIds)).toEqual(cursor)
  expect(() => decodeCursor(encodeCursor({ ...cursor, after: 'x' }), objectIds)).toThrow(MalformedCursor)
  expect(() => decodeCursor(encodeCursor({ ...cursor, after: 12 }), objectIds)).toThrow(MalformedCursor)
})

const wire = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url')

test.each([
  ['not base64url', 'a+b/c='],
  ['not JSON', Buffer.from('{nope').toString('base64url')],
  ['a list', wire([1])],
  ['another version', wire({ v: 2, m: 'd', e: 'e', p: 1 })],
  ['no epoch', wire({ v: 1, m: 'd', p: 1 })],
  ['a negative position', wire({ v: 1, m: 'd', e: 'e', p: -1 })],
  ['a fractional position', wire({ v: 1, m: 'd', e: 'e', p: 1.5 })],
  ['a position as text', wire({ v: 1, m: 'd', e: 'e', p: '1' })],
  ['an unknown mode', wire({ v: 1, m: 'x', e: 'e', p: 1 })],
  ['a full cursor without a collection', wire({ v: 1, m: 'f', e: 'e', h: 1, a: null })],
  ['a full cursor with a text id on numeric ids', wire({ v: 1, m: 'f', e: 'e', h: 1, c: 'posts', a: '12' })],
  ['a very long one', 'A'.repeat(600)],
])('%s is refused', (_, text) => {
  expect(() => decodeCursor(text, numeric)).toThrow(MalformedCursor)
})
