import crypto from 'node:crypto'

import { S3 } from '@aws-sdk/client-s3'

import { objectStorageFromEnv } from '../../src/media/storage/settings'

/**
 * The S3 API server scripts/services.sh starts (scripts/s3-server.mjs), given as TEST_S3_ENDPOINT.
 * Without it these tests are skipped, except under CI, where they fail.
 */
export const testS3Endpoint = (): string | undefined => {
  const endpoint = process.env.TEST_S3_ENDPOINT
  if (!endpoint && process.env.CI) throw new Error('TEST_S3_ENDPOINT is not set: run `scripts/services.sh start` (see the README).')
  return endpoint
}

/** The keys scripts/s3-server.mjs accepts (s3rver's own). */
const TEST_KEYS = { S3_ACCESS_KEY_ID: 'S3RVER', S3_SECRET_ACCESS_KEY: 'S3RVER' }

/** A new, empty bucket on the test server, and the settings (as environment variables) that point Greenroom at it. */
export const createTestBucket = async (endpoint: string, name = 'test'): Promise<Record<string, string>> => {
  const env = { S3_ENDPOINT: endpoint, S3_BUCKET: `${name}-${process.pid}-${crypto.randomBytes(4).toString('hex')}`, ...TEST_KEYS }
  await bucketClient(env).createBucket({ Bucket: env.S3_BUCKET })
  return env
}

export const bucketClient = (env: Record<string, string>) => new S3(objectStorageFromEnv(env)!.client)

/** Every key in the bucket, sorted. */
export const listBucket = async (env: Record<string, string>): Promise<string[]> => {
  const client = bucketClient(env)
  const keys: string[] = []
  let ContinuationToken: string | undefined
  do {
    const page = await client.listObjectsV2({ Bucket: env.S3_BUCKET, ContinuationToken })
    keys.push(...(page.Contents ?? []).map(({ Key }) => Key!))
    ContinuationToken = page.IsTruncated ? page.NextContinuationToken : undefined
  } while (ContinuationToken)
  return keys.sort()
}

export const readObject = async (env: Record<string, string>, key: string): Promise<Buffer> =>
  Buffer.from(await (await bucketClient(env).getObject({ Bucket: env.S3_BUCKET, Key: key })).Body!.transformToByteArray())
