// `npm run worker` (scripts/worker.ts): the job queues in a process of their own, for deployments whose
// servers run with JOBS_AUTORUN=false.
import { spawn } from 'node:child_process'

import type { Payload } from 'payload'

import { closePayload } from '../../src/db/closePayload'
import { createUser, initPayload, postData } from '../helpers/payload'

let payload: Payload

beforeAll(async () => {
  payload = await initPayload()
}, 120_000)

afterAll(async () => {
  await closePayload(payload)
})

test('a process with JOBS_AUTORUN=false has no job crons: it neither runs jobs nor queues scheduled ones', () => {
  // The daily clean-ups have schedules; Payload's cron would queue them (and rewrite its schedule
  // bookkeeping) at every tick even where shouldAutoRun refuses to run jobs (src/jobs/runsHere.ts).
  expect(process.env.JOBS_AUTORUN).toBe('false')
  expect(payload.config.jobs.scheduling).toBe(true)
  expect(payload.config.jobs.autoRun).toEqual([])
})

test('runs what is due on the shared settings that turn jobs off in servers, and stops on SIGTERM', async () => {
  const admin = await createUser(payload, 'admin')
  const post = await payload.create({ collection: 'posts', overrideAccess: true, draft: true, data: postData('Due for the worker', { _status: 'draft' }) as never })
  await payload.jobs.queue({
    task: 'schedulePublish',
    waitUntil: new Date(Date.now() - 1_000),
    input: { type: 'publish', doc: { relationTo: 'posts', value: post.id }, user: { relationTo: 'users', value: admin.id } } as never,
  })

  // What `npm run worker` runs, started directly: npm itself ends by the signal instead of passing on the exit code.
  const worker = spawn(process.execPath, ['scripts/worker.mjs'], {
    env: { ...process.env, NODE_ENV: 'production', NODE_OPTIONS: '', LOG_LEVEL: 'info', LOG_FORMAT: 'json', JOBS_AUTORUN: 'false' },
  })
  let output = ''
  worker.stdout.on('data', (chunk) => (output += chunk))
  worker.stderr.on('data', (chunk) => (output += chunk))
  const exited = new Promise<number | null>((resolve) => worker.once('exit', (code) => resolve(code)))
  try {
    const deadline = Date.now() + 90_000
    let status: string | null | undefined
    while (Date.now() < deadline) {
      status = (await payload.findByID({ collection: 'posts', id: post.id, depth: 0, overrideAccess: true }))._status
      if (status === 'published') break
      await new Promise((resolve) => setTimeout(resolve, 250))
    }
    expect([status, output]).toEqual(['published', expect.stringContaining('Job runner started')])
    // The worker has every queue's cron although the shared settings turn them off in servers.
    const started = output
      .split('\n')
      .filter((line) => line.includes('Job runner started'))
      .map((line) => JSON.parse(line) as { queues: string[] })
    expect(started[0]!.queues).toEqual(expect.arrayContaining(['default (* * * * *)', expect.stringMatching(/^build-hooks /)]))
  } finally {
    worker.kill('SIGTERM')
  }
  expect(await exited).toBe(0)
  expect(output).toContain('Job runner stopping')
}, 150_000)
