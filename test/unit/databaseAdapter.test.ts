import path from 'node:path'

import { DatabaseUriError, defaultDatabaseUri, parseDatabaseUri, redactUri } from '../../src/db/databaseAdapter'

describe('parseDatabaseUri', () => {
  test('defaults to an SQLite file, separate for production and development', () => {
    expect(defaultDatabaseUri('production')).toBe('file:./data/greenroom.db')
    expect(defaultDatabaseUri('development')).toBe('file:./data/greenroom-dev.db')
    expect(parseDatabaseUri(undefined, '/srv/app').kind).toBe('sqlite')
    expect(parseDatabaseUri('  ', '/srv/app').kind).toBe('sqlite')
  })

  test('resolves relative SQLite paths against the working directory', () => {
    expect(parseDatabaseUri('file:./data/x.db', '/srv/app')).toEqual({ kind: 'sqlite', uri: `file:${path.resolve('/srv/app/data/x.db')}` })
    expect(parseDatabaseUri('file:/var/lib/x.db', '/srv/app')).toEqual({ kind: 'sqlite', uri: 'file:/var/lib/x.db' })
    expect(parseDatabaseUri('file:///var/lib/x.db', '/srv/app')).toEqual({ kind: 'sqlite', uri: 'file:/var/lib/x.db' })
  })

  test('recognises PostgreSQL and MongoDB', () => {
    expect(parseDatabaseUri('postgres://u:p@db:5432/greenroom').kind).toBe('postgres')
    expect(parseDatabaseUri('postgresql://db/greenroom').kind).toBe('postgres')
    expect(parseDatabaseUri('mongodb://mongo:27017/greenroom?replicaSet=rs0').kind).toBe('mongodb')
    expect(parseDatabaseUri('mongodb+srv://u:p@cluster.example.net/greenroom').kind).toBe('mongodb')
  })

  test.each([
    ['mysql://db/greenroom', /"mysql:", which Greenroom does not support/],
    ['greenroom.db', /is not a URI/],
    ['file:', /names no SQLite file/],
    ['file:./data/', /names no SQLite file/],
    ['postgres://', /names no host|not a valid URI/],
  ])('refuses %j with a message that says what works', (uri, message) => {
    expect(() => parseDatabaseUri(uri)).toThrow(DatabaseUriError)
    expect(() => parseDatabaseUri(uri)).toThrow(message)
    expect(() => parseDatabaseUri(uri)).toThrow(/postgres:\/\/.*mongodb:\/\//)
  })

  test('never prints a password', () => {
    expect(redactUri('postgres://user:s3cret@db/x')).toBe('postgres://user:***@db/x')
    expect(() => parseDatabaseUri('postgres://user:s3cret@')).toThrow(/user:\*\*\*@/)
  })
})
