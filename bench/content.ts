import fs from 'node:fs'
import path from 'node:path'
import { pathToFileURL } from 'node:url'

/**
 * The repository root: `npm run bench` runs there and starts its children there. (Not this file's
 * location: the children run compiled copies of it from node_modules/.cache.)
 */
export const ROOT = process.cwd()

/**
 * The content that Strapi and Directus were benchmarked with lives beside the project, not in it,
 * so every system serves the same bytes. It is plain JavaScript: these are the parts the bench uses.
 */
export type SharedPost = {
  title: string
  slug: string
  excerpt: string
  body: string
  categoryIndex: number
  coverIndex: number
  publishedAt: string
}

export type SharedCategory = { name: string; slug: string; description: string }

export type SharedContent = {
  CATEGORY_COUNT: number
  POST_COUNT: number
  category: (c: number) => SharedCategory
  post: (i: number) => SharedPost
  coverPng: (index: number, size?: number) => Buffer
  coverName: (index: number) => string
}

export const SHARED_CONTENT_PATH = path.resolve(ROOT, '../shared/bench/content.mjs')

/** Imported at run time (not statically) so a missing file gets a message instead of a stack trace. */
export const loadSharedContent = async (): Promise<SharedContent> => {
  if (!fs.existsSync(SHARED_CONTENT_PATH)) {
    const error = new Error(
      `The shared benchmark content is missing: expected ${SHARED_CONTENT_PATH}.\n` +
        'It is provided beside the project as ../shared/bench/content.mjs (the same content the peer CMSs were measured with); ' +
        'check out or copy the shared folder next to the repository and run the bench again.',
    )
    error.name = 'BenchSetupError'
    throw error
  }
  return (await import(pathToFileURL(SHARED_CONTENT_PATH).href)) as SharedContent
}
