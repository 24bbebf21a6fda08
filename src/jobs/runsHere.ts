import type { Plugin } from 'payload'

/** JOBS_AUTORUN (default true): whether this process runs the job queues on their schedules (README, Settings). */
export const jobsRunInThisProcess = (env: Record<string, string | undefined> = process.env): boolean =>
  env.JOBS_AUTORUN !== 'false'

/**
 * Each of Payload's autoRun crons does two things at every tick: it queues the next run of every task
 * with a `schedule` (the daily clean-ups), and then runs due jobs. `shouldAutoRun` can only refuse the
 * second. A server with JOBS_AUTORUN=false would still rewrite the schedule's bookkeeping (the
 * payload-jobs-stats global) every minute, and could queue a scheduled task a second time while the
 * worker queued it too. Such a process gets no crons at all; `npm run worker` sets JOBS_AUTORUN=true
 * for itself and has them. Goes after every plugin that adds a cron.
 */
export const jobsRunHerePlugin =
  (env: Record<string, string | undefined> = process.env): Plugin =>
  (config) =>
    jobsRunInThisProcess(env) ? config : { ...config, jobs: { ...config.jobs, autoRun: [] } }
