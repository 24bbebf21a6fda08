// Two instances on one database run each due job once (src/jobs/claimJobsOnce.ts). On PostgreSQL
// (and MongoDB): several instances on one SQLite file would be several processes on one machine,
// whose writers already take turns.
import type { Payload } from 'payload'
import { getPayload } from 'payload'

import { closePayload } from '../../src/db/closePayload'
import { createUser, initPayload, postData } from '../helpers/payload'
import { testDatabaseKind } from '../helpers/database'

const suite = testDatabaseKind() === 'sqlite' ? describe.skip : describe

const DUE = 24

type JobDoc = { id: number | string; completedAt?: string | null; processing?: boolean; log?: { state: string; taskSlug: string }[] | null }

suite('jobs on two instances', () => {
  let first: Payload
  let second: Payload

  beforeAll(async () => {
    first = await initPayload()
    const { default: config } = await import('@payload-config')
    second = await getPayload({ config, key: 'second-instance' })
  }, 120_000)

  afterAll(async () => {
    if (second) await closePayload(second)
    if (first) await closePayload(first)
  })

  test('a burst of due scheduled publishes, run by both at once, publishes each post once', async () => {
    const admin = await createUser(first, 'admin')
    const posts = []
    for (let i = 0; i < DUE; i++) {
      posts.push(await first.create({ collection: 'posts', overrideAccess: true, draft: true, data: postData(`Scheduled ${i}`, { _status: 'draft' }) as never }))
    }
    const jobIds: (number | string)[] = []
    for (const post of posts) {
      const job = await first.jobs.queue({
        task: 'schedulePublish',
        waitUntil: new Date(Date.now() - 1_000),
        input: { type: 'publish', doc: { relationTo: 'posts', value: post.id }, user: { relationTo: 'users', value: admin.id } } as never,
      })
      jobIds.push(job.id)
    }

    // Both runners poll at once, as two servers' autoRun would, in small batches so they meet often.
    const runner = async (payload: Payload) => {
      for (let round = 0; round < DUE; round++) {
        const result = await payload.jobs.run({ queue: 'default', limit: 3 })
        if ((result as { noJobsRemaining?: boolean }).noJobsRemaining) return
      }
    }
    await Promise.all([runner(first), runner(second), runner(first), runner(second)])

    const jobs = (await first.find({ collection: 'payload-jobs', where: { id: { in: jobIds } }, limit: DUE, overrideAccess: true, pagination: false })).docs as unknown as JobDoc[]
    expect(jobs).toHaveLength(DUE)
    for (const job of jobs) {
      expect([job.id, Boolean(job.completedAt), job.processing]).toEqual([job.id, true, false])
      // One run logs one succeeded task; a second runner's would add another.
      expect([job.id, job.log?.filter((entry) => entry.state === 'succeeded').length]).toEqual([job.id, 1])
    }
    for (const post of posts) {
      const published = await first.countVersions({
        collection: 'posts',
        where: { parent: { equals: post.id }, 'version._status': { equals: 'published' } },
      })
      expect([post.id, published.totalDocs]).toEqual([post.id, 1])
    }
  })

  test('a job taken by one instance is not taken by the other, even when run by id', async () => {
    const admin = await createUser(first, 'admin')
    const post = await first.create({ collection: 'posts', overrideAccess: true, draft: true, data: postData('Run by id', { _status: 'draft' }) as never })
    const job = await first.jobs.queue({
      task: 'schedulePublish',
      waitUntil: new Date(Date.now() - 1_000),
      input: { type: 'publish', doc: { relationTo: 'posts', value: post.id }, user: { relationTo: 'users', value: admin.id } } as never,
    })
    await Promise.all([first.jobs.runByID({ id: job.id }), second.jobs.runByID({ id: job.id })])
    const published = await first.countVersions({
      collection: 'posts',
      where: { parent: { equals: post.id }, 'version._status': { equals: 'published' } },
    })
    expect(published.totalDocs).toBe(1)
    const stored = (await first.findByID({ collection: 'payload-jobs', id: job.id, overrideAccess: true })) as unknown as JobDoc
    expect(stored.completedAt).toBeTruthy()
  })
})
