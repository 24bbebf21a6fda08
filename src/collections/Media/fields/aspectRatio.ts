import type { CollectionAfterReadHook, Field } from 'payload'

const ratio = (width: unknown, height: unknown) =>
  typeof width === 'number' && typeof height === 'number' && width > 0 && height > 0 ? Math.round((width / height) * 10_000) / 10_000 : null

/** Width divided by height, as shown (upright), rounded to four decimals; never stored, so it always matches them. */
export const aspectRatioField: Field = {
  name: 'aspectRatio',
  type: 'number',
  virtual: true,
  admin: { hidden: true },
  hooks: { afterRead: [({ siblingData }) => ratio(siblingData?.width, siblingData?.height)] },
}

type Sizes = Record<string, { width?: unknown; height?: unknown; aspectRatio?: number | null } | null | undefined>

/** The same for each resized image, `sizes.<name>.aspectRatio` (Payload makes the size fields; no field of ours is in them). */
export const sizeAspectRatios: CollectionAfterReadHook = ({ doc }) => {
  const sizes = doc?.sizes as Sizes | undefined
  if (sizes && typeof sizes === 'object') {
    for (const size of Object.values(sizes)) if (size && typeof size === 'object') size.aspectRatio = ratio(size.width, size.height)
  }
  return doc
}
