// `npm run media:regenerate` (see scripts/media-regenerate.mjs, which compiles and runs this file).
import { UsageError, parseCommandLine, runCommand } from '../src/backup/cli'
import { regenerateMedia } from '../src/media/regenerate'

const USAGE = `Usage: npm run media:regenerate [-- --restart]

Makes the resized images (and the placeholders and stored transforms) of every media document
again from its original, after the image sizes or their formats changed. Originals are read, never
written. Safe while the server runs: each document is updated in its own transaction and each new
image replaces its old one in one step. Interrupted (Ctrl-C, a crash), it goes on after the last
document it finished when run again, as long as the image sizes are unchanged.

Options:
  --restart    start from the first document even if an earlier run was interrupted
  -h, --help   show this help

Exit codes: 0 done, 1 failed, 2 wrong command line, 130 interrupted (run it again to go on).`

await runCommand(USAGE, async (openPayload, progressBar) => {
  const { values, positionals } = parseCommandLine(process.argv.slice(2), {
    options: { restart: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
    allowPositionals: true,
  })
  if (values.help) {
    console.log(USAGE)
    return
  }
  if (positionals.length) throw new UsageError(`Unexpected argument: ${positionals[0]}`)

  const payload = await openPayload()
  const interrupted = new AbortController()
  const stop = () => {
    if (interrupted.signal.aborted) process.exit(130)
    console.error('\nStopping after the image in hand (Ctrl-C again to stop at once; run again to go on).')
    interrupted.abort()
  }
  process.on('SIGINT', stop)
  process.on('SIGTERM', stop)
  const bar = progressBar('regenerate')
  const summary = await regenerateMedia(payload, { restart: values.restart, onProgress: bar.update, signal: interrupted.signal }).finally(() =>
    bar.finish(),
  )
  for (const { id, reason } of summary.skipped) console.error(`warning: media ${id} skipped: ${reason}`)
  const resumed = summary.resumedAfter === null ? '' : ` (went on after media ${summary.resumedAfter})`
  console.log(`Regenerated ${summary.regenerated} media documents in ${summary.seconds.toFixed(1)} s${resumed}.`)
  if (interrupted.signal.aborted) {
    console.log('Interrupted: run `npm run media:regenerate` again to go on.')
    process.exitCode = 130
  }
})
