import type { RecordedChange } from '../changes/changeLog'
import { isRemoval, readChangesAfter } from '../changes/changeLog'
import type { LogState, SyncAnswer, SyncChange, SyncReader } from './changes'
import { findPublished, findPublishedGlobal } from './changes'
import type { DeltaCursor, DocumentId } from './cursor'
import { encodeCursor } from './cursor'

const keyOf = (change: RecordedChange) =>
  change.globalSlug ? `global:${change.globalSlug}` : `${change.collectionSlug}:${change.documentId}`

/**
 * One page of a delta sync from a cursor the log can serve (`assertServable`): the next `limit`
 * changes of the log after it, as a site applies them. A document changed several times on the
 * page is sent once, at its last change.
 * An upsert carries the document as the public reads it now (the current published version, at the
 * asked depth, locale and select), fetched with one `find` per collection; a document that is not
 * readable any more (unpublished or deleted by a later change) is a tombstone here, and its own
 * change follows on a later page. Changes to collections and globals not asked for are skipped,
 * and the cursor moves past them all the same.
 */
export const readDeltaPage = async (reader: SyncReader, cursor: DeltaCursor, log: LogState): Promise<SyncAnswer> => {
  const { payload } = reader.req
  const { collections, globals, limit } = reader.params

  // One more than a page, to tell whether another page follows.
  const read = await readChangesAfter(payload, cursor.position, limit + 1)
  const hasMore = read.length > limit
  const page = read.slice(0, limit)
  const last = page.length ? page[page.length - 1].position : cursor.position

  const latest = new Map<string, RecordedChange>()
  for (const change of page) {
    const asked = change.globalSlug
      ? globals.includes(change.globalSlug)
      : change.collectionSlug !== undefined && collections.includes(change.collectionSlug)
    if (!asked) continue
    const key = keyOf(change)
    // Last wins, and takes the place of the last change in the answer's order.
    latest.delete(key)
    latest.set(key, change)
  }

  const numericIds = payload.db.defaultIDType === 'number'
  const idOf = (documentId: string): DocumentId => (numericIds ? Number(documentId) : documentId)

  // Current published versions of the upserted documents: one query per collection.
  const wanted = new Map<string, string[]>()
  for (const change of latest.values()) {
    if (change.globalSlug || isRemoval(change.event)) continue
    wanted.set(change.collectionSlug!, [...(wanted.get(change.collectionSlug!) ?? []), change.documentId!])
  }
  const found = new Map<string, Record<string, unknown>>()
  for (const [collection, ids] of wanted) {
    const docs = await findPublished(reader, collection, { id: { in: ids.map(idOf) } }, ids.length)
    for (const doc of docs) found.set(`${collection}:${String(doc.id)}`, doc)
  }

  const changes: SyncChange[] = []
  for (const change of latest.values()) {
    const { position } = change
    if (change.globalSlug) {
      changes.push({ op: 'upsert', global: change.globalSlug, position, doc: await findPublishedGlobal(reader, change.globalSlug) })
      continue
    }
    const collection = change.collectionSlug!
    const id = idOf(change.documentId!)
    const doc = found.get(keyOf(change))
    if (doc) changes.push({ op: 'upsert', collection, id, position, doc })
    else {
      const event = change.event === 'deleted' ? 'deleted' : 'unpublished'
      changes.push({ op: 'delete', collection, id, position, event })
    }
  }

  return {
    mode: 'delta',
    changes,
    nextCursor: encodeCursor({ mode: 'delta', epoch: log.epoch, position: last }),
    hasMore,
    // Changes may have committed since the head was read.
    head: Math.max(log.head, last),
  }
}
