// Transforms on request (src/media/transforms.ts): the allowed set, stored names, focal-point crops
// and real renders through sharp.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'

import sharp from 'sharp'

import {
  TransformRefused,
  TransformsBusy,
  coverRegion,
  createTransformStore,
  parseTransform,
  renderTransform,
  transformFileName,
  transformFromFileName,
} from '../../src/media/transforms'

const parse = (query: Record<string, unknown>, mime = 'image/jpeg') => parseTransform(query, mime, ['v'])

describe('the allowed set', () => {
  test('allowed values parse, with defaults for what is not asked', () => {
    expect(parse({ w: '640' })).toEqual({ width: 640, height: undefined, fit: undefined, format: 'jpeg', quality: undefined })
    expect(parse({ w: '1280', h: '640', fm: 'avif', q: '60', v: 'abc' })).toEqual({ width: 1280, height: 640, fit: 'cover', format: 'avif', quality: 60 })
    // The default quality asked for by name is the default.
    expect(parse({ fm: 'avif', q: '50' })).toMatchObject({ quality: undefined })
    expect(parse({ w: '320', h: '320', fit: 'inside', fm: 'webp' })).toMatchObject({ fit: 'inside', format: 'webp' })
    expect(parse({ fm: 'png' }, 'image/gif')).toMatchObject({ format: 'png' })
    expect(parse({ w: '160' }, 'image/gif')).toMatchObject({ format: 'png' })
    expect(parse({ w: '160' }, 'image/webp')).toMatchObject({ format: 'webp' })
  })

  test.each([
    [{ w: '641' }, /"w" must be one of 160, 320/],
    [{ w: '100000' }, /"w" must be one of/],
    [{ w: '-1' }, /"w"/],
    [{ h: '0' }, /"h"/],
    [{ w: '640', fit: 'fill' }, /"fit" must be one of cover, contain, inside/],
    [{ w: '640', fit: 'cover' }, /"fit" needs both "w" and "h"/],
    [{ fm: 'gif' }, /"fm" must be one of avif, webp, jpeg, png/],
    [{ fm: 'tiff' }, /"fm"/],
    [{ q: '85' }, /"q" must be one of 40, 50, 60, 70, 80, 90/],
    [{ q: '100' }, /"q"/],
    [{ fm: 'png', q: '80' }, /"q" applies to avif, webp and jpeg/],
    [{ w: ['640', '320'] }, /"w" may be given once/],
    [{ w: { a: '1' } }, /"w" may be given once/],
    [{ w: '640', width: '640' }, /Unknown parameter "width"/],
    [{ w: ' 640' }, /"w"/],
    [{ w: '0640' }, /"w"/],
  ])('%j is refused', (query, message) => {
    expect(() => parse(query)).toThrow(TransformRefused)
    expect(() => parse(query)).toThrow(message)
  })

  test('a stored name stands for exactly one transform, whatever the order of the query', () => {
    const names = new Set<string>()
    for (const w of [undefined, '640']) {
      for (const h of [undefined, '480']) {
        for (const fm of ['avif', 'webp', 'jpeg', 'png']) {
          for (const q of fm === 'png' ? [undefined] : [undefined, '50', '80']) {
            const query = Object.fromEntries(Object.entries({ w, h, fm, q }).filter(([, value]) => value !== undefined))
            const transform = parse(query)
            const name = transformFileName(transform)
            expect(transformFromFileName(name)).toEqual(transform)
            names.add(name)
          }
        }
      }
    }
    // q50 on AVIF and q80 on WebP/JPEG are the defaults: asking for them names the same file.
    expect(transformFileName(parse({ fm: 'avif', q: '50' }))).toBe(transformFileName(parse({ fm: 'avif' })))
    expect(names.size).toBe(4 * (3 * 2 + 1))
    for (const name of ['', 'w640.avif', 'w640-q50.gif', '../x-q50.avif', 'w640-q55.webp', 'w641-q80.webp']) {
      expect([name, transformFromFileName(name)]).toEqual([name, undefined])
    }
  })
})

test('a cover crop is the largest region of the shape, centred on the focal point as far as the edges allow', () => {
  expect(coverRegion(4000, 3000, { width: 1600, height: 900 }, {})).toEqual({ left: 0, top: 375, width: 4000, height: 2250 })
  expect(coverRegion(4000, 3000, { width: 320, height: 320 }, { focalX: 90, focalY: 50 })).toEqual({ left: 1000, top: 0, width: 3000, height: 3000 })
  expect(coverRegion(4000, 3000, { width: 320, height: 320 }, { focalX: 10, focalY: 50 })).toEqual({ left: 0, top: 0, width: 3000, height: 3000 })
  expect(coverRegion(4000, 3000, { width: 1920, height: 480 }, { focalX: 50, focalY: 100 })).toEqual({ left: 0, top: 2000, width: 4000, height: 1000 })
})

describe('renders', () => {
  let dir: string
  let halves: string
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'greenroom-transforms-'))
    halves = path.join(dir, 'halves.png')
    // Left half red, right half blue, 2000×1000.
    const red = await sharp({ create: { width: 1000, height: 1000, channels: 3, background: '#ff0000' } }).png().toBuffer()
    await sharp({ create: { width: 2000, height: 1000, channels: 3, background: '#0000ff' } })
      .composite([{ input: red, left: 0, top: 0 }])
      .png()
      .toFile(halves)
  })
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }))

  const meanOf = async (bytes: Buffer) => (await sharp(bytes).stats()).channels.slice(0, 3).map((channel) => Math.round(channel.mean))

  test('each format, at the asked size, never larger than the original', async () => {
    for (const format of ['avif', 'webp', 'jpeg', 'png'] as const) {
      const bytes = await renderTransform(halves, { width: 640, format }, {})
      const meta = await sharp(bytes).metadata()
      expect([format, meta.format === 'heif' ? 'avif' : meta.format, meta.width, meta.height]).toEqual([format, format, 640, 320])
    }
    const huge = await sharp(await renderTransform(halves, { width: 1920, height: 1920, fit: 'inside', format: 'webp' }, {})).metadata()
    expect([huge.width, huge.height]).toEqual([1920, 960])
    const small = path.join(dir, 'small.png')
    await sharp({ create: { width: 300, height: 200, channels: 3, background: '#888' } }).png().toFile(small)
    const notEnlarged = await sharp(await renderTransform(small, { width: 1280, format: 'webp' }, {})).metadata()
    expect([notEnlarged.width, notEnlarged.height]).toEqual([300, 200])
    const coverSmall = await sharp(await renderTransform(small, { width: 640, height: 640, fit: 'cover', format: 'webp' }, {})).metadata()
    expect([coverSmall.width, coverSmall.height]).toEqual([200, 200])
  })

  test('cover follows the focal point: on the blue side, a blue square; on the red side, a red one', async () => {
    const blue = await meanOf(await renderTransform(halves, { width: 320, height: 320, fit: 'cover', format: 'png' }, { focalX: 85, focalY: 50 }))
    expect(blue).toEqual([0, 0, 255])
    const red = await meanOf(await renderTransform(halves, { width: 320, height: 320, fit: 'cover', format: 'png' }, { focalX: 15, focalY: 50 }))
    expect(red).toEqual([255, 0, 0])
  })

  test('a sideways-stored photo is rendered upright', async () => {
    const sideways = path.join(dir, 'sideways.jpg')
    await sharp({ create: { width: 800, height: 400, channels: 3, background: '#777' } }).jpeg().withMetadata({ orientation: 6 }).toFile(sideways)
    const meta = await sharp(await renderTransform(sideways, { width: 160, format: 'jpeg' }, {})).metadata()
    expect([meta.width, meta.height]).toEqual([160, 320])
  })

  test('the store renders once for concurrent requests, and refuses past its queue', async () => {
    const store = createTransformStore(dir, { enabled: true, concurrency: 1, queue: 1 })
    const original = { filename: 'halves.png', version: 'v1', path: halves, focus: {} }
    const same = await Promise.all([1, 2, 3].map(() => store.pathOf(original, { width: 320, format: 'webp' })))
    expect(new Set(same).size).toBe(1)
    expect(fs.readdirSync(path.dirname(same[0]))).toEqual(['w320-q80.webp'])

    const distinct = [160, 480, 640].map((width) => store.pathOf(original, { width, format: 'avif' }))
    const settled = await Promise.allSettled(distinct)
    // Each request first checks the disk for a stored copy, and those checks may answer in any order:
    // whichever comes third finds the one render and the one queued place taken.
    const refused = settled.filter((result): result is PromiseRejectedResult => result.status === 'rejected')
    expect(settled.filter((result) => result.status === 'fulfilled')).toHaveLength(2)
    expect(refused).toHaveLength(1)
    expect(refused[0].reason).toBeInstanceOf(TransformsBusy)

    // A new version of the original: the older version's folder goes at its first render.
    await store.pathOf({ ...original, version: 'v2' }, { width: 160, format: 'webp' })
    expect(fs.readdirSync(path.join(dir, '.transforms', 'halves.png'))).toEqual(['v2'])
  })
})
