// Greenroom's OpenAPI 3.1 document, generated from the sanitized Payload config.
//
// payload-oapi supplies the document schemas (through Payload's own `entityToJSONSchema`, the source of
// payload-types.ts), request bodies, the auth operations and the operations of root endpoints that carry
// `custom.openapi`. Everything it gets wrong for Payload 3.90 is replaced or corrected here: the
// collection and global operations (./paths), the schemas (./schemaFixes), security, servers, and the
// routes it does not know (GraphQL, health checks, HTTP-layer answers such as 304, 429 and 503).
import fs from 'node:fs'
import path from 'node:path'

import type { Access, Collection, Payload, PayloadRequest, SanitizedGlobalConfig } from 'payload'

import { siteOutputPaths } from '../siteOutputs/openapi'
import { documentFormPosts } from '../forms/openapi'
import { formSettingsFromEnv } from '../forms/settings'
import { isPreviewCollection } from '../preview/url'
import { isPayloadInternalCollection } from '../utilities/internalCollections'
import { errorResponses, headers, json, paginated, parameters, ref, responses, sharedSchemas } from './components'
import type { CollectionDescription, EntityDescription, Paths, Security } from './paths'
import { collectionPaths, globalPaths } from './paths'
import type { FieldShape, JsonSchema } from './schemaFixes'
import {
  asReadDocument,
  collectRefs,
  draftTolerant,
  mapSchemas,
  nullAsItsOwnBranch,
  imageSizeAspectRatio,
  nullInEnum,
  relaxConditionalFields,
  allowEveryLocale,
  withoutTypeScriptHints,
} from './schemaFixes'

export type OpenAPIDocument = JsonSchema & { paths: Paths; components: Record<string, Record<string, JsonSchema>> }


const SECURITY_SCHEMES = ['bearerAuth', 'apiKey', 'sessionCookie'] as const
const signedIn: Security = SECURITY_SCHEMES.map((scheme) => ({ [scheme]: [] }))
/** `{}` first: anonymous requests are allowed too (and see only what the public sees). */
const anyone: Security = [{}, ...signedIn]

/**
 * Whether an anonymous request gets any access: `true`, or a query that limits it (published posts
 * only). Access functions read `req.user`; one that needs more than that counts as closed.
 */
const allowsAnonymous = async (access: Access | undefined, payload: Payload): Promise<boolean> => {
  if (!access) return false
  try {
    const result = await access({
      req: { user: null, payload, context: {}, headers: new Headers() } as unknown as PayloadRequest,
    })
    return result !== false
  } catch {
    return false
  }
}

const securityFor = async (access: Access | undefined, payload: Payload) =>
  (await allowsAnonymous(access, payload)) ? anyone : signedIn

const readVersion = (file: string) => {
  try {
    return String(JSON.parse(fs.readFileSync(path.resolve(file), 'utf8')).version)
  } catch {
    return 'unknown'
  }
}

/** Auth routes and the error answers each can give; the routes themselves come from payload-oapi. */
const AUTH_ERRORS: Record<string, Parameters<typeof errorResponses> | undefined> = {
  login: [400, 401, 403],
  // 403: an API key (it cannot sign anyone out, see src/access/readOnlyApiKeys.ts).
  logout: [400, 403],
  // A signed-in user whom access control may not show their own account: an API key's user.
  me: [403],
  // 400: a body that is not JSON; 403: an API key (src/access/readOnlyApiKeys.ts).
  'refresh-token': [400, 401, 403],
  'forgot-password': [400, 403],
  'reset-password': [400, 403],
  'first-register': [400, 403],
  unlock: [400, 403],
  init: [],
  verify: [400, 403],
}

const healthPaths = (): Paths => ({
  '/healthz': {
    get: {
      operationId: 'liveness',
      summary: 'Liveness: the process is up',
      description: 'Never touches the database. Served outside `/api`, so no rate limit applies.',
      tags: ['Health'],
      security: [],
      responses: {
        200: {
          description: 'Alive',
          content: json({
            type: 'object',
            properties: { status: { const: 'ok' }, uptimeSeconds: { type: 'integer', minimum: 0 } },
            required: ['status', 'uptimeSeconds'],
            additionalProperties: false,
          }),
        },
      },
    },
  },
  '/readyz': {
    get: {
      operationId: 'readiness',
      summary: 'Readiness: the database answers a query within 2 s',
      tags: ['Health'],
      security: [],
      responses: {
        200: {
          description: 'Ready',
          content: json({
            type: 'object',
            properties: {
              status: { const: 'ready' },
              database: { type: 'string' },
              latencyMs: { type: 'integer', minimum: 0 },
            },
            required: ['status', 'database', 'latencyMs'],
            additionalProperties: false,
          }),
        },
        503: {
          description: 'Not ready: the database did not answer, or the server is shutting down',
          content: json({
            type: 'object',
            properties: {
              status: { enum: ['unavailable', 'shutting-down'] },
              database: { type: 'string' },
              error: { type: 'string' },
            },
            required: ['status'],
            additionalProperties: false,
          }),
        },
      },
    },
  },
  '/metrics': {
    get: {
      operationId: 'metrics',
      summary: 'Prometheus metrics of this instance',
      description:
        'Requests by route template and status with latency histograms, database time, response-store hits and misses, ' +
        'rate-limit refusals, the jobs queue and build-hook deliveries, and the process (prom-client). ' +
        'Off (404) unless METRICS_TOKEN is set; then it takes that token as a bearer token.',
      tags: ['Health'],
      security: [{ metricsToken: [] }],
      responses: {
        200: { description: 'The metrics, in Prometheus text format 0.0.4', content: { 'text/plain': { schema: { type: 'string' } } } },
        401: { description: 'No bearer token, or not METRICS_TOKEN', content: json(ref('schemas', 'Error')) },
        404: { description: 'Metrics are off (METRICS_TOKEN is not set)', content: json(ref('schemas', 'Error')) },
      },
    },
  },
})

/** Payload's GraphQL answers in the media type the request's `Accept` prefers (GraphQL over HTTP). */
const graphqlResponseContent = {
  ...json(ref('schemas', 'GraphQLResponse')),
  'application/graphql-response+json': { schema: ref('schemas', 'GraphQLResponse') },
}

const graphqlPaths = (api: string, graphqlRoute: string, localized: boolean): Paths => ({
  [`${api}${graphqlRoute}`]: {
    post: {
      operationId: 'graphql',
      summary: 'Run a GraphQL query or mutation',
      // Payload reads them from the URL as the locale of queries whose arguments name none.
      ...(localized ? { parameters: [ref('parameters', 'Locale'), ref('parameters', 'FallbackLocale')] } : {}),
      description:
        'The schema mirrors the REST API, with the same access control: readers get published documents only. Errors of a query that ran (such as access denied on a field) come with 200 and `errors` beside `data`. ' +
        'A request that runs nothing is answered with 400 and `errors` only: a syntax error, variables of the wrong type, an `operationName` the document lacks, a fragment that spreads itself, or a query over a limit (`GRAPHQL_MAX_TOKENS`, `GRAPHQL_MAX_ROOT_FIELDS`, `GRAPHQL_MAX_ALIASES`, `GRAPHQL_MAX_DIRECTIVES`, `GRAPHQL_MAX_DEPTH`, `GRAPHQL_MAX_COMPLEXITY`). ' +
        'The answer to an anonymous or API-key query (not a mutation, not `draft`) is kept by the server until a change to what it read or to a collection it lists, and sent again for the same body, URL and `Accept` (`Cache-Status`); on the wire every GraphQL answer is `private, no-store`.',
      tags: ['GraphQL'],
      security: anyone,
      requestBody: {
        required: true,
        content: json({
          type: 'object',
          properties: {
            query: { type: 'string' },
            variables: { type: ['object', 'null'] },
            operationName: { type: ['string', 'null'] },
          },
          required: ['query'],
        }),
      },
      responses: {
        200: {
          description: 'The result, and errors if any',
          headers: { 'Cache-Status': ref('headers', 'CacheStatus') },
          content: graphqlResponseContent,
        },
        ...errorResponses(),
        400: {
          description: 'Nothing ran: the request is not a GraphQL request, the query does not parse or validate, or it is over a limit',
          content: graphqlResponseContent,
        },
        415: {
          description: 'The body is not JSON (`Content-Type: application/json`), or there is none',
          content: graphqlResponseContent,
        },
      },
    },
    get: {
      operationId: 'graphqlGet',
      summary: 'Not supported: send queries with POST',
      tags: ['GraphQL'],
      security: anyone,
      parameters: [
        {
          in: 'query',
          name: 'query',
          required: false,
          description: 'Ignored: GET runs nothing.',
          schema: { type: 'string' },
        },
      ],
      responses: {
        405: {
          description: 'GraphQL takes POST requests; `Allow` names the methods',
          headers: { Allow: { schema: { type: 'string' } } },
          content: json(ref('schemas', 'Error')),
        },
        // 400: an unknown `locale` or `fallback-locale` is refused before the method is looked at.
        ...errorResponses(400),
      },
    },
  },
})

const graphqlSchemas: Record<string, JsonSchema> = {
  GraphQLResponse: {
    type: 'object',
    properties: {
      data: { type: ['object', 'null'] },
      errors: {
        type: 'array',
        items: {
          type: 'object',
          properties: {
            message: { type: 'string' },
            locations: { type: 'array' },
            path: { type: 'array' },
            extensions: { type: 'object' },
          },
          required: ['message'],
        },
      },
    },
  },
}

/** Versions of a document: its data as it was, plus bookkeeping. */
const versionSchema = (
  documentSchema: JsonSchema,
  parent: JsonSchema | undefined,
  idSchema: JsonSchema,
): JsonSchema => ({
  type: 'object',
  properties: {
    id: idSchema,
    ...(parent ? { parent } : {}),
    version: asReadDocument(draftTolerant({ ...documentSchema, title: undefined }), []),
    createdAt: { type: 'string', format: 'date-time' },
    updatedAt: { type: 'string', format: 'date-time' },
    latest: { type: ['boolean', 'null'] },
    autosave: { type: ['boolean', 'null'] },
    publishedLocale: { type: ['string', 'null'] },
    snapshot: { type: ['boolean', 'null'] },
  },
  // `select` leaves out whatever it does not name, the bookkeeping included.
  required: ['id'],
  additionalProperties: false,
})

const withStatus = (schema: JsonSchema, status: JsonSchema): JsonSchema => ({
  ...schema,
  properties: { ...schema.properties, ...(schema.properties?._status ? { _status: status } : {}) },
})

/**
 * The schemas of a document as it is read. With drafts it is either published (validated on
 * publication, so required fields are there) or a draft, which is saved without validation and may
 * leave any field empty: editors get drafts with `draft=true`. `_status` tells them apart.
 */
const readDocumentSchemas = (name: string, document: JsonSchema, entity: EntityDescription, required: string[]) => {
  if (!entity.drafts) return { [name]: asReadDocument(document, required) }
  const { title, description } = document
  return {
    [name]: {
      title,
      description: `${description ?? ''} Published (\`_status: published\`) or a draft.`.trim(),
      anyOf: [ref('schemas', `${name}Published`), ref('schemas', `${name}Draft`)],
    },
    [`${name}Published`]: asReadDocument(
      withStatus({ ...document, title: `${title} (published)` }, { const: 'published' }),
      required,
    ),
    [`${name}Draft`]: asReadDocument(
      withStatus(
        {
          ...draftTolerant(document),
          title: `${title} (draft)`,
          description: 'Saved without validation: any field may be empty.',
        },
        { enum: ['draft', null] },
      ),
      required,
    ),
  }
}

/** Payload adds the global's slug to every read of it. */
const withGlobalType = (schema: JsonSchema, slug: string): JsonSchema => ({
  ...schema,
  properties: { ...schema.properties, globalType: { type: 'string', const: slug } },
})

/**
 * Login, me, refresh and reset answer with the signed-in user plus Payload's `_strategy` (how it signed
 * in: `local-jwt`, `api-key`); `me` answers `user: null` to anonymous requests, and `me` and refresh
 * add `strategy` (and refresh `setCookie`) at the top level.
 */
const authenticatedUserSchemas = (schemas: Record<string, JsonSchema>, collections: CollectionDescription[]) => {
  const added: Record<string, JsonSchema> = {}
  for (const { schemaName } of collections) {
    if (!schemas[`${schemaName}Login`]) continue
    const user = schemas[schemaName]
    const authenticated = `Authenticated${schemaName}`
    added[authenticated] = {
      ...user,
      title: `${schemaName} (signed in)`,
      properties: {
        ...user.properties,
        // The timestamps of an account changed only by sign-ins can be empty.
        updatedAt: { type: ['string', 'null'] },
        _strategy: { type: 'string', description: 'How the request was authenticated, e.g. `local-jwt` or `api-key`.' },
      },
    }
    const withUser = (name: string, extra: JsonSchema, nullableUser = false) => {
      const schema = schemas[name]
      added[name] = {
        ...schema,
        properties: {
          ...schema.properties,
          ...extra,
          user: nullableUser
            ? { oneOf: [ref('schemas', authenticated), { type: 'null' }] }
            : ref('schemas', authenticated),
        },
      }
    }
    const strategy = { strategy: { type: 'string' } }
    withUser(`${schemaName}Login`, {})
    withUser(`${schemaName}ResetPassword`, {})
    withUser(`${schemaName}Me`, strategy, true)
    withUser(`${schemaName}RefreshToken`, { ...strategy, setCookie: { type: 'boolean' } })
  }
  return added
}

const messageSchema = {
  type: 'object',
  properties: { message: { type: 'string' } },
  required: ['message'],
}

/** Routes that plugins add to the config; the route test names any the spec misses. */
const pluginPaths = (api: string, config: Payload['config']): Paths => {
  const paths: Paths = {}
  // Collections' own endpoints that document themselves with `custom.openapi`, as root endpoints do
  // (payload-oapi reads root endpoints only): POST /api/build-hooks/deploy-status.
  for (const collection of config.collections) {
    for (const endpoint of collection.endpoints || []) {
      const operation = (endpoint.custom as { openapi?: JsonSchema } | undefined)?.openapi
      if (!operation) continue
      const route = `${api}/${collection.slug}${endpoint.path.replace(/:([A-Za-z0-9_]+)/g, '{$1}')}`
      paths[route] = { ...paths[route], [endpoint.method]: operation }
    }
  }
  const search = config.collections.find((collection) => collection.slug === 'search')
  if (search && !isPayloadInternalCollection(search.slug)) {
    paths[`${api}/search/reindex`] = {
      post: {
        operationId: 'reindexSearch',
        summary: 'Rebuild the search rows of the given collections',
        tags: ['Search Results'],
        security: signedIn,
        requestBody: {
          required: true,
          content: json({
            type: 'object',
            properties: { collections: { type: 'array', items: { type: 'string' } } },
            required: ['collections'],
          }),
        },
        responses: {
          200: { description: 'Reindexed', content: json(messageSchema) },
          // 400: unknown collections, or a body that is not a JSON object; 401: not allowed to reindex;
          // 403: an API key (src/access/readOnlyApiKeys.ts). The plugin's own `{message}` answers are
          // given the error shape (src/badInput/errorShape.ts).
          ...errorResponses(400, 401, 403),
        },
      },
    }
  }
  for (const what of ['title', 'description', 'url', 'image']) {
    const route = `${api}/plugin-seo/generate-${what}`
    if (!config.endpoints.some((endpoint) => `${api}${endpoint.path}` === route)) continue
    paths[route] = {
      post: {
        operationId: `generateSeo${what[0].toUpperCase()}${what.slice(1)}`,
        summary: `Suggest the SEO ${what} of a document (admin panel)`,
        tags: ['SEO'],
        security: signedIn,
        requestBody: {
          required: true,
          content: json({
            type: 'object',
            description: 'The document as edited, with `collectionSlug` or `globalSlug`.',
          }),
        },
        responses: {
          200: {
            // The SEO plugin sends JSON without a content type, so it arrives labelled text/plain.
            description: 'The suggestion, as JSON `{ "result": … }`',
            content: {
              'text/plain': { schema: { type: 'string' } },
              ...json({ type: 'object', properties: { result: {} } }),
            },
          },
          // 401: the plugin answers a request with no user itself, before access control.
          ...errorResponses(400, 401, 403),
        },
      },
    }
  }
  return paths
}

/** Rewrites payload-oapi's single OAuth scheme (which needs its extra login route) into Payload's real ones. */
const withOurSecurity = (paths: Paths): Paths =>
  Object.fromEntries(
    Object.entries(paths).map(([route, item]) => [
      route,
      Object.fromEntries(
        Object.entries(item).map(([method, operation]) => [
          method,
          Array.isArray(operation?.security)
            ? {
                ...operation,
                security:
                  operation.security.length === 0
                    ? []
                    : operation.security.some((entry: object) => 'ApiKey' in entry)
                      ? signedIn
                      : operation.security,
              }
            : operation,
        ]),
      ),
    ]),
  )

export const generateOpenAPISpec = async (payload: Payload): Promise<OpenAPIDocument> => {
  // Loaded here, not at the top: the config is also evaluated where payload-oapi's dependency tree
  // cannot be loaded (jest), and only this endpoint needs it.
  const [{ generateV31Spec }, { collectionName, componentName, globalName }] = await Promise.all([
    import('payload-oapi/dist/openapi/generators.js'),
    import('payload-oapi/dist/openapi/naming.js'),
  ])
  const { config } = payload
  const api = config.routes.api
  const base = (await generateV31Spec({ payload, protocol: 'http:', headers: new Headers() } as PayloadRequest, {
    openapiVersion: '3.1',
    metadata: { title: 'Greenroom API', version: '' },
    authEndpoint: '/openapi-auth',
    filters: { hideInternalCollections: true },
    apiBasePath: null,
  })) as unknown as OpenAPIDocument

  const idSchema: JsonSchema = payload.db.defaultIDType === 'number' ? { type: 'integer' } : { type: 'string' }
  const localized = Boolean(config.localization)
  const collections = Object.values(payload.collections).filter(
    ({ config }) => !isPayloadInternalCollection(config.slug) && config.endpoints !== false,
  )

  const describeCollection = async (collection: Collection): Promise<CollectionDescription> => {
    const { singular, plural } = collectionName(collection)
    const { access, versions, slug, upload, disableDuplicate } = collection.config
    return {
      slug,
      schemaName: componentName('schemas', singular),
      label: componentName('schemas', plural),
      versions: Boolean(versions),
      drafts: Boolean(versions && versions.drafts),
      localized,
      // A preview token reads one post's or page's drafts through these routes (src/preview/).
      readSecurity: [...(await securityFor(access.read, payload)), ...(isPreviewCollection(slug) ? [{ previewToken: [] }] : [])],
      writeSecurity: await securityFor(access.update, payload),
      idSchema,
      upload: Boolean(upload),
      duplicate: disableDuplicate !== true,
      trash: Boolean(collection.config.trash),
    }
  }
  const describeGlobal = async (global: SanitizedGlobalConfig): Promise<EntityDescription> => ({
    slug: global.slug,
    schemaName: componentName('schemas', globalName(global)),
    label: globalName(global),
    versions: Boolean(global.versions),
    drafts: Boolean(global.versions && global.versions.drafts),
    localized,
    readSecurity: await securityFor(global.access.read, payload),
    writeSecurity: await securityFor(global.access.update, payload),
    idSchema,
  })
  const collectionDescriptions = await Promise.all(collections.map(describeCollection))
  const globals = config.globals.filter((global) => global.endpoints !== false)
  const globalDescriptions = await Promise.all(globals.map(describeGlobal))

  const locales = config.localization ? config.localization.localeCodes : []
  const everyLocale = (schema: JsonSchema, fields: FieldShape[]) =>
    locales.length ? allowEveryLocale(schema, fields, locales) : schema
  const schemas: Record<string, JsonSchema> = { ...sharedSchemas, ...graphqlSchemas }
  for (const [name, schema] of Object.entries(base.components.schemas)) {
    // Its per-field `where` schemas name only some fields and operators; `Where` replaces them.
    if (/QueryOperations(And|Or)?$/.test(name)) continue
    schemas[name] = schema
  }
  for (const collection of collectionDescriptions) {
    const fields = collections.find(({ config }) => config.slug === collection.slug)!.config
      .flattenedFields as FieldShape[]
    const document = everyLocale(relaxConditionalFields(schemas[collection.schemaName], fields), fields)
    Object.assign(schemas, readDocumentSchemas(collection.schemaName, document, collection, ['id']))
    schemas[`${collection.schemaName}List`] = paginated(
      ref('schemas', collection.schemaName),
      `A page of ${collection.label}`,
    )
    if (collection.versions) {
      schemas[`${collection.schemaName}Version`] = versionSchema(
        document,
        { oneOf: [idSchema, ref('schemas', collection.schemaName)] },
        idSchema,
      )
    }
  }
  for (const global of globalDescriptions) {
    // A global that was never saved is read as `{}` plus defaults: nothing can be promised.
    delete schemas[`${global.schemaName}Read`]
    const fields = config.globals.find(({ slug }) => slug === global.slug)!.flattenedFields as FieldShape[]
    const document = withGlobalType(
      everyLocale(relaxConditionalFields(schemas[global.schemaName], fields), fields),
      global.slug,
    )
    Object.assign(schemas, readDocumentSchemas(global.schemaName, document, global, []))
    if (global.versions) schemas[`${global.schemaName}Version`] = versionSchema(document, undefined, idSchema)
  }

  Object.assign(schemas, authenticatedUserSchemas(schemas, collectionDescriptions))

  const crudRoutes = new Set([
    ...collectionDescriptions.flatMap(({ slug }) => [`${api}/${slug}`, `${api}/${slug}/{id}`]),
    ...globalDescriptions.map(({ slug }) => `${api}/globals/${slug}`),
  ])
  const paths: Paths = {}
  for (const [route, item] of Object.entries(withOurSecurity(base.paths))) {
    if (crudRoutes.has(route)) continue
    paths[route] = withAuthErrors(route, item)
  }
  // Payload serves unlock whatever maxLoginAttempts says, and an admin lifts an account's sign-in
  // throttle through it (README, Signing in); payload-oapi lists it only while Payload's own lock is on.
  for (const collection of collections) {
    const route = `${api}/${collection.config.slug}/unlock`
    const forgotPassword = paths[`${api}/${collection.config.slug}/forgot-password`]?.post
    if (paths[route] || !forgotPassword || collection.config.auth?.disableLocalStrategy) continue
    paths[route] = withAuthErrors(route, {
      post: {
        ...forgotPassword,
        operationId: componentName('schemas', collectionName(collection).singular, { prefix: 'unlock' }),
        summary: 'Lift the sign-in throttle of an account (admins only)',
        description: 'Clients that never signed in to the account may try again at once. The request body names the account by email.',
        responses: { 200: forgotPassword.responses[200] },
        security: signedIn,
      },
    })
  }
  for (const collection of collectionDescriptions) Object.assign(paths, collectionPaths(api, collection))
  for (const global of globalDescriptions) Object.assign(paths, globalPaths(api, global))
  Object.assign(paths, graphqlPaths(api, config.routes.graphQL, Boolean(config.localization)), healthPaths(), siteOutputPaths(), pluginPaths(api, config))
  documentFormPosts(paths, api, formSettingsFromEnv().honeypotField, base.components.requestBodies)

  const document: OpenAPIDocument = {
    openapi: '3.1.0',
    info: {
      title: 'Greenroom API',
      version: readVersion('package.json'),
      description:
        `REST and GraphQL API of Greenroom, a headless CMS on Payload ${readVersion('node_modules/payload/package.json')}. ` +
        'Anonymous readers and API keys see published content only. Every `/api` route may answer 429 (rate limited) ' +
        'and 503 (database unavailable), both with `Retry-After`; every route that takes a body, 413 when the body is over its size limit.',
    },
    servers: [{ url: config.serverURL || '/', description: config.serverURL ? 'PUBLIC_SERVER_URL' : 'This server' }],
    paths: sortedByRoute(withBodyLimit(api, paths)),
    components: {
      schemas,
      requestBodies: base.components.requestBodies,
      responses: { ...base.components.responses, ...responses },
      parameters,
      headers,
      securitySchemes: {
        bearerAuth: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description: `The token from \`POST ${api}/users/login\`. \`Authorization: JWT <token>\` works too.`,
        },
        apiKey: {
          type: 'apiKey',
          in: 'header',
          name: 'Authorization',
          description: '`Authorization: users API-Key <key>`. A key reads what the public reads, nothing more.',
        },
        metricsToken: {
          type: 'http',
          scheme: 'bearer',
          description: 'METRICS_TOKEN, for `GET /metrics`.',
        },
        deployToken: {
          type: 'http',
          scheme: 'bearer',
          description: "A build hook's deploy token (`gdt_…`, shown on the hook): for a deploy reporting its state back.",
        },
        deployTokenQuery: {
          type: 'apiKey',
          in: 'query',
          name: 'token',
          description: "The same deploy token as `?token=`, for hosts whose outgoing webhooks cannot set headers (Netlify, Vercel).",
        },
        previewToken: {
          type: 'apiKey',
          in: 'header',
          name: 'Authorization',
          description:
            '`Authorization: Preview <token>`, from `POST ' + api + '/preview-tokens`: reads one post or page, its newest draft with ' +
            '`draft=true`, and nothing else (anything else answers 401).',
        },
        sessionCookie: {
          type: 'apiKey',
          in: 'cookie',
          name: `${config.cookiePrefix || 'payload'}-token`,
          description: 'The admin panel session.',
        },
      },
    },
  }
  return withoutUnusedComponents(
    mapSchemas(document, (node) => imageSizeAspectRatio(nullInEnum(nullAsItsOwnBranch(withoutTypeScriptHints(node))))),
  )
}

/**
 * Keeps only the components that the paths reach: payload-oapi's responses for the operations
 * replaced here would otherwise linger, some pointing at schemas that no longer exist.
 */
const withoutUnusedComponents = (document: OpenAPIDocument): OpenAPIDocument => {
  const reached = new Set<string>()
  const pending = [...collectRefs(document.paths)]
  for (let target = pending.pop(); target !== undefined; target = pending.pop()) {
    if (reached.has(target)) continue
    reached.add(target)
    const [, , kind, name] = target.split('/')
    pending.push(...collectRefs(document.components[kind]?.[name]))
  }
  const components = Object.fromEntries(
    Object.entries(document.components).map(([kind, entries]) => [
      kind,
      kind === 'securitySchemes'
        ? entries
        : Object.fromEntries(Object.entries(entries).filter(([name]) => reached.has(`#/components/${kind}/${name}`))),
    ]),
  )
  return { ...document, components }
}

/** Adds the error answers of an auth route; other routes from payload-oapi (root endpoints) document their own. */
const withAuthErrors = (route: string, item: Record<string, JsonSchema>) => {
  const segments = route.split('/')
  const action = segments.at(-1) === '{id}' ? segments.at(-2)! : segments.at(-1)!
  const statuses = action === 'access' && segments.length === 3 ? [] : AUTH_ERRORS[action]
  if (!statuses) return item
  return Object.fromEntries(
    Object.entries(item).map(([method, operation]) =>
      method === 'parameters'
        ? [method, operation]
        : [method, { ...operation, responses: { ...errorResponses(...statuses), ...operation.responses } }],
    ),
  )
}

const BODY_METHODS = new Set(['post', 'put', 'patch', 'delete'])

/** Every API operation that takes a body may be refused for its size (src/server/bodyLimits.ts). */
const withBodyLimit = (api: string, paths: Paths): Paths =>
  Object.fromEntries(
    Object.entries(paths).map(([route, item]) => [
      route,
      route !== api && !route.startsWith(`${api}/`)
        ? item
        : Object.fromEntries(
            Object.entries(item as Record<string, JsonSchema>).map(([method, operation]) =>
              BODY_METHODS.has(method) && !operation.responses?.[413]
                ? [method, { ...operation, responses: { ...operation.responses, 413: ref('responses', 'PayloadTooLarge') } }]
                : [method, operation],
            ),
          ),
    ]),
  )

const sortedByRoute = (paths: Paths): Paths =>
  Object.fromEntries(Object.entries(paths).sort(([a], [b]) => a.localeCompare(b)))
