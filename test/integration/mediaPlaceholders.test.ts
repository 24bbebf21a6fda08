// Placeholders and aspect ratios stored with each upload (src/collections/Media/hooks/storePlaceholder.ts,
// fields/aspectRatio.ts), through Payload's own upload path with real images.
import fs from 'node:fs'
import path from 'node:path'

import type { Payload } from 'payload'
import sharp from 'sharp'

import { closePayload } from '../../src/db/closePayload'
import { createUser, initPayload } from '../helpers/payload'
import type { TestUser } from '../helpers/payload'

type Placeholder = { thumbHash?: string | null; dataUrl?: string | null; dominantColor?: string | null }
type Size = { width?: number | null; height?: number | null; aspectRatio?: number | null; filename?: string | null }
type MediaDoc = { id: number; width: number; height: number; aspectRatio: number; placeholder: Placeholder; sizes: Record<string, Size>; alt: string }

let payload: Payload
let editor: TestUser

const image = (width: number, height: number, background: string) =>
  sharp({ create: { width, height, channels: 3, background } }).png().toBuffer()

const upload = async (data: Buffer, name: string, mimetype = 'image/png', extra: Record<string, unknown> = {}) =>
  (await payload.create({
    collection: 'media',
    overrideAccess: true,
    data: { alt: name, ...extra },
    file: { data, mimetype, name, size: data.length },
  })) as unknown as MediaDoc

beforeAll(async () => {
  payload = await initPayload()
  editor = await createUser(payload, 'editor')
}, 120_000)

afterAll(async () => {
  await closePayload(payload)
})

test('an upload stores its placeholder; every size has width, height and aspect ratio', async () => {
  const doc = await upload(await image(1600, 900, '#d04010'), 'orange.png')
  expect(doc.placeholder).toEqual({
    thumbHash: expect.stringMatching(/^[A-Za-z0-9+/]+=*$/),
    dataUrl: expect.stringMatching(/^data:image\/png;base64,/),
    dominantColor: expect.stringMatching(/^#[0-9a-f]{6}$/),
  })
  // Made from the WebP thumbnail Payload has just rendered: within a few levels of the original colour.
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(doc.placeholder.dominantColor!.slice(i, i + 2), 16))
  expect([Math.abs(r - 0xd0), Math.abs(g - 0x40), Math.abs(b - 0x10)].every((difference) => difference <= 3)).toBe(true)
  expect((doc.placeholder.dataUrl as string).length).toBeLessThan(1024)
  expect(doc.aspectRatio).toBe(1.7778)
  for (const [name, size] of Object.entries(doc.sizes)) {
    expect([name, size.aspectRatio]).toEqual([name, Math.round(((size.width as number) / (size.height as number)) * 10_000) / 10_000])
  }
  expect(doc.sizes.og.aspectRatio).toBe(1.9048)
  // Stored, not recomputed on read: the row holds it.
  const stored = (await payload.db.findOne({ collection: 'media', where: { id: { equals: doc.id } } })) as unknown as MediaDoc
  expect(stored.placeholder).toEqual(doc.placeholder)
})

test('an edit keeps the placeholder; a new file replaces it; nobody can write it through the API', async () => {
  const doc = await upload(await image(800, 800, '#1060e0'), 'blue.png')
  const edited = (await payload.update({ collection: 'media', id: doc.id, data: { alt: 'Blue square' }, overrideAccess: true })) as unknown as MediaDoc
  expect(edited.placeholder).toEqual(doc.placeholder)

  const forged = (await payload.update({
    collection: 'media',
    id: doc.id,
    data: { placeholder: { dominantColor: '#000000', dataUrl: 'data:text/html,<script>', thumbHash: 'x' } } as never,
    overrideAccess: false,
    user: editor,
  })) as unknown as MediaDoc
  expect(forged.placeholder).toEqual(doc.placeholder)

  const green = await image(600, 300, '#10c040')
  const replaced = (await payload.update({
    collection: 'media',
    id: doc.id,
    data: {},
    file: { data: green, mimetype: 'image/png', name: 'green.png', size: green.length },
    overrideAccess: true,
  })) as unknown as MediaDoc
  expect(replaced.placeholder.dominantColor).toMatch(/^#1[0-9a-f]c[0-9a-f]4[0-9a-f]$/)
  expect(replaced.placeholder.thumbHash).not.toBe(doc.placeholder.thumbHash)
  expect(replaced.aspectRatio).toBe(2)

  const created = (await payload.create({
    collection: 'media',
    data: { alt: 'forged', placeholder: { dominantColor: '#000000' } } as never,
    file: { data: green, mimetype: 'image/png', name: 'green-2.png', size: green.length },
    overrideAccess: false,
    user: editor,
  })) as unknown as MediaDoc
  expect(created.placeholder.dominantColor).not.toBe('#000000')
})

test('a portrait photo stored sideways (EXIF orientation 6) is described upright: width, height, aspect ratio', async () => {
  const sideways = await sharp({ create: { width: 1600, height: 1200, channels: 3, background: '#808080' } })
    .jpeg()
    .withMetadata({ orientation: 6 })
    .toBuffer()
  const doc = await upload(sideways, 'portrait.jpg', 'image/jpeg')
  expect([doc.width, doc.height, doc.aspectRatio]).toEqual([1200, 1600, 0.75])
  expect([doc.sizes.card.width, doc.sizes.card.height, doc.sizes.card.aspectRatio]).toEqual([640, 853, 0.7503])
})

test('the placeholder fields are in the GraphQL schema (schema.graphql, kept current by check:generated)', async () => {
  const schema = fs.readFileSync(path.join(import.meta.dirname, '../../schema.graphql'), 'utf8')
  expect(schema).toMatch(/type Media_Placeholder \{[^}]*thumbHash: String[^}]*dataUrl: String[^}]*dominantColor: String/s)
  expect(schema).toMatch(/type Media \{[^}]*aspectRatio: Float/s)
})
