// The operations Payload serves for each collection and global, described from the sanitized config.
// payload-oapi's own collection and global operations are replaced by these: it documents a
// single-document read as `{ doc, message }` and an update as a bare document (the other way round),
// lacks count, bulk, duplicate, versions and file routes, and names only some fields in `where`.
import { TRANSFORM_FITS, TRANSFORM_FORMATS, TRANSFORM_QUALITIES, TRANSFORM_WIDTHS } from '../media/transforms'
import type { ErrorStatus } from './components'
import {
  bulkResult,
  cacheableHead,
  cacheableRead,
  docWithMessage,
  errorResponses,
  json,
  paginated,
  ref,
  responses,
} from './components'
import type { JsonSchema } from './schemaFixes'

export type Security = Record<string, string[]>[]

/** What the path builders need to know about a collection or global. */
export type EntityDescription = {
  slug: string
  /** Component name of its document schema, e.g. `Post`. */
  schemaName: string
  /** Name for tags and operation ids, e.g. `Posts`. */
  label: string
  drafts: boolean
  versions: boolean
  localized: boolean
  readSecurity: Security
  writeSecurity: Security
  /** Ids (of documents and versions) are numbers on SQL databases, strings on MongoDB. */
  idSchema: JsonSchema
}

export type CollectionDescription = EntityDescription & {
  upload: boolean
  duplicate: boolean
  /** Payload's trash: `deletedAt`, and the `trash` parameter that includes trashed documents. */
  trash: boolean
}

type Operation = JsonSchema
type PathItem = Record<string, Operation>
export type Paths = Record<string, PathItem>

const param = (name: string) => ref('parameters', name)

const localeParameters = (entity: EntityDescription, { fallback = true } = {}) =>
  entity.localized ? [param('Locale'), ...(fallback ? [param('FallbackLocale')] : [])] : []

const draftParameters = (entity: EntityDescription, { autosave = false } = {}) =>
  entity.drafts ? [param('Draft'), ...(autosave ? [param('Autosave')] : [])] : []

const conditionalParameters = [param('IfNoneMatch'), param('IfModifiedSince')]

const trashParameters = (collection: CollectionDescription) => (collection.trash ? [param('Trash')] : [])

/**
 * A HEAD answer has no body whatever its status: each of GET's answers keeps its description and
 * headers and loses its content (the shared error answers are read from the components).
 */
const withoutBodies = (answers: Record<string, JsonSchema>): Record<string, JsonSchema> =>
  Object.fromEntries(
    Object.entries(answers).map(([status, answer]) => {
      const named = typeof answer.$ref === 'string' ? answer.$ref.replace('#/components/responses/', '') : undefined
      const resolved: JsonSchema = named ? (responses as Record<string, JsonSchema>)[named] : answer
      const { content: _content, ...bodiless } = resolved
      return [status, bodiless]
    }),
  )

/** GET and HEAD of a cacheable read: same parameters, HEAD without a body. */
const readWithHead = (get: Operation, okDescription: string): PathItem => ({
  get,
  head: {
    ...get,
    operationId: `head${get.operationId[0].toUpperCase()}${get.operationId.slice(1)}`,
    summary: `${get.summary} (headers only)`,
    responses: { ...withoutBodies(get.responses), 200: cacheableHead(okDescription) },
  },
})

const pathParameter = (name: string, description: string, schema: JsonSchema) => ({
  in: 'path',
  name,
  required: true,
  description,
  schema,
})

export const collectionPaths = (api: string, collection: CollectionDescription): Paths => {
  const { slug, schemaName, label, idSchema } = collection
  const doc = ref('schemas', schemaName)
  const tags = [label]
  const base = `${api}/${slug}`
  const id = pathParameter('id', `The ${schemaName}'s id.`, idSchema)
  const uploadErrors: ErrorStatus[] = collection.upload ? [413] : []
  const readSecurity = collection.readSecurity
  const writeSecurity = collection.writeSecurity
  const writeBody = ref('requestBodies', `${schemaName}RequestBody`)
  const patchBody = ref('requestBodies', `${schemaName}PatchRequestBody`)

  const list: Operation = {
    operationId: `list${label}`,
    summary: `List ${label.toLowerCase()}`,
    tags,
    security: readSecurity,
    parameters: [
      param('Where'),
      param('Limit'),
      param('Page'),
      param('Pagination'),
      param('Sort'),
      param('Depth'),
      param('Select'),
      ...draftParameters(collection),
      ...trashParameters(collection),
      ...localeParameters(collection),
      ...conditionalParameters,
    ],
    responses: {
      200: cacheableRead(`A page of ${label.toLowerCase()}`, ref('schemas', `${schemaName}List`)),
      304: ref('responses', 'NotModified'),
      ...errorResponses(400, 403),
    },
  }
  const findById: Operation = {
    operationId: `find${schemaName}ById`,
    summary: `Get one ${schemaName} by id`,
    tags,
    security: readSecurity,
    parameters: [
      param('Depth'),
      param('Select'),
      ...draftParameters(collection),
      ...trashParameters(collection),
      ...localeParameters(collection),
      ...conditionalParameters,
    ],
    responses: {
      200: cacheableRead(`The ${schemaName}`, doc),
      304: ref('responses', 'NotModified'),
      ...errorResponses(400, 403, 404),
    },
  }
  const count: Operation = {
    operationId: `count${label}`,
    summary: `Count ${label.toLowerCase()} matching a query`,
    tags,
    security: readSecurity,
    parameters: [
      param('Where'),
      ...trashParameters(collection),
      ...localeParameters(collection, { fallback: false }),
      ...conditionalParameters,
    ],
    responses: {
      200: cacheableRead('The number of matching documents', ref('schemas', 'Count')),
      304: ref('responses', 'NotModified'),
      ...errorResponses(400, 403),
    },
  }
  const writeParameters = [
    param('Depth'),
    param('Select'),
    ...draftParameters(collection),
    ...localeParameters(collection, { fallback: false }),
  ]

  const paths: Paths = {
    [base]: {
      ...readWithHead(list, `Headers of a page of ${label.toLowerCase()}`),
      post: {
        operationId: `create${schemaName}`,
        summary: `Create a ${schemaName}`,
        tags,
        security: writeSecurity,
        parameters: writeParameters,
        requestBody: writeBody,
        responses: {
          201: { description: 'Created', content: json(docWithMessage(doc)) },
          ...errorResponses(400, 403, 409, ...uploadErrors),
        },
      },
      patch: {
        operationId: `update${label}`,
        summary: `Update every ${schemaName} matching \`where\``,
        tags,
        security: writeSecurity,
        parameters: [
          { ...param('Where'), required: true },
          param('Limit'),
          param('Sort'),
          ...writeParameters,
          ...trashParameters(collection),
        ],
        requestBody: patchBody,
        responses: {
          200: { description: 'All matching documents were updated', content: json(bulkResult(doc)) },
          400: {
            description: 'Invalid request, or some documents could not be updated (`errors` lists them)',
            content: json({ oneOf: [ref('schemas', 'Error'), bulkResult(doc)] }),
          },
          ...errorResponses(403, 409),
        },
      },
      delete: {
        operationId: `delete${label}`,
        summary: `Delete every ${schemaName} matching \`where\``,
        tags,
        security: writeSecurity,
        parameters: [
          { ...param('Where'), required: true },
          param('Depth'),
          param('Select'),
          ...trashParameters(collection),
          ...localeParameters(collection, { fallback: false }),
        ],
        responses: {
          200: { description: 'All matching documents were deleted', content: json(bulkResult(doc)) },
          400: {
            description: 'Invalid request, or some documents could not be deleted (`errors` lists them)',
            content: json({ oneOf: [ref('schemas', 'Error'), bulkResult(doc)] }),
          },
          ...errorResponses(403, 409),
        },
      },
    },
    [`${base}/count`]: readWithHead(count, 'Headers of the count'),
    [`${base}/{id}`]: {
      parameters: [id],
      ...readWithHead(findById, `Headers of the ${schemaName}`),
      patch: {
        operationId: `update${schemaName}`,
        summary: `Update a ${schemaName}`,
        tags,
        security: writeSecurity,
        parameters: [...writeParameters, ...(collection.drafts ? [param('Autosave')] : []), ...trashParameters(collection)],
        requestBody: patchBody,
        responses: {
          200: { description: 'Updated', content: json(docWithMessage(doc)) },
          ...errorResponses(400, 403, 404, 409, ...uploadErrors),
        },
      },
      delete: {
        operationId: `delete${schemaName}`,
        summary: `Delete a ${schemaName}`,
        tags,
        security: writeSecurity,
        parameters: [param('Depth'), param('Select'), ...trashParameters(collection)],
        responses: {
          200: { description: 'Deleted', content: json(docWithMessage(doc)) },
          ...errorResponses(400, 403, 404, 409),
        },
      },
    },
    [`${base}/access`]: {
      post: accessOperation(
        `access${label}`,
        `What the requester may do with new ${label.toLowerCase()}`,
        tags,
        writeSecurity,
      ),
    },
    [`${base}/access/{id}`]: {
      parameters: [id],
      post: accessOperation(
        `access${schemaName}`,
        `What the requester may do with this ${schemaName}`,
        tags,
        writeSecurity,
      ),
    },
  }
  if (collection.duplicate) {
    paths[`${base}/{id}/duplicate`] = {
      parameters: [id],
      post: {
        operationId: `duplicate${schemaName}`,
        summary: `Copy a ${schemaName} into a new draft`,
        tags,
        security: writeSecurity,
        parameters: writeParameters,
        requestBody: patchBody,
        responses: {
          200: { description: 'The copy', content: json(docWithMessage(doc)) },
          ...errorResponses(400, 403, 404, 409),
        },
      },
    }
  }
  if (collection.versions) Object.assign(paths, versionPaths(base, collection))
  if (collection.upload) Object.assign(paths, uploadPaths(base, collection))
  return paths
}

const accessOperation = (operationId: string, summary: string, tags: string[], security: Security): Operation => ({
  operationId,
  summary,
  tags,
  security,
  requestBody: {
    required: false,
    description: 'The document as edited so far, for permissions that depend on its data.',
    content: json({ type: 'object' }),
  },
  responses: {
    200: { description: 'The permission tree', content: json(ref('schemas', 'DocumentPermissions')) },
    ...errorResponses(400, 403, 404),
  },
})

const versionPaths = (base: string, entity: EntityDescription): Paths => {
  const { schemaName, label } = entity
  const tags = [label]
  const version = ref('schemas', `${schemaName}Version`)
  const versionId = pathParameter('id', 'The version id.', entity.idSchema)
  const list: Operation = {
    operationId: `list${schemaName}Versions`,
    summary: `List versions of ${label.toLowerCase()}`,
    description: 'Editors see every version; readers see published versions only.',
    tags,
    security: entity.readSecurity,
    parameters: [
      param('Where'),
      param('Limit'),
      param('Page'),
      param('Pagination'),
      param('Sort'),
      param('Depth'),
      param('Select'),
      ...localeParameters(entity),
      ...conditionalParameters,
    ],
    responses: {
      200: cacheableRead('A page of versions', paginated(version, `${schemaName} versions`)),
      304: ref('responses', 'NotModified'),
      ...errorResponses(400, 403),
    },
  }
  const findVersion: Operation = {
    operationId: `find${schemaName}VersionById`,
    summary: `Get one version of a ${schemaName}`,
    tags,
    security: entity.readSecurity,
    parameters: [param('Depth'), param('Select'), ...localeParameters(entity), ...conditionalParameters],
    responses: {
      200: cacheableRead('The version', version),
      304: ref('responses', 'NotModified'),
      ...errorResponses(400, 403, 404),
    },
  }
  return {
    [`${base}/versions`]: readWithHead(list, 'Headers of a page of versions'),
    [`${base}/versions/{id}`]: {
      parameters: [versionId],
      ...readWithHead(findVersion, 'Headers of the version'),
      post: {
        operationId: `restore${schemaName}Version`,
        summary: `Make this version the current ${schemaName}`,
        tags,
        security: entity.writeSecurity,
        parameters: [param('Depth'), ...draftParameters(entity)],
        responses: {
          200: {
            // Payload answers the document's fields and `message` side by side, and the restored
            // version keeps the status it had (a published one restores as published): the document
            // schema (closed, and draft-only when drafts are on) cannot describe that, so this is open.
            description: `The restored ${schemaName}: its fields, and a \`message\``,
            content: json({
              type: 'object',
              properties: { id: {}, message: { type: 'string' } },
              required: ['id', 'message'],
            }),
          },
          // 409: the document changed since the version list was read (src/hooks/rejectStaleUpdate.ts).
          ...errorResponses(400, 403, 404, 409),
        },
      },
    },
  }
}

const uploadPaths = (base: string, collection: CollectionDescription): Paths => {
  const tags = [collection.label]
  const anyFile = { '*/*': { schema: { type: 'string', format: 'binary' } } }
  return {
    [`${base}/file/{filename}`]: fileRoute(collection, anyFile, tags),
    [`${base}/paste-url`]: pasteUrl(collection, anyFile, 'paste'),
    [`${base}/paste-url/{id}`]: {
      parameters: [pathParameter('id', `The ${collection.schemaName} being edited.`, collection.idSchema)],
      ...pasteUrl(collection, anyFile, 'pasteInto'),
    },
  }
}

const fileHeader = (description: string) => ({ description, schema: { type: 'string' } })

const transformParameter = (name: string, description: string, values: readonly (string | number)[]) => ({
  in: 'query',
  name,
  required: false,
  description,
  schema: { type: 'string', enum: values.map(String) },
})

/** Transforms of an original (src/media/transforms.ts); any other value, or another parameter beside them, is a 400. */
const transformParameters = [
  transformParameter('w', 'Width in pixels (a transform of the original; never larger than it).', TRANSFORM_WIDTHS),
  transformParameter('h', 'Height in pixels, from the same list.', TRANSFORM_WIDTHS),
  transformParameter('fit', 'With both `w` and `h`: `cover` (default; cropped around the focal point), `contain` or `inside`.', TRANSFORM_FITS),
  transformParameter('fm', 'Format; default the original\'s (a GIF\'s first frame as PNG).', TRANSFORM_FORMATS),
  transformParameter('q', 'Quality of avif, webp and jpeg; default 50 for AVIF, 80 otherwise.', TRANSFORM_QUALITIES),
]

/**
 * A stored file, as src/server/mediaFiles.ts serves it: validators of the bytes, conditional and
 * range requests, `immutable` for a URL that carries the current `v`.
 */
const fileRoute = (collection: CollectionDescription, anyFile: JsonSchema, tags: string[]): PathItem => {
  const fileHeaders = {
    ETag: fileHeader('A strong validator: the SHA-256 of the bytes. For `If-None-Match` and `If-Range`.'),
    'Last-Modified': fileHeader('When the file was written, for `If-Modified-Since` and `If-Range`.'),
    'Cache-Control': fileHeader(
      '`public, max-age=31536000, immutable` when `v` names the current bytes; otherwise `MEDIA_CACHE_CONTROL` (default `public, no-cache`).',
    ),
    'Accept-Ranges': fileHeader('`bytes`'),
    'Content-Disposition': fileHeader('`inline` for the image types the collection takes, `attachment` for anything else.'),
    RateLimit: fileHeader('The `"media"` policy: media files have a rate limit of their own (`RATE_LIMIT_MEDIA_PER_IP`).'),
  }
  const answers: Record<string, JsonSchema> = {
    200: { description: 'The file', headers: fileHeaders, content: anyFile },
    206: {
      description:
        'The asked range (with `Content-Range`), or several ranges as `multipart/byteranges`. An `If-Range` that no longer matches gets the whole file (200).',
      headers: { ...fileHeaders, 'Content-Range': fileHeader('`bytes <first>-<last>/<size>` for a single range.') },
      content: anyFile,
    },
    304: { description: 'Not Modified: the copy named by `If-None-Match` or `If-Modified-Since` is still current.', headers: fileHeaders },
    400: ref('responses', 'BadRequest'),
    404: ref('responses', 'NotFound'),
    412: {
      description: 'Precondition Failed: `If-Match` or `If-Unmodified-Since` does not hold.',
      content: json(ref('schemas', 'Error')),
    },
    416: {
      description: 'Range Not Satisfiable: no asked range lies within the file.',
      headers: { 'Content-Range': fileHeader('`bytes */<size>`') },
      content: json(ref('schemas', 'Error')),
    },
    ...errorResponses(),
  }
  const get = {
    operationId: `get${collection.schemaName}File`,
    summary: 'Download an uploaded file',
    description:
      'The original or one of its resized images, if it belongs to a document the reader may read; any other name is a 404. ' +
      'With `w`, `h`, `fit`, `fm` or `q`, a transform of the original, rendered once and stored; a 503 with `Retry-After` when too many are rendering. ' +
      '`url` and `sizes.*.url` carry `?v=`, which lets caches keep the answer for good.',
    tags,
    security: collection.readSecurity,
    parameters: [
      {
        in: 'query',
        name: 'v',
        required: false,
        description: 'The version of the bytes, as the document\'s URLs carry it. Any other value still gets the current file, but not `immutable`.',
        schema: { type: 'string' },
      },
      ...transformParameters,
      ...conditionalParameters,
      { in: 'header', name: 'Range', required: false, description: 'One or several byte ranges (`bytes=0-99,200-`).', schema: { type: 'string' } },
      { in: 'header', name: 'If-Range', required: false, description: 'An `ETag` or `Last-Modified`: the range only if the file is still that one.', schema: { type: 'string' } },
    ],
    responses: answers,
  }
  return {
    parameters: [pathParameter('filename', 'The stored file name, or that of one of its resized images.', { type: 'string' })] as never,
    get,
    head: { ...get, operationId: `head${collection.schemaName}File`, summary: 'Headers of an uploaded file', responses: withoutBodies(answers) },
  }
}

/** The admin panel's "paste URL" upload helper: fetches a remote file for an editor. */
const pasteUrl = (collection: CollectionDescription, anyFile: JsonSchema, prefix: string): PathItem => ({
  get: {
    operationId: `${prefix}${collection.schemaName}FromUrl`,
    summary: 'Fetch a file from a URL for an upload (admin panel)',
    tags: [collection.label],
    security: collection.writeSecurity,
    parameters: [
      { in: 'query', name: 'src', required: true, description: 'The URL to fetch.', schema: { type: 'string' } },
    ],
    responses: { 200: { description: 'The fetched file', content: anyFile }, ...errorResponses(400, 403, 404) },
  },
})

export const globalPaths = (api: string, global: EntityDescription): Paths => {
  const { slug, schemaName, label } = global
  const tags = [label]
  const base = `${api}/globals/${slug}`
  const read: Operation = {
    operationId: `get${schemaName}`,
    summary: `Get the ${label}`,
    tags,
    security: global.readSecurity,
    parameters: [
      param('Depth'),
      param('Select'),
      ...draftParameters(global),
      ...localeParameters(global),
      ...conditionalParameters,
    ],
    responses: {
      200: cacheableRead(`The ${label}`, ref('schemas', schemaName)),
      304: ref('responses', 'NotModified'),
      ...errorResponses(400, 403),
    },
  }
  const paths: Paths = {
    [base]: {
      ...readWithHead(read, `Headers of the ${label}`),
      post: {
        operationId: `update${schemaName}`,
        summary: `Update the ${label}`,
        tags,
        security: global.writeSecurity,
        parameters: [
          param('Depth'),
          param('Select'),
          ...draftParameters(global, { autosave: true }),
          ...localeParameters(global, { fallback: false }),
        ],
        requestBody: ref('requestBodies', `${schemaName}RequestBody`),
        responses: {
          200: {
            description: 'Updated',
            content: json({
              type: 'object',
              properties: { result: ref('schemas', schemaName), message: { type: 'string' } },
              required: ['result', 'message'],
              additionalProperties: false,
            }),
          },
          ...errorResponses(400, 403, 409),
        },
      },
    },
    [`${base}/access`]: {
      post: accessOperation(
        `access${schemaName}`,
        `What the requester may do with the ${label}`,
        tags,
        global.writeSecurity,
      ),
    },
  }
  if (global.versions) Object.assign(paths, versionPaths(base, global))
  return paths
}
