import fs from 'node:fs'
import path from 'node:path'

import type { ContentFormat, SiteExportManifest } from './manifest'
import { removeWithEmptyFolders } from './writer'
import { MANIFEST_FILE, PARTIAL_MARKER, SiteExportError, isInsideFolder, readManifest } from './manifest'

export type Target = {
  dir: string
  /** The finished export found there (undefined: a new or empty folder, or `--clean`). */
  previous?: SiteExportManifest
  /** The folder held an interrupted export and `--force` said to carry on over it. */
  resumingPartial: boolean
}

/**
 * Decides whether `--out` may be written, before anything is: a missing folder whose parent exists,
 * an empty folder, or a finished export of the same format (updated in place). Everything else is
 * refused with what to do about it. `force` carries on over an interrupted export (the files it
 * finds are checked, not trusted); `clean` deletes a previous export's files first.
 */
export const checkTarget = (dir: string, format: ContentFormat, { force = false, clean = false } = {}): Target => {
  const parent = path.dirname(dir)
  if (!fs.existsSync(dir)) {
    if (!fs.existsSync(parent)) throw new SiteExportError(`${parent} does not exist: create it first, or choose another --out.`)
    if (!fs.statSync(parent).isDirectory()) throw new SiteExportError(`${parent} is not a folder: choose another --out.`)
    return { dir, resumingPartial: false }
  }
  if (!fs.statSync(dir).isDirectory()) throw new SiteExportError(`${dir} is a file, not a folder: choose another --out.`)
  const entries = fs.readdirSync(dir)
  if (entries.length === 0) return { dir, resumingPartial: false }

  const hasManifest = entries.includes(MANIFEST_FILE)
  const partial = entries.includes(PARTIAL_MARKER)
  if (!hasManifest && !partial) {
    throw new SiteExportError(
      `${dir} is not empty and holds no Greenroom site export (no ${MANIFEST_FILE}): export into a new or empty folder.`,
    )
  }
  if (clean) {
    removeExport(dir, hasManifest ? safeManifest(dir) : undefined)
    return { dir, resumingPartial: false }
  }
  if (partial && !force) {
    throw new SiteExportError(
      `${dir} holds an export that did not finish (${PARTIAL_MARKER} is there): pass --force to complete it ` +
        '(every file is checked against what it should hold) or --clean to start it over.',
    )
  }
  const previous = hasManifest ? readManifest(dir) : undefined
  if (previous && previous.contentFormat !== format) {
    throw new SiteExportError(
      `${dir} holds a --format ${previous.contentFormat} export; this run asks for ${format}: use the same format, another folder, or --clean.`,
    )
  }
  return { dir, previous, resumingPartial: partial }
}

const safeManifest = (dir: string) => {
  try {
    return readManifest(dir)
  } catch {
    return undefined
  }
}

/**
 * `--clean`: the files the previous export listed, its bookkeeping, and the folders that leaves
 * empty. Without a readable manifest (an interrupted first run), everything in the folder: it held
 * nothing but the export, or it would have been refused.
 */
const removeExport = (dir: string, manifest: SiteExportManifest | undefined) => {
  if (!manifest) {
    for (const entry of fs.readdirSync(dir)) fs.rmSync(path.join(dir, entry), { recursive: true, force: true })
    return
  }
  for (const relative of [...Object.keys(manifest.files), ...Object.keys(manifest.mediaFiles)]) {
    if (isInsideFolder(relative)) removeWithEmptyFolders(dir, relative)
  }
  fs.rmSync(path.join(dir, MANIFEST_FILE), { force: true })
  fs.rmSync(path.join(dir, PARTIAL_MARKER), { force: true })
}
