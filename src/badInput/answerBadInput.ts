import type { AfterErrorHook, Payload } from 'payload'

import { isDatabaseUnavailable } from '../db/databaseUnavailable'

/**
 * Error names Payload's own logger leaves to `logBadInput` (config `loggingLevels: false`): Payload
 * logs every error it catches at the level named here before the afterError hooks run, as an error
 * with a stack unless told otherwise, so a mistyped request would read like a crash in the log.
 * `logBadInput` logs each of them once, as a warning when it is the client's mistake.
 */
export const ERRORS_LOGGED_HERE = [
  'APIError',
  'AuthenticationError',
  'DrizzleQueryError',
  'Error',
  'FileRetrievalError',
  'FileUploadError',
  'Forbidden',
  'Locked',
  'LockedAuth',
  'MissingFile',
  'NotFound',
  'QueryError',
  'RangeError',
  'SyntaxError',
  'UnauthorizedError',
  'UnverifiedEmail',
  'ValidationError',
] as const

type Classified = { status: number; message: string }

/** The messages along an error's `cause` chain (drizzle wraps the driver's error). */
const causes = (error: unknown, depth = 0): string =>
  error instanceof Error && depth < 5 ? `${error.message}\n${causes(error.cause, depth + 1)}` : ''

const hasName = (error: unknown, name: string) =>
  typeof error === 'object' && error !== null && (error as { name?: unknown }).name === name

/** busboy's (Payload's multipart parser) messages for a body that is not well-formed multipart. */
const MALFORMED_MULTIPART = /^(Malformed (part )?header|Malformed content type|Malformed urlencoded form|Unexpected end of (form|file)|Multipart: Boundary not found|Missing Content-Type|Unsupported content type|Name too long|Field name too long)/i

/**
 * What Payload answers with 500 although the request is at fault. Each is an error Payload or a
 * library it calls throws on input it cannot read; the request is refused before any write.
 */
export const classifyBadInput = (error: unknown): Classified | null => {
  if (!(error instanceof Error)) return null
  // `JSON.parse` on `?where=…`, `?data=…` or a body read as JSON by an endpoint (plugin-search's reindex).
  if (error instanceof SyntaxError)
    return { status: 400, message: `The request is not valid JSON where JSON is expected: ${error.message}` }
  // A JSON body nested deeper than the parser's stack (`[[[[…]]]]`).
  if (error instanceof RangeError && /call stack/i.test(error.message))
    return { status: 400, message: 'The request is nested too deeply to be read.' }
  if (MALFORMED_MULTIPART.test(error.message))
    return { status: 400, message: `The multipart body cannot be read: ${error.message}.` }
  // Payload's multipart reader refuses a Content-Type without `boundary=` with a 500 of its own.
  if (error.message === 'Request is not eligible for file upload')
    return { status: 400, message: 'The multipart body cannot be read: its Content-Type names no boundary (multipart/form-data; boundary=…).' }
  // An id of `Infinity` where Payload reads ids without its operations' hooks (POST /api/pages/access/Infinity):
  // Payload takes it for a number, SQLite refuses to bind it.
  // SQLite refuses to bind it; PostgreSQL refuses to read it as an integer id.
  if (/Only finite numbers \(not Infinity or NaN\) can be passed|invalid input syntax for type (integer|bigint)/.test(causes(error)))
    return { status: 400, message: 'A number in the request is not finite (Infinity or NaN).' }
  // A pasted-URL upload whose URL could not be fetched, or is blocked as a private address (SSRF guard).
  if (hasName(error, 'FileRetrievalError')) return { status: 400, message: error.message }
  return null
}

const statusOf = (error: unknown): number => {
  if (isDatabaseUnavailable(error)) return 503
  const status = (error as { status?: unknown })?.status
  return typeof status === 'number' && status >= 400 && status < 600 ? status : 500
}

/**
 * Answers a request-made error with a 4xx in Payload's error shape instead of the generic 500, and
 * logs what Payload was told not to log (ERRORS_LOGGED_HERE): a client's mistake as a one-line
 * warning, anything else as an error with its stack. Runs after the other afterError hooks, so the
 * status it logs is the one sent.
 */
export const answerBadInput =
  (loggedHere: ReadonlySet<string>): AfterErrorHook =>
  ({ error, graphqlResult, req }) => {
    // GraphQL answers its errors inside a 200 and logs them itself (by the name GraphQLError).
    if (graphqlResult !== undefined) return
    const name = (error as { name?: unknown })?.name
    const classified = classifyBadInput(error)
    const status = classified?.status ?? statusOf(error)
    const logger: Payload['logger'] | undefined = req.payload?.logger
    if (logger && typeof name === 'string' && (loggedHere.has(name) || classified)) {
      const where = { method: req.method, url: req.url ? new URL(req.url).pathname : undefined }
      if (status < 500) logger.warn({ ...where, status, error: name }, classified?.message ?? error.message)
      else if (loggedHere.has(name)) logger.error({ err: error, ...where })
    }
    if (!classified) return
    return { status: classified.status, response: { errors: [{ message: classified.message }] } }
  }
