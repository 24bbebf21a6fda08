// Links checked before publish, in a real headless Chromium against the production server: an
// editor opens a draft post that links to an unpublished page and, before publishing, sees the
// sidebar's warning listing that link, its target (linked to the target's edit view) and why; a
// screenshot is kept as `broken-link-warning`. The admin loads nothing from other origins.
import type { Page } from 'playwright-core'

import { internalLink, paragraph, richText, text } from '../../src/seed/lexical'
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
if (!executablePath && !process.env.CI) console.warn(`Skipping the link checks e2e test. ${missingChromium}`)

const suite = executablePath || process.env.CI ? describe : describe.skip

suite('broken links in the admin panel (headless Chromium)', () => {
  let server: TestServer | undefined
  let browser: TestBrowser | undefined
  let page: Page
  let adminAuth: string

  beforeAll(async () => {
    if (!executablePath) throw new Error(missingChromium)
    const [started, launched] = await Promise.allSettled([startTestServer({ publicServerUrl: true }), launchBrowser(executablePath)])
    if (started.status === 'fulfilled') server = started.value
    if (launched.status === 'fulfilled') browser = launched.value
    if (started.status === 'rejected') throw started.reason
    if (launched.status === 'rejected') throw new Error(`Chromium (${executablePath}) did not start: ${String(launched.reason)}`, { cause: launched.reason })
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

  const step = async (name: string, run: () => Promise<void>) => {
    try {
      await run()
    } catch (error) {
      const screenshot = await saveScreenshot(page, `link-checks-failed-${name}`)
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

  const apiJson = async (path: string, body: unknown) => {
    const res = await fetch(`${server!.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: adminAuth },
      body: JSON.stringify(body),
    })
    return { status: res.status, body: await res.json() }
  }

  test('an editor sees the warning listing a link to an unpublished page before publishing', async () => {
    let pageId: number
    let postId: number

    await step('a draft post links to an unpublished page', async () => {
      const login = await fetch(`${server!.url}/api/users/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(TEST_ADMIN),
      }).then((res) => res.json())
      adminAuth = `JWT ${login.token}`
      const target = await apiJson('/api/pages?draft=true', {
        title: 'Pricing (unpublished)',
        _status: 'draft',
        hero: { type: 'none' },
        layout: [{ blockType: 'content', columns: [{ size: 'full' }] }],
      })
      expect(target.status).toBe(201)
      pageId = target.body.doc.id
      const post = await apiJson('/api/posts?draft=true', {
        title: 'Announcing our prices',
        _status: 'draft',
        content: richText(paragraph(text('Read '), internalLink('pages', pageId, 'our new pricing'), text(' today.'))),
      })
      expect(post.status).toBe(201)
      postId = post.body.doc.id
    })

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

    await step('the edit view warns before publishing, naming the link and its target', async () => {
      await page.goto(`${server!.url}/admin/collections/posts/${postId}`)
      const warning = page.locator('[data-link-check-warning]')
      await warning.waitFor({ state: 'visible' })
      const item = warning.locator('li[data-broken-link="content"]')
      await item.waitFor({ state: 'visible' })
      const text = await item.innerText()
      expect(text).toContain('our new pricing')
      expect(text).toContain('Pricing (unpublished)')
      expect(text).toContain('not published')
      expect(await item.locator('a').getAttribute('href')).toBe(`/admin/collections/pages/${pageId}`)
      expect(await warning.innerText()).toContain('1 broken link')
      await keepScreenshot(page, 'broken-link-warning')
    })

    await step('the posts list filters the documents with broken links', async () => {
      await page.goto(`${server!.url}/admin/collections/posts?where[brokenLinkCount][greater_than]=0`)
      await page.locator('table').getByRole('link', { name: 'Announcing our prices' }).waitFor({ state: 'visible' })
      expect(await page.locator('table tbody tr').count()).toBe(1)
    })

    await step('once the page is published, the warning goes away', async () => {
      const published = await fetch(`${server!.url}/api/pages/${pageId}`, {
        method: 'PATCH',
        headers: { 'content-type': 'application/json', authorization: adminAuth },
        body: JSON.stringify({ _status: 'published' }),
      })
      expect(published.status).toBe(200)
      // The sidebar asks once the form is loaded.
      const asked = page.waitForResponse((res) => res.url().endsWith('/api/link-check') && res.status() === 200)
      await page.goto(`${server!.url}/admin/collections/posts/${postId}`)
      await page.locator('input[name="title"]').waitFor({ state: 'visible' })
      expect((await (await asked).json()).brokenLinks).toEqual([])
      await page.waitForTimeout(500)
      expect(await page.locator('[data-link-check-warning]').count()).toBe(0)
    })

    await step('no uncaught errors, and nothing from other origins', async () => {
      const problems = browser!.messages.filter(
        (message) => message.startsWith('[pageerror]') || message.startsWith('[http 5') || /hydrat/i.test(message),
      )
      expect(problems).toEqual([])
      expect(requestsToOtherOrigins(browser!, server!.url)).toEqual([])
    })
  }, 300_000)
})
