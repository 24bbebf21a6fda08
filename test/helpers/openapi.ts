// Checks real answers against the server's own OpenAPI document (/api/openapi.json): the operation is
// found by method and path template, the status must be one it documents, and a JSON body must match
// that status's schema (Ajv, JSON Schema 2020-12, the dialect of OpenAPI 3.1). test/helpers/http.ts runs
// every answer of the HTTP suite through it, so a spec that drifts from the API fails the test that
// saw the difference.
import { Ajv2020 } from 'ajv/dist/2020.js'
import type { ErrorObject } from 'ajv/dist/2020.js'
import addFormatsModule from 'ajv-formats'

type Json = Record<string, any>
export type OpenAPIDocument = Json & { paths: Record<string, Json>; components: Record<string, Record<string, Json>> }

const SPEC_ID = 'https://greenroom.invalid/openapi.json'
const HTTP_METHODS = ['get', 'head', 'post', 'put', 'patch', 'delete', 'options'] as const

// ajv-formats is CommonJS with a default export; under jest's ESM mode it arrives wrapped.
const addFormats = ((addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ??
  addFormatsModule) as typeof addFormatsModule

type Route = { template: string; pattern: RegExp; literalSegments: number; item: Json }

export type Exchange = { method: string; url: string; status: number; contentType: string | null; text: string }

const pointer = (...segments: string[]) =>
  segments.map((segment) => segment.replace(/~/g, '~0').replace(/\//g, '~1')).join('/')

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

const toRoute = (template: string, item: Json): Route => {
  const segments = template.split('/')
  const pattern = segments.map((segment) => (/^\{[^}]+\}$/.test(segment) ? '[^/]+' : escapeRegExp(segment))).join('/')
  return {
    template,
    pattern: new RegExp(`^${pattern}$`),
    literalSegments: segments.filter((segment) => !segment.startsWith('{')).length,
    item,
  }
}

const describeErrors = (errors: ErrorObject[] | null | undefined, body: unknown) =>
  (errors ?? [])
    .slice(0, 8)
    .map((error) => {
      const at = error.instancePath || '(the body)'
      const value =
        at === '(the body)'
          ? body
          : error.instancePath
              .split('/')
              .slice(1)
              .reduce((node: any, key) => node?.[decodeURIComponent(key.replace(/~1/g, '/').replace(/~0/g, '~'))], body)
      const shown = JSON.stringify(value)
      return `  ${at} ${error.message}${error.params && Object.keys(error.params).length ? ` ${JSON.stringify(error.params)}` : ''} (value: ${shown === undefined ? 'undefined' : shown.slice(0, 160)})`
    })
    .join('\n')

export class ResponseValidator {
  private readonly ajv: Ajv2020
  private readonly routes: Route[]

  constructor(readonly spec: OpenAPIDocument) {
    this.ajv = new Ajv2020({ allErrors: true, strict: true, strictTypes: false })
    addFormats(this.ajv)
    // OpenAPI's format for raw bytes; bodies that have it are not JSON and are not validated as such.
    this.ajv.addFormat('binary', true)
    // The document's own top-level fields; schemas are reached inside them by JSON pointer.
    this.ajv.addVocabulary([
      'openapi',
      'info',
      'servers',
      'paths',
      'components',
      'tags',
      'security',
      'webhooks',
      'jsonSchemaDialect',
      'externalDocs',
    ])
    this.ajv.addSchema({ ...spec, $id: SPEC_ID }, undefined, undefined, false)
    // Literal segments win over templated ones: /api/users/me before /api/users/{id}.
    this.routes = Object.entries(spec.paths)
      .map(([template, item]) => toRoute(template, item))
      .sort((a, b) => b.literalSegments - a.literalSegments)
  }

  private follow(node: Json, at: string): { node: Json; at: string } {
    if (typeof node?.$ref !== 'string') return { node, at }
    const target = node.$ref.slice(1)
    const resolved = target
      .split('/')
      .slice(1)
      .reduce((value: any, key: string) => value?.[key.replace(/~1/g, '/').replace(/~0/g, '~')], this.spec)
    return this.follow(resolved, target)
  }

  private route(pathname: string) {
    return this.routes.find((route) => route.pattern.test(pathname))
  }

  /** Why this exchange does not conform to the spec, or null when it does. */
  check({ method, url, status, contentType, text }: Exchange): string | null {
    const { pathname, searchParams } = new URL(url)
    const request = `${method.toUpperCase()} ${pathname}${[...searchParams.keys()].length ? '?…' : ''}`
    const route = this.route(pathname)
    const lowerMethod = method.toLowerCase() as (typeof HTTP_METHODS)[number]
    const operation = route?.item[lowerMethod]
    if (!route || !operation)
      return `${request}: the spec has no operation for ${method.toUpperCase()} ${route?.template ?? pathname}`
    const where = `${method.toUpperCase()} ${route.template}`

    const parameterNames = new Set(
      [...(route.item.parameters ?? []), ...(operation.parameters ?? [])]
        .map((parameter: Json) => this.follow(parameter, '').node)
        .filter((parameter: Json) => parameter.in === 'query')
        .map((parameter: Json) => parameter.name),
    )
    // A credential the operation's security takes in the query string (`in: query` API-key schemes).
    for (const requirement of operation.security ?? this.spec.security ?? []) {
      for (const scheme of Object.keys(requirement)) {
        const definition = (this.spec.components?.securitySchemes as Json | undefined)?.[scheme]
        if (definition?.type === 'apiKey' && definition.in === 'query') parameterNames.add(definition.name)
      }
    }
    for (const key of new Set(searchParams.keys())) {
      const name = key.split('[')[0]
      if (!parameterNames.has(name)) return `${request}: query parameter "${name}" is not documented for ${where}`
    }

    const responses = operation.responses ?? {}
    const declared = responses[String(status)] ?? responses[`${String(status)[0]}XX`] ?? responses.default
    if (!declared)
      return `${request} answered ${status}, a status the spec does not list for ${where} (it lists ${Object.keys(responses).join(', ')})`
    const response = this.follow(
      declared,
      pointer('', 'paths', route.template, lowerMethod, 'responses', String(status)),
    )
    const content: Json | undefined = response.node.content
    if (lowerMethod === 'head' || status === 304 || status === 204 || !content) {
      if (text.length > 0 && lowerMethod !== 'head')
        return `${request} answered ${status} with a body, but the spec documents none for ${where} ${status}`
      return null
    }
    const mediaType = (contentType ?? '').split(';')[0].trim().toLowerCase()
    const key = Object.keys(content).find(
      (type) =>
        type === mediaType || type === '*/*' || (type.endsWith('/*') && mediaType.startsWith(type.slice(0, -1))),
    )
    if (!key)
      return `${request} answered ${status} as "${mediaType}", which the spec does not list for ${where} ${status} (${Object.keys(content).join(', ')})`
    if (!content[key].schema || !/json/.test(key)) return null

    let body: unknown
    try {
      body = JSON.parse(text)
    } catch {
      return `${request} answered ${status} with a body that is not JSON: ${text.slice(0, 200)}`
    }
    const schemaAt = `${response.at}/${pointer('content', key, 'schema')}`
    const validate = this.ajv.getSchema(`${SPEC_ID}#${schemaAt}`)
    if (!validate) throw new Error(`Cannot compile the schema at ${schemaAt}`)
    if (validate(body)) return null
    return `${request} answered ${status} with a body that does not match the spec (${where} ${status} ${key}, ${schemaAt}):\n${describeErrors(validate.errors, body)}`
  }
}

const validators = new Map<string, Promise<ResponseValidator>>()

/** The validator for the server at `base`, built once from the spec that server serves. */
export const responseValidator = (base: string): Promise<ResponseValidator> => {
  let validator = validators.get(base)
  if (!validator) {
    validator = fetch(`${base}/api/openapi.json`).then(async (res) => {
      if (res.status !== 200)
        throw new Error(`GET ${base}/api/openapi.json answered ${res.status}: ${await res.text()}`)
      return new ResponseValidator((await res.json()) as OpenAPIDocument)
    })
    validators.set(base, validator)
  }
  return validator
}

export class SpecMismatchError extends Error {
  name = 'SpecMismatchError'
}

/** Throws when the exchange does not conform to the server's OpenAPI document. */
export const assertConformsToSpec = async (base: string, exchange: Exchange) => {
  const problem = (await responseValidator(base)).check(exchange)
  if (problem) throw new SpecMismatchError(`The answer does not conform to /api/openapi.json:\n${problem}`)
}
