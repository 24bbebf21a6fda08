type Doc = Record<string, any>

const idOf = (value: unknown) => (value && typeof value === 'object' ? (value as Doc).id : value)

const isMediaDoc = (value: Doc) => typeof value.filename === 'string' && typeof value.mimeType === 'string' && value.id !== undefined

/**
 * What a document read at depth 1 shows of other documents, as change-log keys (`media:3`,
 * `categories:1`, `posts:7`, `users:2`): when one of them changes, the document's files are stale
 * although the document itself did not change. Media anywhere (hero, SEO image, authors' avatars,
 * images in rich text), a post's categories, related posts and authors.
 */
export const referencesOf = (collection: string, doc: Doc): string[] => {
  const refs = new Set<string>()
  const walk = (value: unknown) => {
    if (Array.isArray(value)) value.forEach(walk)
    else if (value && typeof value === 'object') {
      if (isMediaDoc(value as Doc)) refs.add(`media:${String((value as Doc).id)}`)
      Object.values(value).forEach(walk)
    }
  }
  walk(doc)
  if (collection === 'posts') {
    const add = (target: string, list: unknown) => {
      if (!Array.isArray(list)) return
      for (const item of list) if (idOf(item) !== undefined && idOf(item) !== null) refs.add(`${target}:${String(idOf(item))}`)
    }
    add('categories', doc.categories)
    add('posts', doc.relatedPosts)
    add('users', doc.populatedAuthors)
  }
  refs.delete(`${collection}:${String(doc.id)}`)
  return [...refs].sort()
}
