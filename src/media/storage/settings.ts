import type { S3ClientConfig } from '@aws-sdk/client-s3'

import { ConfigurationError } from '../../env'

/** Where media files go when they do not go to the local media folder: an S3-compatible bucket. */
export type ObjectStorageSettings = {
  bucket: string
  /** For `@aws-sdk/client-s3` and `@payloadcms/storage-s3` alike. */
  client: S3ClientConfig
}

const truthy = (value: string | undefined) => /^(1|true|yes|on)$/i.test(value?.trim() ?? '')
const falsy = (value: string | undefined) => /^(0|false|no|off)$/i.test(value?.trim() ?? '')

/**
 * Object storage is on when S3_BUCKET is set (README, Media in object storage). S3_ENDPOINT names a
 * server other than AWS (Cloudflare R2, MinIO, …), which is then addressed by path
 * (`<endpoint>/<bucket>/<key>`) unless S3_FORCE_PATH_STYLE=false. Keys come from S3_ACCESS_KEY_ID and
 * S3_SECRET_ACCESS_KEY, or, without them, from the AWS SDK's own chain (instance roles, AWS_* variables).
 */
export const objectStorageFromEnv = (env: Record<string, string | undefined> = process.env): ObjectStorageSettings | undefined => {
  const bucket = env.S3_BUCKET?.trim()
  if (!bucket) return undefined
  const endpoint = env.S3_ENDPOINT?.trim() || undefined
  if (endpoint && !/^https?:\/\/[^/]+/.test(endpoint)) {
    throw new ConfigurationError(`S3_ENDPOINT must be an http(s) URL such as https://<account>.r2.cloudflarestorage.com; it is "${endpoint}".`)
  }
  const accessKeyId = env.S3_ACCESS_KEY_ID?.trim()
  const secretAccessKey = env.S3_SECRET_ACCESS_KEY?.trim()
  if (Boolean(accessKeyId) !== Boolean(secretAccessKey)) {
    throw new ConfigurationError('Set both S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY, or neither (the AWS SDK then finds credentials itself).')
  }
  return {
    bucket,
    client: {
      region: env.S3_REGION?.trim() || 'us-east-1',
      ...(endpoint ? { endpoint } : {}),
      forcePathStyle: endpoint ? !falsy(env.S3_FORCE_PATH_STYLE) : truthy(env.S3_FORCE_PATH_STYLE),
      ...(accessKeyId && secretAccessKey ? { credentials: { accessKeyId, secretAccessKey } } : {}),
      // Checksums only where the S3 API requires them: S3-compatible servers other than AWS do not all
      // know the newer checksum headers the SDK sends by default.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    },
  }
}
