// Build hooks through the Local API against a real HTTP receiver on 127.0.0.1: what is queued in a
// write's transaction, what one delivery carries, how it is signed, retried and turned off, and
// which targets are refused. Jobs are run by hand here (JOBS_AUTORUN is off in the suite);
// test/http/buildHooks.test.ts runs real servers with their runners, two at once and killed.
import type { Payload } from 'payload'
import { createLocalReq, initTransaction, killTransaction } from 'payload'
import { Webhook } from 'standardwebhooks'

import { readContentVersion } from '../../src/changes/contentVersion'
import { closePayload } from '../../src/db/closePayload'
import { decodeCursor } from '../../src/sync/cursor'
import { claimDelivery } from '../../src/buildHooks/claim'
import { deliver } from '../../src/buildHooks/deliver'
import { DELIVERY_QUEUE } from '../../src/buildHooks/names'
import { recoverAbandonedDeliveries } from '../../src/buildHooks/recovery'
import { buildHookSettingsFromEnv } from '../../src/buildHooks/settings'
import type { BuildDelivery, BuildHook } from '../../src/payload-types'
import { createUser, initPayload, postData, type TestUser } from '../helpers/payload'
import { startReceiver, type Receiver } from '../helpers/receiver'

let payload: Payload
let admin: TestUser
let receiver: Receiver
let answers: Record<string, number[]> = {}

beforeAll(async () => {
  process.env.BUILD_HOOKS_ALLOW_PRIVATE_TARGETS = 'true'
  process.env.BUILD_HOOKS_FIRST_RETRY_SECONDS = '0.05'
  payload = await initPayload()
  admin = await createUser(payload, 'admin')
  // Each path answers its list of statuses in turn, then 200.
  receiver = await startReceiver((request, index) => answers[request.path.split('?')[0]]?.[index] ?? 200)
})

afterAll(async () => {
  await receiver.close()
  await closePayload(payload)
})

afterEach(async () => {
  process.env.BUILD_HOOKS_ALLOW_PRIVATE_TARGETS = 'true'
  // One hook at a time: every test starts with none, so no other hook's deliveries run.
  await payload.delete({ collection: 'build-hooks', where: { id: { exists: true } }, overrideAccess: true })
  answers = {}
})

const createHook = (path: string, data: Partial<BuildHook> = {}) =>
  payload.create({
    collection: 'build-hooks',
    data: { name: path, url: receiver.url(path), debounceSeconds: 0, ...data } as BuildHook,
    user: admin,
    overrideAccess: false,
  })

const publish = (title: string) => payload.create({ collection: 'posts', data: postData(title, { _status: 'published' }) as never })

const deliveriesOf = async (hook: BuildHook) =>
  (
    await payload.find({
      collection: 'build-deliveries',
      where: { hook: { equals: hook.id } },
      sort: 'createdAt',
      overrideAccess: true,
      pagination: false,
      depth: 0,
    })
  ).docs as BuildDelivery[]

/** Runs the delivery queue until nothing due is left, waiting out short retry delays. */
const runDeliveries = async (rounds = 1) => {
  for (let round = 0; round < rounds; round++) {
    if (round > 0) await new Promise((resolve) => setTimeout(resolve, 150))
    await payload.jobs.run({ queue: DELIVERY_QUEUE, limit: 100 })
  }
}

test('a hook gets a signing secret and a deploy token on create, and starts at the current head of the change log', async () => {
  await publish('Before the hook')
  const hook = await createHook('/created')
  expect(hook.secret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/)
  expect(hook.deployToken).toMatch(/^gdt_/)
  // It announces what comes after it, not the whole history.
  expect(hook.deliveredThrough).toBeGreaterThan(0)
  await runDeliveries()
  expect(receiver.on('/created')).toHaveLength(0)
})

test('a publish is delivered once, signed by the Standard Webhooks spec, with the change in a generic body', async () => {
  const hook = await createHook('/signed')
  const post = await publish('Signed story')
  await runDeliveries()
  const [request, ...more] = receiver.on('/signed')
  expect(more).toHaveLength(0)
  const verified = new Webhook(hook.secret as string).verify(request.body, request.headers) as Record<string, any>
  expect(verified).toMatchObject({
    type: 'content.changed',
    data: { hook: { id: hook.id, name: '/signed' }, to: expect.any(Number), changes: [{ collection: 'posts', id: String(post.id), event: 'published' }] },
  })
  expect(verified.data.from).toBe(hook.deliveredThrough)
  // Sync cursors: `since` asks /api/sync for exactly these changes, `cursor` goes on after them.
  const { epoch } = (await readContentVersion(payload))!
  expect(decodeCursor(verified.data.since, () => true)).toEqual({ mode: 'delta', epoch, position: verified.data.from })
  expect(decodeCursor(verified.data.cursor, () => true)).toEqual({ mode: 'delta', epoch, position: verified.data.to })
  // Who made the change stays in the CMS.
  expect(verified.data.changes[0]).not.toHaveProperty('actor')
  // A tampered body does not verify.
  expect(() => new Webhook(hook.secret as string).verify(request.body.replace('"published"', '"deleted"'), request.headers)).toThrow()
  const [delivery] = await deliveriesOf(hook)
  expect(delivery).toMatchObject({ status: 'delivered', webhookId: request.headers['webhook-id'], changeCount: 1 })
  expect(delivery.attempts).toEqual([expect.objectContaining({ responseCode: 200, error: null })])
  const after = await payload.findByID({ collection: 'build-hooks', id: hook.id, overrideAccess: true })
  expect(after.deliveredThrough).toBe(delivery.toPosition)
})

test('a burst of 50 publishes within the window is one delivery carrying all 50 changes', async () => {
  // A window far longer than the burst, however slow the machine: the test closes it itself.
  const hook = await createHook('/burst', { debounceSeconds: 3600 })
  for (let i = 0; i < 50; i++) await publish(`Burst story ${i}`)
  // Not due before the window closes.
  await runDeliveries()
  expect(receiver.on('/burst')).toHaveLength(0)
  const [queued] = await deliveriesOf(hook)
  expect(await deliveriesOf(hook)).toEqual([expect.objectContaining({ status: 'queued' })])
  // The window closes: the delivery and its job fall due, as they would an hour from now.
  const due = new Date(Date.now() - 1000).toISOString()
  await payload.update({ collection: 'build-deliveries', id: queued.id, data: { nextAttemptAt: due }, overrideAccess: true })
  await payload.update({
    collection: 'payload-jobs',
    where: { and: [{ queue: { equals: DELIVERY_QUEUE } }, { completedAt: { exists: false } }] },
    data: { waitUntil: due },
    overrideAccess: true,
  })
  await runDeliveries(3)
  const requests = receiver.on('/burst')
  expect(requests).toHaveLength(1)
  const body = JSON.parse(requests[0].body)
  expect(body.data.changes).toHaveLength(50)
  const changes = body.data.changes as { collection: string; id: string; event: string }[]
  expect(new Set(changes.map((c) => `${c.collection}:${c.id}:${c.event}`)).size).toBe(50)
  expect(changes.every((c) => c.collection === 'posts' && c.event === 'published')).toBe(true)
  expect(await deliveriesOf(hook)).toEqual([expect.objectContaining({ status: 'delivered', changeCount: 50 })])
})

test('a hook only hears about the collections and globals it watches', async () => {
  await createHook('/header-only', { collections: [], globals: ['header'] })
  await publish('Not for this hook')
  await runDeliveries()
  expect(receiver.on('/header-only')).toHaveLength(0)
  await payload.updateGlobal({ slug: 'header', data: { _status: 'published', navItems: [] } as never })
  await runDeliveries()
  const [request] = receiver.on('/header-only')
  expect(JSON.parse(request.body).data.changes).toEqual([expect.objectContaining({ global: 'header', event: 'updated' })])
})

test('moving a post to the trash fires the hook as a delete; a draft of a watched global does not', async () => {
  const post = await publish('Soon in the trash')
  await createHook('/trash', { collections: ['posts'], globals: ['header'] })
  await payload.updateGlobal({ slug: 'header', draft: true, data: { navItems: [] } as never })
  await runDeliveries()
  expect(receiver.on('/trash')).toHaveLength(0)
  await payload.update({ collection: 'posts', id: post.id, data: { deletedAt: new Date().toISOString() } as never })
  await runDeliveries()
  const [request] = receiver.on('/trash')
  expect(JSON.parse(request.body).data.changes).toEqual([
    expect.objectContaining({ collection: 'posts', id: String(post.id), event: 'deleted' }),
  ])
})

test('a 500 is retried with the same webhook-id until the target answers 2xx', async () => {
  answers['/flaky'] = [500, 503]
  const hook = await createHook('/flaky')
  await publish('Flaky story')
  await runDeliveries(6)
  const requests = receiver.on('/flaky')
  expect(requests.map((r) => r.answered)).toEqual([500, 503, 200])
  expect(new Set(requests.map((r) => r.headers['webhook-id'])).size).toBe(1)
  // Each attempt is signed anew, with its own timestamp.
  for (const request of requests) expect(() => new Webhook(hook.secret as string).verify(request.body, request.headers)).not.toThrow()
  const [delivery] = await deliveriesOf(hook)
  expect(delivery.status).toBe('delivered')
  expect(delivery.attempts?.map((a) => [a.responseCode, a.error?.slice(0, 8) ?? null])).toEqual([
    [500, 'HTTP 500'],
    [503, 'HTTP 503'],
    [200, null],
  ])
})

test('while a burst is being retried, later changes wait in one queued delivery that goes after it', async () => {
  answers['/ordered'] = [500]
  const hook = await createHook('/ordered')
  await publish('First burst')
  await runDeliveries()
  expect((await deliveriesOf(hook)).map((d) => d.status)).toEqual(['retrying'])
  await publish('Second burst a')
  await publish('Second burst b')
  await runDeliveries(6)
  const requests = receiver.on('/ordered').map((r) => ({ status: r.answered, body: JSON.parse(r.body) }))
  expect(requests.map((r) => [r.status, r.body.data.changes.length])).toEqual([
    [500, 1],
    [200, 1],
    [200, 2],
  ])
  expect(requests[2].body.data.from).toBe(requests[1].body.data.to)
  expect((await deliveriesOf(hook)).map((d) => d.status)).toEqual(['delivered', 'delivered'])
})

test('a 410 turns the hook off and says why; nothing more is queued for it', async () => {
  answers['/gone'] = [410]
  const hook = await createHook('/gone')
  await publish('Gone story')
  await runDeliveries(3)
  expect(receiver.on('/gone')).toHaveLength(1)
  const after = await payload.findByID({ collection: 'build-hooks', id: hook.id, overrideAccess: true })
  expect(after).toMatchObject({ enabled: false, disabledReason: expect.stringContaining('410') })
  expect(after.disabledAt).toBeTruthy()
  expect((await deliveriesOf(hook)).map((d) => d.status)).toEqual(['disabled'])
  await publish('After the hook is gone')
  await runDeliveries(2)
  expect(receiver.on('/gone')).toHaveLength(1)
  expect(await deliveriesOf(hook)).toHaveLength(1)
})

test('a burst that fails past the retry window is given up, and the next burst carries its changes again', async () => {
  process.env.BUILD_HOOKS_RETRY_FOR_HOURS = String(0.3 / 3600) // 300 ms
  try {
    answers['/down'] = [500, 500, 500, 500, 500, 500, 500, 500]
    const hook = await createHook('/down')
    await publish('Lost story')
    await runDeliveries(8)
    const [failed] = await deliveriesOf(hook)
    expect(failed.status).toBe('failed')
    answers['/down'] = []
    await publish('Next story')
    await runDeliveries(2)
    const last = JSON.parse(receiver.on('/down').at(-1)!.body)
    expect(last.data.changes).toHaveLength(2)
  } finally {
    delete process.env.BUILD_HOOKS_RETRY_FOR_HOURS
  }
})

test('a target on a private network is refused at save time without BUILD_HOOKS_ALLOW_PRIVATE_TARGETS, and at delivery time', async () => {
  process.env.BUILD_HOOKS_ALLOW_PRIVATE_TARGETS = 'false'
  for (const url of [receiver.url('/private'), 'http://localhost:9/x', 'http://169.254.169.254/latest', 'http://[::1]:9/', 'http://10.1.2.3/']) {
    await expect(
      payload.create({ collection: 'build-hooks', data: { name: 'private', url } as BuildHook, user: admin, overrideAccess: false }),
    ).rejects.toMatchObject({ status: 400, data: { errors: [expect.objectContaining({ path: 'url', message: expect.stringContaining('BUILD_HOOKS_ALLOW_PRIVATE_TARGETS') })] } })
  }
  await expect(
    payload.create({ collection: 'build-hooks', data: { name: 'ftp', url: 'ftp://example.com/' } as BuildHook, user: admin, overrideAccess: false }),
  ).rejects.toMatchObject({ status: 400 })

  // Saved while allowed, delivered after the setting was taken away: refused on the address it would connect to.
  process.env.BUILD_HOOKS_ALLOW_PRIVATE_TARGETS = 'true'
  const hook = await createHook('/private')
  process.env.BUILD_HOOKS_ALLOW_PRIVATE_TARGETS = 'false'
  await publish('Private story')
  await runDeliveries()
  expect(receiver.on('/private')).toHaveLength(0)
  const [delivery] = await deliveriesOf(hook)
  expect(delivery.status).toBe('retrying')
  expect(delivery.attempts?.[0]).toMatchObject({ responseCode: null, error: expect.stringContaining('private') })
})

test('a write that rolls back queues nothing and delivers nothing', async () => {
  const hook = await createHook('/rolled-back')
  const jobsBefore = await payload.count({ collection: 'payload-jobs', overrideAccess: true })
  const req = await createLocalReq({}, payload)
  await initTransaction(req)
  await payload.create({ collection: 'posts', data: postData('Never committed', { _status: 'published' }) as never, req })
  // Inside the transaction the delivery and its job exist…
  expect(await payload.count({ collection: 'build-deliveries', where: { hook: { equals: hook.id } }, overrideAccess: true, req })).toEqual({ totalDocs: 1 })
  await killTransaction(req)
  // …and with the rollback they are gone.
  expect(await deliveriesOf(hook)).toHaveLength(0)
  expect(await payload.count({ collection: 'payload-jobs', overrideAccess: true })).toEqual(jobsBefore)
  await runDeliveries(2)
  expect(receiver.on('/rolled-back')).toHaveLength(0)
})

test('one delivery claimed twice at once is delivered once', async () => {
  const hook = await createHook('/claimed-twice')
  await publish('Claimed story')
  const [delivery] = await deliveriesOf(hook)
  const settings = buildHookSettingsFromEnv()
  const outcomes = await Promise.all([deliver(payload, delivery.id, settings), deliver(payload, delivery.id, settings)])
  expect(outcomes.sort()).toEqual(['delivered', 'not-claimed'])
  // The job queued for it finds it delivered.
  await runDeliveries()
  expect(receiver.on('/claimed-twice')).toHaveLength(1)
})

test('presets: GitHub repository_dispatch gets its body and bearer token; Netlify a trigger title', async () => {
  await expect(createHook('/github', { preset: 'github-dispatch' })).rejects.toMatchObject({
    status: 400,
    data: { errors: [expect.objectContaining({ path: 'githubToken' })] },
  })
  const github = await createHook('/github', { preset: 'github-dispatch', githubToken: 'ghp_test', githubEventType: 'cms-changed' })
  await createHook('/netlify', { preset: 'netlify' })
  await createHook('/vercel', { preset: 'vercel' })
  await publish('Preset story')
  await runDeliveries()
  const [dispatch] = receiver.on('/github')
  expect(dispatch.headers).toMatchObject({ authorization: 'Bearer ghp_test', accept: 'application/vnd.github+json', 'user-agent': expect.any(String) })
  const body = new Webhook(github.secret as string).verify(dispatch.body, dispatch.headers) as Record<string, any>
  expect(body).toEqual({
    event_type: 'cms-changed',
    client_payload: expect.objectContaining({ hook: '/github', changeCount: 1, truncated: false, changes: [expect.objectContaining({ collection: 'posts' })] }),
  })
  expect(Object.keys(body.client_payload).length).toBeLessThanOrEqual(10)
  const [netlify] = receiver.on('/netlify')
  expect(new URL(netlify.path, 'http://x').searchParams.get('trigger_title')).toMatch(/Greenroom: 1 change/)
  expect(receiver.on('/vercel')).toHaveLength(1)
})

test('build hooks and their deliveries are for admins only, and never for API keys', async () => {
  const hook = await createHook('/access')
  const editor = await createUser(payload, 'editor')
  await expect(payload.find({ collection: 'build-hooks', user: editor, overrideAccess: false })).rejects.toMatchObject({ status: 403 })
  await expect(payload.find({ collection: 'build-deliveries', user: editor, overrideAccess: false })).rejects.toMatchObject({ status: 403 })
  const key = { ...admin, _strategy: 'api-key' } as TestUser
  await expect(payload.findByID({ collection: 'build-hooks', id: hook.id, user: key, overrideAccess: false })).rejects.toMatchObject({ status: 403 })
  await expect(
    payload.update({ collection: 'build-hooks', id: hook.id, data: { name: 'x' }, user: key, overrideAccess: false }),
  ).rejects.toMatchObject({ status: 403 })
  // Deliveries are the server's record: not even an admin writes them.
  await expect(
    payload.create({ collection: 'build-deliveries', data: { hook: hook.id, webhookId: 'x' } as never, user: admin, overrideAccess: false }),
  ).rejects.toMatchObject({ status: 403 })
})

test('what a dead server left behind is put back: a delivery whose lease ran out is sent again, with the same webhook-id', async () => {
  const hook = await createHook('/abandoned')
  await publish('Abandoned story')
  const [delivery] = await deliveriesOf(hook)
  // A server took the delivery and its job, then died: the delivery's lease ran out, the job stays "processing".
  const past = new Date(Date.now() - 10 * 60_000)
  expect(await claimDelivery(payload, delivery.id, new Date(), past)).toBe(true)
  await payload.db.updateMany({
    collection: 'payload-jobs',
    where: { taskSlug: { equals: 'deliverBuildHook' }, completedAt: { exists: false } },
    data: { processing: true, updatedAt: past.toISOString() },
    req: {},
  })
  await runDeliveries()
  expect(receiver.on('/abandoned')).toHaveLength(0)

  await recoverAbandonedDeliveries(payload, buildHookSettingsFromEnv())
  expect((await deliveriesOf(hook)).map((d) => d.status)).toEqual(['retrying'])
  expect(
    await payload.count({
      collection: 'payload-jobs',
      where: { taskSlug: { equals: 'deliverBuildHook' }, processing: { equals: true }, completedAt: { exists: false } },
      overrideAccess: true,
    }),
  ).toEqual({ totalDocs: 0 })
  await runDeliveries(2)
  const requests = receiver.on('/abandoned')
  // The dead server's job and the one recovery queued both ran: one call.
  expect(requests).toHaveLength(1)
  expect(requests[0].headers['webhook-id']).toBe(delivery.webhookId)
  expect((await deliveriesOf(hook)).map((d) => d.status)).toEqual(['delivered'])
})
