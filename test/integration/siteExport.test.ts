import fs from 'node:fs'
import path from 'node:path'

import type { Payload } from 'payload'
import { parse as parseYaml } from 'yaml'

import { closePayload } from '../../src/db/closePayload'
import { seedDemoContent } from '../../src/seed'
import type { SiteExportOptions } from '../../src/siteExport/export'
import { exportSite } from '../../src/siteExport/export'
import { MANIFEST_FILE, PARTIAL_MARKER, SiteExportError } from '../../src/siteExport/manifest'
import { checkTarget } from '../../src/siteExport/target'
import { encodeCursor } from '../../src/sync/cursor'
import { tempDir } from '../helpers/backup'
import { npmRun } from '../helpers/npm'
import { initPayload, postData } from '../helpers/payload'

// One the production-mode CLI accepts (it runs as a child process on this test's database).
process.env.PAYLOAD_SECRET = 'site-export-test-secret-0123456789abcdef0123456789'

type Doc = Record<string, any>

let payload: Payload
let work: string

beforeAll(async () => {
  payload = await initPayload()
  await seedDemoContent(payload)
  work = tempDir('site-export')
}, 180_000)

afterAll(async () => {
  if (payload) await closePayload(payload)
  if (work) fs.rmSync(work, { recursive: true, force: true })
})

const run = (dir: string, options: Partial<SiteExportOptions> & { force?: boolean; clean?: boolean } = {}) => {
  const format = options.format ?? 'json'
  return exportSite(payload, checkTarget(dir, format, { force: options.force, clean: options.clean }), { format, media: 'copy', ...options })
}

/** Every file under `dir`: its bytes and modification time. */
const snapshot = (dir: string): Record<string, { bytes: string; mtimeMs: number }> => {
  const found: Record<string, { bytes: string; mtimeMs: number }> = {}
  const walk = (folder: string) => {
    for (const entry of fs.readdirSync(folder, { withFileTypes: true })) {
      const full = path.join(folder, entry.name)
      if (entry.isDirectory()) walk(full)
      else found[path.relative(dir, full)] = { bytes: fs.readFileSync(full).toString('base64'), mtimeMs: fs.statSync(full).mtimeMs }
    }
  }
  walk(dir)
  return found
}

const changedFiles = (before: ReturnType<typeof snapshot>, after: ReturnType<typeof snapshot>) =>
  [...new Set([...Object.keys(before), ...Object.keys(after)])]
    .filter((file) => before[file]?.bytes !== after[file]?.bytes || before[file]?.mtimeMs !== after[file]?.mtimeMs)
    .sort()

const readJson = (dir: string, relative: string) => JSON.parse(fs.readFileSync(path.join(dir, relative), 'utf8')) as Doc

const postBySlug = async (slug: string) =>
  (await payload.find({ collection: 'posts', where: { slug: { equals: slug } }, overrideAccess: true, draft: true, depth: 0 })).docs[0] as Doc

const markdown = (file: string) => {
  const text = fs.readFileSync(file, 'utf8')
  const match = /^---\n([\s\S]*?)\n---\n\n([\s\S]*)$/.exec(text)
  if (!match) throw new Error(`${file} has no front matter`)
  return { data: parseYaml(match[1]) as Doc, body: match[2] }
}

describe('site export, JSON', () => {
  let dir: string
  beforeAll(async () => {
    // A published post with a newer draft, and a post that was never published.
    const welcome = await postBySlug('welcome-to-greenroom')
    await payload.update({ collection: 'posts', id: welcome.id, draft: true, overrideAccess: true, data: { title: 'Unpublished new title' } })
    await payload.create({ collection: 'posts', overrideAccess: true, draft: true, data: postData('Secret draft', { _status: 'draft' }) as never })
    await payload.create({
      collection: 'redirects',
      overrideAccess: true,
      data: { from: '/old-welcome', type: '301', to: { type: 'reference', reference: { relationTo: 'posts', value: welcome.id } } },
    })
    dir = path.join(work, 'json')
    await run(dir)
  })

  test('writes every published document per language, the globals, images and redirects, never a draft', async () => {
    const posts = (await payload.find({ collection: 'posts', where: { _status: { equals: 'published' } }, overrideAccess: true, pagination: false })).docs
    expect(posts.length).toBeGreaterThan(1)
    for (const locale of ['en', 'de']) {
      const files = fs.readdirSync(path.join(dir, locale, 'posts')).sort()
      expect(files).toEqual(posts.map((post) => `${post.slug}.json`).sort())
      expect(fs.readdirSync(path.join(dir, locale, 'globals')).sort()).toEqual(['footer.json', 'header.json', 'site-settings.json'])
      expect(fs.existsSync(path.join(dir, locale, 'pages', 'home.json'))).toBe(true)
    }
    expect(fs.readdirSync(path.join(dir, 'en', 'posts'))).not.toContain('secret-draft.json')
    const welcome = readJson(dir, 'en/posts/welcome-to-greenroom.json')
    expect(welcome.title).not.toBe('Unpublished new title')
    expect(welcome._status).toBe('published')
    expect(readJson(dir, 'de/posts/welcome-to-greenroom.json').title).not.toBe(welcome.title)
    expect(JSON.stringify(readJson(dir, 'en/posts/welcome-to-greenroom.json'))).not.toContain('Unpublished new title')

    // Images: every media URL in the content points into the export, and each such file is there.
    const text = fs.readFileSync(path.join(dir, 'en/posts/welcome-to-greenroom.json'), 'utf8')
    expect(text).not.toContain('/api/media/file/')
    const shown = [...text.matchAll(/\/media\/([^"\s?,]+)/g)].map((match) => decodeURIComponent(match[1]))
    expect(shown.length).toBeGreaterThan(0)
    for (const name of shown) {
      expect(fs.readFileSync(path.join(dir, 'media', name))).toEqual(fs.readFileSync(path.join(process.env.MEDIA_DIR!, name)))
    }

    expect(fs.readFileSync(path.join(dir, '_redirects'), 'utf8')).toContain('/old-welcome /posts/welcome-to-greenroom 301\n')
    expect(readJson(dir, 'redirects.json')).toMatchObject({ '/old-welcome': { to: '/posts/welcome-to-greenroom', status: 301 } })
    expect(fs.existsSync(path.join(dir, PARTIAL_MARKER))).toBe(false)
    const manifest = readJson(dir, MANIFEST_FILE)
    expect(manifest).toMatchObject({ format: 'greenroom-site-export', formatVersion: 1, contentFormat: 'json', media: 'copy' })
    expect(manifest.files['en/posts/welcome-to-greenroom.json'].sha256).toMatch(/^[0-9a-f]{64}$/)
  })

  test('a second run, and a full one, write nothing and leave every byte as it was', async () => {
    const before = snapshot(dir)
    const second = await run(dir)
    expect(second).toMatchObject({ mode: 'delta', written: 0, removed: 0, manifestWritten: false })
    expect(second.documentsRead).toBeLessThan(second.documents)
    const full = await run(dir, { full: true })
    expect(full).toMatchObject({ mode: 'full', written: 0, removed: 0, manifestWritten: false })
    expect(changedFiles(before, snapshot(dir))).toEqual([])
  })

  test('an edited post rewrites its own files and the manifest, nothing else', async () => {
    const before = snapshot(dir)
    const notes = await postBySlug('field-notes-from-the-newsroom')
    await payload.update({ collection: 'posts', id: notes.id, overrideAccess: true, data: { title: 'Field notes, edited' } })
    const summary = await run(dir)
    expect(summary.mode).toBe('delta')
    const changed = changedFiles(before, snapshot(dir))
    // Pages whose archive block lists the post show its new title too.
    const pages = changed.filter((file) => /^(en|de)\/pages\//.test(file))
    for (const file of pages) expect(fs.readFileSync(path.join(dir, file), 'utf8')).toContain('Field notes, edited')
    expect(changed.filter((file) => !pages.includes(file))).toEqual(
      [MANIFEST_FILE, 'de/posts/field-notes-from-the-newsroom.json', 'en/posts/field-notes-from-the-newsroom.json'].sort(),
    )
    expect(readJson(dir, 'en/posts/field-notes-from-the-newsroom.json').title).toBe('Field notes, edited')
  })

  test('an unpublished post loses its files; published again, they come back', async () => {
    const notes = await postBySlug('field-notes-from-the-newsroom')
    await payload.update({ collection: 'posts', id: notes.id, overrideAccess: true, data: { _status: 'draft' } })
    const before = snapshot(dir)
    await run(dir)
    // Its files, and the images only it showed (the home page's archive block changes too).
    const removed = changedFiles(before, snapshot(dir)).filter((file) => file !== MANIFEST_FILE && !/^(en|de)\/pages\//.test(file))
    expect(removed.filter((file) => !file.startsWith('media/'))).toEqual(['de/posts/field-notes-from-the-newsroom.json', 'en/posts/field-notes-from-the-newsroom.json'])
    for (const file of removed) expect(fs.existsSync(path.join(dir, file))).toBe(false)
    expect(fs.existsSync(path.join(dir, 'en/posts/field-notes-from-the-newsroom.json'))).toBe(false)
    expect(readJson(dir, MANIFEST_FILE).documents[`posts:${String(notes.id)}`]).toBeUndefined()
    await payload.update({ collection: 'posts', id: notes.id, overrideAccess: true, data: { _status: 'published' } })
    await run(dir)
    // Its files and its images come back.
    for (const file of removed) expect(fs.existsSync(path.join(dir, file))).toBe(true)
  })

  test('a post moved to the trash loses its files; restored, they come back', async () => {
    const notes = await postBySlug('field-notes-from-the-newsroom')
    await payload.update({ collection: 'posts', id: notes.id, overrideAccess: true, data: { deletedAt: new Date().toISOString() } as never })
    await run(dir)
    expect(fs.existsSync(path.join(dir, 'en/posts/field-notes-from-the-newsroom.json'))).toBe(false)
    expect(readJson(dir, MANIFEST_FILE).documents[`posts:${String(notes.id)}`]).toBeUndefined()
    await payload.update({
      collection: 'posts',
      id: notes.id,
      trash: true,
      overrideAccess: true,
      data: { deletedAt: null, _status: 'published' } as never,
    })
    await run(dir)
    expect(fs.existsSync(path.join(dir, 'en/posts/field-notes-from-the-newsroom.json'))).toBe(true)
  })

  test('a renamed post moves to its new files; a cursor the log cannot serve gives a full run that rewrites nothing', async () => {
    const notes = await postBySlug('field-notes-from-the-newsroom')
    await payload.update({ collection: 'posts', id: notes.id, overrideAccess: true, data: { slug: 'newsroom-notes' } })
    await run(dir)
    expect(fs.existsSync(path.join(dir, 'en/posts/field-notes-from-the-newsroom.json'))).toBe(false)
    expect(readJson(dir, 'en/posts/newsroom-notes.json').slug).toBe('newsroom-notes')

    // As after a restore (a new log epoch): /api/sync answers such a cursor 410.
    const manifest = readJson(dir, MANIFEST_FILE)
    manifest.cursor = encodeCursor({ mode: 'delta', epoch: 'another-log', position: 1 })
    fs.writeFileSync(path.join(dir, MANIFEST_FILE), JSON.stringify(manifest))
    const before = snapshot(dir)
    const summary = await run(dir)
    expect(summary).toMatchObject({ mode: 'full', written: 0, removed: 0, manifestWritten: true })
    expect(summary.fullBecause).toMatch(/no longer serves the previous cursor/)
    expect(changedFiles(before, snapshot(dir))).toEqual([MANIFEST_FILE])
  })

  test('a changed image caption reaches the posts that show it, through the change log', async () => {
    const welcome = readJson(dir, 'en/posts/welcome-to-greenroom.json')
    const hero = welcome.heroImage as Doc
    expect(hero?.id).toBeDefined()
    await payload.update({ collection: 'media', id: hero.id, overrideAccess: true, data: { alt: 'A new alt text' } })
    const summary = await run(dir)
    expect(summary.mode).toBe('delta')
    expect(readJson(dir, 'en/posts/welcome-to-greenroom.json').heroImage.alt).toBe('A new alt text')
  })
})

describe('site export, Markdown', () => {
  test('Hugo and Eleventy content folders: YAML front matter, HTML body, translations, static images and redirects', async () => {
    const dir = path.join(work, 'markdown')
    const summary = await run(dir, { format: 'markdown' })
    expect(summary.written).toBe(summary.files)
    const { data, body } = markdown(path.join(dir, 'content/posts/welcome-to-greenroom.md'))
    expect(data).toMatchObject({ slug: 'welcome-to-greenroom', draft: false, lang: 'en', url: '/posts/welcome-to-greenroom/', permalink: '/posts/welcome-to-greenroom/' })
    for (const key of ['title', 'date', 'lastmod', 'description', 'categories', 'image', 'translationKey']) expect(data).toHaveProperty(key)
    expect(Number.isNaN(Date.parse(data.date))).toBe(false)
    expect(data.image).toMatch(/^\/media\//)
    expect(fs.existsSync(path.join(dir, 'static', decodeURIComponent(data.image)))).toBe(true)
    expect(body).toContain('<p>')
    expect(body).not.toContain('/api/media/file/')

    const german = markdown(path.join(dir, 'content/posts/welcome-to-greenroom.de.md'))
    // Hugo adds the language to `url` by itself; Eleventy's `permalink` is the whole path.
    expect(german.data).toMatchObject({ lang: 'de', url: '/posts/welcome-to-greenroom/', permalink: '/de/posts/welcome-to-greenroom/', translationKey: data.translationKey })
    const home = markdown(path.join(dir, 'content/_index.md')).data
    expect(home).not.toHaveProperty('layout')
    expect(Array.isArray(home.blocks)).toBe(true)
    expect(markdown(path.join(dir, 'content/_index.md')).data).toMatchObject({ url: '/', slug: 'home' })
    const category = fs.readdirSync(path.join(dir, 'content/categories'))[0]
    expect(markdown(path.join(dir, 'content/categories', category, '_index.md')).data.slug).toBe(category)
    expect(fs.readdirSync(path.join(dir, 'data/de')).sort()).toEqual(['footer.json', 'header.json', 'site-settings.json'])
    expect(fs.readFileSync(path.join(dir, 'static/_redirects'), 'utf8')).toContain('/old-welcome /posts/welcome-to-greenroom 301')

    const before = snapshot(dir)
    expect(await run(dir, { format: 'markdown', full: true })).toMatchObject({ written: 0, manifestWritten: false })
    expect(changedFiles(before, snapshot(dir))).toEqual([])
  })
})

describe('site export, --media link', () => {
  test('copies no image and leaves every media URL on the server, absolute', async () => {
    const dir = path.join(work, 'linked')
    await run(dir, { media: 'link' })
    expect(fs.existsSync(path.join(dir, 'media'))).toBe(false)
    const text = fs.readFileSync(path.join(dir, 'en/posts/welcome-to-greenroom.json'), 'utf8')
    expect(text).toMatch(/"url": "https?:\/\/[^"/]+\/api\/media\/file\/[^"]+"/)
    expect(text).not.toMatch(/"(url|src)": "\/api\/media\//)
    // Switching to copy is a full run that brings the images in.
    expect(await run(dir, { media: 'copy' })).toMatchObject({ mode: 'full', fullBecause: '--media changed from link to copy' })
    expect(fs.readdirSync(path.join(dir, 'media')).length).toBeGreaterThan(0)
  })
})

describe('site export refuses', () => {
  const refusal = (dir: string, options: { force?: boolean; clean?: boolean } = {}, format: 'json' | 'markdown' = 'json') => {
    try {
      checkTarget(dir, format, options)
    } catch (error) {
      expect(error).toBeInstanceOf(SiteExportError)
      return (error as Error).message
    }
    throw new Error(`${dir} was accepted`)
  }

  test('an --out whose parent is missing, a file, or a folder with something else in it', () => {
    expect(refusal(path.join(work, 'no-such-parent', 'out'))).toMatch(/does not exist: create it first/)
    const file = path.join(work, 'a-file')
    fs.writeFileSync(file, 'x')
    expect(refusal(file)).toMatch(/is a file, not a folder/)
    expect(refusal(path.join(file, 'out'))).toMatch(/is not a folder/)
    const busy = path.join(work, 'busy')
    fs.mkdirSync(busy)
    fs.writeFileSync(path.join(busy, 'notes.txt'), 'mine')
    expect(refusal(busy)).toMatch(/is not empty and holds no Greenroom site export/)
    expect(refusal(busy, { clean: true })).toMatch(/is not empty/)
    expect(fs.readdirSync(busy)).toEqual(['notes.txt'])
  })

  test('an interrupted export, until --force completes it or --clean starts it over; another format', async () => {
    const dir = path.join(work, 'interrupted')
    await run(dir)
    expect(refusal(dir, {}, 'markdown')).toMatch(/holds a --format json export/)
    // What a run stopped half-way leaves: the marker, and a file written but not yet in a manifest.
    fs.writeFileSync(path.join(dir, PARTIAL_MARKER), '')
    const welcome = path.join(dir, 'en/posts/welcome-to-greenroom.json')
    const good = fs.readFileSync(welcome, 'utf8')
    fs.writeFileSync(welcome, '{"half":')
    expect(refusal(dir)).toMatch(/did not finish .* --force .* --clean/)
    const forced = await run(dir, { force: true })
    expect(forced.mode).toBe('full')
    expect(forced.written).toBe(1)
    expect(fs.readFileSync(welcome, 'utf8')).toBe(good)
    expect(fs.existsSync(path.join(dir, PARTIAL_MARKER))).toBe(false)

    fs.writeFileSync(path.join(dir, PARTIAL_MARKER), '')
    const cleaned = await run(dir, { clean: true })
    expect(cleaned.written).toBe(cleaned.files)
  })

  test('from the command line: a clear message, exit code 1, nothing written; a wrong option exits 2', async () => {
    const missing = path.join(work, 'missing-parent', 'site')
    const refused = await npmRun('export:site', ['--out', missing])
    expect(refused.code).toBe(1)
    expect(refused.stderr).toContain('does not exist: create it first')
    expect(fs.existsSync(path.dirname(missing))).toBe(false)
    const wrong = await npmRun('export:site', ['--out', path.join(work, 'x'), '--format', 'html'])
    expect(wrong.code).toBe(2)
    expect(wrong.stderr).toContain('--format must be json or markdown')
  })
})

describe('site export command', () => {
  test('npm run export:site exports and says what it wrote; run again, it writes nothing', async () => {
    const dir = path.join(work, 'cli')
    const env = { DATABASE_URI: process.env.DATABASE_URI!, MEDIA_DIR: process.env.MEDIA_DIR! }
    const first = await npmRun('export:site', ['--out', dir, '--format', 'markdown'], env)
    expect(first.stderr).not.toMatch(/error/i)
    expect(first.code).toBe(0)
    expect(first.stdout).toMatch(/Exported \d+ documents \(full: no previous export, \d+ read\) to .*: \d+ files written, 0 unchanged, 0 removed/)
    const second = await npmRun('export:site', ['--out', dir, '--format', 'markdown'], env)
    expect(second.code).toBe(0)
    expect(second.stdout).toMatch(/\(delta, \d+ read\) .*: 0 files written, \d+ unchanged, 0 removed/)
  }, 180_000)
})
