import { s3Storage } from '@payloadcms/storage-s3'
import type { Field, Plugin } from 'payload'

import { isEditorialField } from '../access/isEditorial'
import { nobodyField } from '../access/nobody'
import { objectStorageFromEnv } from '../media/storage/settings'
import { versionMediaUrls } from '../media/versionedMediaUrl'

/** Where the adapter keeps an object (`prefix`, `_objectKey`): for the team and for Payload, not for readers. */
const STORAGE_FIELDS = new Set(['prefix', '_objectKey'])

const keepStorageFieldsInternal = (fields: Field[]): Field[] =>
  fields.map((field) =>
    'name' in field && STORAGE_FIELDS.has(field.name)
      ? ({ ...field, access: { read: isEditorialField, create: nobodyField, update: nobodyField } } as Field)
      : field,
  )

/**
 * Media files in an S3-compatible bucket through Payload's own adapter when S3_BUCKET is set; the
 * local media folder otherwise. The fields the adapter adds are in the schema either way
 * (`alwaysInsertFields`), so one set of migrations serves both.
 */
export const objectStoragePlugin = (env: Record<string, string | undefined> = process.env): Plugin => {
  const plugin: Plugin = (incoming) => {
    const settings = objectStorageFromEnv(env)
    const config = s3Storage({
      enabled: Boolean(settings),
      alwaysInsertFields: true,
      bucket: settings?.bucket ?? '',
      config: settings?.client ?? {},
      collections: { media: true },
    })(incoming) as Awaited<ReturnType<Plugin>>
    const versionUrls = versionMediaUrls()
    return {
      ...config,
      collections: config.collections?.map((collection) =>
        collection.slug === 'media'
          ? {
              ...collection,
              fields: keepStorageFieldsInternal(collection.fields),
              hooks: {
                ...collection.hooks,
                // The answer to an upload is read before the adapter's afterChange puts the files in the
                // bucket, when they have no version yet: versioned again once they are there.
                afterChange: [...(collection.hooks?.afterChange ?? []), ...(settings ? [(args: Parameters<typeof versionUrls>[0]) => versionUrls(args)] : [])],
              },
            }
          : collection,
      ),
    }
  }
  objectStoragePlugins.add(plugin)
  return plugin
}

const objectStoragePlugins = new WeakSet<Plugin>()

/** For a config as it was before media could live in a bucket (the migration tests build one). */
export const isObjectStoragePlugin = (plugin: Plugin) => objectStoragePlugins.has(plugin)
