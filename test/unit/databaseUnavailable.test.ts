import { isDatabaseUnavailable } from '../../src/db/databaseUnavailable'

const withCode = (message: string, code: string) => Object.assign(new Error(message), { code })

test.each([
  ['a refused connection', withCode('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED')],
  ['PostgreSQL shutting down (57P01)', withCode('terminating connection due to administrator command', '57P01')],
  ['PostgreSQL starting up (57P03)', withCode('the database system is starting up', '57P03')],
  ['a connection failure (08006)', withCode('connection failure', '08006')],
  ['a pool timeout', new Error('timeout exceeded when trying to connect')],
  ['a dropped connection', new Error('Connection terminated unexpectedly')],
  ['SQLite locked', withCode('database is locked', 'SQLITE_BUSY')],
  ['SQLite I/O error (extended code)', withCode('disk I/O error', 'SQLITE_IOERR_SHORT_READ')],
  [
    'MongoDB without a reachable server',
    Object.assign(new Error('Server selection timed out'), { name: 'MongoServerSelectionError' }),
  ],
  [
    'a driver error wrapped by drizzle',
    new Error('Failed query: select 1', { cause: withCode('connect ECONNREFUSED', 'ECONNREFUSED') }),
  ],
])('%s counts as the database being unavailable', (_, error) => {
  expect(isDatabaseUnavailable(error)).toBe(true)
})

test.each([
  ['a unique violation (23505)', withCode('duplicate key value violates unique constraint', '23505')],
  ['a syntax error (42601)', withCode('syntax error at or near', '42601')],
  ['a SQLite constraint', withCode('UNIQUE constraint failed: posts.slug', 'SQLITE_CONSTRAINT_UNIQUE')],
  ['a validation error', new Error('The following field is invalid: title')],
  ['nothing at all', undefined],
])('%s does not', (_, error) => {
  expect(isDatabaseUnavailable(error)).toBe(false)
})

test('a cause chain that loops back on itself ends', () => {
  const error = new Error('outer') as Error & { cause?: unknown }
  error.cause = error
  expect(isDatabaseUnavailable(error)).toBe(false)
})
