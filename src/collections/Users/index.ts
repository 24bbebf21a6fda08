import type { CollectionConfig } from 'payload'

import { adminOrSelf, adminOrSelfField } from '../../access/adminOrSelf'
import { isAdmin, isAdminField } from '../../access/isAdmin'
import { isEditorial } from '../../access/isEditorial'
import { ROLES, editorialRole } from '../../access/roles'
import { previewTokenStrategy } from '../../preview/strategy'
import { accountDetailFields } from './fields/accountDetails'
import { firstUserIsAdmin } from './hooks/firstUserIsAdmin'
import { keepOneAdminOnChange, keepOneAdminOnDelete } from './hooks/keepOneAdmin'
import { afterSignInOperation, protectSignIn } from './hooks/loginProtection'
import { refusePrivateSort } from './hooks/refusePrivateSort'

/**
 * The editorial team. Readers never see this collection: posts carry their authors' public
 * profile in `populatedAuthors`. API keys are for build tools and read only what the public reads.
 * Inside the team, other people's accounts show their public profile only (fields/accountDetails.ts).
 */
export const Users: CollectionConfig<'users'> = {
  slug: 'users',
  labels: { singular: 'User', plural: 'Users' },
  // Readers see a user only as a post's author: a write that changes none of these (a sign-in, a new
  // password, a role) is not a content change (src/changes/recordChanges.ts).
  custom: { changeLog: { visibleFields: ['name', 'bio', 'avatar'] } },
  auth: {
    useAPIKey: true,
    // `Authorization: Preview <token>`: a front end reading one document's drafts (src/preview/).
    // Payload runs it before the API-key and session strategies, and adds those itself.
    strategies: [previewTokenStrategy],
    tokenExpiration: 60 * 60 * 8,
    // Payload's lock after N failures is off: any stranger could lock any account, the admin's too.
    // Sign-in is throttled instead, by client and by account, with growing delays (hooks/loginProtection.ts).
    maxLoginAttempts: 0,
    // Secure cookies only travel over HTTPS: on by default when the public URL is https.
    cookies: {
      sameSite: 'Lax',
      secure: process.env.COOKIE_SECURE
        ? process.env.COOKIE_SECURE === 'true'
        : Boolean(process.env.PUBLIC_SERVER_URL?.startsWith('https://')),
    },
  },
  access: {
    admin: ({ req: { user } }) => editorialRole(user) !== null,
    read: isEditorial,
    create: isAdmin,
    update: adminOrSelf,
    delete: isAdmin,
    unlock: isAdmin,
  },
  admin: {
    useAsTitle: 'name',
    defaultColumns: ['name', 'email', 'role'],
  },
  fields: [
    { name: 'name', type: 'text', required: true, maxLength: 120 },
    {
      name: 'role',
      type: 'select',
      required: true,
      defaultValue: 'author',
      saveToJWT: true,
      options: ROLES.map((value) => ({ label: value[0].toUpperCase() + value.slice(1), value })),
      access: { read: adminOrSelfField, create: isAdminField, update: isAdminField },
      admin: {
        position: 'sidebar',
        description: 'Admins manage users; editors edit all content; authors write and edit their own posts.',
      },
    },
    { name: 'bio', type: 'textarea', maxLength: 1000, admin: { description: 'Shown with your posts.' } },
    { name: 'avatar', type: 'upload', relationTo: 'media' },
    ...accountDetailFields,
  ],
  hooks: {
    beforeChange: [firstUserIsAdmin, keepOneAdminOnChange],
    beforeDelete: [keepOneAdminOnDelete],
    // Sign-in: throttling, the same answer and time for unknown emails, device cookies.
    beforeOperation: [protectSignIn, refusePrivateSort],
    afterOperation: [afterSignInOperation],
  },
}
