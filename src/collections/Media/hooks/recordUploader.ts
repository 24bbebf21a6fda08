import type { CollectionBeforeChangeHook } from 'payload'

import { editorialRole } from '../../../access/roles'

/**
 * Who uploaded a file is who was signed in when it was created; what the request said is ignored.
 * Without a person (the seed, an import, scripts using the Local API) the value given is kept.
 */
export const recordUploader: CollectionBeforeChangeHook = ({ data, operation, req }) => {
  if (operation === 'create' && req.user && editorialRole(req.user)) data.uploadedBy = req.user.id
  return data
}
