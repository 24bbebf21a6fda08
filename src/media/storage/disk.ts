import { randomUUID } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'

import { fileVersionOf } from '../fileVersion'
import type { HeldFiles, HoldManifest, MediaStorage } from './types'

const exists = (file: string) =>
  fs.promises.stat(file).then(
    (stat) => stat.isFile(),
    () => false,
  )

/** Hard links in `<media>/.deleting/<token>/`: holding a file costs no copy. */
export const deletingDirectory = (mediaDir: string) => path.join(mediaDir, '.deleting')

/**
 * The held bytes back under their names, over whatever is there now (a re-crop writes new bytes under
 * the same names), each in one rename, so a reader gets the old file or the new, never neither.
 */
const putBack = async (held: string, files: string[], mediaDir: string) => {
  for (const name of files) {
    const kept = path.join(held, name)
    if (!(await exists(kept))) continue
    const temporary = path.join(mediaDir, `.${name}.${randomUUID()}.restoring`)
    await fs.promises.link(kept, temporary)
    await fs.promises.rename(temporary, path.join(mediaDir, name))
  }
}

const heldFiles = (held: string, files: string[], mediaDir: string): HeldFiles => ({
  putBack: (names = files) => putBack(held, names, mediaDir),
  release: () => fs.promises.rm(held, { recursive: true, force: true }),
})

export const diskStorage = (mediaDir: string): MediaStorage => {
  const fileOf = (filename: string) => path.join(mediaDir, filename)
  return {
    kind: 'disk',
    directory: mediaDir,
    versionOf: (filename) =>
      fileVersionOf(fileOf(filename)).then(
        ({ version }) => version,
        () => undefined,
      ),
    localFile: async (filename) => ((await exists(fileOf(filename))) ? fileOf(filename) : undefined),
    read: (filename) => fs.promises.readFile(fileOf(filename)).catch(() => undefined),
    write: async (filename, bytes) => {
      await fs.promises.mkdir(mediaDir, { recursive: true })
      const temporary = path.join(mediaDir, `.${filename}.${randomUUID()}.writing`)
      await fs.promises.writeFile(temporary, bytes)
      await fs.promises.rename(temporary, fileOf(filename))
    },
    remove: (filename) => fs.promises.rm(fileOf(filename), { force: true }),
    hold: async (files: string[], manifest: HoldManifest) => {
      const held = path.join(deletingDirectory(mediaDir), randomUUID())
      await fs.promises.mkdir(held, { recursive: true })
      await fs.promises.writeFile(path.join(held, 'manifest.json'), JSON.stringify(manifest))
      for (const name of files) {
        await fs.promises.link(fileOf(name), path.join(held, name)).catch((error: NodeJS.ErrnoException) => {
          if (error.code !== 'ENOENT') throw error
        })
      }
      return heldFiles(held, files, mediaDir)
    },
    dropLocalCopies: async () => {},
    heldWrites: async () => {
      const root = deletingDirectory(mediaDir)
      const entries = await fs.promises.readdir(root).catch(() => [] as string[])
      return Promise.all(
        entries.map(async (entry) => {
          const held = path.join(root, entry)
          const manifest = await fs.promises
            .readFile(path.join(held, 'manifest.json'), 'utf8')
            .then((text) => JSON.parse(text) as HoldManifest)
            .catch(() => undefined)
          return { manifest, ...heldFiles(held, manifest?.files ?? [], mediaDir) }
        }),
      )
    },
  }
}
