import type { CollectionSlug, Endpoint, PayloadHandler } from 'payload'
import { APIError } from 'payload'

import { editorialRole } from '../access/roles'
import { errorResponses, json } from '../openapi/components'
import { checkLinks } from './checkLinks'
import type { DocumentID } from './findLinks'
import { linksOfEdit } from './hooks'
import { LINKING_COLLECTIONS } from './refresh'

export const LINK_CHECK_PATH = '/link-check'

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

/**
 * The admin's sidebar asks this as the editor edits: the broken links of the form's current data
 * (in the language being edited; other languages as last saved), before anything is saved.
 */
const checkDraftLinks: PayloadHandler = async (req) => {
  if (editorialRole(req.user) === null) {
    throw new APIError('Link checks are for the editorial team: sign in to the admin panel.', 403, undefined, true)
  }
  let body: unknown
  try {
    body = await req.json?.()
  } catch {
    throw new APIError('The body is not valid JSON.', 400, undefined, true)
  }
  if (!isObject(body) || !(LINKING_COLLECTIONS as readonly unknown[]).includes(body.collection) || !isObject(body.data)) {
    throw new APIError(`Send { collection: ${LINKING_COLLECTIONS.map((slug) => `"${slug}"`).join(' or ')}, id?, data, locale? }.`, 400, undefined, true)
  }
  const collection = body.collection as string
  const id = typeof body.id === 'number' || (typeof body.id === 'string' && body.id) ? (body.id as DocumentID) : undefined
  const idType = req.payload.collections[collection as CollectionSlug].customIDType ?? req.payload.db.defaultIDType
  if (id !== undefined && idType === 'number' && !/^\d{1,15}$/.test(String(id))) {
    throw new APIError('`id` is not an id of this collection.', 400, undefined, true)
  }
  const codes = req.payload.config.localization ? req.payload.config.localization.localeCodes : []
  const locale = typeof body.locale === 'string' && codes.includes(body.locale) ? body.locale : undefined
  const links = await linksOfEdit(req, collection, id, body.data, locale)
  const brokenLinks = await checkLinks(req, links, { self: { collection, id } })
  return Response.json({ brokenLinks })
}

const brokenLinkSchema = {
  type: 'object',
  properties: {
    path: { type: 'string', description: 'The field that holds the link, e.g. `layout.0.links.1.link.reference` or `content`.' },
    label: { type: 'string', description: "The link's text or label." },
    locale: { type: 'string', description: 'Set for links inside a translated field: the language.' },
    target: {
      type: ['object', 'null'],
      properties: {
        relationTo: { type: 'string' },
        id: { type: ['integer', 'string'] },
        title: { type: 'string' },
      },
      required: ['relationTo', 'id'],
    },
    reason: { type: 'string', enum: ['missing', 'unpublished', 'trashed'] },
  },
  required: ['path', 'label', 'target', 'reason'],
}

export const linkCheckEndpoint: Endpoint = {
  path: LINK_CHECK_PATH,
  method: 'post',
  handler: checkDraftLinks,
  custom: {
    openapi: {
      operationId: 'checkLinks',
      summary: "The broken links of a post or page as it is being edited (the admin's link warning)",
      description:
        'For the editorial team. Finds every link, link field and image of the data sent (the edit form, in the language ' +
        'given; other languages as last saved) and answers those whose target is missing, unpublished or in the trash. ' +
        'Saves nothing. Saved documents carry the same list in `brokenLinks` (see the README, Link checks).',
      tags: ['Link checks'],
      requestBody: {
        required: true,
        content: json({
          type: 'object',
          properties: {
            collection: { type: 'string', enum: [...LINKING_COLLECTIONS] },
            id: { type: ['integer', 'string'], description: 'The document, when it is saved already.' },
            data: { type: 'object', description: "The document's fields, as the edit form holds them." },
            locale: { type: 'string', description: 'The language `data` is in.' },
          },
          required: ['collection', 'data'],
        }),
      },
      responses: {
        200: {
          description: 'The broken links (empty when there are none)',
          content: json({
            type: 'object',
            properties: { brokenLinks: { type: 'array', items: brokenLinkSchema } },
            required: ['brokenLinks'],
          }),
        },
        ...errorResponses(400, 403),
      },
    },
  },
}
