import type { Access } from 'payload'

import { hasRole } from './roles'

/** Editors and admins manage all content. */
export const isEditor: Access = ({ req: { user } }) => hasRole(user, 'admin', 'editor')
