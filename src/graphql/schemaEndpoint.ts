// GET /api/graphql/schema.graphql: the GraphQL schema in SDL. Introspection is off in production, so
// without this no typed GraphQL client could be generated. It tells no more than the API accepts anyway,
// and every query still meets the guards (src/graphql/guards.ts) and access control.
import type { GraphQLSchema } from 'graphql'
import { printSchema } from 'graphql'
import type { Endpoint, PayloadHandler, SanitizedConfig } from 'payload'

import { errorResponses } from '../openapi/components'
import { PUBLIC_REVALIDATED } from '../server/cache/httpCache'
import { entityTag, matchesIfNoneMatch } from '../server/cache/validators'

type PayloadGraphqlCache = { _payload_graphql?: { graphql?: { schema?: GraphQLSchema } | null } }

/**
 * The schema Payload's GraphQL handler answers with, not a second one: @payloadcms/next builds it once
 * per process and keeps it on `globalThis._payload_graphql` (`getGraphql`, not exported). Building
 * another with `configToSchema` would write new types onto the config's collections under the running
 * one. The server builds it before it listens; elsewhere the first call here does, as a first query would.
 */
const servedSchema = async (config: SanitizedConfig): Promise<GraphQLSchema> => {
  const kept = () => (globalThis as PayloadGraphqlCache)._payload_graphql?.graphql?.schema
  if (!kept()) await (await import('../server/payloadApi')).prepareGraphql(config)
  const schema = kept()
  if (!schema) throw new Error('Payload’s GraphQL handler kept no schema where @payloadcms/next 3.90 keeps it.')
  return schema
}

const printed = new WeakMap<GraphQLSchema, { body: string; etag: string }>()

/** The same text `npm run generate:graphql-schema` writes (@payloadcms/graphql prints it with printSchema). */
export const graphqlSDL = async (config: SanitizedConfig) => {
  const schema = await servedSchema(config)
  let sdl = printed.get(schema)
  if (!sdl) {
    const body = printSchema(schema)
    sdl = { body, etag: entityTag(Buffer.from(body)) }
    printed.set(schema, sdl)
  }
  return sdl
}

const serveSDL: PayloadHandler = async (req) => {
  const { body, etag } = await graphqlSDL(req.payload.config)
  // Not JSON, so the response store passes it on as it is: the same for every reader, and changed only by a deploy.
  const headers = { ETag: etag, 'Cache-Control': PUBLIC_REVALIDATED }
  if (matchesIfNoneMatch(req.headers.get('if-none-match') ?? '', etag)) return new Response(null, { status: 304, headers })
  return new Response(body, { headers: { ...headers, 'Content-Type': 'text/plain; charset=utf-8' } })
}

export const graphqlSchemaEndpoint: Endpoint = {
  path: '/graphql/schema.graphql',
  method: 'get',
  handler: serveSDL,
  custom: {
    openapi: {
      operationId: 'graphqlSchema',
      summary: 'The GraphQL schema in SDL, for generating typed GraphQL clients',
      description:
        'What `npm run generate:graphql-schema` writes to `schema.graphql`: introspection is off in production, so ' +
        'code generators (graphql-codegen, gql.tada…) read the schema here. Queries still meet the GraphQL limits.',
      tags: ['GraphQL'],
      security: [],
      parameters: [
        { in: 'header', name: 'If-None-Match', schema: { type: 'string' }, description: 'The ETag of a copy you hold.' },
      ],
      responses: {
        200: {
          description: 'The schema (GraphQL SDL)',
          headers: { ETag: { schema: { type: 'string' } } },
          content: { 'text/plain': { schema: { type: 'string' } } },
        },
        304: { description: 'Not Modified: your copy is current' },
        ...errorResponses(),
      },
    },
  },
}
