// `npm run export -- --out DIR` (see scripts/export.mjs, which compiles and runs this file).
import { DATABASE_NAMES, UsageError, parseCommandLine, resolveFromInvocation, runCommand } from '../src/backup/cli'
import { databaseKind } from '../src/backup/content'
import { exportBackup } from '../src/backup/export'

const USAGE = `Usage: npm run export -- --out DIR

Writes a backup of the database DATABASE_URI names (default: data/greenroom.db) and of the media
folder (MEDIA_DIR, default: media/) into DIR, which must be new or empty: every collection with its
versions and drafts, every global, scheduled jobs, users with their password hashes and API keys,
and the upload files. Restore it with \`npm run import -- DIR\`.

Options:
  -o, --out DIR   where to write the backup (required)
  -h, --help      show this help

Exit codes: 0 done, 1 failed, 2 wrong command line.`

await runCommand(USAGE, async (openPayload, progressBar) => {
  const { values, positionals } = parseCommandLine(process.argv.slice(2), {
    options: { out: { type: 'string', short: 'o' }, help: { type: 'boolean', short: 'h' } },
    allowPositionals: true,
  })
  if (values.help) {
    console.log(USAGE)
    return
  }
  if (positionals.length) throw new UsageError(`Unexpected argument: ${positionals[0]} (the directory goes after --out).`)
  if (typeof values.out !== 'string' || !values.out) throw new UsageError('Say where to write the backup: --out DIR.')
  const outDir = resolveFromInvocation(values.out)

  const payload = await openPayload()
  const bar = progressBar('export')
  const summary = await exportBackup(payload, outDir, { onProgress: bar.update }).finally(() => bar.finish())
  const { manifest } = summary
  for (const missing of manifest.missingMedia) console.error(`warning: media file ${missing} is named by a document but missing from the media folder`)
  console.log(
    `Exported ${summary.documents} documents and ${summary.mediaFiles} media files from ${DATABASE_NAMES[databaseKind(payload)]} ` +
      `to ${outDir} in ${summary.seconds.toFixed(1)} s.`,
  )
})
