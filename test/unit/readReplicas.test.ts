import { ConfigurationError } from '../../src/env'
import { readReplicaSettingsFromEnv } from '../../src/db/readReplicas'

describe('DATABASE_READ_REPLICAS', () => {
  test('unset or empty: no replicas', () => {
    expect(readReplicaSettingsFromEnv({}, 'postgres')).toBeUndefined()
    expect(readReplicaSettingsFromEnv({ DATABASE_READ_REPLICAS: ' , ' }, 'postgres')).toBeUndefined()
  })

  test('a comma-separated list of postgres:// URIs, with a read-after-write window of 2 s unless set', () => {
    expect(
      readReplicaSettingsFromEnv({ DATABASE_READ_REPLICAS: 'postgres://r1/db, postgresql://r2/db' }, 'postgres'),
    ).toEqual({ uris: ['postgres://r1/db', 'postgresql://r2/db'], afterWriteMs: 2000 })
    expect(
      readReplicaSettingsFromEnv(
        { DATABASE_READ_REPLICAS: 'postgres://r1/db', DATABASE_READ_REPLICA_AFTER_WRITE_MS: '500' },
        'postgres',
      ),
    ).toEqual({ uris: ['postgres://r1/db'], afterWriteMs: 500 })
  })

  test('refused with a message: another database, another scheme, a window that is not whole milliseconds', () => {
    expect(() => readReplicaSettingsFromEnv({ DATABASE_READ_REPLICAS: 'postgres://r1/db' }, 'sqlite')).toThrow(
      /PostgreSQL only/,
    )
    expect(() => readReplicaSettingsFromEnv({ DATABASE_READ_REPLICAS: 'mysql://r1/db' }, 'postgres')).toThrow(
      ConfigurationError,
    )
    for (const window of ['-1', '1.5', 'soon']) {
      expect(() =>
        readReplicaSettingsFromEnv(
          { DATABASE_READ_REPLICAS: 'postgres://r1/db', DATABASE_READ_REPLICA_AFTER_WRITE_MS: window },
          'postgres',
        ),
      ).toThrow(/DATABASE_READ_REPLICA_AFTER_WRITE_MS/)
    }
  })
})
