// Deleting a media document, or replacing its file, removes every file it made (original, sizes,
// stored transforms) once the write commits, and nothing when it rolls back (src/media/fileCleanup.ts).
import fs from 'node:fs'
import path from 'node:path'

import type { Payload, PayloadRequest } from 'payload'
import { commitTransaction, createLocalReq, initTransaction, killTransaction } from 'payload'
import sharp from 'sharp'

import { closePayload } from '../../src/db/closePayload'
import { mediaDirectory } from '../../src/media/directory'
import { settleInterruptedDeletions } from '../../src/media/fileCleanup'
import { deletingDirectory as deletingDirectoryOf } from '../../src/media/storage/disk'
import { fileVersionOf } from '../../src/media/fileVersion'
import { createTransformStore, transformsDirectory } from '../../src/media/transforms'
import { initPayload } from '../helpers/payload'

const deletingDirectory = () => deletingDirectoryOf(mediaDirectory)

type MediaDoc = { id: number; filename: string; sizes: Record<string, { filename?: string | null }> }

let payload: Payload
let counter = 0

/** Every file under the media folder, hidden folders included, relative to it. */
const listMedia = (dir = mediaDirectory, prefix = ''): string[] =>
  fs.existsSync(dir)
    ? fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
        entry.isDirectory() ? listMedia(path.join(dir, entry.name), `${prefix}${entry.name}/`) : [`${prefix}${entry.name}`],
      )
    : []

const filesOf = (doc: MediaDoc) => [doc.filename, ...Object.values(doc.sizes).map((size) => size.filename as string)]

const upload = async (colour: string) => {
  const data = await sharp({ create: { width: 1400, height: 800, channels: 3, background: colour } }).png().toBuffer()
  const name = `cleanup-${++counter}.png`
  return (await payload.create({
    collection: 'media',
    overrideAccess: true,
    data: { alt: name },
    file: { data, mimetype: 'image/png', name, size: data.length },
  })) as unknown as MediaDoc
}

/** Two stored transforms of the document's original, as the media route makes them. */
const storeTransforms = async (doc: MediaDoc) => {
  const store = createTransformStore(mediaDirectory, { enabled: true, concurrency: 2, queue: 8 })
  const original = path.join(mediaDirectory, doc.filename)
  const { version } = await fileVersionOf(original)
  for (const width of [160, 320]) await store.pathOf({ filename: doc.filename, version, path: original, focus: {} }, { width, format: 'webp' })
  expect(fs.readdirSync(path.join(transformsDirectory(mediaDirectory, doc.filename), version))).toHaveLength(2)
}

beforeAll(async () => {
  payload = await initPayload()
}, 120_000)

afterAll(async () => {
  await closePayload(payload)
})

test('a delete removes the original, every size and every stored transform: the folder is as before the upload', async () => {
  const before = listMedia()
  const doc = await upload('#345')
  await storeTransforms(doc)
  expect(listMedia()).toEqual(expect.arrayContaining(filesOf(doc)))
  await payload.delete({ collection: 'media', id: doc.id, overrideAccess: true })
  // Empty folders may stay; no file does.
  expect(listMedia()).toEqual(before)
})

test('a delete that rolls back keeps every file, with the same bytes', async () => {
  const doc = await upload('#543')
  await storeTransforms(doc)
  const before = listMedia()
  const bytes = Object.fromEntries(filesOf(doc).map((name) => [name, fs.readFileSync(path.join(mediaDirectory, name))]))
  const req = (await createLocalReq({}, payload)) as PayloadRequest
  await initTransaction(req)
  await payload.delete({ collection: 'media', id: doc.id, overrideAccess: true, req })
  // Payload has unlinked them inside the transaction ...
  expect(fs.existsSync(path.join(mediaDirectory, doc.filename))).toBe(false)
  await killTransaction(req)
  // ... and the rollback puts them back.
  expect(listMedia()).toEqual(before)
  for (const [name, data] of Object.entries(bytes)) expect(fs.readFileSync(path.join(mediaDirectory, name)).equals(data)).toBe(true)
  expect((await payload.findByID({ collection: 'media', id: doc.id, overrideAccess: true })).filename).toBe(doc.filename)
})

test('a delete inside a transaction removes the files only when it commits', async () => {
  const doc = await upload('#357')
  const req = (await createLocalReq({}, payload)) as PayloadRequest
  await initTransaction(req)
  await payload.delete({ collection: 'media', id: doc.id, overrideAccess: true, req })
  expect(fs.readdirSync(deletingDirectory())).toHaveLength(1)
  await commitTransaction(req)
  for (const name of filesOf(doc)) expect([name, fs.existsSync(path.join(mediaDirectory, name))]).toEqual([name, false])
  expect(fs.readdirSync(deletingDirectory())).toEqual([])
})

test('replacing the file removes the old original, sizes and transforms; a replacement that rolls back keeps them', async () => {
  const doc = await upload('#753')
  await storeTransforms(doc)
  const replacement = await sharp({ create: { width: 900, height: 900, channels: 3, background: '#0a0' } }).png().toBuffer()
  const file = { data: replacement, mimetype: 'image/png', name: 'replacement.png', size: replacement.length }

  const req = (await createLocalReq({}, payload)) as PayloadRequest
  await initTransaction(req)
  await payload.update({ collection: 'media', id: doc.id, data: {}, file, overrideAccess: true, req })
  await killTransaction(req)
  for (const name of filesOf(doc)) expect([name, fs.existsSync(path.join(mediaDirectory, name))]).toEqual([name, true])

  const replaced = (await payload.update({ collection: 'media', id: doc.id, data: {}, file, overrideAccess: true })) as unknown as MediaDoc
  for (const name of filesOf(doc)) expect([name, fs.existsSync(path.join(mediaDirectory, name))]).toEqual([name, false])
  expect(fs.existsSync(transformsDirectory(mediaDirectory, doc.filename))).toBe(false)
  for (const name of filesOf(replaced)) expect([name, fs.existsSync(path.join(mediaDirectory, name))]).toEqual([name, true])
})

test('at start, files held by a write that never settled go back to a document that names them, or go', async () => {
  const kept = await upload('#111')
  const gone = await upload('#222')
  const held = (doc: MediaDoc, at: string) => {
    const dir = path.join(deletingDirectory(), `left-${doc.id}`)
    fs.mkdirSync(dir, { recursive: true })
    for (const name of filesOf(doc)) fs.linkSync(path.join(mediaDirectory, name), path.join(dir, name))
    fs.writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify({ collection: 'media', id: doc.id, files: filesOf(doc), at }))
  }
  const longAgo = new Date(Date.now() - 3600_000).toISOString()
  // As after a crash: Payload had unlinked the files; one write never committed, the other did.
  held(kept, longAgo)
  held(gone, longAgo)
  for (const name of [...filesOf(kept), ...filesOf(gone)]) fs.unlinkSync(path.join(mediaDirectory, name))
  await payload.db.deleteOne({ collection: 'media', where: { id: { equals: gone.id } } })
  // One held a moment ago belongs to a write that may still be running elsewhere: left alone.
  const recent = await upload('#333')
  held(recent, new Date().toISOString())

  await settleInterruptedDeletions(payload)
  for (const name of filesOf(kept)) expect([name, fs.existsSync(path.join(mediaDirectory, name))]).toEqual([name, true])
  for (const name of filesOf(gone)) expect([name, fs.existsSync(path.join(mediaDirectory, name))]).toEqual([name, false])
  expect(fs.readdirSync(deletingDirectory())).toEqual([`left-${recent.id}`])
})
