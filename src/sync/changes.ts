import type { Payload, PayloadRequest } from 'payload'

import { ensureContentVersion, readContentVersion } from '../changes/contentVersion'

import type { DocumentId, SyncCursor } from './cursor'
import type { SyncParameters } from './parameters'

type Doc = Record<string, unknown>

/** One entry of an answer: what a site applies, in order. */
export type SyncChange =
  | { op: 'upsert'; collection: string; id: DocumentId; position: number; doc: Doc }
  | { op: 'delete'; collection: string; id: DocumentId; position: number; event: 'deleted' | 'unpublished' }
  | { op: 'upsert'; global: string; position: number; doc: Doc }

export type SyncAnswer = {
  mode: 'full' | 'delta'
  changes: SyncChange[]
  nextCursor: string
  hasMore: boolean
  head: number
}

/** Where the change log stands: its last position, its epoch and the oldest position it still serves. */
export type LogState = { head: number; epoch: string; retainedFrom: number }

/**
 * One read of the content-version row, which holds all three (readHeadPosition and readRetainedFrom
 * in src/changes/changeLog.ts read the same row, one value each). A database that never recorded a
 * change gets its row, as the server's start gives it, so its epoch is settled before a cursor names it.
 */
export const readLogState = async (payload: Payload): Promise<LogState> => {
  const version = (await readContentVersion(payload)) ?? (await ensureContentVersion(payload))
  return { head: version.position, epoch: version.epoch, retainedFrom: version.retainedFrom }
}

/** A cursor this log cannot serve: answered 410 Gone. */
export class CursorGone extends Error {}

/**
 * Whether the log can carry on from a cursor: it must be this log's (its epoch: not another
 * database's, nor this one's before a restore), not older than the log keeps (compaction may have
 * dropped the removals it would need; for a full sync, those its last page's cursor would need),
 * and not past the head (this log never reached it).
 */
export const assertServable = (cursor: SyncCursor, log: LogState) => {
  const position = cursor.mode === 'delta' ? cursor.position : cursor.head
  if (cursor.epoch !== log.epoch || position < log.retainedFrom || position > log.head) throw new CursorGone()
}

/** A page's reads: the public's Local API request and what the client asked for. */
export type SyncReader = { req: PayloadRequest; params: SyncParameters }

/**
 * Published documents of one collection, as the public reads them through the Local API, with the
 * asked depth, locale and select. `pagination: false`: a sync never needs Payload's count.
 */
export const findPublished = async (
  { req, params }: SyncReader,
  collection: string,
  where: Record<string, unknown> | undefined,
  limit: number,
): Promise<Doc[]> => {
  const { docs } = await req.payload.find({
    collection: collection as never,
    where: where as never,
    sort: 'id',
    limit,
    pagination: false,
    depth: params.depth,
    locale: params.locale as never,
    fallbackLocale: params.fallbackLocale as never,
    select: params.select as never,
    draft: false,
    overrideAccess: false,
    req,
  })
  return docs as unknown as Doc[]
}

/** A global as the public reads it (its published version). */
export const findPublishedGlobal = async ({ req, params }: SyncReader, global: string): Promise<Doc> =>
  (await req.payload.findGlobal({
    slug: global as never,
    depth: params.depth,
    locale: params.locale as never,
    fallbackLocale: params.fallbackLocale as never,
    draft: false,
    overrideAccess: false,
    req,
  })) as unknown as Doc
