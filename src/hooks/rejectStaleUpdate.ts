import type { CollectionBeforeValidateHook, GlobalBeforeValidateHook } from 'payload'
import { APIError } from 'payload'

/**
 * Optimistic locking for editors and API clients: a save that sends the `updatedAt` of the copy it
 * was made from is refused with 409 when the stored document has changed since, so the later of two
 * editors does not silently overwrite the earlier one. A save without `updatedAt` is not checked.
 * (The admin panel also locks documents while someone edits them; this covers the APIs.)
 */
export const assertNotStale = (incoming: unknown, stored: unknown, what: string): void => {
  if (incoming === undefined || incoming === null || incoming === '' || !stored) return
  const sent = Date.parse(String(incoming))
  if (Number.isNaN(sent)) {
    throw new APIError(
      `"updatedAt" must be the date-time of the copy you edited, like ${String(stored)}.`,
      400,
      undefined,
      true,
    )
  }
  const current = Date.parse(String(stored))
  if (sent !== current) {
    // No times in the words: the admin panel reads "text: rest" as a field name and a message.
    throw new APIError(
      `This ${what} has been changed by someone else since your copy was loaded. Load it again and reapply your changes.`,
      409,
      { updatedAt: new Date(current).toISOString(), yourUpdatedAt: new Date(sent).toISOString() },
      true,
    )
  }
}

export const rejectStaleCollectionUpdate: CollectionBeforeValidateHook = ({
  collection,
  data,
  operation,
  originalDoc,
}) => {
  if (operation === 'update') {
    const what = typeof collection.labels?.singular === 'string' ? collection.labels.singular.toLowerCase() : 'document'
    assertNotStale(data?.updatedAt, originalDoc?.updatedAt, what)
  }
  return data
}

export const rejectStaleGlobalUpdate: GlobalBeforeValidateHook = ({ data, global, originalDoc }) => {
  const what = `${typeof global.label === 'string' ? global.label : global.slug} global`
  assertNotStale(data?.updatedAt, originalDoc?.updatedAt, what)
  return data
}
