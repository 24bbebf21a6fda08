import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'

import { UsageError, parseCommandLine } from '../../src/backup/cli'
import type { Manifest } from '../../src/backup/manifest'
import { BACKUP_FORMAT, FORMAT_VERSION, isPlainFilename, readManifest, writeManifest } from '../../src/backup/manifest'
import { createProgressBar } from '../../src/backup/progress'

const output = (isTTY: boolean) => {
  const written: string[] = []
  return { isTTY, columns: 80, written, write: (text: string) => written.push(text) > 0 }
}

describe('backup progress bar', () => {
  test('redraws one line in place on a terminal, at most ten times a second', () => {
    let now = 0
    const stream = output(true)
    const bar = createProgressBar(stream, { label: 'export', now: () => now })
    bar.update({ done: 1, total: 4, item: 'posts' })
    now = 50
    bar.update({ done: 2, total: 4, item: 'posts' })
    now = 200
    bar.update({ done: 3, total: 4, item: 'pages' })
    bar.update({ done: 4, total: 4, item: 'pages' })
    bar.finish()
    expect(stream.written).toEqual([
      expect.stringMatching(/^\rexport \[#+-+\] 25% 1\/4 posts\x1b\[K$/),
      expect.stringMatching(/^\rexport \[#+-+\] 75% 3\/4 pages\x1b\[K$/),
      expect.stringMatching(/^\rexport \[#+\] 100% 4\/4 pages\x1b\[K$/),
      '\n',
    ])
  })

  test('prints a plain line every few seconds, and the last state, elsewhere', () => {
    let now = 0
    const stream = output(false)
    const bar = createProgressBar(stream, { label: 'import', intervalMs: 5000, now: () => now })
    for (let done = 1; done <= 100; done += 1) {
      now = done * 100
      bar.update({ done, total: 100, item: 'posts' })
    }
    bar.finish()
    expect(stream.written).toEqual([
      'import: 1% 1/100 posts\n',
      'import: 51% 51/100 posts\n',
      'import: 100% 100/100 posts\n',
    ])
  })
})

describe('backup manifest', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'greenroom-manifest-'))
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }))

  const sha = 'a'.repeat(64)
  const valid: Manifest = {
    format: BACKUP_FORMAT,
    formatVersion: FORMAT_VERSION,
    createdAt: '2026-11-24T00:00:00.000Z',
    greenroomVersion: '0.1.0',
    payloadVersion: '3.90.1',
    source: { database: 'sqlite', idType: 'number' },
    secretFingerprint: '0123456789abcdef',
    files: [{ kind: 'collection', slug: 'posts', path: 'collections/posts.jsonl', count: 1, bytes: 10, sha256: sha }],
    media: [{ collection: 'media', path: 'media/media/photo.png', bytes: 10, sha256: sha }],
    missingMedia: [],
  }
  const read = (manifest: unknown) => {
    fs.writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify(manifest))
    return () => readManifest(dir)
  }

  test('reads back what export writes', () => {
    writeManifest(dir, valid)
    expect(readManifest(dir)).toEqual(valid)
  })

  test('refuses paths that leave the backup or the media folder', () => {
    const traversal = { ...valid, media: [{ ...valid.media[0], path: 'media/media/../../../etc/passwd' }] }
    expect(read(traversal)).toThrow(/media entry media\/media\/\.\.\/\.\.\/\.\.\/etc\/passwd is malformed/)
    const elsewhere = { ...valid, files: [{ ...valid.files[0], path: '../posts.jsonl' }] }
    expect(read(elsewhere)).toThrow(/file entry \.\.\/posts\.jsonl is malformed/)
    expect(['photo.png', 'a b.webp'].map(isPlainFilename)).toEqual([true, true])
    expect(['', '.', '..', 'a/b.png', '..\\b.png'].map(isPlainFilename)).toEqual([false, false, false, false, false])
  })

  test('refuses other formats, newer versions and broken entries', () => {
    expect(read({ ...valid, format: 'something-else' })).toThrow(/not a Greenroom backup manifest/)
    expect(read({ ...valid, formatVersion: FORMAT_VERSION + 1 })).toThrow(/this Greenroom reads format 1/)
    expect(read({ ...valid, files: [{ ...valid.files[0], sha256: 'nope', count: -1 }] })).toThrow(/collections\/posts\.jsonl is malformed/)
    expect(read({ ...valid, files: [valid.files[0], valid.files[0]] })).toThrow(/listed twice/)
    fs.writeFileSync(path.join(dir, 'manifest.json'), '{ not json')
    expect(() => readManifest(dir)).toThrow(/not readable JSON/)
  })
})

describe('backup command lines', () => {
  test('unknown options are usage errors', () => {
    const options = { options: { out: { type: 'string' } }, allowPositionals: true } as const
    expect(parseCommandLine(['--out', 'dir'], options).values).toEqual({ out: 'dir' })
    expect(() => parseCommandLine(['--outt', 'dir'], options)).toThrow(UsageError)
  })
})
