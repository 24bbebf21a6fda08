// A spec-driven fuzzer: every operation of the server's /api/openapi.json, called with valid, boundary
// and hostile values (fast-check generates them, shrinks a failing request to a small one and replays
// it from its seed and path), anonymously, with an API key and as an admin. Every answer must be below
// 500, every 4xx in the error shape `{"errors":[{"message":"…"}]}`, and every answer to a documented
// operation must conform to the spec (test/helpers/openapi.ts).
import http from 'node:http'

import fc from 'fast-check'
import { validOperators } from 'payload/shared'
import { stringify } from 'qs-esm'

import type { OpenAPIDocument } from '../helpers/openapi'
import { ResponseValidator } from '../helpers/openapi'

type Json = Record<string, any>

export type Identity = 'anonymous' | 'apiKey' | 'admin'

/** A server to fuzz and the credentials of the identities that use it. */
export type Target = { url: string; auth: Partial<Record<Identity, string>>; knownValues: Record<string, string[]> }

export type Operation = {
  method: string
  template: string
  operation: Json
  pathParameters: Json[]
  queryParameters: Json[]
  bodyTypes: string[]
  bodySchema?: Json
}

export type FuzzRequest = {
  identity: Identity
  method: string
  path: string
  headers: Record<string, string>
  /** Kept as text for the report; `bodyBytes` makes the big ones on demand. */
  body?: { text: string } | { repeat: string; times: number; prefix: string; suffix: string }
}

export type Answer = { status: number; contentType: string | null; text: string; ms: number }

export type Failure = {
  operation: string
  kind: '5xx' | 'error shape' | 'spec' | 'network'
  problem: string
  request: FuzzRequest
  answer?: Pick<Answer, 'status' | 'contentType'> & { text: string }
  /** How to run exactly this failing request again. */
  replay: string
}

export type FuzzReport = {
  seed: number
  requests: number
  operations: number
  byStatus: Record<string, number>
  byIdentity: Record<string, number>
  failures: Failure[]
  ms: number
}

const METHODS = ['get', 'head', 'post', 'put', 'patch', 'delete', 'options'] as const
/** Methods no operation has: TRACE is refused by fetch itself, the others name nothing Payload does. */
// CONNECT is left out: Node's HTTP server hands it to a 'connect' listener (a proxy tunnel), never to
// the application, and its client waits for a tunnel rather than an answer.
const ODD_METHODS = ['TRACE', 'PROPFIND', 'PURGE', 'LOCK', 'SEARCH', 'REPORT', 'MKCOL']

const resolve = (spec: OpenAPIDocument, node: Json): Json => {
  if (typeof node?.$ref !== 'string') return node
  const target = node.$ref
    .slice(2)
    .split('/')
    .reduce((value: any, key: string) => value?.[key.replace(/~1/g, '/').replace(/~0/g, '~')], spec)
  return resolve(spec, target)
}

export const operationsOf = (spec: OpenAPIDocument): Operation[] =>
  Object.entries(spec.paths).flatMap(([template, item]) =>
    METHODS.filter((method) => item[method]).map((method) => {
      const operation = item[method]
      const parameters = [...(item.parameters ?? []), ...(operation.parameters ?? [])].map((parameter: Json) =>
        resolve(spec, parameter),
      )
      const requestBody = operation.requestBody ? resolve(spec, operation.requestBody) : undefined
      const bodyTypes = Object.keys(requestBody?.content ?? {})
      return {
        method: method.toUpperCase(),
        template,
        operation,
        pathParameters: parameters.filter((parameter) => parameter.in === 'path'),
        queryParameters: parameters.filter((parameter) => parameter.in === 'query'),
        bodyTypes,
        bodySchema: requestBody?.content?.['application/json']?.schema ?? requestBody?.content?.['multipart/form-data']?.schema,
      }
    }),
  )

// ---------------------------------------------------------------------------------------------------
// Values

/** Strings a parser trips over: numbers in odd spellings, JSON words, paths, unicode, control characters. */
const trickyString = fc.constantFrom(
  '',
  ' ',
  'abc',
  'null',
  'undefined',
  'true',
  'false',
  'NaN',
  'Infinity',
  '-1',
  '0',
  '1',
  '1.5',
  '1e21',
  '9007199254740993',
  '-9223372036854775809',
  '0x10',
  '[]',
  '{}',
  '{"a":1}',
  '../../etc/passwd',
  '%00',
  '\u0000',
  '\u0001',
  '\n',
  'Ünïcödé',
  '😀',
  '\u202e',
  "'; DROP TABLE posts; --",
  '<script>alert(1)</script>',
  '2026-13-45',
  '2026-01-31T00:00:00Z',
  'a'.repeat(5000),
)

const hostileString = fc.oneof(
  { weight: 3, arbitrary: trickyString },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.integer().map(String) },
  { weight: 1, arbitrary: fc.double().map(String) },
  { weight: 1, arbitrary: fc.bigInt({ min: -(2n ** 80n), max: 2n ** 80n }).map(String) },
)

const hostileScalar: fc.Arbitrary<unknown> = fc.oneof(
  hostileString,
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.constantFrom(-1, 0, 1, 2 ** 31, 2 ** 53, -(2 ** 53), 1e21, Number.MAX_VALUE),
)

/** A value fitting a JSON Schema roughly, or not at all (one in three). */
const valueFor = (spec: OpenAPIDocument, schema: Json | undefined, depth = 0): fc.Arbitrary<unknown> => {
  const resolved = schema ? resolve(spec, schema) : undefined
  const hostile = depth > 2 ? hostileScalar : fc.oneof(hostileScalar, fc.jsonValue({ maxDepth: 3 }))
  if (!resolved || depth > 4) return hostile
  const fitting = ((): fc.Arbitrary<unknown> | undefined => {
    if (Array.isArray(resolved.enum) && resolved.enum.length) return fc.constantFrom(...resolved.enum)
    if (resolved.const !== undefined) return fc.constant(resolved.const)
    const branches = resolved.oneOf ?? resolved.anyOf
    if (Array.isArray(branches) && branches.length)
      return fc.oneof(...branches.slice(0, 6).map((branch: Json) => valueFor(spec, branch, depth + 1)))
    const type = Array.isArray(resolved.type) ? resolved.type.find((t: string) => t !== 'null') : resolved.type
    switch (type) {
      case 'integer':
        return fc.integer({ min: resolved.minimum ?? -1000, max: resolved.maximum ?? 100_000 })
      case 'number':
        return fc.double({ noNaN: true, min: resolved.minimum ?? -1e6, max: resolved.maximum ?? 1e6 })
      case 'boolean':
        return fc.boolean()
      case 'string':
        return resolved.format === 'date-time' ? fc.date({ noInvalidDate: true }).map((d) => d.toISOString()) : fc.string({ maxLength: 60 })
      case 'array':
        return fc.array(valueFor(spec, resolved.items, depth + 1), { maxLength: 4 })
      case 'object': {
        const properties: Json = resolved.properties ?? {}
        const keys = Object.keys(properties).slice(0, 25)
        if (!keys.length) return fc.dictionary(fc.string({ maxLength: 12 }), hostileScalar, { maxKeys: 4 })
        return fc.record(Object.fromEntries(keys.map((key) => [key, valueFor(spec, properties[key], depth + 1)])), {
          requiredKeys: [],
        })
      }
      default:
        return undefined
    }
  })()
  return fitting ? fc.oneof({ weight: 2, arbitrary: fitting }, { weight: 1, arbitrary: hostile }) : hostile
}

// ---------------------------------------------------------------------------------------------------
// `where`

/** Payload's own list of where operators. */
const OPERATORS = validOperators

const whereFor = (fieldNames: string[]) => {
  const path = fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...fieldNames) },
    { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...fieldNames), fc.constantFrom(...fieldNames)).map(([a, b]) => `${a}.${b}`) },
    { weight: 1, arbitrary: hostileString },
  )
  const operator = fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...OPERATORS) }, { weight: 1, arbitrary: hostileString })
  const operand = fc.oneof(
    { weight: 4, arbitrary: hostileScalar },
    { weight: 1, arbitrary: fc.array(hostileScalar, { maxLength: 4 }) },
    { weight: 1, arbitrary: fc.dictionary(fc.constantFrom(...OPERATORS), hostileScalar, { maxKeys: 2 }) },
  )
  const { where } = fc.letrec<{ where: Json | string; condition: Json }>((tie) => ({
    condition: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      fc.dictionary(path, fc.oneof(fc.dictionary(operator, operand, { minKeys: 1, maxKeys: 2 }), hostileScalar), {
        minKeys: 1,
        maxKeys: 3,
      }),
      fc.record({ or: fc.array(tie('condition'), { minLength: 1, maxLength: 3 }) }),
      fc.record({ and: fc.array(tie('condition'), { minLength: 1, maxLength: 3 }) }),
    ),
    where: fc.oneof(tie('condition'), hostileString),
  }))
  return where
}

/** `where` nested in `and` this many levels: qs's depth limit and Payload's recursion. */
const deepWhere = fc.integer({ min: 5, max: 60 }).map((levels) => {
  let where: Json = { title: { equals: 'x' } }
  for (let level = 0; level < levels; level++) where = { and: [where] }
  return where
})

const queryString = (params: Json) =>
  stringify(params, { addQueryPrefix: false, encodeValuesOnly: true, allowDots: false, skipNulls: false })

// ---------------------------------------------------------------------------------------------------
// Bodies

const malformedMultipart = fc
  .record({
    boundary: fc.constantFrom('----greenroom', 'x', ''),
    declaredBoundary: fc.constantFrom('----greenroom', 'other', ''),
    name: fc.oneof(fc.constantFrom('file', '_payload', 'email'), hostileString),
    filename: fc.oneof(fc.constantFrom('a\u0001b.png', 'a\u0000.png', '../x.png', 'ok.png', '\r\n.png'), hostileString),
    content: fc.oneof(fc.constantFrom('not an image', '{"title":"x"}', ''), hostileString),
    truncated: fc.boolean(),
  })
  .map(({ boundary, declaredBoundary, name, filename, content, truncated }) => {
    const text = `--${boundary}\r\nContent-Disposition: form-data; name="${name}"; filename="${filename}"\r\nContent-Type: image/png\r\n\r\n${content}\r\n${truncated ? '' : `--${boundary}--\r\n`}`
    return { contentType: `multipart/form-data; boundary=${declaredBoundary}`, body: { text } as FuzzRequest['body'] }
  })

type BodyChoice = { contentType?: string; body?: FuzzRequest['body'] }

const bodyFor = (spec: OpenAPIDocument, operation: Operation, { maxBodyBytes }: { maxBodyBytes: number }): fc.Arbitrary<BodyChoice> => {
  const json = (value: unknown): BodyChoice => ({ contentType: 'application/json', body: { text: JSON.stringify(value) ?? '' } })
  const options: fc.WeightedArbitrary<BodyChoice>[] = [
    { weight: 6, arbitrary: valueFor(spec, operation.bodySchema).map(json) },
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 4 }).map(json) },
    { weight: 1, arbitrary: fc.constant<BodyChoice>({}) },
    {
      weight: 1,
      arbitrary: fc
        .record({
          contentType: fc.constantFrom('application/json', 'text/plain', 'application/x-www-form-urlencoded', 'application/xml', 'application/json; charset=latin1'),
          text: fc.oneof(hostileString, fc.constantFrom('', '{', 'null', '[]', '"x"', '{"title":')),
        })
        .map(({ contentType, text }) => ({ contentType, body: { text } })),
    },
    { weight: 1, arbitrary: malformedMultipart },
    {
      weight: 1,
      arbitrary: fc.integer({ min: 1_000, max: 100_000 }).map((levels) => ({
        contentType: 'application/json',
        body: { prefix: '', repeat: '[', times: levels, suffix: ']'.repeat(levels) },
      })),
    },
    {
      weight: 1,
      arbitrary: fc.integer({ min: 10_000, max: maxBodyBytes }).map((size) => ({
        contentType: 'application/json',
        body: { prefix: '{"title":"', repeat: 'a', times: size, suffix: '"}' },
      })),
    },
  ]
  return fc.oneof(...options)
}

// ---------------------------------------------------------------------------------------------------
// Requests

const collectFieldNames = (spec: OpenAPIDocument): string[] => {
  const names = new Set(['id', 'createdAt', 'updatedAt', '_status', 'title', 'slug', 'parent', 'version.title', 'version._status'])
  for (const schema of Object.values(spec.components?.schemas ?? {})) {
    for (const key of Object.keys((schema as Json).properties ?? {})) if (/^[\w.]+$/.test(key)) names.add(key)
  }
  return [...names].sort()
}

export const requestFor = (
  spec: OpenAPIDocument,
  operation: Operation,
  { identities, knownValues, maxBodyBytes }: { identities: Identity[]; knownValues: Record<string, string[]>; maxBodyBytes: number },
): fc.Arbitrary<FuzzRequest> => {
  const fields = collectFieldNames(spec)
  const where = whereFor(fields)
  const pathValue = (parameter: Json) => {
    const known = knownValues[`${operation.template.split('/')[2]}:${parameter.name}`] ?? knownValues[parameter.name] ?? []
    return fc.oneof(
      ...(known.length ? [{ weight: 3, arbitrary: fc.constantFrom(...known) }] : []),
      { weight: 2, arbitrary: hostileString.filter((value) => value.length > 0 && !value.includes('/')) },
    )
  }
  const queryValue = (parameter: Json): fc.Arbitrary<unknown> => {
    if (parameter.name === 'where')
      return fc.oneof({ weight: 4, arbitrary: where }, { weight: 1, arbitrary: deepWhere }, { weight: 1, arbitrary: hostileString })
    return fc.oneof(
      { weight: 2, arbitrary: valueFor(spec, parameter.schema) },
      { weight: 1, arbitrary: hostileString },
      { weight: 1, arbitrary: fc.dictionary(fc.string({ maxLength: 5 }), hostileString, { maxKeys: 2 }) },
    )
  }
  const query = fc.record(
    Object.fromEntries(operation.queryParameters.map((parameter) => [parameter.name, queryValue(parameter)])),
    { requiredKeys: [] },
  )
  const pathParams = fc.tuple(...operation.pathParameters.map(pathValue))
  const takesBody = !['GET', 'HEAD', 'DELETE', 'OPTIONS'].includes(operation.method) || operation.bodyTypes.length > 0
  const body: fc.Arbitrary<BodyChoice> = takesBody ? bodyFor(spec, operation, { maxBodyBytes }) : fc.constant({})
  const method = fc.oneof(
    { weight: 12, arbitrary: fc.constant(operation.method) },
    { weight: 1, arbitrary: fc.constantFrom(...ODD_METHODS, 'GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS') },
  )
  return fc
    .record({ identity: fc.constantFrom(...identities), method, pathParams, query, body, extraQuery: fc.option(fc.dictionary(fc.constantFrom('x', 'fields', 'where[', 'a[b]'), hostileString, { maxKeys: 1 }), { freq: 8 }) })
    .map(({ identity, method, pathParams, query, body, extraQuery }) => {
      let path = operation.template
      operation.pathParameters.forEach((parameter, index) => {
        path = path.replace(`{${parameter.name}}`, encodeURIComponent(String(pathParams[index])))
      })
      const search = queryString({ ...query, ...(extraQuery ?? {}) })
      const headers: Record<string, string> = {}
      if (body.contentType) headers['content-type'] = body.contentType
      return {
        identity,
        method,
        path: search ? `${path}?${search}` : path,
        headers,
        body: method === 'GET' || method === 'HEAD' ? undefined : body.body,
      }
    })
}

// ---------------------------------------------------------------------------------------------------
// Sending and checking

const bodyBytes = (body: FuzzRequest['body']): Buffer | undefined => {
  if (!body) return undefined
  if ('text' in body) return Buffer.from(body.text)
  return Buffer.concat([Buffer.from(body.prefix), Buffer.alloc(body.times, body.repeat), Buffer.from(body.suffix)])
}

/** A readable line for the report: what was sent, the big bodies summarised. */
export const describeRequest = (request: FuzzRequest) => {
  const body = !request.body
    ? ''
    : 'text' in request.body
      ? ` body=${JSON.stringify(request.body.text.length > 300 ? `${request.body.text.slice(0, 300)}…(${request.body.text.length} chars)` : request.body.text)}`
      : ` body=${JSON.stringify(request.body.prefix)}+${JSON.stringify(request.body.repeat)}×${request.body.times}+${JSON.stringify(request.body.suffix.slice(0, 20))}${request.body.suffix.length > 20 ? `…(${request.body.suffix.length} chars)` : ''}`
  const headers = Object.keys(request.headers).length ? ` headers=${JSON.stringify(request.headers)}` : ''
  return `[${request.identity}] ${request.method} ${request.path}${headers}${body}`
}

export const send = (target: Target, request: FuzzRequest, timeoutMs = 30_000): Promise<Answer> =>
  new Promise((resolvePromise, reject) => {
    const started = performance.now()
    const auth = target.auth[request.identity]
    const payload = bodyBytes(request.body)
    const headers: Record<string, string | number> = { ...request.headers, ...(auth ? { authorization: auth } : {}) }
    if (payload) headers['content-length'] = payload.length
    const req = http.request(`${target.url}${request.path}`, { method: request.method, headers, agent: false }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (chunk: Buffer) => chunks.push(chunk))
      res.on('end', () =>
        resolvePromise({
          status: res.statusCode ?? 0,
          contentType: (res.headers['content-type'] as string | undefined) ?? null,
          text: Buffer.concat(chunks).toString('utf8'),
          ms: performance.now() - started,
        }),
      )
      res.on('error', reject)
    })
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)))
    req.on('error', reject)
    req.end(payload)
  })

/**
 * Why an answer is wrong, or null. The API (/api/…) answers every 4xx in the error shape; outside it,
 * Next serves the admin panel's HTML pages. The answer is checked against the spec when the spec has
 * an operation for the method and path, whatever the query (undocumented parameters are part of the
 * hostile input, not of the answer).
 */
export const judge = (validator: ResponseValidator, request: FuzzRequest, answer: Answer, url: string): Pick<Failure, 'kind' | 'problem'> | null => {
  if (answer.status >= 500) return { kind: '5xx', problem: `answered ${answer.status}` }
  const pathname = request.path.split('?', 1)[0]
  if (answer.status >= 400 && request.method !== 'HEAD' && /^\/api(\/|$)/.test(pathname)) {
    let body: any
    try {
      body = JSON.parse(answer.text)
    } catch {
      return { kind: 'error shape', problem: `answered ${answer.status} with a body that is not JSON (${answer.contentType})` }
    }
    const message = body?.errors?.[0]?.message
    if (!Array.isArray(body?.errors) || typeof message !== 'string' || message.length === 0)
      return { kind: 'error shape', problem: `answered ${answer.status} without {"errors":[{"message":"…"}]}` }
  }
  const problem = validator.check({ method: request.method, url: `${url}${pathname}`, status: answer.status, contentType: answer.contentType, text: answer.text })
  if (problem && !problem.includes('the spec has no operation for')) return { kind: 'spec', problem }
  return null
}

export type FuzzOptions = {
  seed: number
  /** Requests in all, spread evenly over the operations (each at least one per identity). */
  requests: number
  /** Whether to stop a property at its first failure without shrinking it (long runs list more). */
  shrink?: boolean
  maxBodyBytes?: number
  onProgress?: (done: number, total: number) => void
  /** Only operations whose "METHOD /path" matches. */
  only?: RegExp
  /** Requests not to send (filtered out of the generated ones). */
  allow?: (request: FuzzRequest) => boolean
  /** Replays one failure: its target, property seed and path, as the report prints them. */
  replay?: { target: number; seed: number; path: string }
}

/**
 * Runs one fast-check property per operation and target: a property fails on the first wrong answer,
 * fast-check shrinks that request, and the report lists the small one with the seed and path that
 * replay it. Operations are fuzzed on the target whose identities are listed with it.
 */
export const fuzz = async (targets: { target: Target; identities: Identity[] }[], spec: OpenAPIDocument, options: FuzzOptions): Promise<FuzzReport> => {
  const started = performance.now()
  const validator = new ResponseValidator(spec)
  const operations = operationsOf(spec).filter((operation) => !options.only || options.only.test(`${operation.method} ${operation.template}`))
  const perProperty = Math.max(3, Math.ceil(options.requests / Math.max(1, operations.length * targets.length)))
  const report: FuzzReport = { seed: options.seed, requests: 0, operations: operations.length, byStatus: {}, byIdentity: {}, failures: [], ms: 0 }
  let done = 0
  for (const [targetIndex, { target, identities }] of targets.entries()) {
    if (options.replay && options.replay.target !== targetIndex) continue
    for (const [operationIndex, operation] of operations.entries()) {
      const name = `${operation.method} ${operation.template}`
      const generated = requestFor(spec, operation, { identities, knownValues: target.knownValues, maxBodyBytes: options.maxBodyBytes ?? 2_000_000 })
      const arbitrary = options.allow ? generated.filter(options.allow) : generated
      let last: { request: FuzzRequest; answer?: Answer; failure: Pick<Failure, 'kind' | 'problem'> } | undefined
      const property = fc.asyncProperty(arbitrary, async (request) => {
        let answer: Answer
        try {
          answer = await send(target, request)
        } catch (error) {
          last = { request, failure: { kind: 'network', problem: (error as Error).message } }
          return false
        }
        report.requests++
        report.byStatus[answer.status] = (report.byStatus[answer.status] ?? 0) + 1
        report.byIdentity[request.identity] = (report.byIdentity[request.identity] ?? 0) + 1
        const failure = judge(validator, request, answer, target.url)
        if (failure) last = { request, answer, failure }
        return failure === null
      })
      // One seed per property, derived from the run's: a failure replays alone with its seed and path.
      const seed = options.replay?.seed ?? (options.seed + targetIndex * 100_003 + operationIndex * 7919) | 0
      const result = await fc.check(property, {
        seed,
        numRuns: perProperty,
        path: options.replay?.path,
        endOnFailure: options.shrink === false,
        // A failing request is shrunk for at most this long: a long run lists failures, it does not polish them.
        interruptAfterTimeLimit: 120_000,
        markInterruptAsFailure: false,
      })
      done++
      options.onProgress?.(done, operations.length * targets.length)
      if (result.failed && last) {
        report.failures.push({
          operation: name,
          ...last.failure,
          request: last.request,
          answer: last.answer && { status: last.answer.status, contentType: last.answer.contentType, text: last.answer.text.slice(0, 400) },
          replay: `npm run fuzz -- --only '^${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$' --replay ${targetIndex}:${result.seed}:${result.counterexamplePath ?? ''}`,
        })
      }
    }
  }
  report.ms = performance.now() - started
  return report
}

export const summarize = (report: FuzzReport) => {
  const statuses = Object.entries(report.byStatus).sort(([a], [b]) => Number(a) - Number(b))
  const count = (test: (status: number) => boolean) => statuses.filter(([status]) => test(Number(status))).reduce((sum, [, n]) => sum + n, 0)
  return [
    `fuzz: seed ${report.seed}, ${report.requests} requests over ${report.operations} operations in ${(report.ms / 1000).toFixed(1)} s`,
    `  by identity: ${Object.entries(report.byIdentity).map(([identity, n]) => `${identity} ${n}`).join(', ')}`,
    `  by status: ${statuses.map(([status, n]) => `${status}: ${n}`).join(', ')}`,
    `  2xx ${count((s) => s < 300)}, 3xx ${count((s) => s >= 300 && s < 400)}, 4xx ${count((s) => s >= 400 && s < 500)}, 5xx ${count((s) => s >= 500)}`,
    `  failing operations: ${report.failures.length}`,
    ...report.failures.map(
      (failure) =>
        `  ✗ ${failure.operation} — ${failure.kind}: ${failure.problem.split('\n').join('\n      ')}\n      request: ${describeRequest(failure.request)}\n      answer: ${failure.answer ? `${failure.answer.status} ${failure.answer.contentType ?? ''} ${JSON.stringify(failure.answer.text.slice(0, 200))}` : '-'}\n      replay: ${failure.replay}`,
    ),
  ].join('\n')
}
