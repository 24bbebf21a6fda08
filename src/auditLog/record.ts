import type { PayloadRequest } from 'payload'

import { isApiKeySession } from '../access/roles'
import { currentLoginClient } from '../server/loginClient'
import type { AuditAction } from './collection'
import { AUDIT_LOG } from './collection'

export type AuditEntry = {
  action: AuditAction
  entity: string
  documentId?: string | null
  changedFields?: string[]
  user?: number | string | null
  actorLabel?: string | null
  viaApiKey?: boolean
  ip?: string | null
  userAgent?: string | null
  locale?: string | null
  detail?: string | null
}

const USER_AGENT_MAX = 300
const LABEL_MAX = 254

type Actor = { collection?: string; id?: number | string; email?: unknown; _strategy?: string }

/** Who made a request: the person (or the person whose API key it is), as their email reads now. */
export const actorOf = (req: Partial<PayloadRequest>): Pick<AuditEntry, 'user' | 'actorLabel' | 'viaApiKey'> => {
  const user = req.user as Actor | null | undefined
  if (!user || user.id === undefined) return { user: null, actorLabel: null, viaApiKey: false }
  const viaApiKey = isApiKeySession(user as PayloadRequest['user'])
  const email = typeof user.email === 'string' ? user.email : `${user.collection ?? 'user'} ${String(user.id)}`
  return {
    user: user.collection === 'users' ? user.id : null,
    actorLabel: (viaApiKey ? `API key of ${email}` : email).slice(0, LABEL_MAX),
    viaApiKey,
  }
}

/**
 * Where a request came from: the client's address as express tells it behind the proxies
 * TRUST_PROXY names (the same context the sign-in throttle reads, src/server/loginClient.ts), and
 * its user agent, shortened. Both are empty for the Local API (scripts, jobs, seeding).
 */
export const originOf = (req: Partial<PayloadRequest>): Pick<AuditEntry, 'ip' | 'userAgent'> => ({
  ip: currentLoginClient()?.address ?? null,
  userAgent: req.headers?.get?.('user-agent')?.slice(0, USER_AGENT_MAX) ?? null,
})

export const localeOf = (req: Partial<PayloadRequest>): string | null =>
  req.payload?.config.localization && req.locale ? req.locale : null

/**
 * Writes an entry in the write's own transaction (`req` carries it): when the write rolls back,
 * so does its entry. Straight through the database adapter, as the change log does: an entry has
 * no hooks, access or validation of its own to run (the fields are set here), and a save's cost
 * stays one insert.
 */
export const writeAuditEntry = async (req: PayloadRequest, entry: AuditEntry): Promise<void> => {
  const now = new Date().toISOString()
  await req.payload.db.create({
    collection: AUDIT_LOG,
    data: { viaApiKey: false, changedFields: [], ...entry, createdAt: now, updatedAt: now },
    req,
    returning: false,
  })
}
