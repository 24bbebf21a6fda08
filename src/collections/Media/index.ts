import type { CollectionConfig } from 'payload'

import { anyone } from '../../access/anyone'
import { editorOrOwnMedia } from '../../access/editorOrOwnMedia'
import { isEditor, isEditorField } from '../../access/isEditor'
import { isEditorial, isEditorialField } from '../../access/isEditorial'
import { nobodyField } from '../../access/nobody'
import { preventDeleteWhileReferenced } from '../../hooks/preventDeleteWhileReferenced'
import { rejectStaleCollectionUpdate } from '../../hooks/rejectStaleUpdate'
import { mediaDirectory } from '../../media/directory'
import { holdFilesOfDeletedDocument, holdFilesOfReplacedUpload } from '../../media/fileCleanup'
import { versionMediaUrls } from '../../media/versionedMediaUrl'
import { absoluteMediaUrls } from './hooks/absoluteUrls'
import { aspectRatioField, sizeAspectRatios } from './fields/aspectRatio'
import { pictureField, setPicture } from './fields/picture'
import { placeholderField } from './fields/placeholder'
import { recordUploader } from './hooks/recordUploader'
import { storePlaceholder } from './hooks/storePlaceholder'
import { uprightDimensions } from './hooks/uprightDimensions'
import { imageSizes } from './imageSizes'

export { mediaDirectory }

export const Media: CollectionConfig<'media'> = {
  slug: 'media',
  labels: { singular: 'Media file', plural: 'Media' },
  access: {
    read: anyone,
    create: isEditorial,
    // Authors edit the files they uploaded; editors and admins every file.
    update: editorOrOwnMedia,
    delete: isEditor,
  },
  admin: {
    useAsTitle: 'alt',
    defaultColumns: ['filename', 'alt', 'mimeType', 'filesize', 'updatedAt'],
  },
  hooks: {
    // Files go only when the write that drops them commits (src/media/fileCleanup.ts).
    beforeOperation: [holdFilesOfReplacedUpload],
    beforeValidate: [rejectStaleCollectionUpdate],
    beforeChange: [recordUploader, uprightDimensions, storePlaceholder],
    beforeDelete: [preventDeleteWhileReferenced('media file'), holdFilesOfDeletedDocument],
    // Absolute, then `?v=<hash of the bytes>` on every file URL, so that caches may keep them for good
    // (README, Media files).
    afterRead: [absoluteMediaUrls(), versionMediaUrls(), sizeAspectRatios, setPicture],
  },
  upload: {
    staticDir: mediaDirectory,
    mimeTypes: ['image/jpeg', 'image/png', 'image/webp', 'image/avif', 'image/gif'],
    focalPoint: true,
    crop: true,
    adminThumbnail: 'thumbnail',
    imageSizes,
  },
  fields: [
    {
      name: 'alt',
      type: 'text',
      required: true,
      maxLength: 300,
      // Per language, like the text around the image; a language without its own falls back to English.
      localized: true,
      admin: { description: 'Describes the image for screen readers and when it cannot load.' },
    },
    { name: 'caption', type: 'textarea', maxLength: 1000, localized: true },
    {
      name: 'uploadedBy',
      type: 'relationship',
      relationTo: 'users',
      // Set from the session on upload (hooks/recordUploader.ts); editors may hand a file to someone
      // else. Readers do not learn who on the team uploaded what.
      access: { read: isEditorialField, create: nobodyField, update: isEditorField },
      admin: { position: 'sidebar', description: 'Who uploaded the file. Authors edit only the files they uploaded.' },
    },
    placeholderField,
    aspectRatioField,
    pictureField,
  ],
}
