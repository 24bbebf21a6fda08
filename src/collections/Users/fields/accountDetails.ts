import type { Field, FieldHook } from 'payload'
import { Forbidden } from 'payload'

import { adminOrSelfField } from '../../../access/adminOrSelf'
import { isAdminField } from '../../../access/isAdmin'
import { hasRole } from '../../../access/roles'

export const ONLY_ADMINS_GRANT_API_KEYS = 'Only admins grant, change or revoke API keys; ask an admin.'

/**
 * A request that would turn a key on or off, or set one, from anyone but an admin is refused with a
 * message. Field access alone would drop the value without a word, and the caller would believe it
 * has a key. Sending back the state as stored (the admin panel's account form does) passes.
 */
const onlyAdminsManageApiKeys: FieldHook = ({ field, overrideAccess, previousValue, req, value }) => {
  if (overrideAccess || value === undefined || hasRole(req.user, 'admin')) return value
  const changes =
    'name' in field && field.name === 'apiKey'
      ? typeof value === 'string' && value !== ''
      : Boolean(value) !== Boolean(previousValue)
  if (changes) throw Object.assign(new Forbidden(req.t), { message: ONLY_ADMINS_GRANT_API_KEYS })
  return value
}

/**
 * Payload's own auth fields, declared again only to tighten their access (Payload merges a field
 * declared under the same name into its own; `apiKey`'s create/update access is also what Payload
 * applies to `enableAPIKey`, `apiKeyIndex`, and to reading `hasAPIKey`). Everyone on the team sees the
 * public profile of everyone else (name, bio, avatar: what posts show as their authors); an account's
 * email, role and API key state are for admins and the person themself. Session ids are Payload's
 * own business: only the person themself reads them.
 */
export const accountDetailFields: Field[] = [
  { name: 'email', type: 'email', required: true, access: { read: adminOrSelfField } },
  {
    name: 'enableAPIKey',
    type: 'checkbox',
    access: { read: adminOrSelfField },
    hooks: { beforeValidate: [onlyAdminsManageApiKeys] },
  },
  {
    name: 'apiKey',
    type: 'text',
    access: { create: isAdminField, update: isAdminField },
    hooks: { beforeValidate: [onlyAdminsManageApiKeys] },
  },
]
