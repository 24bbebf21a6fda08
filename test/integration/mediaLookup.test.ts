// Which media document names a stored file, and whether the public may read it (src/media/lookup.ts):
// the media route serves nothing else. Documents are written straight to the database (no image
// processing), so a thousand of them take a second.
import type { Access, Payload } from 'payload'

import { advanceContentVersion, ensureContentVersion } from '../../src/changes/contentVersion'
import { closePayload } from '../../src/db/closePayload'
import { createMediaLookup } from '../../src/media/lookup'
import { initPayload } from '../helpers/payload'

let payload: Payload
const COUNT = 1000

const sizesOf = (stem: string) => ({
  thumbnail: { filename: `${stem}-300x200.webp`, mimeType: 'image/webp', width: 300, height: 200 },
  card: { filename: `${stem}-640x427.webp`, mimeType: 'image/webp', width: 640, height: 427 },
  feature: { filename: `${stem}-1280x853.webp`, mimeType: 'image/webp', width: 1280, height: 853 },
  og: { filename: `${stem}-1200x630.jpg`, mimeType: 'image/jpeg', width: 1200, height: 630 },
})

beforeAll(async () => {
  payload = await initPayload()
  // The server makes the row when it starts; answers are kept under it.
  await ensureContentVersion(payload)
  for (let k = 0; k < COUNT; k++) {
    await payload.db.create({
      collection: 'media',
      data: {
        // Per language, as Payload hands localized fields to the adapter.
        alt: { en: k === 7 ? 'hidden' : 'shown' },
        filename: `image-${k}.png`,
        mimeType: 'image/png',
        filesize: 1000,
        width: 1600,
        height: 1067,
        sizes: sizesOf(`image-${k}`),
      },
    })
  }
}, 120_000)

afterAll(async () => {
  await closePayload(payload)
})

test('finds originals and resized images with their own types; names no document has are nobody\'s', async () => {
  const lookup = createMediaLookup(payload, 'media')
  expect(await lookup.publicFile('image-3.png')).toMatchObject({ docId: expect.anything(), mimeType: 'image/png', original: true })
  expect(await lookup.publicFile('image-3-640x427.webp')).toMatchObject({ docId: expect.anything(), mimeType: 'image/webp', original: false })
  expect(await lookup.publicFile('image-3-1200x630.jpg')).toMatchObject({ docId: expect.anything(), mimeType: 'image/jpeg', original: false })
  expect((await lookup.publicFile('image-3.png'))?.docId).toBe((await lookup.publicFile('image-3-300x200.webp'))?.docId)
  for (const name of ['orphan.png', 'image-3', 'image-3-640x428.webp', 'IMAGE-3.PNG', '%', "image-3.png' OR 1=1"]) {
    expect([name, await lookup.publicFile(name), await lookup.anyDocumentNames(name)]).toEqual([name, undefined, false])
  }
})

test('a file whose document the public may not read is not served, however the access rule is written', async () => {
  const media = payload.collections.media.config
  const granted = media.access.read
  // Media are public today; a rule that hides some documents from readers must hide their files too.
  const hidesSome: Access = (args) => (args.req.user ? true : { alt: { not_equals: 'hidden' } })
  media.access.read = hidesSome
  try {
    const lookup = createMediaLookup(payload, 'media')
    expect(await lookup.publicFile('image-7.png')).toBeUndefined()
    expect(await lookup.publicFile('image-7-300x200.webp')).toBeUndefined()
    // It exists, so a request with credentials goes on to Payload, which decides for that user.
    expect(await lookup.anyDocumentNames('image-7.png')).toBe(true)
    expect(await lookup.publicFile('image-8.png')).toBeDefined()
  } finally {
    media.access.read = granted
  }
})

test('answers are kept under the content version: a change is seen within a second', async () => {
  const lookup = createMediaLookup(payload, 'media')
  expect(await lookup.publicFile('image-9.png')).toBeDefined()
  expect(await lookup.publicFile('image-9-renamed.png')).toBeUndefined()
  const doc = (await payload.find({ collection: 'media', where: { filename: { equals: 'image-9.png' } }, depth: 0 })).docs[0]
  await payload.db.updateOne({ collection: 'media', id: doc.id, data: { filename: 'image-9-renamed.png' } })
  // Kept: nothing said that content changed.
  expect(await lookup.publicFile('image-9.png')).toBeDefined()
  await advanceContentVersion(payload)
  await new Promise((resolve) => setTimeout(resolve, 1100))
  expect(await lookup.publicFile('image-9.png')).toBeUndefined()
  expect(await lookup.publicFile('image-9-renamed.png')).toBeDefined()
})

test('what a lookup costs, among a thousand media documents', async () => {
  const lookup = createMediaLookup(payload, 'media')
  const time = async (names: string[]) => {
    const started = performance.now()
    for (const name of names) await lookup.publicFile(name)
    return (performance.now() - started) / names.length
  }
  const names = Array.from({ length: 200 }, (_, k) => `image-${k + 100}-640x427.webp`)
  const originals = Array.from({ length: 200 }, (_, k) => `image-${k + 400}.png`)
  const firstSizes = await time(names)
  const firstOriginals = await time(originals)
  const kept = await time(names)
  const nobodys = await time(Array.from({ length: 200 }, (_, k) => `orphan-${k}.png`))
  console.log(
    `media lookup on ${payload.db.name}, ${COUNT} documents: first lookup of a resized image ${firstSizes.toFixed(2)} ms, ` +
      `of an original ${firstOriginals.toFixed(2)} ms, kept ${(kept * 1000).toFixed(1)} µs, a name nobody has ${nobodys.toFixed(2)} ms`,
  )
  // Kept answers cost no query.
  expect(kept).toBeLessThan(firstSizes)
})
