/** Where a front end serves a document: pages at /{slug} (the home page at /), posts at /posts/{slug}. */
export const documentPath = (collection: string | undefined, slug: string): string => {
  if (collection === 'posts') return `/posts/${slug}`
  return slug === 'home' ? '/' : `/${slug}`
}
