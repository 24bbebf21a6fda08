// The admin panel as an editor works in it, in a real headless Chromium against the production
// server: it loads nothing from other origins (Monaco included, served by Greenroom), code blocks
// show their code, rows and blocks are labelled by their content, the dashboard shows the editor's
// desk, and scheduling a draft starts on "Publish" in the site's time zone. Needs Debian's
// Chromium (`apt-get install -y chromium`, or CHROMIUM_PATH); skipped without one locally, fails on CI.
import type { Page } from 'playwright-core'

import type { TestBrowser } from '../helpers/browser'
import { describeInChromium } from '../helpers/adminBrowser'
import { keepScreenshot } from '../helpers/browser'
import { TEST_ADMIN } from '../helpers/server'
import type { TestServer } from '../helpers/server'

/** Generous: the 2-core machines take seconds for the first render of each admin route. */
const UI_TIMEOUT = 60_000
const SITE_TIME_ZONE = 'Europe/Berlin'

/** Monaco draws spaces as no-break spaces. */
const plain = (text: string) => text.replace(/\u00a0/g, ' ')

describeInChromium('the admin panel for editors, in headless Chromium', { name: 'editor', server: { publicServerUrl: true, env: { SITE_TIME_ZONE } }, uiTimeout: UI_TIMEOUT }, (admin) => {
  const { step } = admin
  let server: TestServer
  let browser: TestBrowser
  let page: Page

  beforeAll(() => {
    ;({ server, browser, page } = admin)
  })

  const open = async (path: string) => {
    await page.goto(`${server!.url}${path}`)
    await page.waitForLoadState('load')
  }

  test('signs in and starts a piece of their own', async () => {
    await step('log in', async () => {
      await admin.signIn()
    })

    await step('a draft of their own', async () => {
      // Through the admin's own session, as its forms send it.
      const status = await page.evaluate(async () => {
        const me = await fetch('/api/users/me', { credentials: 'include' })
        const { user } = (await me.json()) as { user: { id: number } }
        const created = await fetch('/api/posts?draft=true', {
          method: 'POST',
          credentials: 'include',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ title: 'My unfinished piece', _status: 'draft', authors: [user.id] }),
        })
        return created.status
      })
      expect(status).toBe(201)
    })
  }, 180_000)

  test('a post’s code block shows its code in Monaco, served by Greenroom', async () => {
    await step('open the post', async () => {
      await open('/admin/collections/posts')
      await page.locator('table').getByRole('link', { name: 'Fetching content at build time' }).click()
      await page.waitForURL((url) => /\/admin\/collections\/posts\/\d+$/.test(url.pathname))
      await page.locator('input[name="title"]').waitFor({ state: 'visible' })
    })

    await step('code block', async () => {
      const lines = page.locator('.monaco-editor .view-lines').first()
      await lines.waitFor({ state: 'visible' })
      await page.waitForFunction(() => document.querySelector('.monaco-editor .view-lines')?.textContent?.includes('curl'))
      expect(plain(await lines.innerText())).toContain('curl "http://localhost:3000/api/posts?limit=10&depth=1"')
      // The rich text's blocks are labelled by their content too: the code blocks by their captions.
      const headers = page.locator('[data-row-label]')
      await headers.filter({ hasText: 'GraphQL' }).first().waitFor({ state: 'visible' })
      expect((await headers.allInnerTexts()).map((text) => text.replace(/\s+/g, ' ').trim())).toEqual(
        expect.arrayContaining(['Code REST', 'Code GraphQL']),
      )
      expect(await page.getByText('Untitled', { exact: true }).count()).toBe(0)
      // Rich text around it rendered too.
      await page.getByText('Static-site generators fetch published posts once per build.').first().waitFor({ state: 'visible' })
      await page.locator('.monaco-editor').first().scrollIntoViewIfNeeded()
      await keepScreenshot(page, 'code-block', { fullPage: false })
      // Monaco came from this server, at its versioned path, and its workers too.
      const monacoFiles = browser!.requests.filter((url) => url.includes('/admin-assets/monaco/'))
      expect(monacoFiles.some((url) => url.endsWith('/vs/loader.js'))).toBe(true)
      const problems = browser!.messages.filter((message) => message.startsWith('[pageerror]') || message.includes('/admin-assets/'))
      expect(problems).toEqual([])
    })
  }, 180_000)

  test('rows and blocks are labelled by their content', async () => {
    await step('header global', async () => {
      await open('/admin/globals/header')
      const labels = page.locator('#field-navItems [data-row-label]')
      await labels.first().waitFor({ state: 'visible' })
      expect((await labels.allInnerTexts()).map((text) => text.trim())).toEqual(['01 · Home', '02 · About', '03 · Contact'])
      await keepScreenshot(page, 'row-labels')
    })

    await step('page layout blocks', async () => {
      await open('/admin/collections/pages')
      await page.locator('table').getByRole('link', { name: 'Home' }).first().click()
      await page.waitForURL((url) => /\/admin\/collections\/pages\/\d+$/.test(url.pathname))
      await page.getByRole('tab', { name: 'Content' }).or(page.getByRole('button', { name: 'Content' })).first().click()
      const labels = page.locator('#field-layout [data-row-label]')
      await labels.first().waitFor({ state: 'visible' })
      const texts = (await labels.allInnerTexts()).map((text) => text.replace(/\s+/g, ' ').trim())
      expect(texts).toEqual([
        '01 Content Greenroom keeps writing, editing and publishing in one place.',
        '02 Archive Latest posts',
        '03 Call to action Want to write for us?',
      ])
      await keepScreenshot(page, 'block-labels')
    })

    await step('media list', async () => {
      await open('/admin/collections/media')
      await page.locator('table tbody tr').first().waitFor({ state: 'visible' })
    })
  }, 180_000)

  test('scheduling a draft starts on Publish, in the site’s time zone', async () => {
    await step('open the draft', async () => {
      await open('/admin/collections/posts')
      await page.locator('table').getByRole('link', { name: 'Coming soon: our redesign' }).click()
      await page.waitForURL((url) => /\/admin\/collections\/posts\/\d+$/.test(url.pathname))
      await page.locator('input[name="title"]').waitFor({ state: 'visible' })
    })

    await step('schedule drawer', async () => {
      // The chevron beside "Publish changes" opens Payload's menu with "Schedule Publish".
      await page.locator('#action-save-popup button').first().click()
      await page.locator('#schedule-publish').click()
      const type = page.locator('.schedule-publish__type')
      await type.waitFor({ state: 'visible' })
      await page.waitForFunction(() => {
        const radios = document.querySelectorAll<HTMLInputElement>('.schedule-publish__type input[type="radio"]')
        return radios.length === 2 && radios[0].checked && !radios[1].checked
      })
      const drawer = page.locator('.schedule-publish__scheduler')
      expect(await drawer.innerText()).toContain('(UTC+01:00) Berlin, Paris')
      expect(await drawer.innerText()).not.toContain('Select a value')
      await keepScreenshot(page, 'schedule-drawer', { fullPage: false })
    })

    await step('schedule it', async () => {
      const time = page.locator('.schedule-publish__scheduler .react-datepicker__input-container input').first()
      await time.fill('Dec 24, 2030 6:30 PM')
      await time.press('Enter')
      await page.locator('#scheduled-publish-save').click()
      await page.locator('.schedule-publish__upcoming table').getByText('Publish').first().waitFor({ state: 'visible' })
    })
  }, 180_000)

  test('the dashboard shows the desk: own drafts, what is scheduled and when, the site', async () => {
    await step('dashboard', async () => {
      await open('/admin')
      const drafts = page.locator('[data-dashboard-panel="drafts"]')
      await drafts.waitFor({ state: 'visible' })
      // Their own draft, linked to its edit view (the seeded draft is another author's).
      const draft = drafts.getByRole('link', { name: 'My unfinished piece' })
      await draft.waitFor({ state: 'visible' })
      expect(await draft.getAttribute('href')).toMatch(/^\/admin\/collections\/posts\/\d+$/)
      expect(await drafts.innerText()).not.toContain('Coming soon: our redesign')
      // Scheduled in the drawer (previous test) for 18:30 Berlin time, shown in the site's time zone.
      const upcoming = page.locator('[data-dashboard-panel="scheduled"]')
      await upcoming.getByRole('link', { name: 'Coming soon: our redesign' }).waitFor({ state: 'visible' })
      expect(await upcoming.innerText()).toMatch(/publish\s+Coming soon: our redesign\s+24 Dec 2030, 18:30 (CET|GMT\+1)/)
      expect(await upcoming.locator('time').first().getAttribute('datetime')).toBe('2030-12-24T17:30:00.000Z')
      expect(await page.locator('.editor-dashboard').innerText()).toContain(`Times in ${SITE_TIME_ZONE}`)
      // The site's address from site settings (the seed's demo front end).
      expect(await page.locator('[data-site-link]').getAttribute('href')).toMatch(/^https?:\/\//)
      // Recent changes by others, from the audit log: the seed's (no one signed in), never the admin's own.
      const changes = page.locator('[data-dashboard-panel="changes"]')
      await changes.locator('li').first().waitFor({ state: 'visible' })
      expect(await changes.innerText()).not.toContain(TEST_ADMIN.email)
      await page.getByRole('heading', { name: 'Collections' }).waitFor({ state: 'visible' })
      await keepScreenshot(page, 'dashboard')
    })
  }, 180_000)
})
