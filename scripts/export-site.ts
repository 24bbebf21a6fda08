// `npm run export:site -- --out DIR` (see scripts/export-site.mjs, which compiles and runs this file).
import { UsageError, parseCommandLine, resolveFromInvocation, runCommand } from '../src/backup/cli'
import { exportSite } from '../src/siteExport/export'
import type { ContentFormat, MediaMode } from '../src/siteExport/manifest'
import { checkTarget } from '../src/siteExport/target'

const USAGE = `Usage: npm run export:site -- --out DIR [--format json|markdown] [--media copy|link]

Writes every published document (posts, pages, categories, in every language), the globals, the
redirects and the images they show into DIR, as the public reads them: never a draft. DIR must be
new, empty, or an earlier export of the same format, which is brought up to date: only files whose
bytes change are written, files of deleted and unpublished documents are removed, and when the
change log still reaches back to the earlier export only the posts that changed are read.

Options:
  -o, --out DIR       where to write (required); its parent folder must exist
  -f, --format F      json (default): one JSON file per document and language;
                      markdown: Hugo and Eleventy content folders, YAML front matter and HTML bodies
  -m, --media M       copy (default): copy the images into the export and point URLs at them;
                      link: keep URLs on this server, copy nothing
      --full          read everything, even when the change log could say what changed
      --force         complete an export that was interrupted (its files are checked, not trusted)
      --clean         delete a previous export's files first and start over
  -h, --help          show this help

Exit codes: 0 done, 1 failed or refused, 2 wrong command line.`

const oneOf = <T extends string>(value: string | undefined, allowed: readonly T[], name: string, fallback: T): T => {
  if (value === undefined) return fallback
  if (!allowed.includes(value as T)) throw new UsageError(`--${name} must be ${allowed.join(' or ')}, not "${value}".`)
  return value as T
}

const megabytes = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`

await runCommand(USAGE, async (openPayload, progressBar) => {
  const { values, positionals } = parseCommandLine(process.argv.slice(2), {
    options: {
      out: { type: 'string', short: 'o' },
      format: { type: 'string', short: 'f' },
      media: { type: 'string', short: 'm' },
      full: { type: 'boolean' },
      force: { type: 'boolean' },
      clean: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    allowPositionals: true,
  })
  if (values.help) {
    console.log(USAGE)
    return
  }
  if (positionals.length) throw new UsageError(`Unexpected argument: ${positionals[0]} (the folder goes after --out).`)
  if (typeof values.out !== 'string' || !values.out) throw new UsageError('Say where to write the export: --out DIR.')
  const format = oneOf<ContentFormat>(values.format, ['json', 'markdown'], 'format', 'json')
  const media = oneOf<MediaMode>(values.media, ['copy', 'link'], 'media', 'copy')

  // Before Payload starts: a folder that cannot take the export is refused at once, with nothing written.
  const target = checkTarget(resolveFromInvocation(values.out), format, { force: values.force, clean: values.clean })
  const payload = await openPayload()
  // A bar on a terminal; quiet in logs, where the summary line says it all.
  const bar = process.stderr.isTTY ? progressBar('export:site') : { update: () => {}, finish: () => {} }
  const summary = await exportSite(payload, target, { format, media, full: values.full, onProgress: bar.update }).finally(() => bar.finish())
  for (const name of summary.missingMedia) console.error(`warning: media file ${name} is shown by a document but missing from the media folder`)
  console.log(
    `Exported ${summary.documents} documents (${summary.mode}${summary.fullBecause ? `: ${summary.fullBecause}` : ''}, ${summary.documentsRead} read) ` +
      `to ${target.dir}: ${summary.written} files written, ${summary.unchanged} unchanged, ${summary.removed} removed; ` +
      `${megabytes(summary.bytesWritten)} written of ${megabytes(summary.totalBytes)} in ${summary.files} files, ${summary.seconds.toFixed(1)} s.`,
  )
})
