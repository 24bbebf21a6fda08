// Several servers loaded by turns with the same request: a warm-up of each, then `rounds` rounds in which
// each side is loaded once, one right after the other. On a shared two-core machine the speed drifts by
// tens of percent from one minute to the next; sides measured by turns see the same machine, so the
// ratio between two of them is the median of the rounds' ratios.
import type { LoadResult, LoadSettings, Target } from './load'
import { combineRounds, measureLoad, medianRatio } from './load'

export type Side = { name: string; target: Target; expectedStatus: number }

/**
 * Waits until a server has worked off the requests a load left in flight: autocannon stops at the end
 * of its time and drops what is unanswered, but the server still answers it, on the same two cores the
 * next side is measured on. One more request queues behind them; its answer means they are done.
 */
export const drain = async (target: Target) => {
  await fetch(target.url, { method: target.method, headers: target.headers, body: target.body })
    .then((res) => res.arrayBuffer())
    .catch(() => undefined)
}

export type TurnsResult = {
  loads: Record<string, LoadResult>
  rounds: Record<string, LoadResult[]>
}

export const loadSidesByTurns = async (sides: Side[], settings: LoadSettings): Promise<TurnsResult> => {
  const round = { ...settings, durationSeconds: settings.durationSeconds / settings.rounds, warmupSeconds: 0 }
  const warmUp = { ...settings, durationSeconds: settings.warmupSeconds, warmupSeconds: 0 }
  if (warmUp.durationSeconds > 0) {
    for (const side of sides) {
      await measureLoad(side.target, warmUp, side.expectedStatus)
      await drain(side.target)
    }
  }
  const rounds: Record<string, LoadResult[]> = Object.fromEntries(sides.map((side) => [side.name, []]))
  for (let k = 0; k < settings.rounds; k++) {
    for (const side of sides) {
      rounds[side.name].push(await measureLoad(side.target, round, side.expectedStatus))
      await drain(side.target)
    }
  }
  return { loads: Object.fromEntries(sides.map((side) => [side.name, combineRounds(rounds[side.name])])), rounds }
}

/** The median of the rounds' req/s ratios of two sides, or undefined when either was not loaded. */
export const ratioOf = (result: TurnsResult, numerator: string, denominator: string) =>
  result.rounds[numerator] && result.rounds[denominator]
    ? medianRatio(result.rounds[numerator], result.rounds[denominator])
    : undefined
