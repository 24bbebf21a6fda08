import type { CollectionBeforeChangeHook, CollectionBeforeDeleteHook, PayloadRequest } from 'payload'
import { APIError } from 'payload'

const otherAdmins = async (req: PayloadRequest, id: number | string) => {
  const { totalDocs } = await req.payload.count({
    collection: 'users',
    where: { and: [{ role: { equals: 'admin' } }, { id: { not_equals: id } }] },
    overrideAccess: true,
    req,
  })
  return totalDocs
}

/** Demoting or deleting the last admin would leave nobody able to manage accounts. */
export const keepOneAdminOnChange: CollectionBeforeChangeHook = async ({ data, operation, originalDoc, req }) => {
  if (operation !== 'update' || originalDoc?.role !== 'admin') return data
  if (data.role === undefined || data.role === 'admin') return data
  if ((await otherAdmins(req, originalDoc.id)) === 0) {
    throw new APIError('The last admin cannot be given another role; make someone else an admin first.', 409, undefined, true)
  }
  return data
}

export const keepOneAdminOnDelete: CollectionBeforeDeleteHook = async ({ id, req }) => {
  const user = await req.payload.findByID({ collection: 'users', id, overrideAccess: true, req, depth: 0, disableErrors: true })
  if (user?.role !== 'admin') return
  if ((await otherAdmins(req, id)) === 0) {
    throw new APIError('The last admin cannot be deleted; make someone else an admin first.', 409, undefined, true)
  }
}
