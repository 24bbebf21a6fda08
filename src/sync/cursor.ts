/**
 * The cursor of `/api/sync`: opaque to clients (base64url of a small JSON object), so its shape can
 * change without breaking them; `v` says which shape it is. Both kinds carry the change log's epoch
 * (`e`, src/changes/contentVersion.ts), which names the log its positions belong to: a cursor from
 * another database, or from before a restore, is then told apart from one of this log.
 *
 * - A full cursor (`m: 'f'`) continues a full sync: the change-log position read when the full sync
 *   began (`h`), the collection being walked (`c`) and the last id sent from it (`a`; null when
 *   nothing of it was sent yet). Its last page hands out a delta cursor at `h`, so whatever changed
 *   while the pages were read comes with the next delta.
 * - A delta cursor (`m: 'd'`) is the position of the last change the client has (`p`).
 *
 * Ids are numbers on SQL databases and strings (ObjectIds) on MongoDB; a cursor carries them as JSON.
 */
export type DocumentId = number | string

export type FullCursor = { mode: 'full'; epoch: string; head: number; collection: string; after: DocumentId | null }
export type DeltaCursor = { mode: 'delta'; epoch: string; position: number }
export type SyncCursor = FullCursor | DeltaCursor

const VERSION = 1

export const encodeCursor = (cursor: SyncCursor): string => {
  const wire =
    cursor.mode === 'delta'
      ? { v: VERSION, m: 'd', e: cursor.epoch, p: cursor.position }
      : { v: VERSION, m: 'f', e: cursor.epoch, h: cursor.head, c: cursor.collection, a: cursor.after }
  return Buffer.from(JSON.stringify(wire)).toString('base64url')
}

/** Why a cursor cannot be read, for the 400 answer; a cursor is either one this server gave or nothing. */
export class MalformedCursor extends Error {}

const isPosition = (value: unknown): value is number =>
  typeof value === 'number' && Number.isSafeInteger(value) && value >= 0

/**
 * Reads a cursor from a previous answer's `nextCursor`. `isId` tells the database's ids: a full
 * cursor's id must be one before it reaches a query (see `idCheckFor`).
 */
export const decodeCursor = (text: string, isId: (value: unknown) => boolean): SyncCursor => {
  // The longest cursor this server gives is well under this; anything longer is not one of them.
  if (text.length > 512 || !/^[A-Za-z0-9_-]+$/.test(text)) throw new MalformedCursor()
  let wire: unknown
  try {
    wire = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'))
  } catch {
    throw new MalformedCursor()
  }
  if (typeof wire !== 'object' || wire === null || Array.isArray(wire)) throw new MalformedCursor()
  const { v, m, e, p, h, c, a } = wire as Record<string, unknown>
  if (v !== VERSION || typeof e !== 'string' || e.length > 64) throw new MalformedCursor()
  if (m === 'd' && isPosition(p)) return { mode: 'delta', epoch: e, position: p }
  if (m === 'f' && isPosition(h) && typeof c === 'string' && c.length > 0 && c.length <= 100) {
    if (a === null || isId(a)) return { mode: 'full', epoch: e, head: h, collection: c, after: a as DocumentId | null }
  }
  throw new MalformedCursor()
}

/** Whole numbers on SQL databases; ObjectIds on MongoDB; short strings for other text ids. */
export const idCheckFor =
  (idType: 'number' | 'text', databaseName: string) =>
  (value: unknown): boolean => {
    if (idType === 'number') return typeof value === 'number' && Number.isSafeInteger(value)
    if (typeof value !== 'string') return false
    return databaseName === 'mongoose' ? /^[0-9a-f]{24}$/i.test(value) : value.length > 0 && value.length <= 100
  }
