import path from 'node:path'

import { parseBenchOptions } from '../../bench/options'

/** An environment with only these variables (Next's typings make NODE_ENV required). */
const env = (variables: Record<string, string> = {}) => variables as NodeJS.ProcessEnv

describe('npm run bench options', () => {
  it('runs SQLite at 1,000 posts with the publish rates of issue 15 and the kept seeds by default', () => {
    const options = parseBenchOptions([], env())
    expect(options.databases).toEqual(['sqlite'])
    expect(options.postCounts).toEqual([1000])
    expect(options.publishRates).toEqual([0, 1, 5])
    expect(options.seedCache).toEqual({ enabled: true, fresh: false })
    expect(options.baselineDir).toBe(path.resolve('bench', 'results', 'before'))
  })

  it('adds 100,000 posts only when asked (--large, BENCH_LARGE=1), once', () => {
    expect(parseBenchOptions(['--large'], env()).postCounts).toEqual([1000, 100_000])
    expect(parseBenchOptions([], env({ BENCH_LARGE: '1' })).postCounts).toEqual([1000, 100_000])
    expect(parseBenchOptions(['--posts', '100k', '--large'], env()).postCounts).toEqual([100_000])
    expect(parseBenchOptions(['--large=0'], env({ BENCH_LARGE: '1' })).postCounts).toEqual([1000])
  })

  it('seeds afresh or keeps nothing when told to', () => {
    expect(parseBenchOptions(['--fresh-seed'], env()).seedCache).toEqual({ enabled: true, fresh: true })
    expect(parseBenchOptions([], env({ BENCH_FRESH_SEED: 'true' })).seedCache.fresh).toBe(true)
    expect(parseBenchOptions([], env({ BENCH_SEED_CACHE: '0' })).seedCache.enabled).toBe(false)
  })

  it('takes the publish rates and the baseline folder from the environment', () => {
    const options = parseBenchOptions([], env({ BENCH_PUBLISH_RATES: '0, 2,x', BENCH_BASELINE: '/tmp/before' }))
    expect(options.publishRates).toEqual([0, 2])
    expect(options.baselineDir).toBe('/tmp/before')
  })

  it('refuses flags it does not know, naming the ones it does', () => {
    expect(() => parseBenchOptions(['--huge'], env())).toThrow(/--large or --fresh-seed/)
    expect(() => parseBenchOptions(['--posts'], env())).toThrow(/--posts needs a value/)
  })
})
