// Build status for editors, in a real headless Chromium against the production server: an editor
// publishes a post and sees it pending in the sidebar; the server's runner delivers the hook's call
// to a receiver on 127.0.0.1; the site's deploy reports building, then live, through
// POST /api/build-hooks/deploy-status (as Netlify's deploy notifications do); the dashboard and the
// post's sidebar say so. A screenshot of each state is kept in test-results/.
import type { Page } from 'playwright-core'

import { describeInChromium } from '../helpers/adminBrowser'
import { login } from '../helpers/http'
import { keepScreenshot as keepScreenshotOf } from '../helpers/browser'
import { startReceiver, type Receiver } from '../helpers/receiver'
import type { TestServer } from '../helpers/server'
import { TEST_ADMIN } from '../helpers/server'

// The runner on, looking for due deliveries every second; the receiver is on 127.0.0.1.
// The runner on, looking for due deliveries every second; the receiver is on 127.0.0.1.
const serverOptions = { env: { BUILD_HOOKS_ALLOW_PRIVATE_TARGETS: 'true', JOBS_AUTORUN: 'true', BUILD_HOOKS_CRON: '* * * * * *' }, publicServerUrl: true }

describeInChromium('build status in the admin panel (headless Chromium)', { name: 'build-status-failed', server: serverOptions }, (admin) => {
  const { step } = admin
  let server: TestServer
  let receiver: Receiver | undefined
  let page: Page
  let adminAuth: string
  let deployToken: string

  beforeAll(async () => {
    ;({ server, page } = admin)
    receiver = await startReceiver()
  })

  afterAll(async () => {
    await receiver?.close()
  })

  const keepScreenshot = (name: string) => keepScreenshotOf(page, `build-status-${name}`)

  const apiJson = async (path: string, init: RequestInit = {}) => {
    const res = await fetch(`${server!.url}${path}`, {
      ...init,
      headers: { 'content-type': 'application/json', authorization: adminAuth, ...(init.headers as Record<string, string>) },
    })
    return { status: res.status, body: await res.json() }
  }

  /** What Netlify's deploy notification sends: its deploy object, with the token in the URL. */
  const reportDeploy = async (state: 'building' | 'ready') => {
    const res = await fetch(`${server!.url}/api/build-hooks/deploy-status?token=${encodeURIComponent(deployToken)}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ id: 'e2e-1', site_id: 'site-1', state, deploy_ssl_url: 'https://e2e-1--site.netlify.app', error_message: null }),
    })
    expect(res.status).toBe(200)
  }

  const sidebarState = () => page.locator('[data-document-build-status] [data-build-state]').first()

  test('publish a post: pending; the deploy reports building, then live; dashboard and sidebar follow', async () => {
    let postId = ''

    await step('an admin adds a build hook', async () => {
      adminAuth = await login(server.url, TEST_ADMIN.email, TEST_ADMIN.password)
      const created = await apiJson('/api/build-hooks', {
        method: 'POST',
        // A debounce window of a few seconds: long enough to see the post pending, short enough to wait for.
        body: JSON.stringify({ name: 'Site build', url: receiver!.url('/build'), preset: 'netlify', collections: ['posts'], debounceSeconds: 3 }),
      })
      expect(created.status).toBe(201)
      deployToken = created.body.doc.deployToken
      expect(deployToken).toMatch(/^gdt_/)
    })

    await step('log in', async () => {
      await admin.signIn()
    })

    await step('the dashboard lists the hook, with nothing delivered or deployed yet', async () => {
      const panel = page.locator('.build-status-dashboard section', { hasText: 'Site build' })
      await panel.waitFor({ state: 'visible' })
      await panel.getByText('No deploy has reported back yet.').waitFor({ state: 'visible' })
    })

    await step('a draft post is not published yet', async () => {
      await page.goto(`${server!.url}/admin/collections/posts`)
      await page.locator('table').getByRole('link', { name: 'Coming soon: our redesign' }).click()
      await page.waitForURL((url) => /\/admin\/collections\/posts\/\d+$/.test(url.pathname))
      postId = new URL(page.url()).pathname.split('/').pop()!
      await page.locator('[data-document-build-status]').getByText('Not published yet.').waitFor({ state: 'visible' })
    })

    await step('publish: pending', async () => {
      const published = page.waitForResponse(
        (res) => res.url().includes(`/api/posts/${postId}`) && !res.url().includes('autosave=true') && res.request().method() === 'PATCH',
      )
      await page.locator('#action-save').click()
      expect((await published).status()).toBe(200)
      // The sidebar's status is rendered on the server when the edit view loads (it says so).
      await page.reload()
      await sidebarState().waitFor({ state: 'visible' })
      expect(await sidebarState().getAttribute('data-build-state')).toBe('pending')
      expect(await sidebarState().innerText()).toContain('Pending')
      expect(await sidebarState().innerText()).toContain('Waiting to be sent')
      await keepScreenshot('post-pending')
    })

    await step('the runner calls the hook once the window closes; the dashboard shows the delivery', async () => {
      const deadline = Date.now() + 30_000
      while (receiver!.on('/build').length === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 250))
      expect(receiver!.on('/build')).toHaveLength(1)
      await page.goto(`${server!.url}/admin`)
      const deliveries = page.locator('.build-status-dashboard section', { hasText: 'Site build' }).locator('[data-build-deliveries]')
      const row = deliveries.locator('tbody tr').first()
      await row.getByText('delivered').waitFor({ state: 'visible' })
      // Status, when, one change, the receiver's 200.
      expect((await row.locator('td').allInnerTexts()).map((text) => text.trim())).toEqual(['delivered', expect.stringMatching(/UTC$/), '1', '200'])
      await page.goto(`${server!.url}/admin/collections/posts/${postId}`)
      await sidebarState().waitFor({ state: 'visible' })
      expect(await sidebarState().getAttribute('data-build-state')).toBe('sent')
    })

    await step('the deploy reports building: the dashboard and the sidebar say so', async () => {
      // Netlify's notification names no position: the deploy builds what the hook had delivered.
      await reportDeploy('building')
      await page.goto(`${server!.url}/admin`)
      const deploys = page.locator('.build-status-dashboard section', { hasText: 'Site build' }).locator('[data-build-deploys]')
      await deploys.getByText('building').waitFor({ state: 'visible' })
      await deploys.getByText('https://e2e-1--site.netlify.app/').waitFor({ state: 'visible' })
      await keepScreenshot('dashboard-building')
      await page.goto(`${server!.url}/admin/collections/posts/${postId}`)
      await sidebarState().waitFor({ state: 'visible' })
      expect(await sidebarState().getAttribute('data-build-state')).toBe('building')
      expect(await sidebarState().innerText()).toContain('Building')
      await keepScreenshot('post-building')
    })

    await step('the deploy reports live: the dashboard and the sidebar say so', async () => {
      await reportDeploy('ready')
      await page.goto(`${server!.url}/admin`)
      const deploys = page.locator('.build-status-dashboard section', { hasText: 'Site build' }).locator('[data-build-deploys]')
      await deploys.getByText('live', { exact: true }).waitFor({ state: 'visible' })
      // One deploy, reported twice: one row.
      expect(await deploys.locator('tbody tr').count()).toBe(1)
      await keepScreenshot('dashboard-live')
      await page.goto(`${server!.url}/admin/collections/posts/${postId}`)
      await sidebarState().waitFor({ state: 'visible' })
      expect(await sidebarState().getAttribute('data-build-state')).toBe('live')
      const text = await sidebarState().innerText()
      expect(text).toContain('Live')
      expect(text).toContain('https://e2e-1--site.netlify.app/')
      await keepScreenshot('post-live')
    })

    await step('no uncaught errors', async () => {
      expect(admin.problems()).toEqual([])
    })
  }, 300_000)
})
