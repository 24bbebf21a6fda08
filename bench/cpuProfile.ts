// V8's sampling profiler for the in-process profiles (`npm run bench:read`, `npm run bench:publish`):
// samples a piece of work, keeps the .cpuprofile and prints self time by area and the costliest functions.
import fs from 'node:fs'
import { Session } from 'node:inspector/promises'
import path from 'node:path'

/** An area of self time, recognised by a sampled function's script URL (and V8's own pseudo-frames). */
export type ProfileArea = { name: string; test: (url: string, fn: string) => boolean }

type ProfileNode = { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }
type CpuProfile = { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] }

/** V8's own frames, first in every list of areas. */
export const ENGINE_AREAS: ProfileArea[] = [
  { name: 'GC', test: (_url, fn) => fn === '(garbage collector)' },
  { name: 'idle / waiting', test: (_url, fn) => fn === '(idle)' },
  { name: 'V8 / native (program)', test: (url, fn) => fn === '(program)' || (url === '' && fn !== '(root)') },
]

/** What is left, last in every list of areas (the last one takes everything). */
export const REMAINING_AREAS: ProfileArea[] = [
  { name: 'Greenroom: other src/', test: (url) => url.includes('/src/') && !url.includes('/node_modules/') },
  { name: 'Node internals', test: (url) => url.startsWith('node:') },
  { name: 'other node_modules', test: (url) => url.includes('/node_modules/') },
  { name: 'other', test: () => true },
]

const summarize = (profile: CpuProfile, areas: ProfileArea[]) => {
  const selfMicros = new Map<number, number>()
  for (let k = 0; k < profile.samples.length; k++) {
    // A sample's delta is the time until it was taken: it belongs to the sample before it.
    const delta = profile.timeDeltas[k + 1] ?? 0
    selfMicros.set(profile.samples[k]!, (selfMicros.get(profile.samples[k]!) ?? 0) + delta)
  }
  const byArea = new Map<string, number>()
  const byFunction = new Map<string, number>()
  let total = 0
  for (const node of profile.nodes) {
    const micros = selfMicros.get(node.id) ?? 0
    if (!micros) continue
    const { url, functionName, lineNumber } = node.callFrame
    const area = areas.find((candidate) => candidate.test(url, functionName))?.name ?? 'other'
    byArea.set(area, (byArea.get(area) ?? 0) + micros)
    const where = url.replace(/^.*\/node_modules\//, '').replace(/^file:\/\/.*?\/src\//, 'src/')
    const fn = `${functionName || '(anonymous)'} ${where}:${lineNumber + 1}`
    byFunction.set(fn, (byFunction.get(fn) ?? 0) + micros)
    total += micros
  }
  return { byArea, byFunction, total }
}

export type ProfileReport = {
  /** Where the .cpuprofile goes, and the start of its name. */
  dir: string
  name: string
  areas: ProfileArea[]
  /** How many operations `work` did, and what one is called ("request", "publish"). */
  operations: number
  operation: string
  title: string
  topFunctions: number
}

/** Samples `work` every 100 µs, writes the profile and prints its self time by area and by function. */
export const profileAndPrint = async (work: () => Promise<void>, report: ProfileReport): Promise<void> => {
  const session = new Session()
  session.connect()
  await session.post('Profiler.enable')
  await session.post('Profiler.setSamplingInterval', { interval: 100 })
  await session.post('Profiler.start')
  const started = process.hrtime.bigint()
  await work()
  const sampledMs = Number(process.hrtime.bigint() - started) / 1e6
  const { profile } = (await session.post('Profiler.stop')) as unknown as { profile: CpuProfile }
  session.disconnect()
  const file = path.join(report.dir, `${report.name}-${new Date().toISOString().replace(/[:.]/g, '-')}.cpuprofile`)
  fs.writeFileSync(file, JSON.stringify(profile))

  const { byArea, byFunction, total } = summarize(profile, report.areas)
  const line = (name: string, micros: number) =>
    `  ${name.padEnd(60)} ${((micros / total) * 100).toFixed(1).padStart(5)} %  ${(micros / 1000 / report.operations).toFixed(3).padStart(7)} ms/${report.operation}`
  console.log(`\nSelf time by area, ${report.title} (${(sampledMs / report.operations).toFixed(2)} ms a ${report.operation} while sampled):`)
  for (const [name, micros] of [...byArea].sort((a, b) => b[1] - a[1])) console.log(line(name, micros))
  console.log('\nCostliest functions (self time):')
  for (const [name, micros] of [...byFunction].sort((a, b) => b[1] - a[1]).slice(0, report.topFunctions)) {
    console.log(line(name.slice(0, 100), micros))
  }
  console.log(`\nprofile: ${file}`)
}

export const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!
export const percentile = (values: number[], p: number) => [...values].sort((a, b) => a - b)[Math.floor((values.length - 1) * p)]!
