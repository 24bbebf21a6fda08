import type { Payload, PayloadRequest } from 'payload'

import { MEDIA_IN_RICH_TEXT, mediaIdsInRichText } from '../fields/mediaInRichText'

const COLLECTIONS = ['posts', 'pages'] as const
const BATCH = 100

/**
 * Data step of the migration that adds `mediaInRichText`: documents saved before it have images in
 * their rich text that the new field does not list yet. Written at the adapter level, so no hook
 * runs and no version is added; the newest version of each document is filled in as well, since
 * that is where an unpublished draft lives.
 */
export const backfillMediaInRichText = async ({ payload, req }: { payload: Payload; req: PayloadRequest }) => {
  for (const collection of COLLECTIONS) {
    for (let page = 1; ; page++) {
      const batch = await payload.db.find({ collection, limit: BATCH, page, pagination: true, req, sort: 'id' })
      for (const doc of batch.docs) {
        const ids = [...mediaIdsInRichText(doc)]
        if (ids.length > 0)
          await payload.db.updateOne({ collection, id: doc.id, data: { [MEDIA_IN_RICH_TEXT]: ids }, req })
      }
      if (!batch.hasNextPage) break
    }
    for (let page = 1; ; page++) {
      const batch = await payload.db.findVersions({
        collection,
        where: { latest: { equals: true } },
        limit: BATCH,
        page,
        pagination: true,
        req,
        sort: 'id',
      })
      for (const version of batch.docs) {
        const ids = [...mediaIdsInRichText(version.version)]
        if (ids.length === 0) continue
        await payload.db.updateVersion({
          collection,
          id: version.id,
          versionData: { ...version, version: { ...version.version, [MEDIA_IN_RICH_TEXT]: ids } } as never,
          req,
        })
      }
      if (!batch.hasNextPage) break
    }
  }
}
