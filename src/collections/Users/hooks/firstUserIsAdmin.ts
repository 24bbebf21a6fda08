import type { CollectionBeforeChangeHook } from 'payload'

/**
 * Whoever creates the first account owns the installation, whatever role the request asked for,
 * so a fresh install can never end up with nobody able to manage users.
 */
export const firstUserIsAdmin: CollectionBeforeChangeHook = async ({ data, operation, req }) => {
  if (operation !== 'create') return data
  const { totalDocs } = await req.payload.count({ collection: 'users', overrideAccess: true, req })
  if (totalDocs === 0) data.role = 'admin'
  return data
}
