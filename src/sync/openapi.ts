import { errorResponses, json, ref } from '../openapi/components'
import type { JsonSchema } from '../openapi/schemaFixes'
import type { ReaderPolicy } from '../readerPolicy/policy'
import { DEFAULT_SYNC_LIMIT, SITE_COLLECTIONS } from './parameters'

/**
 * The schema of each document a sync can carry: the published read schema where there are drafts,
 * so an answer with a draft in it fails the HTTP suite's spec check. Names are payload-oapi's (from
 * the collections' labels); a wrong one leaves a dangling $ref, which test/http/openapi.test.ts fails.
 */
const DOCUMENT_SCHEMAS: Record<string, string> = {
  posts: 'PostPublished',
  pages: 'PagePublished',
  categories: 'Category',
  media: 'MediaFile',
  forms: 'Form',
  redirects: 'Redirect',
  search: 'SearchResult',
  header: 'Header',
  footer: 'Footer',
  'site-settings': 'SiteSettings',
}

const documentSchema = (slug: string): JsonSchema =>
  DOCUMENT_SCHEMAS[slug] ? ref('schemas', DOCUMENT_SCHEMAS[slug]) : { type: 'object' }

const id: JsonSchema = { type: ['integer', 'string'], description: "The document's id." }
const position: JsonSchema = {
  type: 'integer',
  minimum: 0,
  description: "The change log's position of this change (in a full sync: the position the sync began at).",
}

const syncChange = (policy: ReaderPolicy): JsonSchema => ({
  oneOf: [
    ...Object.keys(policy.collections).map((collection) => ({
      type: 'object',
      title: `upsert of ${collection}`,
      properties: { op: { const: 'upsert' }, collection: { const: collection }, id, position, doc: documentSchema(collection) },
      required: ['op', 'collection', 'id', 'position', 'doc'],
      additionalProperties: false,
    })),
    {
      type: 'object',
      title: 'tombstone',
      description: 'The document was deleted, or is no longer published: remove it from the site.',
      properties: {
        op: { const: 'delete' },
        collection: { enum: Object.keys(policy.collections) },
        id,
        position,
        event: { enum: ['deleted', 'unpublished'] },
      },
      required: ['op', 'collection', 'id', 'position', 'event'],
      additionalProperties: false,
    },
    ...Object.keys(policy.globals).map((global) => ({
      type: 'object',
      title: `upsert of the ${global} global`,
      properties: { op: { const: 'upsert' }, global: { const: global }, position, doc: documentSchema(global) },
      required: ['op', 'global', 'position', 'doc'],
      additionalProperties: false,
    })),
  ],
})

const query = (name: string, description: string, schema: JsonSchema, extra: JsonSchema = {}) => ({
  in: 'query',
  name,
  description,
  schema,
  ...extra,
})

/** `/api/sync` as an OpenAPI 3.1 operation: how a root endpoint gets into the spec (`custom.openapi`). */
export const syncOperation = (policy: ReaderPolicy): JsonSchema => ({
  operationId: 'sync',
  summary: 'Everything a static site builds from, then only what changed (delta sync)',
  description:
    'Without `cursor`: a full sync, every published document of the asked collections in pages (id order), then the globals, ' +
    'the last page with `hasMore: false`. With the `nextCursor` of an answer: the next page, or (after a last page) every ' +
    'change since, each document once at its last change: `upsert` with the document as the public reads it now, `delete` ' +
    'for one deleted or unpublished. Keep the `nextCursor` of the answer with `hasMore: false` for the next run. Always the ' +
    "public's view: drafts never appear, whoever asks. A cursor older than the change log keeps answers 410: sync from scratch.",
  tags: ['Sync'],
  security: [{}, { apiKey: [] }, { bearerAuth: [] }, { sessionCookie: [] }],
  parameters: [
    query(
      'collections',
      `Comma-separated collections (default: ${SITE_COLLECTIONS.filter((slug) => policy.collections[slug]).join(',')}); empty for none. One readers may not read: 400.`,
      { type: 'string' },
    ),
    query('globals', `Comma-separated globals (default: ${Object.keys(policy.globals).join(',')}); empty for none.`, {
      type: 'string',
    }),
    query('cursor', 'The `nextCursor` of an earlier answer, as it came. Not one this server gave: 400.', { type: 'string' }),
    query(
      'limit',
      `Documents (full sync) or changes (delta) per page, from 1 to ${policy.maxSyncLimit} (\`API_MAX_SYNC_LIMIT\`); default ${DEFAULT_SYNC_LIMIT}.`,
      { type: 'integer', minimum: 1 },
    ),
    query('depth', `How many levels of relationships to populate, up to ${policy.maxDepth} (default 2).`, {
      type: 'integer',
      minimum: 0,
    }),
    ref('parameters', 'Select'),
    ref('parameters', 'Locale'),
    ref('parameters', 'FallbackLocale'),
    ref('parameters', 'IfNoneMatch'),
  ],
  responses: {
    200: {
      description: 'A page of changes',
      headers: {
        ETag: ref('headers', 'ETag'),
        'Last-Modified': ref('headers', 'LastModified'),
        'Cache-Control': ref('headers', 'CacheControl'),
        'Cache-Status': ref('headers', 'CacheStatus'),
      },
      content: json({
        type: 'object',
        properties: {
          mode: { enum: ['full', 'delta'] },
          changes: { type: 'array', items: syncChange(policy) },
          nextCursor: { type: 'string', description: 'Pass it as `cursor` to continue.' },
          hasMore: { type: 'boolean', description: '`true`: ask again with `nextCursor` now; `false`: keep `nextCursor` for the next run.' },
          head: { type: 'integer', minimum: 0, description: "The change log's last position when this page was read." },
        },
        required: ['mode', 'changes', 'nextCursor', 'hasMore', 'head'],
        additionalProperties: false,
      }),
    },
    304: ref('responses', 'NotModified'),
    ...errorResponses(400),
    410: {
      description: 'The cursor is older than what the change log keeps: sync from scratch (call /api/sync without a cursor).',
      content: json(ref('schemas', 'Error')),
    },
  },
})
