import { ConfigurationError } from '../../src/env'
import type { Payload } from 'payload'

import {
  onLocalWrite,
  readPrimaryAfterWriteElsewhere,
  readReplicaSettingsFromEnv,
  routeReadsAfterWrites,
} from '../../src/db/readReplicas'

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

describe('the read-after-write window', () => {
  // The fields of Payload's PostgreSQL adapter that decide where a read goes (@payloadcms/drizzle, readAfterWrite.js).
  const replicatedAdapter = () => {
    const adapter = { primaryDrizzle: {}, drizzle: { $replicas: [] }, readReplicasAfterWriteInterval: 3000 } as {
      primaryDrizzle: object
      lastWriteTimestamp?: number
    }
    const logger = { warn: () => undefined } as unknown as Payload['logger']
    routeReadsAfterWrites(adapter, logger)
    return { adapter, payload: { db: adapter } as unknown as Payload }
  }

  test('a write here is handed to the listeners and starts the window', () => {
    const { adapter, payload } = replicatedAdapter()
    const heard: number[] = []
    onLocalWrite(payload, () => heard.push(adapter.lastWriteTimestamp!))
    const at = Date.now()
    adapter.lastWriteTimestamp = at
    expect(heard).toEqual([at])
  })

  test('news of writes elsewhere start it without telling the listeners, and may reach ahead for writes to come', () => {
    const { adapter, payload } = replicatedAdapter()
    const heard: number[] = []
    onLocalWrite(payload, () => heard.push(1))
    const before = Date.now()
    readPrimaryAfterWriteElsewhere(payload, 750)
    expect(adapter.lastWriteTimestamp).toBeGreaterThanOrEqual(before + 750)
    expect(heard).toEqual([])
  })

  test('a later write here never shortens a window another instance asked for', () => {
    const { adapter, payload } = replicatedAdapter()
    readPrimaryAfterWriteElsewhere(payload, 750)
    const asked = adapter.lastWriteTimestamp!
    adapter.lastWriteTimestamp = Date.now()
    expect(adapter.lastWriteTimestamp).toBe(asked)
    adapter.lastWriteTimestamp = asked + 1
    expect(adapter.lastWriteTimestamp).toBe(asked + 1)
  })
})
