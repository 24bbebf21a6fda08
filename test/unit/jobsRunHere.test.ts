import type { Config } from 'payload'

import { jobsRunHerePlugin, jobsRunInThisProcess } from '../../src/jobs/runsHere'

const config = {
  jobs: {
    autoRun: [{ cron: '* * * * *', queue: 'default' }, { cron: '*/5 * * * * *', queue: 'build-hooks' }],
    deleteJobOnComplete: false,
  },
} as unknown as Config

describe('JOBS_AUTORUN', () => {
  test('jobs run in the process unless the setting is "false"', () => {
    expect(jobsRunInThisProcess({})).toBe(true)
    expect(jobsRunInThisProcess({ JOBS_AUTORUN: 'true' })).toBe(true)
    expect(jobsRunInThisProcess({ JOBS_AUTORUN: 'false' })).toBe(false)
  })

  test('where jobs run, every cron stays', async () => {
    expect(await jobsRunHerePlugin({})(config)).toBe(config)
  })

  test('where they do not, the process has no cron, so it does not queue scheduled tasks either', async () => {
    const here = await jobsRunHerePlugin({ JOBS_AUTORUN: 'false' })(config)
    expect(here.jobs).toEqual({ autoRun: [], deleteJobOnComplete: false })
    expect(config.jobs!.autoRun).toHaveLength(2)
  })
})
