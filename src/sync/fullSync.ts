import type { LogState, SyncAnswer, SyncChange, SyncReader } from './changes'
import { findPublished, findPublishedGlobal } from './changes'
import type { DocumentId, FullCursor } from './cursor'
import { encodeCursor } from './cursor'

/**
 * One page of a full sync: every published document of the asked collections, collection after
 * collection, in id order (a keyset: `id > last`, so a page costs the same deep in as at the start,
 * and a document created, deleted or published between pages neither shifts nor repeats the rest),
 * then the globals on the page where the collections end.
 *
 * `head` is the change-log position read when the full sync began; it travels in the cursor (with the
 * log's epoch) and the last page hands it out as a delta cursor. Anything that changed after it (a document published
 * behind the walk, one deleted after it was sent) comes with the next delta; a document sent here in
 * a newer state than `head` is sent again then, which a site applies as the same upsert.
 */
export const readFullPage = async (
  reader: SyncReader,
  { head, epoch }: Pick<LogState, 'head' | 'epoch'>,
  cursor: FullCursor | null,
): Promise<SyncAnswer> => {
  const { collections, globals, limit } = reader.params
  const changes: SyncChange[] = []
  let index = cursor ? collections.indexOf(cursor.collection) : 0
  let after: DocumentId | null = cursor?.after ?? null

  while (index < collections.length && changes.length < limit) {
    const collection = collections[index]
    const room = limit - changes.length
    const docs = await findPublished(reader, collection, after === null ? undefined : { id: { greater_than: after } }, room)
    for (const doc of docs) changes.push({ op: 'upsert', collection, id: doc.id as DocumentId, position: head, doc })
    if (docs.length === room) {
      // The page is full: more of this collection may follow.
      after = docs[docs.length - 1].id as DocumentId
      break
    }
    index += 1
    after = null
  }

  if (index < collections.length) {
    return {
      mode: 'full',
      changes,
      nextCursor: encodeCursor({ mode: 'full', epoch, head, collection: collections[index], after }),
      hasMore: true,
      head,
    }
  }
  for (const global of globals) {
    changes.push({ op: 'upsert', global, position: head, doc: await findPublishedGlobal(reader, global) })
  }
  return { mode: 'full', changes, nextCursor: encodeCursor({ mode: 'delta', epoch, position: head }), hasMore: false, head }
}
