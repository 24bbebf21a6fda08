// `npm run worker` (see scripts/worker.mjs, which compiles and runs this file): the job queues in a
// process of their own, for deployments whose web servers run with JOBS_AUTORUN=false.
import type { Payload } from 'payload'

import { joinCluster } from '../src/cluster'
import { closePayload } from '../src/db/closePayload'

// This process is the one that runs jobs, whatever the deployment's shared settings say.
process.env.JOBS_AUTORUN = 'true'

const [{ default: config }, { getPayload }] = await Promise.all([import('@payload-config'), import('payload')])
const payload: Payload = await getPayload({ config, cron: true })
// What the jobs publish reaches the servers' response stores at once (with REDIS_URL).
const cluster = joinCluster(payload)
const autoRun = Array.isArray(payload.config.jobs.autoRun) ? payload.config.jobs.autoRun : []

payload.logger.info(
  { queues: autoRun.map(({ queue, cron }) => `${queue ?? 'default'} (${cron ?? '* * * * *'})`) },
  'Job runner started',
)

let stopping = false
const stop = async (signal: string) => {
  if (stopping) process.exit(130)
  stopping = true
  payload.logger.info({ signal }, 'Job runner stopping: no new jobs are taken')
  // Stops the schedules and closes the database; a job in hand is left marked as running.
  await cluster.close()
  await closePayload(payload)
  process.exit(0)
}
process.on('SIGINT', () => void stop('SIGINT'))
process.on('SIGTERM', () => void stop('SIGTERM'))

// What fell due while no runner ran goes now, not at the next tick of each schedule.
for (const { queue, limit } of autoRun) {
  if (stopping) break
  await payload.jobs.run({ queue: queue ?? 'default', limit: limit ?? 10 })
}
