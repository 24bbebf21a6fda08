// The API reference at /api/docs in a real headless Chromium: Swagger UI renders the spec under the
// page's Content-Security-Policy without a single violation, loads nothing from any other origin, and
// "Try it out" reaches the API. Needs Debian's Chromium, like the admin panel's suite.
import type { Page } from 'playwright-core'

import type { TestBrowser } from '../helpers/browser'
import {
  CHROMIUM_CANDIDATES,
  CHROMIUM_INSTALL_HINT,
  findChromium,
  launchBrowser,
  saveScreenshot,
} from '../helpers/browser'
import type { TestServer } from '../helpers/server'
import { startTestServer } from '../helpers/server'

const UI_TIMEOUT = 45_000

const executablePath = findChromium()
const missingChromium =
  `No Chromium found (CHROMIUM_PATH=${process.env.CHROMIUM_PATH ?? '(unset)'}; tried ${CHROMIUM_CANDIDATES.join(', ')}). ` +
  CHROMIUM_INSTALL_HINT
if (!executablePath && !process.env.CI) console.warn(`Skipping the API reference e2e test. ${missingChromium}`)

const suite = executablePath || process.env.CI ? describe : describe.skip

suite('API reference page in headless Chromium', () => {
  let server: TestServer | undefined
  let browser: TestBrowser | undefined
  let page: Page
  const requested: string[] = []

  beforeAll(async () => {
    if (!executablePath) throw new Error(missingChromium)
    const [started, launched] = await Promise.allSettled([startTestServer(), launchBrowser(executablePath)])
    if (started.status === 'fulfilled') server = started.value
    if (launched.status === 'fulfilled') browser = launched.value
    if (started.status === 'rejected') throw started.reason
    if (launched.status === 'rejected') throw launched.reason
    page = browser!.page
    page.setDefaultTimeout(UI_TIMEOUT)
    page.on('request', (request) => requested.push(request.url()))
    // Every CSP violation, whether or not the browser also logs it.
    await page.addInitScript(() => {
      const seen: string[] = ((window as unknown as { cspViolations: string[] }).cspViolations = [])
      document.addEventListener('securitypolicyviolation', (event) =>
        seen.push(`${event.violatedDirective} ${event.blockedURI}`),
      )
    })
  }, 300_000)

  afterAll(async () => {
    try {
      await browser?.close()
    } finally {
      await server?.stop()
    }
  }, 60_000)

  test('renders the spec, requests nothing elsewhere, and breaks no CSP rule', async () => {
    try {
      // Swagger UI renders operations as they scroll into view; a deep link opens the post list.
      await page.goto(`${server!.url}/api/docs#/Posts/listPosts`)
      // "Try it out" on the post list: a real request from the page to the API.
      const listPosts = page.locator('#operations-Posts-listPosts')
      await listPosts.waitFor()
      await listPosts.getByRole('button', { name: 'Try it out' }).click()
      await listPosts.getByRole('button', { name: 'Execute' }).click()
      await listPosts.locator('.live-responses-table .response-col_status', { hasText: '200' }).first().waitFor()
    } catch (error) {
      const screenshot = await saveScreenshot(page, 'api-docs')
      throw new Error(
        `${error instanceof Error ? error.message : String(error)}\nScreenshot: ${screenshot}\nBrowser: ${browser!.messages.join('\n')}`,
      )
    }
    const elsewhere = requested.filter((url) => !url.startsWith(`${server!.url}/`) && !url.startsWith('data:'))
    expect(elsewhere).toEqual([])
    expect(await page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations)).toEqual([])
    // Failed loads and errors surface as console errors or failed requests.
    expect(browser!.messages).toEqual([])
  }, 120_000)
})
