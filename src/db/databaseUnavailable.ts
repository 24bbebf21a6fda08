/**
 * Errors that mean "the database cannot be reached right now" rather than "this request is wrong":
 * refused or dropped connections, a server shutting down or starting up, pool timeouts, SQLite
 * locked or unreadable, MongoDB with no reachable server. Looked for along the `cause` chain, since
 * drizzle and Payload wrap the driver's error.
 */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EPIPE',
  'EAI_AGAIN',
])
/** PostgreSQL SQLSTATEs: class 08 (connection exception), 57P01–57P03 (shutting down, cannot connect now), 53300 (too many connections). */
const POSTGRES_CODES = /^(08\d{3}|57P0[123]|53300)$/
const SQLITE_CODES = new Set(['SQLITE_BUSY', 'SQLITE_LOCKED', 'SQLITE_CANTOPEN', 'SQLITE_IOERR', 'SQLITE_FULL'])
const MONGO_NAMES = new Set([
  'MongoNetworkError',
  'MongoServerSelectionError',
  'MongoNotConnectedError',
  'MongoTopologyClosedError',
  'MongoNetworkTimeoutError',
])
const MESSAGES = [
  /Connection terminated/i,
  /timeout exceeded when trying to connect/i,
  /Client has encountered a connection error/i,
  /database system is (shutting down|starting up)/i,
]

export const isDatabaseUnavailable = (error: unknown): boolean => {
  const seen = new Set<unknown>()
  let current = error
  while (current && typeof current === 'object' && !seen.has(current)) {
    seen.add(current)
    const { code, name, message } = current as { code?: unknown; name?: unknown; message?: unknown }
    const codeText = typeof code === 'string' ? code : ''
    if (
      NETWORK_CODES.has(codeText) ||
      POSTGRES_CODES.test(codeText) ||
      SQLITE_CODES.has(codeText.split('_').slice(0, 2).join('_'))
    )
      return true
    if (typeof name === 'string' && MONGO_NAMES.has(name)) return true
    if (typeof message === 'string' && MESSAGES.some((pattern) => pattern.test(message))) return true
    current = (current as { cause?: unknown }).cause
  }
  return false
}

/** How long a client should wait before trying again, in seconds (Retry-After). */
export const RETRY_AFTER_SECONDS = 5
