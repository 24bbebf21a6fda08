import type { Access, FieldAccess } from 'payload'

import { hasRole } from './roles'

/** Editors and admins manage all content. */
export const isEditor: Access = ({ req: { user } }) => hasRole(user, 'admin', 'editor')

export const isEditorField: FieldAccess = ({ req: { user } }) => hasRole(user, 'admin', 'editor')
