import type { SanitizedConfig } from 'payload'

import { isAdmin } from './isAdmin'
import { nobody } from './nobody'

/**
 * Payload adds globals of its own while it sanitizes the config (the jobs queue's schedule
 * bookkeeping, `payload-jobs-stats`), after every plugin ran, with Payload's default access: any
 * signed-in user may overwrite them, an author too. Only Payload writes them (through the Local API,
 * which skips access control); admins may look.
 */
export const closePayloadInternalGlobals = (config: SanitizedConfig): SanitizedConfig => {
  for (const global of config.globals) {
    if (!global.slug.startsWith('payload-')) continue
    Object.assign(global.access, { read: isAdmin, readVersions: isAdmin, readDrafts: isAdmin, update: nobody })
  }
  return config
}
