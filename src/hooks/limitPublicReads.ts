import type { CollectionBeforeOperationHook } from 'payload'
import { APIError } from 'payload'

import { editorialRole } from '../access/roles'
import { wholeNumberFromEnv } from '../env'

export type ReadLimits = {
  /** The deepest population a reader may ask for (`depth`); each level multiplies the work. */
  maxDepth: number
  /** The most documents per page (`limit`); `limit=0` and `pagination=false` (everything at once) are refused. */
  maxLimit: number
}

export const readLimitsFromEnv = (env: Record<string, string | undefined>): ReadLimits => ({
  maxDepth: wholeNumberFromEnv(env, 'API_MAX_DEPTH', 3, 0),
  maxLimit: wholeNumberFromEnv(env, 'API_MAX_LIMIT', 100, 1),
})

/**
 * Caps what one REST or GraphQL read by a reader (anonymous or API key) may ask of the database:
 * a page of everything, or population many levels deep, is one request that costs a thousand.
 * Editors are not capped (the admin panel asks for what it needs), nor is server code (Local API),
 * nor the reads Payload makes itself while answering: looking up an API key's user (with access
 * overridden) and populating relationships (they carry `currentDepth` and ask for whole batches at
 * once). Too much is refused with a 400 that says the cap, not quietly cut down to it.
 */
export const limitPublicReads =
  (limits: ReadLimits): CollectionBeforeOperationHook =>
  ({ args, operation, req }) => {
    if (operation !== 'read' || req.payloadAPI === 'local' || editorialRole(req.user)) return args
    const { currentDepth, depth, limit, overrideAccess, pagination } = args as Record<string, unknown>
    if (overrideAccess || currentDepth !== undefined) return args
    if (typeof depth === 'number' && depth > limits.maxDepth) {
      throw new APIError(`depth ${depth} is deeper than the ${limits.maxDepth} levels readers may ask for.`, 400)
    }
    if (pagination === false || limit === 0) {
      throw new APIError(
        `Reading every document at once is not allowed; ask for pages of up to ${limits.maxLimit} (limit and page).`,
        400,
      )
    }
    if (typeof limit === 'number' && limit > limits.maxLimit) {
      throw new APIError(
        `limit ${limit} is more than the ${limits.maxLimit} documents per page readers may ask for.`,
        400,
      )
    }
    return args
  }
