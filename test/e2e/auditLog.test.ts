// The audit log in the admin panel, in a real headless Chromium against the production server: an
// admin edits a post, opens the audit log under Admin, filters it by action and entity with the
// list's own filter controls, and sees their edit with the field they changed. Needs Debian's
// Chromium (see test/e2e/admin.test.ts); skipped locally without one, fails on CI.
import type { Page } from 'playwright-core'

import type { TestBrowser } from '../helpers/browser'
import {
  CHROMIUM_CANDIDATES,
  CHROMIUM_INSTALL_HINT,
  findChromium,
  keepScreenshot,
  launchBrowser,
  requestsToOtherOrigins,
  saveScreenshot,
} from '../helpers/browser'
import type { TestServer } from '../helpers/server'
import { startTestServer, TEST_ADMIN } from '../helpers/server'

const UI_TIMEOUT = 45_000

const executablePath = findChromium()
const missingChromium =
  `No Chromium found (CHROMIUM_PATH=${process.env.CHROMIUM_PATH ?? '(unset)'}; tried ${CHROMIUM_CANDIDATES.join(', ')}). ` +
  CHROMIUM_INSTALL_HINT
if (!executablePath && !process.env.CI) console.warn(`Skipping the audit log e2e tests. ${missingChromium}`)

const suite = executablePath || process.env.CI ? describe : describe.skip

suite('audit log in the admin panel', () => {
  let server: TestServer | undefined
  let browser: TestBrowser | undefined
  let page: Page

  beforeAll(async () => {
    if (!executablePath) throw new Error(missingChromium)
    const [started, launched] = await Promise.allSettled([startTestServer({ publicServerUrl: true }), launchBrowser(executablePath)])
    if (started.status === 'fulfilled') server = started.value
    if (launched.status === 'fulfilled') browser = launched.value
    if (started.status === 'rejected') throw started.reason
    if (launched.status === 'rejected') {
      throw new Error(`Chromium (${executablePath}) did not start: ${String(launched.reason)}`, { cause: launched.reason })
    }
    page = browser!.page
    page.setDefaultTimeout(UI_TIMEOUT)
    page.setDefaultNavigationTimeout(UI_TIMEOUT)
  }, 300_000)

  afterAll(async () => {
    try {
      await browser?.close()
    } finally {
      await server?.stop()
    }
  }, 60_000)

  afterEach(() => {
    // The admin must work offline: nothing may load from another origin.
    if (browser && server) expect(requestsToOtherOrigins(browser, server.url)).toEqual([])
  })

  const step = async (name: string, run: () => Promise<void>) => {
    try {
      await run()
    } catch (error) {
      const screenshot = await saveScreenshot(page, `audit-log-${name}`)
      const message = error instanceof Error ? error.message : String(error)
      throw new Error(
        [
          `Step "${name}" failed at ${page?.url() ?? '(no page)'}: ${message}`,
          `Screenshot: ${screenshot ?? '(none could be taken)'}`,
          `Browser messages:\n${browser?.messages.join('\n') || '(none)'}`,
          `Server output:\n${server?.output() || '(none)'}`,
        ].join('\n\n'),
        { cause: error },
      )
    }
  }

  /** Picks `option` in the react-select inside `container` (Payload's field and value pickers). */
  const pick = async (container: ReturnType<Page['locator']>, option: string) => {
    await container.locator('.rs__control').click()
    await page.locator('.rs__option', { hasText: new RegExp(`^${option}$`, 'i') }).first().click()
  }

  test('an admin edits a post, filters the audit log by action and entity, and sees the edit', async () => {
    let postId = ''
    const newTitle = 'Welcome to Greenroom, audited'

    await step('log in', async () => {
      await page.goto(`${server!.url}/admin`)
      await page.waitForURL((url) => url.pathname === '/admin/login')
      await page.locator('input[name="email"]').waitFor({ state: 'visible' })
      await page.waitForFunction(() => {
        const form = document.querySelector('input[name="email"]')?.closest('form')
        return !!form && Object.keys(form).some((key) => key.startsWith('__reactFiber') || key.startsWith('__reactProps'))
      })
      await page.locator('input[name="email"]').fill(TEST_ADMIN.email)
      await page.locator('input[name="password"]').fill(TEST_ADMIN.password)
      await page.locator('form button[type="submit"]').click()
      await page.waitForURL((url) => url.pathname === '/admin')
    })

    await step('edit and publish a post', async () => {
      await page.goto(`${server!.url}/admin/collections/posts`)
      await page.locator('table').getByRole('link', { name: 'Welcome to Greenroom' }).click()
      await page.waitForURL((url) => /\/admin\/collections\/posts\/\d+$/.test(url.pathname))
      postId = new URL(page.url()).pathname.split('/').pop()!
      const title = page.locator('input[name="title"]')
      await title.waitFor({ state: 'visible' })
      await title.fill(newTitle)
      const published = page.waitForResponse(
        (res) => res.url().includes(`/api/posts/${postId}`) && !res.url().includes('autosave=true') && res.request().method() === 'PATCH',
      )
      await page.getByRole('button', { name: /^Publish( changes)?$/ }).click()
      expect((await published).status()).toBe(200)
    })

    await step('open the audit log, listed under Admin in the navigation', async () => {
      await page.goto(`${server!.url}/admin`)
      // The navigation is collapsed (inert) at this window size; it lists the link all the same.
      const link = page.locator('#nav-audit-log')
      await link.waitFor({ state: 'attached' })
      expect(await link.getAttribute('href')).toBe('/admin/collections/audit-log')
      expect(await page.locator('nav.nav__wrap').textContent()).toMatch(/Admin[\s\S]*Audit log/)
      await page.goto(`${server!.url}${await link.getAttribute('href')}`)
      await page.waitForURL((url) => url.pathname === '/admin/collections/audit-log')
      await page.locator('table').waitFor({ state: 'visible' })
    })

    await step('filter by action and entity', async () => {
      await page.getByRole('button', { name: /^Filters$/ }).click()
      await page.getByRole('button', { name: /^Add Filter$/ }).click()
      const first = page.locator('.condition').first()
      await pick(first.locator('.condition__field'), 'Action')
      await pick(first.locator('.condition__value'), 'update')
      await page.waitForURL((url) => url.search.includes('action') && url.search.includes('update'))
      // The condition's "+" adds an "and" condition below it.
      await first.locator('.condition__actions-add').click()
      const second = page.locator('.condition').nth(1)
      await pick(second.locator('.condition__field'), 'Entity')
      await second.locator('.condition__value input').fill('posts')
      await page.waitForURL((url) => url.search.includes('entity') && url.search.includes('posts'))
      const row = page.locator('table tbody tr', { hasText: TEST_ADMIN.email })
      await row.first().waitFor({ state: 'visible' })
      const rows = page.locator('table tbody tr')
      // Only updates of posts are left, and the admin's edit is one of them, with its document id and changed field.
      for (const text of await rows.allInnerTexts()) {
        expect(text).toContain('update')
        expect(text).toContain('posts')
      }
      const text = await row.first().innerText()
      expect(text).toContain(postId)
      // Only the title: the editor writing the rich text back in its own form is no change.
      expect(text).toContain('["title"]')
      expect(text).not.toContain('login')
      await keepScreenshot(page, 'audit-log')
    })

    await step('the entry, read-only', async () => {
      await page.locator('table tbody tr', { hasText: TEST_ADMIN.email }).first().locator('a').first().click()
      await page.waitForURL((url) => /\/admin\/collections\/audit-log\/\d+$/.test(url.pathname))
      await page.locator('input[name="actorLabel"]').waitFor({ state: 'visible' })
      expect(await page.locator('input[name="actorLabel"]').inputValue()).toBe(TEST_ADMIN.email)
      expect(await page.locator('input[name="actorLabel"]').isDisabled()).toBe(true)
      expect(await page.locator('[data-testid="changed-fields"] li').allInnerTexts()).toEqual(['title'])
      expect(await page.getByRole('button', { name: /^Save$/ }).count()).toBe(0)
    })

    await step('no uncaught errors', async () => {
      const problems = browser!.messages.filter(
        (message) => message.startsWith('[pageerror]') || message.startsWith('[http 5') || /hydrat/i.test(message),
      )
      expect(problems).toEqual([])
    })
  }, 240_000)
})
