// One admin-panel test setup for every Chromium suite: the production server and a fresh Chromium
// started side by side, closed afterwards, steps that fail with a screenshot and what the browser and
// server said, signing in through the real login form, and (unless a suite opts out) a check after
// each test that nothing was requested from another origin.
import type { Page } from 'playwright-core'

import type { TestBrowser } from './browser'
import { CHROMIUM_CANDIDATES, CHROMIUM_INSTALL_HINT, findChromium, launchBrowser, requestsToOtherOrigins, saveScreenshot } from './browser'
import type { StartOptions, TestServer } from './server'
import { startTestServer, TEST_ADMIN } from './server'

/** Generous: the 2-core machines take seconds for the first render of each admin route. */
export const UI_TIMEOUT = 45_000

export type AdminBrowser = {
  /** Set once the suite's beforeAll has run. */
  server: TestServer
  browser: TestBrowser
  page: Page
  /** Runs one step; on failure saves a screenshot and rethrows with what the browser and server said. */
  step: (name: string, run: () => Promise<void>) => Promise<void>
  /** Waits until React has hydrated the login form, so typing and submitting go through its handlers. */
  waitForHydratedLoginForm: () => Promise<void>
  /** Fills and submits the login form already on the page. */
  logIn: (email: string, password: string) => Promise<void>
  /** Opens /admin, signs in through the form and waits for the dashboard. */
  signIn: (credentials?: { email: string; password: string }) => Promise<void>
  /** Uncaught exceptions, hydration mismatches and server errors the browser saw: bugs, unlike other console noise. */
  problems: () => string[]
}

type Options = {
  /** Prefix of the failure screenshots' names. */
  name: string
  server?: StartOptions
  uiTimeout?: number
  /** Defaults to true: every test's requests must stay on the server's origin. */
  sameOriginOnly?: boolean
}

const executablePath = findChromium()

/**
 * `describe` for a suite that drives the admin in Chromium: skipped locally when there is no
 * Chromium (with a warning), failing on CI. `body` registers the tests and gets the suite's browser.
 */
export const describeInChromium = (title: string, options: Options, body: (admin: AdminBrowser) => void) => {
  const missing =
    `No Chromium found (CHROMIUM_PATH=${process.env.CHROMIUM_PATH ?? '(unset)'}; tried ${CHROMIUM_CANDIDATES.join(', ')}). ` +
    CHROMIUM_INSTALL_HINT
  if (!executablePath && !process.env.CI) console.warn(`Skipping "${title}". ${missing}`)
  const suite = executablePath || process.env.CI ? describe : describe.skip
  const uiTimeout = options.uiTimeout ?? UI_TIMEOUT

  suite(title, () => {
    let server: TestServer | undefined
    let browser: TestBrowser | undefined
    const need = <T>(value: T | undefined, what: string): T => {
      if (!value) throw new Error(`${what} is not running: the suite's beforeAll failed`)
      return value
    }

    const admin: AdminBrowser = {
      get server() {
        return need(server, 'The test server')
      },
      get browser() {
        return need(browser, 'Chromium')
      },
      get page() {
        return need(browser, 'Chromium').page
      },
      step: async (name, run) => {
        try {
          await run()
        } catch (error) {
          const page = browser?.page
          const screenshot = await saveScreenshot(page, `${options.name}-${name}`)
          const message = error instanceof Error ? error.message : String(error)
          throw new Error(
            [
              `Step "${name}" failed at ${page?.url() ?? '(no page)'}: ${message}`,
              `Screenshot: ${screenshot ?? '(none could be taken)'}`,
              `Browser messages:\n${browser?.messages.join('\n') || '(none)'}`,
              `Server output:\n${server?.output().slice(-8000) || '(none)'}`,
            ].join('\n\n'),
            { cause: error },
          )
        }
      },
      waitForHydratedLoginForm: async () => {
        const { page } = admin
        await page.locator('input[name="email"]').waitFor({ state: 'visible' })
        await page.waitForFunction(() => {
          const form = document.querySelector('input[name="email"]')?.closest('form')
          return !!form && Object.keys(form).some((key) => key.startsWith('__reactFiber') || key.startsWith('__reactProps'))
        })
      },
      logIn: async (email, password) => {
        const { page } = admin
        await page.locator('input[name="email"]').fill(email)
        await page.locator('input[name="password"]').fill(password)
        await page.locator('form button[type="submit"]').click()
      },
      signIn: async ({ email, password } = TEST_ADMIN) => {
        const { page } = admin
        await page.goto(`${admin.server.url}/admin`)
        await page.waitForURL((url) => url.pathname === '/admin/login')
        await admin.waitForHydratedLoginForm()
        await admin.logIn(email, password)
        await page.waitForURL((url) => url.pathname === '/admin')
      },
      problems: () =>
        (browser?.messages ?? []).filter(
          (message) => message.startsWith('[pageerror]') || message.startsWith('[http 5') || /hydrat/i.test(message),
        ),
    }

    beforeAll(async () => {
      if (!executablePath) throw new Error(missing)
      // Both at once; whichever started is kept for afterAll to close even if the other failed.
      const [started, launched] = await Promise.allSettled([startTestServer(options.server), launchBrowser(executablePath)])
      if (started.status === 'fulfilled') server = started.value
      if (launched.status === 'fulfilled') browser = launched.value
      if (started.status === 'rejected') throw started.reason
      if (launched.status === 'rejected') {
        throw new Error(`Chromium (${executablePath}) did not start: ${String(launched.reason)}`, { cause: launched.reason })
      }
      browser!.page.setDefaultTimeout(uiTimeout)
      browser!.page.setDefaultNavigationTimeout(uiTimeout)
    }, 300_000)

    afterAll(async () => {
      try {
        await browser?.close()
      } finally {
        await server?.stop()
      }
    }, 60_000)

    if (options.sameOriginOnly ?? true) {
      let firstRequestOfTest = 0
      beforeEach(() => {
        firstRequestOfTest = browser?.requests.length ?? 0
      })
      afterEach(() => {
        // The admin must work offline and under a strict CSP: each test's requests stay on the server's origin.
        if (!browser || !server) return
        expect(requestsToOtherOrigins({ ...browser, requests: browser.requests.slice(firstRequestOfTest) }, server.url)).toEqual([])
      })
    }

    body(admin)
  })
}
