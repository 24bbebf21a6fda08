import type { Plugin } from 'payload'

import type { ReadLimits } from '../hooks/limitPublicReads'
import { limitPublicReads } from '../hooks/limitPublicReads'

/** Puts the readers' caps on depth and page size (src/hooks/limitPublicReads.ts) on every collection. */
export const readLimitsPlugin =
  (limits: ReadLimits): Plugin =>
  (config) => ({
    ...config,
    collections: (config.collections ?? []).map((collection) => ({
      ...collection,
      hooks: {
        ...collection.hooks,
        beforeOperation: [limitPublicReads(limits), ...(collection.hooks?.beforeOperation ?? [])],
      },
    })),
  })
