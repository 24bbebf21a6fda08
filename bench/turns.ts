// Several servers loaded by turns with the same request: a warm-up of each, then `rounds` rounds in which
// each side is loaded once, one right after the other. On a shared two-core machine the speed drifts by
// tens of percent from one minute to the next; sides measured by turns see the same machine, so the
// ratio between two of them is the median of the rounds' ratios.
import type { LoadResult, LoadSettings, Target } from './load'
import { combineRounds, measureLoad, medianRatio } from './load'

export type Side = { name: string; target: Target; expectedStatus: number }

export type TurnsResult = {
  loads: Record<string, LoadResult>
  rounds: Record<string, LoadResult[]>
}

export const loadSidesByTurns = async (sides: Side[], settings: LoadSettings): Promise<TurnsResult> => {
  const round = { ...settings, durationSeconds: settings.durationSeconds / settings.rounds, warmupSeconds: 0 }
  const warmUp = { ...settings, durationSeconds: settings.warmupSeconds, warmupSeconds: 0 }
  if (warmUp.durationSeconds > 0) {
    for (const side of sides) await measureLoad(side.target, warmUp, side.expectedStatus)
  }
  const rounds: Record<string, LoadResult[]> = Object.fromEntries(sides.map((side) => [side.name, []]))
  for (let k = 0; k < settings.rounds; k++) {
    for (const side of sides) rounds[side.name].push(await measureLoad(side.target, round, side.expectedStatus))
  }
  return { loads: Object.fromEntries(sides.map((side) => [side.name, combineRounds(rounds[side.name])])), rounds }
}

/** The median of the rounds' req/s ratios of two sides, or undefined when either was not loaded. */
export const ratioOf = (result: TurnsResult, numerator: string, denominator: string) =>
  result.rounds[numerator] && result.rounds[denominator]
    ? medianRatio(result.rounds[numerator], result.rounds[denominator])
    : undefined
