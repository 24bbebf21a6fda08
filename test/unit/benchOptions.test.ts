import path from 'node:path'

import { parseBenchOptions } from '../../bench/options'

describe('npm run bench options', () => {
  it('runs SQLite at 1,000 posts with the publish rates of issue 15 and the kept seeds by default', () => {
    const options = parseBenchOptions([], {})
    expect(options.databases).toEqual(['sqlite'])
    expect(options.postCounts).toEqual([1000])
    expect(options.publishRates).toEqual([0, 1, 5])
    expect(options.seedCache).toEqual({ enabled: true, fresh: false })
    expect(options.baselineDir).toBe(path.resolve('bench', 'results', 'before'))
  })

  it('adds 100,000 posts only when asked (--large, BENCH_LARGE=1), once', () => {
    expect(parseBenchOptions(['--large'], {}).postCounts).toEqual([1000, 100_000])
    expect(parseBenchOptions([], { BENCH_LARGE: '1' }).postCounts).toEqual([1000, 100_000])
    expect(parseBenchOptions(['--posts', '100k', '--large'], {}).postCounts).toEqual([100_000])
    expect(parseBenchOptions(['--large=0'], { BENCH_LARGE: '1' }).postCounts).toEqual([1000])
  })

  it('seeds afresh or keeps nothing when told to', () => {
    expect(parseBenchOptions(['--fresh-seed'], {}).seedCache).toEqual({ enabled: true, fresh: true })
    expect(parseBenchOptions([], { BENCH_FRESH_SEED: 'true' }).seedCache.fresh).toBe(true)
    expect(parseBenchOptions([], { BENCH_SEED_CACHE: '0' }).seedCache.enabled).toBe(false)
  })

  it('takes the publish rates and the baseline folder from the environment', () => {
    const options = parseBenchOptions([], { BENCH_PUBLISH_RATES: '0, 2,x', BENCH_BASELINE: '/tmp/before' })
    expect(options.publishRates).toEqual([0, 2])
    expect(options.baselineDir).toBe('/tmp/before')
  })

  it('refuses flags it does not know, naming the ones it does', () => {
    expect(() => parseBenchOptions(['--huge'], {})).toThrow(/--large or --fresh-seed/)
    expect(() => parseBenchOptions(['--posts'], {})).toThrow(/--posts needs a value/)
  })
})
