import { mediaDirectory } from '../directory'
import { diskStorage } from './disk'
import { s3Storage } from './s3'
import { objectStorageFromEnv } from './settings'
import type { MediaStorage } from './types'

export type { MediaStorage } from './types'

/** Chosen once per process from the settings: a bucket when S3_BUCKET is set, else the media folder. */
let chosen: MediaStorage | undefined
export const mediaStorage = (): MediaStorage => {
  if (!chosen) {
    const objectStorage = objectStorageFromEnv()
    chosen = objectStorage ? s3Storage(objectStorage, mediaDirectory) : diskStorage(mediaDirectory)
  }
  return chosen
}
