import type { CollectionConfig } from 'payload'

import { isAdmin } from '../access/isAdmin'
import { nobody } from '../access/nobody'

export const AUDIT_LOG = 'audit-log'

export const AUDIT_ACTIONS = [
  'create',
  'update',
  'publish',
  'unpublish',
  'delete',
  'trash',
  'restore',
  'login',
  'login-failed',
] as const

export type AuditAction = (typeof AUDIT_ACTIONS)[number]

/**
 * Who did what, when and from where: one entry per write of a person (or of the system, such as
 * scheduled publishing) and per sign-in. Entries are written only by Greenroom's hooks
 * (src/auditLog/hooks.ts), with overrideAccess and inside the write's own transaction; no API
 * creates, changes or deletes one, and only admins read them. Values are never stored: a change
 * lists field paths, so a password, token or API key cannot end up here.
 */
export const AuditLog: CollectionConfig = {
  slug: AUDIT_LOG,
  labels: { singular: 'Audit entry', plural: 'Audit log' },
  access: { read: isAdmin, create: nobody, update: nobody, delete: nobody },
  admin: {
    group: 'Admin',
    defaultColumns: ['createdAt', 'action', 'entity', 'documentId', 'actorLabel', 'changedFields', 'ip'],
    listSearchableFields: ['actorLabel', 'entity', 'documentId'],
    description: 'Every create, update, publish, unpublish, delete, trash, restore and sign-in, with who, from where and which fields changed (never their values).',
    pagination: { defaultLimit: 50 },
  },
  // Not content: its own writes are not changes a reader sees.
  custom: { changeLog: false },
  // Nobody writes it through an API, so the schema offers no mutations for it.
  graphQL: { disableMutations: true },
  defaultSort: '-createdAt',
  // The admin's filters and the dashboard ask by document, by person and by action, newest first
  // (Payload indexes createdAt itself).
  indexes: [{ fields: ['entity', 'documentId'] }],
  fields: [
    {
      name: 'action',
      type: 'select',
      required: true,
      index: true,
      options: AUDIT_ACTIONS.map((value) => ({ label: value, value })),
    },
    { name: 'entity', type: 'text', required: true, index: true, admin: { description: 'Collection or global slug' } },
    { name: 'documentId', type: 'text', admin: { description: 'Empty for globals and failed sign-ins of unknown emails' } },
    {
      name: 'changedFields',
      type: 'json',
      admin: {
        description: 'Paths of the fields whose values changed (never the values)',
        components: { Field: '/auditLog/components/ChangedFields#ChangedFields' },
      },
    },
    { name: 'user', type: 'relationship', relationTo: 'users', index: true },
    {
      name: 'actorLabel',
      type: 'text',
      admin: { description: 'The email at the time ("API key of …" for a key; the email tried for a failed sign-in)' },
    },
    { name: 'viaApiKey', type: 'checkbox', defaultValue: false },
    { name: 'ip', type: 'text' },
    { name: 'userAgent', type: 'text' },
    { name: 'locale', type: 'text', admin: { description: 'The language the change was made in' } },
    {
      name: 'detail',
      type: 'text',
      admin: { description: 'Why a sign-in failed; "autosave" when autosaves of a draft were gathered into this entry' },
    },
  ],
}
