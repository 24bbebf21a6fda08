// The site's local copy of Greenroom: what the last build saw, and the cursor to ask for what changed since.
import fs from 'node:fs/promises'
import path from 'node:path'
import { isDeepStrictEqual } from 'node:util'

const COLLECTIONS = ['posts', 'pages']
const GLOBALS = ['header', 'footer', 'site-settings']

export const emptyState = () => ({ cursor: null, posts: {}, pages: {}, globals: {}, urls: {} })

export const readState = async (file) => {
  try {
    return JSON.parse(await fs.readFile(file, 'utf8'))
  } catch (error) {
    if (error.code === 'ENOENT') return emptyState()
    throw error
  }
}

export const writeState = async (file, state) => {
  await fs.mkdir(path.dirname(file), { recursive: true })
  // Written whole and then renamed, so a build that dies half-way leaves the previous state, never half of one.
  await fs.writeFile(`${file}.tmp`, JSON.stringify(state))
  await fs.rename(`${file}.tmp`, file)
}

/** Every page of one sync run: from `cursor` (or from scratch) until Greenroom says nothing more follows. */
const fetchChanges = async ({ url, apiKey, cursor }) => {
  const changes = []
  let mode
  for (let requests = 1; ; requests++) {
    const query = new URLSearchParams({ collections: COLLECTIONS.join(), globals: GLOBALS.join(), depth: '1' })
    if (cursor) query.set('cursor', cursor)
    const res = await fetch(`${url}/api/sync?${query}`, { headers: { authorization: `users API-Key ${apiKey}` } })
    if (!res.ok) throw Object.assign(new Error(`GET /api/sync answered ${res.status}: ${await res.text()}`), { status: res.status })
    const page = await res.json()
    mode ??= page.mode
    changes.push(...page.changes)
    cursor = page.nextCursor
    if (!page.hasMore) return { mode, changes, cursor, requests }
  }
}

/**
 * Brings `state` up to date and says what changed. The first run (no cursor) is a full sync; later runs
 * fetch only the changes since the stored cursor. A cursor older than Greenroom's change log keeps is
 * answered 410: then the site starts again from a full sync.
 */
export const sync = async ({ url, apiKey, state }) => {
  let result
  try {
    result = await fetchChanges({ url, apiKey, cursor: state.cursor })
  } catch (error) {
    if (error.status !== 410) throw error
    result = await fetchChanges({ url, apiKey, cursor: null })
  }
  const full = result.mode === 'full'
  const next = full ? emptyState() : structuredClone(state)
  // What changed, as `posts:12` for documents and `header` for globals.
  const changed = new Set()
  for (const change of result.changes) {
    const docs = change.global ? next.globals : next[change.collection]
    const id = change.global ?? change.id
    // The same version again (a draft saved over a published document, a document that changed during a full sync) changes nothing.
    if (change.op === 'upsert' && isDeepStrictEqual(docs[id], change.doc)) continue
    if (change.op === 'upsert') docs[id] = change.doc
    else delete docs[id]
    changed.add(change.global ?? `${change.collection}:${change.id}`)
  }
  next.cursor = result.cursor
  return { state: next, full, changed, count: result.changes.length, requests: result.requests }
}
