// An Eleventy site built from Greenroom. Each build syncs (everything the first time, then only what
// changed), writes the pages that changed or show something that changed, and removes the pages of
// documents that were deleted or unpublished. Other pages in _site are left as they are.
import { existsSync } from 'node:fs'
import fs from 'node:fs/promises'
import path from 'node:path'

import { emptyState, readState, sync, writeState } from './sync.js'

const GREENROOM_URL = (process.env.GREENROOM_URL || 'http://localhost:3000').replace(/\/+$/, '')
const GREENROOM_API_KEY = process.env.GREENROOM_API_KEY
const STATE_FILE = process.env.GREENROOM_STATE_FILE || '.greenroom/state.json'

/** Where a document lives: Greenroom's `path` (its address scheme, set in site settings), as an Eleventy folder. */
const urlOf = (collection, doc) => (doc.path.endsWith('/') ? doc.path : `${doc.path}/`)

const newestFirst = (a, b) => String(b.publishedAt).localeCompare(String(a.publishedAt))
const idOf = (value) => String(value?.id ?? value)
const urlsOf = (state) =>
  Object.fromEntries(['posts', 'pages'].flatMap((collection) => Object.values(state[collection]).map((doc) => [`${collection}:${doc.id}`, urlOf(collection, doc)])))

/** The documents a document links to, as `pages:3`: links in heroes, blocks, navigation and rich text. */
const linksOf = (value, found = new Set()) => {
  if (Array.isArray(value)) value.forEach((item) => linksOf(item, found))
  else if (value && typeof value === 'object') {
    if (['posts', 'pages'].includes(value.relationTo) && value.value != null) found.add(`${value.relationTo}:${idOf(value.value)}`)
    Object.values(value).forEach((item) => linksOf(item, found))
  }
  return found
}

/**
 * What this build writes: everything after a full sync or a change of the header, footer or site settings
 * (every page shows them); otherwise the changed documents, the ones that link to a document whose URL
 * changed or went away, the ones that list changed posts (related posts, archive blocks), and the post index.
 */
const toWrite = ({ state, full, changed, previousUrls }) => {
  const moved = new Set(Object.keys({ ...previousUrls, ...state.urls }).filter((key) => previousUrls[key] !== state.urls[key]))
  const linksToMoved = (doc) => [...linksOf(doc)].some((key) => moved.has(key))
  const everything = full || ['header', 'footer', 'site-settings'].some((slug) => changed.has(slug) || linksToMoved(state.globals[slug]))
  const postChanged = [...changed].some((key) => key.startsWith('posts:'))
  const write = (collection, doc, listsPosts) =>
    everything || changed.has(`${collection}:${doc.id}`) || linksToMoved(doc) || (postChanged && listsPosts)
  return {
    posts: Object.values(state.posts).filter((post) => write('posts', post, (post.relatedPosts ?? []).some((related) => changed.has(`posts:${idOf(related)}`)))),
    pages: Object.values(state.pages).filter((page) => write('pages', page, page.layout?.some((block) => block.blockType === 'archive'))),
    // Pagination over an empty list writes nothing: the post index is written only when a post changed.
    postIndex: everything || postChanged ? ['posts'] : [],
  }
}

export default function (eleventyConfig) {
  let build

  eleventyConfig.on('eleventy.before', async ({ directories }) => {
    if (!GREENROOM_API_KEY) throw new Error('Set GREENROOM_API_KEY: builds read Greenroom with an API key.')
    let previous = await readState(STATE_FILE)
    // The state is only good with the pages built from it: without them (a fresh checkout, a cleaned or
    // other output folder) the build starts again from a full sync.
    if (!Object.values(previous.urls).every((url) => existsSync(path.join(directories.output, url, 'index.html')))) previous = emptyState()
    const { state, full, changed, count, requests } = await sync({ url: GREENROOM_URL, apiKey: GREENROOM_API_KEY, state: previous })
    state.urls = urlsOf(state)
    build = { state, previousUrls: previous.urls, write: toWrite({ state, full, changed, previousUrls: previous.urls }) }
    console.log(`[greenroom] ${full ? 'full sync' : 'delta sync'}: ${count} changes in ${requests} requests`)
  })

  eleventyConfig.addGlobalData('greenroom', () => {
    const { state, write } = build
    return {
      posts: Object.values(state.posts).sort(newestFirst),
      header: state.globals.header ?? {},
      footer: state.globals.footer ?? {},
      settings: state.globals['site-settings'] ?? {},
      write,
    }
  })

  eleventyConfig.on('eleventy.after', async ({ directories }) => {
    const { state, previousUrls } = build
    // A page whose document is gone (deleted, unpublished) or moved (new slug) is removed.
    const kept = new Set(Object.values(state.urls))
    const removed = Object.values(previousUrls).filter((url) => !kept.has(url))
    for (const url of removed) {
      const file = path.join(directories.output, url, 'index.html')
      await fs.rm(file, { force: true })
      await fs.rmdir(path.dirname(file)).catch(() => {}) // only when nothing else is in it
    }
    // Saved only now: a build that failed syncs the same changes again next time.
    await writeState(STATE_FILE, state)
    console.log(`[greenroom] removed ${removed.length} pages${removed.map((url) => ` ${url}`).join('')}`)
  })

  eleventyConfig.addFilter('urlOf', urlOf)
  eleventyConfig.addFilter('linkHref', (link) => {
    if (link?.type !== 'reference') return link?.url ?? '#'
    const { relationTo, value } = link.reference
    const doc = build.state[relationTo]?.[idOf(value)]
    return doc ? urlOf(relationTo, doc) : '#'
  })
  // Posts another document points at are shown as this build has them, not as they were populated when
  // that document was last synced: a page's archive block shows the newest posts without being republished.
  const localPosts = (refs) => (refs ?? []).map((ref) => build.state.posts[idOf(ref)]).filter(Boolean)
  eleventyConfig.addFilter('localPosts', localPosts)
  eleventyConfig.addFilter('archivePosts', (block, posts) => {
    if (block.populateBy === 'selection') return localPosts(block.selectedDocs)
    const categories = (block.categories ?? []).map(idOf)
    const inCategories = (post) => !categories.length || (post.categories ?? []).some((category) => categories.includes(idOf(category)))
    return posts.filter(inCategories).slice(0, block.limit ?? 10)
  })
  eleventyConfig.addFilter('date', (value) => (value ? new Date(value).toISOString().slice(0, 10) : ''))

  return { dir: { input: 'src', output: '_site' } }
}
