import type { Access, FieldAccess } from 'payload'

import { editorialRole } from './roles'

/** Anyone on the editorial team (admin, editor, author), but not an API key or a reader. */
export const isEditorial: Access = ({ req: { user } }) => editorialRole(user) !== null

export const isEditorialField: FieldAccess = ({ req: { user } }) => editorialRole(user) !== null
