// `npm run media:regenerate` (src/media/regenerate.ts): images made again from their originals after
// the image sizes change, originals never written, an interrupted run resumed, and the media folder
// always matching what the database names — including after the process is killed mid-run.
import { spawn } from 'node:child_process'
import { createHash } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'

import type { Payload } from 'payload'
import sharp from 'sharp'

import { closePayload } from '../../src/db/closePayload'
import { mediaDirectory } from '../../src/media/directory'
import { regenerateDirectories, regenerateMedia } from '../../src/media/regenerate'
import { makeDemoImage } from '../../src/seed/images'
import { initPayload } from '../helpers/payload'

type Size = { filename?: string | null; width?: number | null; height?: number | null }
type MediaDoc = { id: number; filename: string; focalX?: number; focalY?: number; sizes: Record<string, Size> }
type ImageSize = { name: string; width?: number; height?: number }

let payload: Payload
const ids: number[] = []

const sha = (file: string) => createHash('sha256').update(fs.readFileSync(file)).digest('hex')

const mediaDocs = async (): Promise<MediaDoc[]> =>
  (await payload.find({ collection: 'media', sort: 'id', limit: 100, depth: 0, overrideAccess: true })).docs as unknown as MediaDoc[]

const filesOf = (doc: MediaDoc) => [doc.filename, ...Object.values(doc.sizes).map((size) => size.filename)].filter(Boolean) as string[]

/** The visible files of the media folder are exactly those the documents name, each a readable image of its size. */
const expectFolderMatchesDatabase = async () => {
  const docs = await mediaDocs()
  const named = docs.flatMap(filesOf).sort()
  const present = fs.readdirSync(mediaDirectory).filter((name) => !name.startsWith('.')).sort()
  expect(present).toEqual(named)
  for (const doc of docs) {
    for (const size of Object.values(doc.sizes)) {
      if (!size.filename) continue
      const meta = await sharp(path.join(mediaDirectory, size.filename)).metadata()
      expect([size.filename, meta.width, meta.height]).toEqual([size.filename, size.width, size.height])
    }
  }
  return docs
}

const imageSizes = () => payload.collections.media.config.upload.imageSizes as ImageSize[]

/** Runs `fn` with the `card` size at another width, as after a config change. */
const withCardWidth = async <T>(width: number, fn: () => Promise<T>): Promise<T> => {
  const card = imageSizes().find((size) => size.name === 'card') as ImageSize
  const before = card.width
  card.width = width
  try {
    return await fn()
  } finally {
    card.width = before
  }
}

const originals = new Map<string, { sha: string; ino: number; mtimeMs: number }>()

beforeAll(async () => {
  payload = await initPayload()
  const colours: [string, string][] = [
    ['#123', '#9cf'],
    ['#310', '#fc6'],
    ['#031', '#6f9'],
    ['#303', '#f6f'],
  ]
  for (const [k, pair] of colours.entries()) {
    const image = await makeDemoImage(`regen-${k}.png`, `Image ${k}`, pair, { width: 1600, height: 900 })
    const doc = await payload.create({
      collection: 'media',
      overrideAccess: true,
      data: { alt: `Image ${k}`, ...(k === 1 ? { focalX: 20, focalY: 80 } : {}) },
      file: { data: image.data, mimetype: 'image/png', name: image.name, size: image.data.length },
    })
    ids.push(doc.id as number)
  }
  for (const doc of await mediaDocs()) {
    const stat = fs.statSync(path.join(mediaDirectory, doc.filename))
    originals.set(doc.filename, { sha: sha(path.join(mediaDirectory, doc.filename)), ino: stat.ino, mtimeMs: stat.mtimeMs })
  }
}, 120_000)

afterAll(async () => {
  await closePayload(payload)
})

const expectOriginalsUntouched = () => {
  for (const [name, before] of originals) {
    const file = path.join(mediaDirectory, name)
    const stat = fs.statSync(file)
    expect({ name, sha: sha(file), ino: stat.ino, mtimeMs: stat.mtimeMs }).toEqual({ name, ...before })
  }
}

test('after a size changes, every document gets the new images; originals, focal points and other fields stay', async () => {
  const before = await expectFolderMatchesDatabase()
  expect(before.every((doc) => doc.sizes.card.width === 640)).toBe(true)

  // As for media uploaded before placeholders existed: none stored.
  await payload.db.updateOne({ collection: 'media', id: ids[0], data: { placeholder: { thumbHash: null, dataUrl: null, dominantColor: null } } })

  const summary = await withCardWidth(600, () => regenerateMedia(payload))
  expect(summary).toMatchObject({ regenerated: ids.length, skipped: [], resumedAfter: null })

  const after = await expectFolderMatchesDatabase()
  for (const doc of after) {
    expect([doc.sizes.card.width, doc.sizes.card.height]).toEqual([600, 338])
    expect(doc.sizes.card.filename).toMatch(/-600x338\.webp$/)
  }
  // The old 640-wide cards are gone (the folder holds only what documents name, checked above).
  expect(after.find((doc) => doc.id === ids[1])).toMatchObject({ focalX: 20, focalY: 80 })
  expect((await payload.findByID({ collection: 'media', id: ids[0], overrideAccess: true })).placeholder).toEqual({
    thumbHash: expect.any(String),
    dataUrl: expect.stringMatching(/^data:image\/png;base64,/),
    dominantColor: expect.stringMatching(/^#[0-9a-f]{6}$/),
  })
  expect((await payload.findByID({ collection: 'media', id: ids[2], overrideAccess: true })).alt).toBe('Image 2')
  expectOriginalsUntouched()
  // A finished run leaves nothing to resume.
  expect(fs.existsSync(regenerateDirectories().root)).toBe(false)

  const og = after.find((doc) => doc.id === ids[1])?.sizes.og
  expect([og?.width, og?.height]).toEqual([1200, 630])

  await regenerateMedia(payload)
  const restored = await expectFolderMatchesDatabase()
  expect(restored.every((doc) => doc.sizes.card.width === 640)).toBe(true)
})

test('an interrupted run goes on after the last document it finished; a changed config starts over', async () => {
  const stop = new AbortController()
  const first = await withCardWidth(480, () =>
    regenerateMedia(payload, { signal: stop.signal, afterDocument: (id) => void (id === ids[1] && stop.abort()) }),
  )
  expect(first.regenerated).toBe(2)
  const state = JSON.parse(fs.readFileSync(regenerateDirectories().state, 'utf8'))
  expect(state).toMatchObject({ lastId: ids[1], done: 2 })
  // Half done, and consistent: two documents with 480-wide cards, two with 640.
  expect((await expectFolderMatchesDatabase()).map((doc) => doc.sizes.card.width)).toEqual([480, 480, 640, 640])

  const second = await withCardWidth(480, () => regenerateMedia(payload))
  expect(second).toMatchObject({ regenerated: 2, resumedAfter: ids[1] })
  expect((await expectFolderMatchesDatabase()).map((doc) => doc.sizes.card.width)).toEqual([480, 480, 480, 480])

  // Interrupted again, then run with other sizes: nothing done under the old ones counts.
  const again = new AbortController()
  await regenerateMedia(payload, { signal: again.signal, afterDocument: () => again.abort() })
  const fresh = await regenerateMedia(payload)
  expect(fresh).toMatchObject({ regenerated: ids.length - 1, resumedAfter: ids[0] })
  const changed = await withCardWidth(320, () => regenerateMedia(payload))
  expect(changed).toMatchObject({ regenerated: ids.length, resumedAfter: null })
  await regenerateMedia(payload)
  expect((await expectFolderMatchesDatabase()).map((doc) => doc.sizes.card.width)).toEqual([640, 640, 640, 640])
  expectOriginalsUntouched()
})

test('a commit that fails puts the old images back: the folder matches the database that did not change', async () => {
  const before = await expectFolderMatchesDatabase()
  const hashes = Object.fromEntries(before.flatMap(filesOf).map((name) => [name, sha(path.join(mediaDirectory, name))]))
  const db = payload.db as unknown as { commitTransaction: (id: unknown) => Promise<void> }
  const commit = db.commitTransaction
  let failed = 0
  db.commitTransaction = async function (this: unknown, id: unknown) {
    if (failed++ === 0) throw new Error('commit lost (injected)')
    return commit.call(this, id)
  }
  try {
    await expect(withCardWidth(560, () => regenerateMedia(payload))).rejects.toThrow('commit lost')
  } finally {
    db.commitTransaction = commit
  }
  const after = await expectFolderMatchesDatabase()
  expect(after.map((doc) => doc.sizes.card.width)).toEqual([640, 640, 640, 640])
  for (const [name, hash] of Object.entries(hashes)) expect([name, sha(path.join(mediaDirectory, name))]).toEqual([name, hash])
  // The journal was settled on the spot; nothing is left to undo.
  expect(fs.existsSync(regenerateDirectories().work)).toBe(false)
})

test('npm run media:regenerate killed with SIGKILL mid-run leaves a consistent folder and resumes', async () => {
  const dirs = regenerateDirectories()
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: 'production', NODE_OPTIONS: '', LOG_LEVEL: 'warn' }
  const child = spawn('npm', ['run', '--silent', 'media:regenerate'], { env, detached: true, stdio: 'ignore' })
  // Killed as soon as one document is done: the next is somewhere between its update and its commit.
  const deadline = Date.now() + 90_000
  while (Date.now() < deadline) {
    const state = fs.existsSync(dirs.state) ? JSON.parse(fs.readFileSync(dirs.state, 'utf8')) : undefined
    if (state?.done >= 1) break
    await new Promise((resolve) => setTimeout(resolve, 5))
  }
  process.kill(-(child.pid as number), 'SIGKILL')
  await new Promise((resolve) => child.once('exit', resolve))

  const run = await new Promise<{ code: number | null; out: string }>((resolve) => {
    const again = spawn('npm', ['run', '--silent', 'media:regenerate'], { env })
    let out = ''
    again.stdout.on('data', (chunk) => (out += chunk))
    again.stderr.on('data', (chunk) => (out += chunk))
    again.on('close', (code) => resolve({ code, out }))
  })
  expect(run.code).toBe(0)
  expect(run.out).toMatch(/Regenerated \d+ media documents .*\(went on after media \d+\)/)
  await expectFolderMatchesDatabase()
  expectOriginalsUntouched()
  expect(fs.existsSync(dirs.root)).toBe(false)
}, 180_000)
