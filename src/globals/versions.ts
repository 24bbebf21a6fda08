import type { GlobalConfig } from 'payload'

/**
 * Globals have drafts: a Save in the admin keeps a draft, Publish makes it live. Readers and the
 * server's own reads (the URL scheme, site outputs, sync) see the published version only, so a
 * half-done navigation or a new URL pattern reaches no one until it is published. The last 50
 * versions are kept for comparing and restoring.
 */
export const globalVersions: GlobalConfig['versions'] = { drafts: true, max: 50 }
