import { randomUUID } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'

import sharp from 'sharp'

/**
 * Images on request: `/api/media/file/<original>?w=&h=&fit=&fm=&q=`, from a small, fixed set of
 * values, so that nobody can make the server render (and store) an unbounded number of variants: a
 * few thousand at most per image (widths × heights × fits × formats × qualities), each rendered once.
 */
export const TRANSFORM_WIDTHS = [160, 320, 480, 640, 768, 960, 1280, 1600, 1920] as const
export const TRANSFORM_FITS = ['cover', 'contain', 'inside'] as const
export const TRANSFORM_FORMATS = ['avif', 'webp', 'jpeg', 'png'] as const
export const TRANSFORM_QUALITIES = [40, 50, 60, 70, 80, 90] as const
export const TRANSFORM_PARAMETERS = ['w', 'h', 'fit', 'fm', 'q'] as const

type Format = (typeof TRANSFORM_FORMATS)[number]
type Fit = (typeof TRANSFORM_FITS)[number]

export type Transform = { width?: number; height?: number; fit?: Fit; format: Format; quality?: number }

/** Quality when none is asked: what the collection's own sizes use (AVIF reaches WebP's look at a lower number). */
const DEFAULT_QUALITY: Record<Format, number | undefined> = { avif: 50, webp: 80, jpeg: 80, png: undefined }
const MIME: Record<Format, string> = { avif: 'image/avif', webp: 'image/webp', jpeg: 'image/jpeg', png: 'image/png' }
const EXTENSION: Record<Format, string> = { avif: 'avif', webp: 'webp', jpeg: 'jpg', png: 'png' }
/** The original's own format, when it is one of ours; a GIF's first frame becomes a PNG. */
const FORMAT_OF: Record<string, Format> = { 'image/avif': 'avif', 'image/webp': 'webp', 'image/jpeg': 'jpeg', 'image/png': 'png', 'image/gif': 'png' }

export const mimeTypeOfTransform = (transform: Transform) => MIME[transform.format]

export class TransformRefused extends Error {}

type Query = Record<string, unknown>

const one = (query: Query, name: string): string | undefined => {
  const value = query[name]
  if (value === undefined) return undefined
  if (typeof value !== 'string') throw new TransformRefused(`"${name}" may be given once, as a plain value.`)
  return value
}

const pick = <T extends string | number>(name: string, raw: string | undefined, allowed: readonly T[]): T | undefined => {
  if (raw === undefined) return undefined
  const match = allowed.find((candidate) => String(candidate) === raw)
  if (match === undefined) throw new TransformRefused(`"${name}" must be one of ${allowed.join(', ')}; got "${raw.slice(0, 40)}".`)
  return match
}

/** Whether a request asks for a transform at all (any of w, h, fit, fm, q). */
export const asksForTransform = (query: Query) =>
  // `w[]=` and `w[x]=` too: a parameter meant as one of ours, malformed, is refused rather than ignored.
  Object.keys(query).some((name) => (TRANSFORM_PARAMETERS as readonly string[]).includes(name.replace(/\[.*$/, '')))

/**
 * The transform a query asks for, or TransformRefused with a message saying what is allowed. Other
 * parameters than the five and `v` are refused too, so that a typo (`width=`) is not silently the original.
 */
export const parseTransform = (query: Query, originalMimeType: string | null, allowedExtra: readonly string[]): Transform => {
  for (const name of Object.keys(query)) {
    if (!(TRANSFORM_PARAMETERS as readonly string[]).includes(name) && !allowedExtra.includes(name)) {
      throw new TransformRefused(`Unknown parameter "${name.slice(0, 40)}": a transform takes ${TRANSFORM_PARAMETERS.join(', ')} (and v).`)
    }
  }
  const width = pick('w', one(query, 'w'), TRANSFORM_WIDTHS)
  const height = pick('h', one(query, 'h'), TRANSFORM_WIDTHS)
  const fit = pick('fit', one(query, 'fit'), TRANSFORM_FITS)
  const asked = pick('fm', one(query, 'fm'), TRANSFORM_FORMATS)
  const quality = pick('q', one(query, 'q'), TRANSFORM_QUALITIES)
  if (fit && !(width && height)) throw new TransformRefused('"fit" needs both "w" and "h".')
  const format = asked ?? FORMAT_OF[originalMimeType ?? '']
  if (!format) throw new TransformRefused(`This file cannot be transformed; "fm" must name one of ${TRANSFORM_FORMATS.join(', ')}.`)
  if (quality !== undefined && format === 'png') throw new TransformRefused('"q" applies to avif, webp and jpeg, not to png (which is lossless).')
  // The default asked for by name is the default: one stored file, not two.
  const explicitQuality = quality === DEFAULT_QUALITY[format] ? undefined : quality
  return { width, height, fit: width && height ? (fit ?? 'cover') : undefined, format, quality: explicitQuality }
}

/** The stored file's name: one per distinct transform, whatever order the query had. */
export const transformFileName = ({ width, height, fit, format, quality }: Transform) =>
  [width && `w${width}`, height && `h${height}`, fit, `q${quality ?? DEFAULT_QUALITY[format] ?? 'lossless'}`].filter(Boolean).join('-') +
  `.${EXTENSION[format]}`

const FORMAT_OF_EXTENSION: Record<string, Format> = { avif: 'avif', webp: 'webp', jpg: 'jpeg', png: 'png' }

/** The transform a stored file was rendered for (the inverse of transformFileName), or undefined for another name. */
export const transformFromFileName = (name: string): Transform | undefined => {
  const match = /^(?:w(\d+)-)?(?:h(\d+)-)?(?:(cover|contain|inside)-)?q(\d+|lossless)\.(avif|webp|jpg|png)$/.exec(name)
  if (!match) return undefined
  const [, w, h, fit, q, extension] = match
  const query = Object.fromEntries(
    Object.entries({ w, h, fit, fm: FORMAT_OF_EXTENSION[extension], q: q === 'lossless' ? undefined : q }).filter(([, value]) => value !== undefined),
  )
  try {
    // The same rules as a request's: a name outside the allowed set is no transform.
    const transform = parseTransform(query, null, [])
    return transformFileName(transform) === name ? transform : undefined
  } catch {
    return undefined
  }
}

export type Focus = { focalX?: number | null; focalY?: number | null }

/**
 * The largest region of the upright picture with the target's shape, as near the focal point's
 * centre as the edges allow (percentages, as Payload stores them; the middle without one).
 */
export const coverRegion = (width: number, height: number, target: { width: number; height: number }, focus: Focus) => {
  const aspect = target.width / target.height
  const regionWidth = Math.min(width, Math.round(height * aspect))
  const regionHeight = Math.min(height, Math.round(regionWidth / aspect))
  const centreX = ((focus.focalX ?? 50) / 100) * width
  const centreY = ((focus.focalY ?? 50) / 100) * height
  const left = Math.round(Math.min(Math.max(centreX - regionWidth / 2, 0), width - regionWidth))
  const top = Math.round(Math.min(Math.max(centreY - regionHeight / 2, 0), height - regionHeight))
  return { left, top, width: regionWidth, height: regionHeight }
}

/** Renders a transform of the file at `source`; never larger than the original. */
export const renderTransform = async (source: string, transform: Transform, focus: Focus): Promise<Buffer> => {
  // Turned upright first, as browsers and Payload's own sizes show it; the first frame of an animation.
  const metadata = await sharp(source).metadata()
  const { width: originalWidth, height: originalHeight } = metadata.autoOrient ?? metadata
  let image = sharp(source, { animated: false }).rotate()
  const { width, height, fit } = transform
  if (width && height && fit === 'cover') {
    const region = coverRegion(originalWidth, originalHeight, { width, height }, focus)
    image = image.extract(region)
    // Smaller than asked for: the region at its own size (same shape), not enlarged.
    if (region.width > width) image = image.resize(width, height)
  } else if (width || height) {
    image = image.resize({ width, height, fit: fit === 'contain' ? 'contain' : 'inside', withoutEnlargement: true, background: { r: 0, g: 0, b: 0, alpha: 0 } })
  }
  const quality = transform.quality ?? DEFAULT_QUALITY[transform.format]
  switch (transform.format) {
    case 'avif':
      // Effort 2 of 9: about a fifth of the default's time for a few percent more bytes, on a request path.
      return image.avif({ quality, effort: 2 }).toBuffer()
    case 'webp':
      return image.webp({ quality }).toBuffer()
    case 'jpeg':
      return image.flatten({ background: '#ffffff' }).jpeg({ quality, progressive: true }).toBuffer()
    case 'png':
      return image.png({ compressionLevel: 6 }).toBuffer()
  }
}

export class TransformsBusy extends Error {}

export type TransformSettings = {
  enabled: boolean
  /** Renders at the same time (each takes a libvips thread pool's worth of one core). */
  concurrency: number
  /** Renders waiting for a turn; beyond them a request gets 503 with Retry-After. */
  queue: number
}

const integerSetting = (raw: string | undefined, fallback: number, name: string, min: number) => {
  if (raw === undefined || raw.trim() === '') return fallback
  const value = Number(raw)
  if (!Number.isInteger(value) || value < min) throw new Error(`${name} must be a whole number of at least ${min}; got "${raw}".`)
  return value
}

export const transformSettingsFromEnv = (env: Record<string, string | undefined>): TransformSettings => ({
  enabled: (env.MEDIA_TRANSFORMS ?? 'true').trim().toLowerCase() !== 'false',
  concurrency: integerSetting(env.MEDIA_TRANSFORM_CONCURRENCY, 2, 'MEDIA_TRANSFORM_CONCURRENCY', 1),
  queue: integerSetting(env.MEDIA_TRANSFORM_QUEUE, 32, 'MEDIA_TRANSFORM_QUEUE', 0),
})

/** Where the transforms of an original are kept: per original file name, then per version of its bytes. */
export const transformsDirectory = (mediaDir: string, filename: string) => path.join(mediaDir, '.transforms', filename)

/**
 * The store of rendered transforms: `<media>/.transforms/<original>/<version>/<transform>`. Each is
 * rendered once (concurrent requests for the same one share the render), written to a temporary
 * name and renamed, so a reader never sees a part. A new version of the original leaves the older
 * versions' folders to be removed at its first render.
 */
export const createTransformStore = (mediaDir: string, settings: TransformSettings) => {
  const rendering = new Map<string, Promise<string>>()
  let active = 0
  const turns: (() => void)[] = []

  const withTurn = async <T>(work: () => Promise<T>): Promise<T> => {
    if (active >= settings.concurrency) {
      if (turns.length >= settings.queue) throw new TransformsBusy('Too many images are being rendered; try again in a moment.')
      await new Promise<void>((resolve) => turns.push(resolve))
    } else {
      active += 1
    }
    try {
      return await work()
    } finally {
      const next = turns.shift()
      if (next) next()
      else active -= 1
    }
  }

  const removeOlderVersions = async (filename: string, version: string) => {
    const folder = transformsDirectory(mediaDir, filename)
    const entries = await fs.promises.readdir(folder).catch(() => [] as string[])
    await Promise.all(entries.filter((entry) => entry !== version).map((entry) => fs.promises.rm(path.join(folder, entry), { recursive: true, force: true })))
  }

  return {
    /** The path of the stored transform, rendering it first if needed (TransformsBusy when the queue is full). */
    pathOf: async (original: { filename: string; version: string; path: string; focus: Focus }, transform: Transform): Promise<string> => {
      const target = path.join(transformsDirectory(mediaDir, original.filename), original.version, transformFileName(transform))
      if (await fs.promises.stat(target).then((stat) => stat.isFile(), () => false)) return target
      let pending = rendering.get(target)
      if (!pending) {
        pending = withTurn(async () => {
          const bytes = await renderTransform(original.path, transform, original.focus)
          await fs.promises.mkdir(path.dirname(target), { recursive: true })
          const temporary = `${target}.${randomUUID()}.tmp`
          await fs.promises.writeFile(temporary, bytes)
          await fs.promises.rename(temporary, target)
          await removeOlderVersions(original.filename, original.version)
          return target
        }).finally(() => rendering.delete(target))
        rendering.set(target, pending)
      }
      return pending
    },
  }
}

export type TransformStore = ReturnType<typeof createTransformStore>

/**
 * Renders again every stored transform of the current version of an original (after
 * `npm run media:regenerate`), each replaced in one rename; names that are no transform are removed.
 */
export const rerenderTransforms = async (mediaDir: string, original: { filename: string; version: string; path: string; focus: Focus }) => {
  const folder = path.join(transformsDirectory(mediaDir, original.filename), original.version)
  const names = await fs.promises.readdir(folder).catch(() => [] as string[])
  let rendered = 0
  for (const name of names) {
    const target = path.join(folder, name)
    const transform = transformFromFileName(name)
    if (!transform) {
      await fs.promises.rm(target, { recursive: true, force: true })
      continue
    }
    const temporary = `${target}.${randomUUID()}.tmp`
    await fs.promises.writeFile(temporary, await renderTransform(original.path, transform, original.focus))
    await fs.promises.rename(temporary, target)
    rendered += 1
  }
  return rendered
}

/** Removes every stored transform of an original (its document was deleted or its file replaced). */
export const removeTransforms = async (mediaDir: string, filename: string) => {
  // Only ever one original's folder: never `.transforms` itself or anything outside it.
  if (!filename || filename.startsWith('.') || filename !== path.basename(filename)) return
  await fs.promises.rm(transformsDirectory(mediaDir, filename), { recursive: true, force: true })
}
