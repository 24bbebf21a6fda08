// `npm run fuzz`: the long run of the spec-driven fuzzer (test/fuzz/fuzzer.ts) against fresh servers.
//   npm run fuzz -- --seed 42 --requests 50000      (or FUZZ_SEED, FUZZ_REQUESTS)
//   npm run fuzz -- --only '^GET /api/posts$'       operations whose "METHOD /path" matches
//   npm run fuzz -- --no-shrink                     report failures without shrinking them (faster)
//   npm run fuzz -- --only '…' --replay 0:123:4:1   one failure again, as the report prints it
import { parseArgs } from 'node:util'

import { ensureProductionBuild } from '../../scripts/lib/build.mjs'
import { fuzz, summarize } from './fuzzer'
import { adminMayCall, startFuzzTargets } from './targets'

const { values } = parseArgs({
  options: {
    seed: { type: 'string' },
    requests: { type: 'string' },
    only: { type: 'string' },
    replay: { type: 'string' },
    'no-shrink': { type: 'boolean' },
    'max-body-bytes': { type: 'string' },
  },
})

const wholeNumber = (name: string, value: string | undefined, fallback: number) => {
  if (value === undefined || value === '') return fallback
  const number = Number(value)
  if (!Number.isSafeInteger(number) || number < 0) throw new Error(`${name} must be a whole number, not "${value}".`)
  return number
}

const seed = wholeNumber('--seed / FUZZ_SEED', values.seed ?? process.env.FUZZ_SEED, Date.now() % 2 ** 31)
const requests = wholeNumber('--requests / FUZZ_REQUESTS', values.requests ?? process.env.FUZZ_REQUESTS, 30_000)
const replay = values.replay
  ? (() => {
      const [target, propertySeed, ...path] = values.replay.split(':')
      return { target: Number(target), seed: Number(propertySeed), path: path.join(':') }
    })()
  : undefined

await ensureProductionBuild(process.cwd(), (message: string) => console.log(message))
console.log(`Starting two servers (readers, admin); seed ${seed}, ${requests} requests…`)
const fuzzTargets = await startFuzzTargets()
let lastShown = 0
try {
  const report = await fuzz(fuzzTargets.targets, fuzzTargets.spec, {
    seed,
    requests: replay ? 1 : requests,
    shrink: !values['no-shrink'],
    only: values.only ? new RegExp(values.only) : undefined,
    maxBodyBytes: wholeNumber('--max-body-bytes', values['max-body-bytes'], 2_000_000),
    allow: adminMayCall,
    replay,
    onProgress: (done, total) => {
      if (done === total || Date.now() - lastShown > 10_000) {
        lastShown = Date.now()
        console.log(`  ${done}/${total} properties`)
      }
    },
  })
  console.log(summarize(report))
  // What the servers logged as errors: the cause of each 5xx.
  for (const [index, server] of fuzzTargets.servers.entries()) {
    const errors = server.output().split('\n').filter((line) => /ERROR/.test(line))
    if (errors.length) console.log(`server ${index} logged ${errors.length} error lines, the first ones:\n${errors.slice(0, 40).map((line) => `  ${line.slice(0, 300)}`).join('\n')}`)
  }
  process.exitCode = report.failures.length ? 1 : 0
} finally {
  await fuzzTargets.stop()
}
