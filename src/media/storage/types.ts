/** What a write that replaces or deletes files set aside, so that a rollback can put them back. */
export type HoldManifest = { collection: string; id: number | string; files: string[]; at: string }

export type HeldFiles = {
  /** The set-aside bytes back under their names (all of them unless `names` says which). */
  putBack: (names?: string[]) => Promise<void>
  /** Drops the set-aside copies. */
  release: () => Promise<void>
}

/** Files set aside by a write that has not settled (found at start, after a crash). */
export type HeldWrite = HeldFiles & { manifest: HoldManifest | undefined }

/**
 * Where media files live: the media folder on this machine (`disk`), or an S3-compatible bucket shared
 * by every instance (`s3`, with a local copy of what this instance serves). Payload writes uploads
 * there itself (its own `staticDir`, or `@payloadcms/storage-s3`); everything else Greenroom does with
 * the files (serving, versioned URLs, holding files until a write commits, regenerating, backups,
 * the static export) goes through here.
 */
export type MediaStorage = {
  kind: 'disk' | 's3'
  /**
   * A folder on this machine: the media folder itself on disk; for object storage, where this
   * instance keeps copies of the objects it serves and the transforms it renders.
   */
  directory: string
  /**
   * The version of a stored file's bytes (16 hex digits, carried as `?v=` in media URLs), undefined
   * when no such file is stored. `stamp` (the owning document's `updatedAt`) lets the answer be kept
   * until the document changes: bytes change only by a write to their document.
   */
  versionOf: (filename: string, stamp?: string | null) => Promise<string | undefined>
  /** A file on this machine holding the stored bytes, undefined when none are stored. */
  localFile: (filename: string, stamp?: string | null) => Promise<string | undefined>
  read: (filename: string) => Promise<Buffer | undefined>
  write: (filename: string, bytes: Buffer, contentType: string) => Promise<void>
  remove: (filename: string) => Promise<void>
  /** Copies of the files as they are now, kept until released (a rollback puts them back). */
  hold: (files: string[], manifest: HoldManifest) => Promise<HeldFiles>
  heldWrites: () => Promise<HeldWrite[]>
  /** Forgets this machine's copies of files that are gone (object storage; on disk there are none). */
  dropLocalCopies: (files: string[]) => Promise<void>
}

/** A name Payload stores: no way out of the folder, no hidden file. */
export const isPlainFilename = (name: string) => Boolean(name) && !name.startsWith('.') && !/[/\\\0]/.test(name)
