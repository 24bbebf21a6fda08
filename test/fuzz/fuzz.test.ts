// The spec-driven fuzzer (./fuzzer.ts) in CI: a fixed seed and a few thousand requests over every
// operation of /api/openapi.json, anonymously, with an API key and as an admin. `npm run fuzz` runs
// longer; FUZZ_SEED and FUZZ_REQUESTS change this run too.
import { fuzz, summarize } from './fuzzer'
import type { FuzzTargets } from './targets'
import { adminMayCall, startFuzzTargets } from './targets'

const SEED = Number(process.env.FUZZ_SEED || 20261201)
const REQUESTS = Number(process.env.FUZZ_REQUESTS || 3000)

let fuzzTargets: FuzzTargets

beforeAll(async () => {
  fuzzTargets = await startFuzzTargets()
}, 180_000)

afterAll(async () => {
  await fuzzTargets?.stop()
})

test(
  `${REQUESTS} fuzzed requests (seed ${SEED}): no 5xx, every 4xx in the error shape, every answer as the spec says`,
  async () => {
    const report = await fuzz(fuzzTargets.targets, fuzzTargets.spec, {
      seed: SEED,
      requests: REQUESTS,
      // CI bodies stay small enough for a quick run; `npm run fuzz` sends up to 2 MB.
      maxBodyBytes: 300_000,
      allow: adminMayCall,
    })
    console.log(summarize(report))
    expect(report.operations).toBeGreaterThan(50)
    expect(report.requests).toBeGreaterThanOrEqual(REQUESTS * 0.9)
    expect(report.failures.map((failure) => `${failure.operation}: ${failure.kind}: ${failure.problem.split('\n')[0]}`)).toEqual([])
  },
  900_000,
)
