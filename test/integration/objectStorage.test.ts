// Media in an S3-compatible bucket (S3_BUCKET; @payloadcms/storage-s3 and src/media/storage) against
// the S3 API server of scripts/services.sh: uploads and their sizes, versioned URLs, deletes and
// replacements that hold the old objects until the write commits, settling after a crash,
// regeneration, and backups out of one bucket into another.
import fs from 'node:fs'
import path from 'node:path'

import type { Payload, PayloadRequest } from 'payload'
import { commitTransaction, createLocalReq, initTransaction, killTransaction } from 'payload'
import sharp from 'sharp'

import { closePayload } from '../../src/db/closePayload'
import { mediaDirectory } from '../../src/media/directory'
import { settleInterruptedDeletions } from '../../src/media/fileCleanup'
import { regenerateMedia } from '../../src/media/regenerate'
import { mediaStorage } from '../../src/media/storage'
import { newDatabaseUri, openPayload, tempDir } from '../helpers/backup'
import { createTestBucket, listBucket, readObject, testS3Endpoint } from '../helpers/objectStorage'
import { initPayload } from '../helpers/payload'

type MediaDoc = { id: number; filename: string; url: string; updatedAt: string; sizes: Record<string, { filename?: string | null; url?: string | null; width?: number | null }> }

const endpoint = testS3Endpoint()
const describeWithS3 = endpoint ? describe : describe.skip

describeWithS3('media in object storage', () => {
  let payload: Payload
  let bucket: Record<string, string>
  let counter = 0

  const filesOf = (doc: MediaDoc) => [doc.filename, ...Object.values(doc.sizes).map((size) => size.filename as string)].filter(Boolean)
  const stored = async () => (await listBucket(bucket)).filter((key) => !key.startsWith('.greenroom/'))
  const held = async () => (await listBucket(bucket)).filter((key) => key.startsWith('.greenroom/'))

  const upload = async (colour: string, width = 1400) => {
    const data = await sharp({ create: { width, height: 800, channels: 3, background: colour } }).png().toBuffer()
    const name = `bucket-${++counter}.png`
    return (await payload.create({
      collection: 'media',
      overrideAccess: true,
      data: { alt: name },
      file: { data, mimetype: 'image/png', name, size: data.length },
    })) as unknown as MediaDoc
  }

  beforeAll(async () => {
    bucket = await createTestBucket(endpoint!)
    Object.assign(process.env, bucket)
    payload = await initPayload()
  }, 120_000)

  afterAll(async () => {
    await closePayload(payload)
    for (const key of Object.keys(bucket ?? {})) delete process.env[key]
  })

  test('an upload puts the original and every size in the bucket and nothing in the media folder; URLs name the bytes', async () => {
    expect(mediaStorage().kind).toBe('s3')
    const doc = await upload('#a33')
    expect(Object.keys(doc.sizes).length).toBeGreaterThanOrEqual(5)
    const keys = await stored()
    for (const name of filesOf(doc)) expect(keys).toContain(name)
    const onDisk = fs.existsSync(mediaDirectory) ? fs.readdirSync(mediaDirectory).filter((name) => !name.startsWith('.')) : []
    expect(onDisk).toEqual([])

    // Read back: the answer to the create itself was read before Payload's adapter uploaded the files.
    const read = (await payload.findByID({ collection: 'media', id: doc.id, overrideAccess: true, depth: 0 })) as unknown as MediaDoc
    const storage = mediaStorage()
    const version = await storage.versionOf(doc.filename, read.updatedAt)
    expect(version).toMatch(/^[0-9a-f]{16}$/)
    expect(read.url).toContain(`?v=${version}`)
    for (const size of Object.values(read.sizes)) {
      expect(size.url).toMatch(new RegExp(`\\?v=${await storage.versionOf(size.filename!, read.updatedAt)}$`))
    }
    // This instance's copy holds the object's bytes.
    const local = await storage.localFile(doc.filename, doc.updatedAt)
    expect(local && fs.readFileSync(local).equals(await readObject(bucket, doc.filename))).toBe(true)
    expect(local!.startsWith(path.join(mediaDirectory, '.objects'))).toBe(true)
  })

  test('a delete removes the objects only when it commits; one that rolls back leaves them', async () => {
    const doc = await upload('#357')
    let req = (await createLocalReq({}, payload)) as PayloadRequest
    await initTransaction(req)
    await payload.delete({ collection: 'media', id: doc.id, overrideAccess: true, req })
    expect((await held()).length).toBeGreaterThan(0)
    await killTransaction(req)
    expect(await stored()).toEqual(expect.arrayContaining(filesOf(doc)))
    expect(await held()).toEqual([])

    req = (await createLocalReq({}, payload)) as PayloadRequest
    await initTransaction(req)
    await payload.delete({ collection: 'media', id: doc.id, overrideAccess: true, req })
    await commitTransaction(req)
    const keys = await stored()
    for (const name of filesOf(doc)) expect([name, keys.includes(name)]).toEqual([name, false])
    expect(await held()).toEqual([])
  })

  test('a replaced file comes back, bytes and all, when the replacement rolls back, and goes when it commits', async () => {
    const doc = await upload('#753')
    const before = Object.fromEntries(await Promise.all(filesOf(doc).map(async (name) => [name, await readObject(bucket, name)] as const)))
    const replacement = await sharp({ create: { width: 900, height: 900, channels: 3, background: '#0a0' } }).png().toBuffer()
    const file = { data: replacement, mimetype: 'image/png', name: doc.filename, size: replacement.length }

    const req = (await createLocalReq({}, payload)) as PayloadRequest
    await initTransaction(req)
    await payload.update({ collection: 'media', id: doc.id, data: {}, file, overrideAccess: true, req })
    await killTransaction(req)
    for (const [name, bytes] of Object.entries(before)) expect([name, (await readObject(bucket, name)).equals(bytes)]).toEqual([name, true])
    expect(await held()).toEqual([])

    const replaced = (await payload.update({ collection: 'media', id: doc.id, data: {}, file, overrideAccess: true })) as unknown as MediaDoc
    const keys = await stored()
    for (const name of filesOf(replaced)) expect(keys).toContain(name)
    for (const name of filesOf(doc).filter((name) => !filesOf(replaced).includes(name))) expect([name, keys.includes(name)]).toEqual([name, false])
    expect((await sharp(await readObject(bucket, replaced.filename)).metadata()).width).toBe(900)
    expect(await held()).toEqual([])
  })

  test('at start, objects held by a write that never settled are put back or dropped, as the document says', async () => {
    const storage = mediaStorage()
    const longAgo = new Date(Date.now() - 3600_000).toISOString()
    // A delete that never committed: the document is still there, unchanged since; Payload had removed its objects.
    const kept = await upload('#111')
    await storage.hold(filesOf(kept), { collection: 'media', id: kept.id, files: filesOf(kept), at: longAgo })
    // Objects of a document that is gone (the delete committed).
    const gone = await upload('#222')
    await storage.hold(filesOf(gone), { collection: 'media', id: gone.id, files: filesOf(gone), at: longAgo })
    // Held a moment ago: a write that may still be running on another instance is left alone.
    const recent = await upload('#333')
    await storage.hold([recent.filename], { collection: 'media', id: recent.id, files: [recent.filename], at: new Date().toISOString() })
    for (const name of [...filesOf(kept), ...filesOf(gone)]) await storage.remove(name)
    await payload.db.deleteOne({ collection: 'media', where: { id: { equals: gone.id } } })

    await settleInterruptedDeletions(payload)
    const keys = await stored()
    for (const name of filesOf(kept)) expect([name, keys.includes(name)]).toEqual([name, true])
    for (const name of filesOf(gone)) expect([name, keys.includes(name)]).toEqual([name, false])
    expect((await held()).filter((key) => !key.endsWith('manifest.json'))).toEqual([expect.stringMatching(new RegExp(`/${recent.filename}$`))])
  })

  test('regenerating makes every size again in the bucket, the original untouched', async () => {
    const doc = await upload('#246', 1600)
    const original = await readObject(bucket, doc.filename)
    const summary = await regenerateMedia(payload)
    expect(summary.skipped).toEqual([])
    expect(summary.regenerated).toBeGreaterThanOrEqual(1)
    const after = (await payload.findByID({ collection: 'media', id: doc.id, overrideAccess: true, depth: 0 })) as unknown as MediaDoc
    expect(filesOf(after).sort()).toEqual(filesOf(doc).sort())
    expect((await readObject(bucket, doc.filename)).equals(original)).toBe(true)
    for (const size of Object.values(after.sizes)) {
      if (!size.filename) continue
      expect([size.filename, (await sharp(await readObject(bucket, size.filename)).metadata()).width]).toEqual([size.filename, size.width])
    }
    expect(await held()).toEqual(expect.not.arrayContaining([expect.stringContaining(doc.filename)]))
  })

  test('a backup carries the bucket\'s files, and an import puts them into another bucket', async () => {
    const doc = await upload('#808')
    const dir = tempDir('bucket-backup')
    const { exportBackup } = await import('../../src/backup/export')
    const summary = await exportBackup(payload, path.join(dir, 'backup'))
    expect(summary).toBeTruthy()
    const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'backup', 'manifest.json'), 'utf8')) as { media: { path: string }[]; missingMedia: string[] }
    expect(manifest.missingMedia).toEqual([])
    for (const name of filesOf(doc)) {
      expect(fs.readFileSync(path.join(dir, 'backup', 'media', 'media', name)).equals(await readObject(bucket, name))).toBe(true)
    }

    const other = await createTestBucket(endpoint!, 'restore')
    const saved = process.env.S3_BUCKET
    process.env.S3_BUCKET = other.S3_BUCKET
    // The restoring instance's settings name the other bucket (read when it first touches a file).
    const target = await openPayload(await newDatabaseUri(dir, 'restored'), path.join(dir, 'restored-media'))
    try {
      await target.importBackup(target.payload, path.join(dir, 'backup'))
      process.env.S3_BUCKET = saved
      const restored = await listBucket(other)
      for (const name of filesOf(doc)) expect(restored).toContain(name)
      expect((await readObject(other, doc.filename)).equals(await readObject(bucket, doc.filename))).toBe(true)
      expect(fs.existsSync(path.join(dir, 'restored-media', doc.filename))).toBe(false)
    } finally {
      process.env.S3_BUCKET = saved
      await closePayload(target.payload)
    }
  })
})
