// `npm run import -- DIR` (see scripts/import.mjs, which compiles and runs this file).
import { DATABASE_NAMES, UsageError, parseCommandLine, resolveFromInvocation, runCommand } from '../src/backup/cli'
import { databaseKind } from '../src/backup/content'
import { importBackup } from '../src/backup/import'

const USAGE = `Usage: npm run import -- DIR [--new-secret]

Restores a backup made by \`npm run export\` into the database DATABASE_URI names (default:
data/greenroom.db), which must be empty, and copies its files into the media folder (MEDIA_DIR,
default: media/). The whole directory is checked first; nothing is written unless all of it is
intact. Set PAYLOAD_SECRET to the source server's secret: API keys are stored encrypted with it.

Options:
  --new-secret    restore even though PAYLOAD_SECRET differs from the source's (API keys and
                  sessions stop working; passwords still do)
  -h, --help      show this help

Exit codes: 0 done, 1 failed or refused, 2 wrong command line.`

await runCommand(USAGE, async (openPayload, progressBar) => {
  const { values, positionals } = parseCommandLine(process.argv.slice(2), {
    options: { 'new-secret': { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
    allowPositionals: true,
  })
  if (values.help) {
    console.log(USAGE)
    return
  }
  if (positionals.length !== 1) throw new UsageError(positionals.length ? 'Give one backup directory.' : 'Say which backup to restore: npm run import -- DIR.')
  const dir = resolveFromInvocation(positionals[0])

  const payload = await openPayload()
  const bar = progressBar('import')
  const summary = await importBackup(payload, dir, {
    allowNewSecret: Boolean(values['new-secret']),
    onProgress: bar.update,
    onWarning: (message) => console.error(`warning: ${message}`),
  }).finally(() => bar.finish())
  console.log(
    `Imported ${summary.documents} documents and ${summary.mediaFiles} media files from ${dir} into ` +
      `${DATABASE_NAMES[databaseKind(payload)]} in ${summary.seconds.toFixed(1)} s.` +
      (summary.renumbered.length ? ` New ids (the source stored another id type) for: ${summary.renumbered.join(', ')}.` : ' Every id was kept.'),
  )
})
