import type { CollectionBeforeOperationHook } from 'payload'
import { Forbidden } from 'payload'

import { hasRole } from '../../../access/roles'

/**
 * Fields of an account that only admins (and the person themself) read. Payload checks field access on
 * `where` but not on `sort`, and an ordering is an oracle: someone who changes their own email and
 * sorts by email learns everyone else's, letter by letter.
 */
const ADMINS_ONLY_ORDER = new Set([
  'email',
  'role',
  'enableAPIKey',
  'apiKey',
  'apiKeyIndex',
  'hasAPIKey',
  'sessions',
  'loginAttempts',
  'lockUntil',
  'hash',
  'salt',
  'resetPasswordToken',
  'resetPasswordExpiration',
])

const sortKeys = (sort: unknown): string[] =>
  (Array.isArray(sort) ? sort : typeof sort === 'string' ? sort.split(',') : [])
    .map((key) => String(key).trim().replace(/^-/, '').split('.')[0])
    .filter(Boolean)

export const refusePrivateSort: CollectionBeforeOperationHook<'users'> = ({ args, operation, req }) => {
  if (operation !== 'read' || hasRole(req.user, 'admin')) return args
  const hidden = sortKeys((args as { sort?: unknown }).sort).find((key) => ADMINS_ONLY_ORDER.has(key))
  if (hidden) throw Object.assign(new Forbidden(req.t), { message: `Sorting accounts by "${hidden}" is for admins only.` })
  return args
}
