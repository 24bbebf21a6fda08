import crypto from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { pipeline } from 'node:stream/promises'

import type { FileEntry } from './manifest'

export const sha256 = (content: string | Buffer): string => crypto.createHash('sha256').update(content).digest('hex')

export type WriteCounts = { written: number; unchanged: number; removed: number; bytesWritten: number }

/**
 * Writes files into the export folder only when their bytes change: a file whose hash equals what
 * the previous manifest recorded is left alone (its mtime too). `verify` (after an interrupted run)
 * hashes the file on disk instead of trusting the manifest. Each write goes to a temporary file in
 * the same folder and is renamed over the old one, so a reader never sees half a file.
 */
export class ExportWriter {
  readonly counts: WriteCounts = { written: 0, unchanged: 0, removed: 0, bytesWritten: 0 }
  private readonly made = new Set<string>()

  constructor(
    readonly dir: string,
    private readonly previous: Record<string, FileEntry>,
    private readonly verify: boolean,
  ) {}

  private unchanged(relative: string, hash: string): boolean {
    const known = this.previous[relative]
    if (!this.verify) return known?.sha256 === hash && fs.existsSync(path.join(this.dir, relative))
    try {
      return sha256(fs.readFileSync(path.join(this.dir, relative))) === hash
    } catch {
      return false
    }
  }

  private ensureFolder(file: string) {
    const folder = path.dirname(file)
    if (this.made.has(folder)) return
    fs.mkdirSync(folder, { recursive: true })
    this.made.add(folder)
  }

  write(relative: string, content: string): FileEntry {
    const bytes = Buffer.from(content)
    const entry = { sha256: sha256(bytes), bytes: bytes.length }
    if (this.unchanged(relative, entry.sha256)) {
      this.counts.unchanged += 1
      return entry
    }
    const file = path.join(this.dir, relative)
    this.ensureFolder(file)
    const temporary = `${file}.${process.pid}.tmp`
    fs.writeFileSync(temporary, bytes)
    fs.renameSync(temporary, file)
    this.counts.written += 1
    this.counts.bytesWritten += bytes.length
    return entry
  }

  /** Copies a file (a media original or size) the same way, hashing what it reads. */
  async copy(relative: string, source: string): Promise<FileEntry> {
    const file = path.join(this.dir, relative)
    this.ensureFolder(file)
    const temporary = `${file}.${process.pid}.tmp`
    const hash = crypto.createHash('sha256')
    let bytes = 0
    await pipeline(
      fs.createReadStream(source),
      async function* (chunks: AsyncIterable<Buffer>) {
        for await (const chunk of chunks) {
          hash.update(chunk)
          bytes += chunk.length
          yield chunk
        }
      },
      fs.createWriteStream(temporary),
    )
    const entry = { sha256: hash.digest('hex'), bytes }
    if (this.unchanged(relative, entry.sha256)) {
      fs.rmSync(temporary)
      this.counts.unchanged += 1
    } else {
      fs.renameSync(temporary, file)
      this.counts.written += 1
      this.counts.bytesWritten += bytes
    }
    return entry
  }

  countUnchanged() {
    this.counts.unchanged += 1
  }

  remove(relative: string) {
    removeWithEmptyFolders(this.dir, relative)
    this.made.clear()
    this.counts.removed += 1
  }
}

/** Removes a file and the folders above it that it leaves empty (never `dir` itself). */
export const removeWithEmptyFolders = (dir: string, relative: string) => {
  fs.rmSync(path.join(dir, relative), { force: true })
  let folder = path.dirname(path.join(dir, relative))
  while (folder.startsWith(dir + path.sep)) {
    try {
      fs.rmdirSync(folder)
    } catch {
      return
    }
    folder = path.dirname(folder)
  }
}
