// `/api/openapi.json` and the API reference at `/api/docs`, as root Payload endpoints: they work whether
// express hands /api/* to Payload directly or through Next's route. Each carries `custom.openapi`, which
// is how a root endpoint gets into the spec (a test fails for any served route the spec lacks).
import crypto from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'

import type { Endpoint, Payload, PayloadHandler } from 'payload'

import { errorResponses, json } from './components'
import type { OpenAPIDocument } from './generateSpec'
import { generateOpenAPISpec } from './generateSpec'

type CachedSpec = { body: string; etag: string; document: OpenAPIDocument }

let cachedSpec: Promise<CachedSpec> | undefined

/**
 * Generating takes about a second of CPU, so it happens once per process, on first request; the
 * config cannot change while the process runs. A failure is not cached, so the next request retries.
 */
export const openAPISpec = (payload: Payload): Promise<CachedSpec> => {
  cachedSpec ??= generateOpenAPISpec(payload).then(
    (document) => {
      const body = JSON.stringify(document)
      return { body, document, etag: `"${crypto.createHash('sha256').update(body).digest('base64url').slice(0, 27)}"` }
    },
    (error: unknown) => {
      cachedSpec = undefined
      throw error
    },
  )
  return cachedSpec
}

const isCurrent = (request: Request, etag: string) =>
  (request.headers.get('if-none-match') ?? '')
    .split(',')
    .map((tag) => tag.trim().replace(/^W\//, ''))
    .includes(etag)

const serveSpec: PayloadHandler = async (req) => {
  const { body, etag } = await openAPISpec(req.payload)
  const headers = { ETag: etag, 'Cache-Control': 'no-cache' }
  if (isCurrent(req as unknown as Request, etag)) return new Response(null, { status: 304, headers })
  return new Response(body, { headers: { ...headers, 'Content-Type': 'application/json; charset=utf-8' } })
}

/** Swagger UI's prebuilt files, served from the npm package: the page loads nothing from elsewhere. */
const SWAGGER_UI_DIR = path.resolve('node_modules', 'swagger-ui-dist')
const DOCS_ASSETS: Record<string, { file?: string; type: string }> = {
  'swagger-ui.css': { file: 'swagger-ui.css', type: 'text/css; charset=utf-8' },
  'swagger-ui-bundle.js': { file: 'swagger-ui-bundle.js', type: 'text/javascript; charset=utf-8' },
  'favicon-32x32.png': { file: 'favicon-32x32.png', type: 'image/png' },
  'init.js': { type: 'text/javascript; charset=utf-8' },
}

/** Starts Swagger UI; a file of its own because the page's CSP allows no inline script. */
const initScript = (specURL: string) => `window.addEventListener('load', function () {
  window.ui = SwaggerUIBundle({
    url: ${JSON.stringify(specURL)},
    dom_id: '#swagger-ui',
    deepLinking: true,
    // Swagger UI would otherwise send the spec to validator.swagger.io for a badge.
    validatorUrl: null,
    presets: [SwaggerUIBundle.presets.apis],
    layout: 'BaseLayout',
  })
})
`

const docsPage = (assetsURL: string) => `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Greenroom API reference</title>
<link rel="icon" type="image/png" href="${assetsURL}/favicon-32x32.png">
<link rel="stylesheet" href="${assetsURL}/swagger-ui.css">
</head>
<body>
<div id="swagger-ui"></div>
<script src="${assetsURL}/swagger-ui-bundle.js"></script>
<script src="${assetsURL}/init.js"></script>
</body>
</html>
`

const assetCache = new Map<string, Buffer>()

const readAsset = (name: string, apiRoute: string): Buffer => {
  let content = assetCache.get(name)
  if (!content) {
    const { file } = DOCS_ASSETS[name]
    content = file
      ? fs.readFileSync(path.join(SWAGGER_UI_DIR, file))
      : Buffer.from(initScript(`${apiRoute}/openapi.json`))
    assetCache.set(name, content)
  }
  return content
}

const serveDocsPage: PayloadHandler = (req) =>
  new Response(docsPage(`${req.payload.config.routes.api}/docs`), {
    headers: { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-cache' },
  })

const serveDocsAsset: PayloadHandler = (req) => {
  const name = String(req.routeParams?.asset ?? '')
  const asset = Object.hasOwn(DOCS_ASSETS, name) ? DOCS_ASSETS[name] : undefined
  if (!asset)
    return Response.json({ errors: [{ message: `There is no API reference file named "${name}".` }] }, { status: 404 })
  const content = readAsset(name, req.payload.config.routes.api)
  // The package is pinned to an exact version, so a day of caching is safe; a deploy changes the page's ETag.
  return new Response(new Uint8Array(content), {
    headers: { 'Content-Type': asset.type, 'Cache-Control': 'public, max-age=86400' },
  })
}

const html = (description: string) => ({ description, content: { 'text/html': { schema: { type: 'string' } } } })

export const apiReferenceEndpoints: Endpoint[] = [
  {
    path: '/openapi.json',
    method: 'get',
    handler: serveSpec,
    custom: {
      openapi: {
        operationId: 'openAPISpec',
        summary: 'This OpenAPI 3.1 document',
        tags: ['API reference'],
        security: [],
        parameters: [
          {
            in: 'header',
            name: 'If-None-Match',
            schema: { type: 'string' },
            description: 'The ETag of a copy you hold.',
          },
        ],
        responses: {
          200: {
            description: 'The OpenAPI document',
            headers: { ETag: { schema: { type: 'string' } } },
            content: json({ type: 'object' }),
          },
          304: { description: 'Not Modified: your copy is current' },
          ...errorResponses(),
        },
      },
    },
  },
  {
    path: '/docs',
    method: 'get',
    handler: serveDocsPage,
    custom: {
      openapi: {
        operationId: 'apiReferencePage',
        summary: 'The API reference (Swagger UI), served from this server only',
        tags: ['API reference'],
        security: [],
        responses: { 200: html('The page'), ...errorResponses() },
      },
    },
  },
  {
    path: '/docs/:asset',
    method: 'get',
    handler: serveDocsAsset,
    custom: {
      openapi: {
        operationId: 'apiReferenceAsset',
        summary: 'A script, style sheet or icon of the API reference page',
        tags: ['API reference'],
        security: [],
        parameters: [{ in: 'path', name: 'asset', required: true, schema: { enum: Object.keys(DOCS_ASSETS) } }],
        responses: {
          200: {
            description: 'The file',
            content: {
              'text/javascript': { schema: { type: 'string' } },
              'text/css': { schema: { type: 'string' } },
              'image/png': { schema: { type: 'string', format: 'binary' } },
            },
          },
          404: { description: 'No such file', content: json({ $ref: '#/components/schemas/Error' }) },
          ...errorResponses(),
        },
      },
    },
  },
]
