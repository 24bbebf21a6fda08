/** How far an export or import has got: `done` of `total` documents and files, and what it is on. */
export type ProgressEvent = { done: number; total: number; item: string }
export type ProgressListener = (event: ProgressEvent) => void

type Output = Pick<NodeJS.WriteStream, 'write'> & { isTTY?: boolean; columns?: number }

type BarOptions = {
  label: string
  /** Plain lines (not a terminal) at most this often; the last state is always printed. */
  intervalMs?: number
  now?: () => number
}

/**
 * A progress bar on stderr: redrawn in place on a terminal (about ten times a second), a plain
 * line every few seconds otherwise (CI logs, redirected output).
 */
export const createProgressBar = (output: Output, { label, intervalMs = 5000, now = Date.now }: BarOptions) => {
  const tty = Boolean(output.isTTY)
  const minGap = tty ? 100 : intervalMs
  let last: ProgressEvent | undefined
  let lastShown = true
  let lastDrawn = -Infinity
  let drawn = false

  const line = ({ done, total, item }: ProgressEvent) => {
    const percent = total ? Math.floor((done / total) * 100) : 100
    const counts = `${percent}% ${done}/${total}${item ? ` ${item}` : ''}`
    if (!tty) return `${label}: ${counts}`
    const columns = output.columns || 80
    const width = Math.max(10, Math.min(30, columns - label.length - counts.length - 6))
    const filled = total ? Math.round((done / total) * width) : width
    // A line longer than the terminal wraps, and \r then redraws only its last part.
    return `${label} [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${counts}`.slice(0, columns - 1)
  }

  const draw = (event: ProgressEvent) => {
    // \x1b[K clears what a longer previous line left behind.
    output.write(tty ? `\r${line(event)}\x1b[K` : `${line(event)}\n`)
    lastDrawn = now()
    drawn = true
    lastShown = true
  }

  return {
    update: ((event) => {
      last = event
      lastShown = false
      if (now() - lastDrawn >= minGap) draw(event)
    }) as ProgressListener,
    /** Prints the final state (unless it is already on screen) and ends the bar's line. */
    finish() {
      if (last && !lastShown) draw(last)
      if (tty && drawn) output.write('\n')
    },
  }
}
