// Building blocks shared by many operations: query parameters, HTTP-layer headers, error answers.
import { validOperators } from 'payload/shared'

import type { JsonSchema } from './schemaFixes'

export const ref = (kind: 'schemas' | 'parameters' | 'responses' | 'headers' | 'requestBodies', name: string) => ({
  $ref: `#/components/${kind}/${name}`,
})

export const json = (schema: JsonSchema) => ({ 'application/json': { schema } })

const queryParameter = (name: string, description: string, schema: JsonSchema, extra: JsonSchema = {}) => ({
  in: 'query',
  name,
  description,
  schema,
  ...extra,
})

/** Payload's REST query parameters, once each; operations list the ones they honour. */
export const parameters = {
  Depth: queryParameter(
    'depth',
    'How many levels of relationships and uploads to populate with documents instead of ids (default 2). Not a number or negative: 400.',
    { type: 'integer', minimum: 0 },
  ),
  Limit: queryParameter(
    'limit',
    'Documents per page (default 10); `0` counts without returning documents. Not a number or negative: 400.',
    {
      type: 'integer',
      minimum: 0,
    },
  ),
  Page: queryParameter('page', 'The page to return, from 1.', { type: 'integer', minimum: 1 }),
  Pagination: queryParameter('pagination', '`false` returns every matching document on one page.', { type: 'boolean' }),
  Sort: queryParameter(
    'sort',
    'Field paths to sort by, comma-separated; a leading `-` sorts descending, e.g. `-publishedAt,title`.',
    { type: 'string' },
  ),
  Where: queryParameter(
    'where',
    'A query in bracket syntax, e.g. `where[slug][equals]=welcome` or `where[or][0][title][like]=news`. Keys are field paths (`categories.slug`); values hold operators.',
    ref('schemas', 'Where'),
    // Without an example, Swagger UI's "Try it out" would send a generated sample query, which fails.
    { style: 'deepObject', explode: true, example: {} },
  ),
  Select: queryParameter(
    'select',
    'Only these fields (`select[title]=true&select[slug]=true`), or all but these (`select[content]=false`). `id` is always returned.',
    ref('schemas', 'Select'),
    { style: 'deepObject', explode: true, example: {} },
  ),
  Draft: queryParameter(
    'draft',
    '`true` reads the newest draft instead of the published version, for those allowed to read drafts. Anonymous readers and API keys get the published version either way.',
    { type: 'boolean' },
  ),
  Trash: queryParameter(
    'trash',
    '`true` includes documents in the trash (those with `deletedAt`), for the editorial team: the admin\'s trash view asks with `where[deletedAt][exists]=true`, and deleting or restoring a trashed document needs it. Anonymous readers and API keys never see the trash; for them it changes nothing.',
    { type: 'boolean' },
  ),
  Autosave: queryParameter('autosave', 'With `draft=true`: store the change as an autosave of the current draft.', {
    type: 'boolean',
  }),
  Locale: queryParameter('locale', 'The locale to read or write; `all` reads every locale at once.', {
    type: 'string',
  }),
  FallbackLocale: queryParameter(
    'fallback-locale',
    'The locale used for fields that have no value in `locale`; `none` disables the fallback.',
    {
      type: 'string',
    },
  ),
  IfNoneMatch: {
    in: 'header',
    name: 'If-None-Match',
    description: 'An `ETag` from an earlier answer: `304 Not Modified` while it is still current.',
    schema: { type: 'string' },
  },
  IfModifiedSince: {
    in: 'header',
    name: 'If-Modified-Since',
    description: 'A `Last-Modified` date from an earlier answer: `304 Not Modified` if nothing changed since.',
    schema: { type: 'string' },
  },
}

export const headers = {
  ETag: { description: 'Identifies this version of the answer, for `If-None-Match`.', schema: { type: 'string' } },
  LastModified: {
    description: 'When the newest document in the answer changed, for `If-Modified-Since`.',
    schema: { type: 'string' },
  },
  CacheControl: { description: 'How long shared caches and browsers may keep the answer.', schema: { type: 'string' } },
  CacheTag: {
    description: 'Tags naming the collections and documents in the answer, for CDN purges (Cloudflare, Fastly).',
    schema: { type: 'string' },
  },
  SurrogateKey: {
    description: 'The same tags as `Cache-Tag`, space-separated, for CDNs that purge by surrogate key.',
    schema: { type: 'string' },
  },
  CacheStatus: {
    description:
      'Whether this server answered from its response store (`greenroom; hit`) or made the answer (`greenroom; fwd=miss`; `fwd=bypass` when the store is off), as RFC 9211 describes.',
    schema: { type: 'string' },
  },
  RetryAfter: { description: 'Seconds to wait before trying again.', schema: { type: 'integer', minimum: 0 } },
}

/** The headers every stored, validated answer carries. */
export const cacheHeaders = {
  ETag: ref('headers', 'ETag'),
  'Last-Modified': ref('headers', 'LastModified'),
  'Cache-Control': ref('headers', 'CacheControl'),
  'Cache-Tag': ref('headers', 'CacheTag'),
  'Surrogate-Key': ref('headers', 'SurrogateKey'),
  'Cache-Status': ref('headers', 'CacheStatus'),
}

/** A successful read: cacheable, so it carries validators and CDN tags. */
export const cacheableRead = (description: string, schema: JsonSchema) => ({
  description,
  headers: cacheHeaders,
  content: json(schema),
})

/** HEAD of a read: the same headers, no body. */
export const cacheableHead = (description: string) => ({ description, headers: cacheHeaders })

const errorAnswer = (description: string, extra: JsonSchema = {}) => ({
  description,
  content: json(ref('schemas', 'Error')),
  ...extra,
})

export const responses = {
  NotModified: {
    description: 'Not Modified: the copy named by `If-None-Match` or `If-Modified-Since` is still current. No body.',
    headers: cacheHeaders,
  },
  BadRequest: errorAnswer(
    'The request is invalid: a malformed query parameter (`depth`, `limit`, `where`…) or data that fails validation; `data.errors` lists the fields.',
  ),
  Unauthorized: errorAnswer(
    'The credentials are wrong. Sign-in gives the same answer for an unknown email as for a wrong password.',
  ),
  Forbidden: errorAnswer('Not allowed: sign in, or your role may not do this.'),
  NotFound: errorAnswer('No such document, or it is not visible to you (drafts are not visible to readers).'),
  Conflict: errorAnswer(
    'The document changed since your copy was loaded (send the `updatedAt` you read), is locked by another editor, or is still in use and cannot be deleted; `data` says which.',
  ),
  PayloadTooLarge: errorAnswer(
    'The body is larger than the server accepts: over `API_MAX_JSON_BODY_KB` for JSON and other bodies, over `MEDIA_MAX_UPLOAD_MB` for an uploaded file, or an image with more pixels or frames than `MEDIA_MAX_MEGAPIXELS` and `MEDIA_MAX_FRAMES` allow. The message names the limit.',
  ),
  RequestHeaderFieldsTooLarge: errorAnswer('The URL or the headers are larger than the server reads (16 KB).'),
  TooManyRequests: errorAnswer(
    'Rate limited: too many requests (or form submissions) from this client, or (sign-in) too many failed attempts from this client or on this account. Wait `Retry-After` seconds.',
    { headers: { 'Retry-After': ref('headers', 'RetryAfter') } },
  ),
  ServiceUnavailable: errorAnswer('The database is not available right now. Try again after `Retry-After` seconds.', {
    headers: { 'Retry-After': ref('headers', 'RetryAfter') },
  }),
}

export type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 413
const errorResponseNames: Record<ErrorStatus, keyof typeof responses> = {
  400: 'BadRequest',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'NotFound',
  409: 'Conflict',
  413: 'PayloadTooLarge',
}

/** The error answers an operation can give, plus those every /api route can give (429, 431, 503). */
export const errorResponses = (...statuses: ErrorStatus[]) => ({
  ...Object.fromEntries(statuses.map((status) => [status, ref('responses', errorResponseNames[status])])),
  429: ref('responses', 'TooManyRequests'),
  // Node's HTTP parser refuses a longer URL before any route sees it (src/server/startServer.ts).
  431: ref('responses', 'RequestHeaderFieldsTooLarge'),
  503: ref('responses', 'ServiceUnavailable'),
})

const whereOperators: JsonSchema = {
  type: 'object',
  description: 'Operators on one field. Values in a query string are strings; lists are comma-separated or repeated.',
  properties: Object.fromEntries(
    validOperators.map((operator) => [operator, {}]),
  ),
  additionalProperties: false,
}

export const sharedSchemas: Record<string, JsonSchema> = {
  Error: {
    type: 'object',
    description: "Payload's error answer.",
    properties: {
      errors: {
        type: 'array',
        items: {
          type: 'object',
          properties: {
            message: { type: 'string' },
            name: { type: 'string' },
            data: { description: 'Details, e.g. `{ errors: [{ path, message }] }` for validation errors.' },
            field: { type: 'string' },
          },
          required: ['message'],
        },
      },
    },
    required: ['errors'],
    additionalProperties: false,
  },
  Where: {
    type: 'object',
    description: 'A query: field paths mapped to operators, combined with `and` / `or`.',
    properties: {
      and: { type: 'array', items: ref('schemas', 'Where') },
      or: { type: 'array', items: ref('schemas', 'Where') },
    },
    additionalProperties: whereOperators,
  },
  Select: {
    type: 'object',
    description: 'Field names mapped to `true` (only these) or `false` (all but these); groups and tabs nest.',
    additionalProperties: { anyOf: [{ type: 'boolean' }, ref('schemas', 'Select')] },
  },
  Count: {
    type: 'object',
    properties: { totalDocs: { type: 'integer', minimum: 0 } },
    required: ['totalDocs'],
    additionalProperties: false,
  },
  DocumentPermissions: {
    type: 'object',
    description:
      "What the requester may do with the document and each of its fields (the admin panel's permission tree).",
  },
}

/** Payload's pagination envelope around a page of `items`. */
export const paginated = (items: JsonSchema, title: string): JsonSchema => ({
  type: 'object',
  title,
  properties: {
    docs: { type: 'array', items },
    totalDocs: { type: 'integer', minimum: 0 },
    limit: { type: 'integer', minimum: 0 },
    totalPages: { type: 'integer', minimum: 0 },
    page: { type: 'integer', minimum: 1 },
    pagingCounter: { type: 'integer', minimum: 0 },
    hasPrevPage: { type: 'boolean' },
    hasNextPage: { type: 'boolean' },
    prevPage: { type: ['integer', 'null'] },
    nextPage: { type: ['integer', 'null'] },
  },
  required: [
    'docs',
    'totalDocs',
    'limit',
    'totalPages',
    'page',
    'pagingCounter',
    'hasPrevPage',
    'hasNextPage',
    'prevPage',
    'nextPage',
  ],
  additionalProperties: false,
})

/** `{ doc, message }`: what create, update, delete and duplicate of one document answer. */
export const docWithMessage = (doc: JsonSchema): JsonSchema => ({
  type: 'object',
  properties: { doc, message: { type: 'string' } },
  required: ['doc', 'message'],
  additionalProperties: false,
})

/** What a bulk update or delete (`PATCH`/`DELETE` with `where`) answers; 400 when some documents failed. */
export const bulkResult = (doc: JsonSchema): JsonSchema => ({
  type: 'object',
  properties: {
    docs: { type: 'array', items: doc },
    errors: {
      type: 'array',
      items: { type: 'object', properties: { id: {}, message: { type: 'string' } }, required: ['message'] },
    },
    message: { type: 'string' },
  },
  required: ['docs', 'errors', 'message'],
  additionalProperties: false,
})
