import crypto from 'node:crypto'
import fs from 'node:fs'
import { once } from 'node:events'
import readline from 'node:readline'

export type FileSummary = { count: number; bytes: number; sha256: string }

/** Writes one JSON document per line, counting lines and hashing what it writes. */
export class JsonlWriter {
  private readonly stream: fs.WriteStream
  private readonly hash = crypto.createHash('sha256')
  private count = 0
  private bytes = 0

  constructor(file: string) {
    this.stream = fs.createWriteStream(file, { flags: 'wx' })
  }

  async write(doc: unknown): Promise<void> {
    const line = Buffer.from(`${JSON.stringify(doc)}\n`)
    this.hash.update(line)
    this.count += 1
    this.bytes += line.length
    if (!this.stream.write(line)) await once(this.stream, 'drain')
  }

  async close(): Promise<FileSummary> {
    this.stream.end()
    await once(this.stream, 'finish')
    return { count: this.count, bytes: this.bytes, sha256: this.hash.digest('hex') }
  }
}

/**
 * Reads a JSONL file line by line, handing each parsed line to `onLine`, and returns the count
 * and checksum of what it read. A line that is not JSON stops the read with its line number.
 */
export const readJsonl = async (
  file: string,
  onLine: (value: unknown, lineNumber: number) => void | Promise<void>,
): Promise<FileSummary> => {
  const hash = crypto.createHash('sha256')
  let bytes = 0
  let count = 0
  const input = fs.createReadStream(file)
  input.on('data', (chunk) => {
    hash.update(chunk)
    bytes += chunk.length
  })
  const lines = readline.createInterface({ input, crlfDelay: Infinity })
  try {
    for await (const line of lines) {
      if (!line) continue
      count += 1
      let value: unknown
      try {
        value = JSON.parse(line)
      } catch {
        throw new SyntaxError(`line ${count} is not valid JSON`)
      }
      await onLine(value, count)
    }
  } finally {
    lines.close()
    input.destroy()
  }
  return { count, bytes, sha256: hash.digest('hex') }
}
