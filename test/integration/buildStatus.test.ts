// Deploys reporting back (POST /api/build-hooks/deploy-status, through Payload's own REST handler)
// and where a document's last change is on its way to the site (src/buildStatus/status.ts), on a
// real database with the real change log and real deliveries to a receiver on 127.0.0.1 (the
// delivery queue is run by hand, as JOBS_AUTORUN is off in the suite).
import configPromise from '@payload-config'
import type { Payload } from 'payload'
import { handleEndpoints } from 'payload'

import { DELIVERY_QUEUE } from '../../src/buildHooks/names'
import { closePayload } from '../../src/db/closePayload'
import { documentBuildStatus } from '../../src/buildStatus/status'
import type { BuildDeploy, BuildHook } from '../../src/payload-types'
import { initPayload, postData } from '../helpers/payload'
import { startReceiver, type Receiver } from '../helpers/receiver'

let payload: Payload
let receiver: Receiver
let hook: BuildHook
let otherHook: BuildHook

const ROUTE = 'http://localhost/api/build-hooks/deploy-status'

type Answer = { status: number; body: Record<string, any> }

const report = async (body: unknown, { token = hook.deployToken!, via = 'header' }: { token?: string | null; via?: 'header' | 'query' } = {}): Promise<Answer> => {
  const url = via === 'query' && token ? `${ROUTE}?token=${encodeURIComponent(token)}` : ROUTE
  const request = new Request(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(via === 'header' && token ? { authorization: `Bearer ${token}` } : {}) },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  })
  const response = await handleEndpoints({ config: configPromise, request })
  return { status: response.status, body: await response.json() }
}

const deploysOf = async (of: BuildHook) =>
  (await payload.find({ collection: 'build-deploys', where: { hook: { equals: of.id } }, sort: 'createdAt', depth: 0, overrideAccess: true })).docs as BuildDeploy[]

const createHook = (name: string, extra: Record<string, unknown> = {}) =>
  payload.create({
    collection: 'build-hooks',
    overrideAccess: true,
    data: { name, url: receiver.url(`/${name.replace(/\W+/g, '-')}`), preset: 'generic', collections: ['posts'], debounceSeconds: 0, ...extra } as never,
  }) as Promise<BuildHook>

const reload = async (of: BuildHook) => (await payload.findByID({ collection: 'build-hooks', id: of.id, depth: 0, overrideAccess: true })) as BuildHook

/** Sends what is due, as a server's runner would; short retry waits are waited out. */
const runDeliveries = async (rounds = 1) => {
  for (let round = 0; round < rounds; round++) {
    if (round > 0) await new Promise((resolve) => setTimeout(resolve, 150))
    await payload.jobs.run({ queue: DELIVERY_QUEUE, limit: 100 })
  }
}

const publishPost = (title: string) => payload.create({ collection: 'posts', overrideAccess: true, data: postData(title, { _status: 'published' }) as never })

beforeAll(async () => {
  process.env.BUILD_HOOKS_ALLOW_PRIVATE_TARGETS = 'true'
  process.env.BUILD_HOOKS_FIRST_RETRY_SECONDS = '0.05'
  payload = await initPayload()
  // Answers 200, except on /gone, which asks Greenroom to stop calling.
  receiver = await startReceiver((request) => (request.path.startsWith('/Gone') ? 410 : 200))
  hook = await createHook('Site')
  otherHook = await createHook('Preview site')
})

afterAll(async () => {
  await receiver.close()
  await closePayload(payload)
})

describe('POST /api/build-hooks/deploy-status', () => {
  test('each hook gets a deploy token of its own', () => {
    expect(hook.deployToken).toMatch(/^gdt_[A-Za-z0-9_-]{32}$/)
    expect(otherHook.deployToken).not.toBe(hook.deployToken)
  })

  test('no token, a wrong one, or one of the wrong length: 401 in the error shape, and nothing stored', async () => {
    // The last character changed to one it is not (a token ending in "x" once made "…x" the real token).
    const lastChanged = `${hook.deployToken!.slice(0, -1)}${hook.deployToken!.endsWith('x') ? 'y' : 'x'}`
    for (const token of [null, 'gdt_wrong', lastChanged, `${hook.deployToken}x`]) {
      for (const via of ['header', 'query'] as const) {
        const answer = await report({ state: 'building' }, { token, via })
        expect(answer.status).toBe(401)
        expect(answer.body).toEqual({ errors: [{ message: expect.stringContaining('deploy token') }] })
      }
    }
    expect(await deploysOf(hook)).toHaveLength(0)
  })

  test.each([
    ['an array', []],
    ['no state', { url: 'https://example.com' }],
    ['an unknown state', { state: 'done' }],
    ['a negative position', { state: 'live', position: -1 }],
    ['a fractional position', { state: 'live', position: 1.5 }],
    ['an unknown Vercel event', { type: 'deployment.checkrun.start', payload: {} }],
    ['an unknown Netlify state', { id: 'n1', site_id: 's', state: 'exploded' }],
    ['something else', { hello: 'world' }],
    ['not JSON', '{"state":'],
  ])('%s: 400 in the error shape', async (_, body) => {
    const answer = await report(body)
    expect(answer.status).toBe(400)
    expect(answer.body).toEqual({ errors: [{ message: expect.any(String) }] })
  })

  test('the generic body: building then live of one deployId update one row, keeping the reported position', async () => {
    const building = await report({ state: 'building', deployId: 'ci-1', position: 7, url: 'https://preview.example.com/ci-1' })
    expect(building.status).toBe(200)
    expect(building.body.deploy).toMatchObject({ state: 'building', position: 7, deployId: 'ci-1', url: 'https://preview.example.com/ci-1' })
    const live = await report({ state: 'live', deployId: 'ci-1' }, { via: 'query' })
    expect(live.status).toBe(200)
    expect(live.body.deploy).toMatchObject({ id: building.body.deploy.id, state: 'live', position: 7, url: 'https://preview.example.com/ci-1' })
    // A "building" that arrives late does not take the finished deploy back.
    expect((await report({ state: 'building', deployId: 'ci-1' })).body.deploy).toMatchObject({ state: 'live' })
    const rows = (await deploysOf(hook)).filter((row) => row.deployId === 'ci-1')
    expect(rows).toHaveLength(1)
    expect(rows[0]).toMatchObject({ state: 'live', provider: 'generic', position: 7, error: null })
  })

  test("Netlify's deploy notification: building, ready and error, by its deploy id", async () => {
    const deploy = { id: '65f0c0ffee', site_id: 'site-1', build_id: 'b1', name: 'greenroom-site', ssl_url: 'https://greenroom-site.netlify.app', deploy_ssl_url: 'https://65f0c0ffee--greenroom-site.netlify.app', error_message: null }
    expect((await report({ ...deploy, state: 'building' }, { via: 'query' })).body.deploy).toMatchObject({ state: 'building', deployId: '65f0c0ffee' })
    const ready = await report({ ...deploy, state: 'ready' }, { via: 'query' })
    expect(ready.body.deploy).toMatchObject({ state: 'live', url: 'https://65f0c0ffee--greenroom-site.netlify.app/' })
    const failed = await report({ ...deploy, id: 'bad1', state: 'error', error_message: 'Build script returned non-zero exit code: 2' }, { via: 'query' })
    expect(failed.body.deploy).toMatchObject({ state: 'failed', deployId: 'bad1' })
    const rows = (await deploysOf(hook)).filter((row) => row.provider === 'netlify')
    expect(rows.map((row) => [row.deployId, row.state, row.error])).toEqual([
      ['65f0c0ffee', 'live', null],
      ['bad1', 'failed', 'Build script returned non-zero exit code: 2'],
    ])
  })

  test("Vercel's webhook: created, then succeeded, of one deployment", async () => {
    const event = (type: string) => ({
      id: `evt_${type}`,
      type,
      createdAt: Date.now(),
      payload: { deployment: { id: 'dpl_2z8', url: 'greenroom-site-abc123.vercel.app', name: 'greenroom-site' }, project: { id: 'prj_1' }, target: 'production' },
    })
    expect((await report(event('deployment.created'), { via: 'query' })).body.deploy).toMatchObject({ state: 'building', url: 'https://greenroom-site-abc123.vercel.app/' })
    expect((await report(event('deployment.succeeded'), { via: 'query' })).body.deploy).toMatchObject({ state: 'live', deployId: 'dpl_2z8' })
    expect((await report({ ...event('deployment.error'), payload: { deployment: { id: 'dpl_err', url: 'x.vercel.app' } } })).body.deploy).toMatchObject({
      state: 'failed',
    })
    const rows = (await deploysOf(hook)).filter((row) => row.provider === 'vercel')
    expect(rows.map((row) => [row.deployId, row.state])).toEqual([
      ['dpl_2z8', 'live'],
      ['dpl_err', 'failed'],
    ])
  })

  test("a report that names no position gets the toPosition of the hook's last delivered delivery", async () => {
    expect((await report({ state: 'building', deployId: 'none-yet' }, { token: otherHook.deployToken })).body.deploy.position).toBeNull()
    await publishPost('Mapped one')
    await runDeliveries()
    otherHook = await reload(otherHook)
    const delivered = otherHook.deliveredThrough!
    expect(delivered).toBeGreaterThan(0)
    // Published, queued, not yet sent: a deploy reported now builds what was delivered before.
    await publishPost('Mapped two')
    const answer = await report({ state: 'building', deployId: 'other-1' }, { token: otherHook.deployToken })
    expect(answer.body.deploy.position).toBe(delivered)
    await runDeliveries()
    otherHook = await reload(otherHook)
    expect(otherHook.deliveredThrough).toBeGreaterThan(delivered)
    // A later delivery does not change what an already reported deploy includes; a new deploy gets the new position.
    expect((await report({ state: 'live', deployId: 'other-1' }, { token: otherHook.deployToken })).body.deploy.position).toBe(delivered)
    expect((await report({ state: 'building', deployId: 'other-2' }, { token: otherHook.deployToken })).body.deploy.position).toBe(otherHook.deliveredThrough)
    // The token decides the hook: the first hook's deploys are not the other's.
    expect((await deploysOf(otherHook)).map((row) => row.deployId)).toEqual(['none-yet', 'other-1', 'other-2'])
  })

  test('reports without a deploy id are deploys of their own', async () => {
    await report({ state: 'live', position: 3 })
    await report({ state: 'live', position: 3 })
    expect((await deploysOf(hook)).filter((row) => !row.deployId)).toHaveLength(2)
  })

  test('two reports of one deploy at once make one row', async () => {
    const answers = await Promise.all([report({ state: 'building', deployId: 'race' }), report({ state: 'building', deployId: 'race' })])
    expect(answers.map((answer) => answer.status)).toEqual([200, 200])
    expect((await deploysOf(hook)).filter((row) => row.deployId === 'race')).toHaveLength(1)
  })
})

describe('a document\'s build status', () => {
  let statusHook: BuildHook

  beforeAll(async () => {
    // Only this hook watches pages, so the other tests' deploys do not count here.
    statusHook = await createHook('Pages site', { collections: ['pages'] })
  })

  const PAGE_CONTENT = { hero: { type: 'none' }, layout: [{ blockType: 'archive', populateBy: 'collection', limit: 5 }] }

  const publishPage = async (title: string) =>
    payload.create({ collection: 'pages', overrideAccess: true, data: { title, _status: 'published', ...PAGE_CONTENT } as never })

  const statusOf = async (id: number | string) => {
    const status = await documentBuildStatus({ payload }, 'pages', id)
    return status?.hooks.find((entry) => entry.hook.id === statusHook.id)
  }

  const lastPosition = async (id: number | string) => (await documentBuildStatus({ payload }, 'pages', id))!.change.position

  const reportFor = (body: Record<string, unknown>) => report(body, { token: statusHook.deployToken })

  test('a draft never published has no status', async () => {
    const draft = await payload.create({ collection: 'pages', overrideAccess: true, draft: true, data: { title: 'Draft only', _status: 'draft', ...PAGE_CONTENT } as never })
    expect(await documentBuildStatus({ payload }, 'pages', draft.id)).toBeUndefined()
  })

  test('published: pending while queued; delivered: sent; then building and live as the deploy reports; an edit is pending again', async () => {
    const page = await publishPage('Status page')
    const position = await lastPosition(page.id)
    // The change log queued the hook's delivery in the publish's own transaction.
    expect(await statusOf(page.id)).toMatchObject({ state: 'pending', detail: expect.stringContaining('Waiting to be sent') })

    await runDeliveries()
    expect((await reload(statusHook)).deliveredThrough).toBe(position)
    expect(await statusOf(page.id)).toMatchObject({ state: 'sent' })

    // Netlify's notification names no position: the deploy builds what the hook delivered.
    await reportFor({ state: 'building', deployId: 'p-1', url: 'https://p-1.example.com' })
    expect(await statusOf(page.id)).toMatchObject({ state: 'building', url: 'https://p-1.example.com/' })

    await reportFor({ state: 'live', deployId: 'p-1' })
    expect(await statusOf(page.id)).toMatchObject({ state: 'live', url: 'https://p-1.example.com/' })

    // A later deploy that fails does not take the change off the site.
    await reportFor({ state: 'failed', deployId: 'p-2', error: 'boom' })
    expect(await statusOf(page.id)).toMatchObject({ state: 'live' })

    await payload.update({ collection: 'pages', id: page.id, overrideAccess: true, data: { title: 'Status page, edited' } as never })
    expect(await lastPosition(page.id)).toBeGreaterThan(position)
    expect(await statusOf(page.id)).toMatchObject({ state: 'pending' })
    await runDeliveries()
  })

  test('a deploy that fails with the change: failed, with its error', async () => {
    const page = await publishPage('Failing page')
    await runDeliveries()
    await reportFor({ state: 'building', deployId: 'f-1' })
    await reportFor({ state: 'failed', deployId: 'f-1', error: 'Build script returned non-zero exit code: 2' })
    expect(await statusOf(page.id)).toMatchObject({ state: 'failed', detail: expect.stringContaining('non-zero exit code') })
  })

  test('a CI step that reports the position itself: live before the delivery is even sent', async () => {
    const page = await publishPage('Reported page')
    const position = await lastPosition(page.id)
    expect(await statusOf(page.id)).toMatchObject({ state: 'pending' })
    await reportFor({ state: 'live', position })
    expect(await statusOf(page.id)).toMatchObject({ state: 'live' })
    await runDeliveries()
  })

  test('a target that answers 410 turns the hook off: failed', async () => {
    const gone = await createHook('Gone', { collections: ['pages'] })
    const page = await publishPage('Gone page')
    await runDeliveries()
    const status = (await documentBuildStatus({ payload }, 'pages', page.id))!.hooks.find((entry) => entry.hook.id === gone.id)
    expect(status).toMatchObject({ state: 'failed', detail: expect.stringContaining('turned off') })
    await payload.delete({ collection: 'build-hooks', id: gone.id, overrideAccess: true })
  })

  test('a hook that does not watch the collection is not listed', async () => {
    const page = await publishPage('Unwatched page')
    const status = await documentBuildStatus({ payload }, 'pages', page.id)
    expect(status!.hooks.map((entry) => entry.hook.id)).toEqual([statusHook.id])
  })

  test("deleting a hook deletes its deploys", async () => {
    const doomed = await createHook('Doomed')
    await report({ state: 'live', deployId: 'd-1' }, { token: doomed.deployToken })
    expect(await deploysOf(doomed)).toHaveLength(1)
    await payload.delete({ collection: 'build-hooks', id: doomed.id, overrideAccess: true })
    expect((await payload.count({ collection: 'build-deploys', where: { deployId: { equals: 'd-1' } }, overrideAccess: true })).totalDocs).toBe(0)
  })
})
