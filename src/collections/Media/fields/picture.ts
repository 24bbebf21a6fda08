import type { CollectionAfterReadHook, Field } from 'payload'

import { pictureOf } from '../../../media/pictureSources'

/**
 * `picture`: the media document as a `<picture>` element wants it (src/media/pictureSources.ts).
 * Virtual: filled by setPicture after the URLs are absolute and versioned, from the sizes read.
 */
export const pictureField: Field = {
  name: 'picture',
  type: 'group',
  virtual: true,
  admin: { hidden: true },
  fields: [
    {
      name: 'sources',
      type: 'array',
      fields: [
        { name: 'type', type: 'text', admin: { description: 'image/avif or image/webp' } },
        { name: 'srcset', type: 'text', admin: { description: '"<url> 640w, <url> 1280w"' } },
      ],
    },
    { name: 'src', type: 'text' },
    { name: 'width', type: 'number' },
    { name: 'height', type: 'number' },
    { name: 'sizes', type: 'text' },
  ],
}

export const setPicture: CollectionAfterReadHook = ({ doc }) => {
  // Only with the sizes read: a `select` without them gets no partial list.
  if (doc && typeof doc === 'object' && doc.sizes && doc.url) doc.picture = pictureOf(doc)
  return doc
}
