// Preview in a real headless Chromium against the production server: the Preview button opens
// Greenroom's built-in renderer, and live preview shows what the editor types. Needs Debian's Chromium
// (see test/e2e/admin.test.ts); skipped locally without one, fails on CI.
import type { Page } from 'playwright-core'

import { describeInChromium } from '../helpers/adminBrowser'
import { login } from '../helpers/http'
import { keepScreenshot } from '../helpers/browser'
import type { TestServer } from '../helpers/server'
import { TEST_ADMIN } from '../helpers/server'

const DRAFT_TITLE = 'Coming soon: our redesign'

describeInChromium('preview in headless Chromium', { name: 'preview', server: { publicServerUrl: true } }, (admin) => {
  const { step } = admin
  let server: TestServer
  let page: Page
  let postId: number

  beforeAll(() => {
    ;({ server, page } = admin)
  })

  beforeAll(async () => {
    const auth = await login(server.url, TEST_ADMIN.email, TEST_ADMIN.password)
    const drafts = await fetch(`${server!.url}/api/posts?where[title][equals]=${encodeURIComponent(DRAFT_TITLE)}&draft=true&depth=0`, {
      headers: { authorization: auth },
    }).then((res) => res.json())
    postId = drafts.docs[0].id
  }, 300_000)

  test('the Preview button opens the built-in renderer, and live preview shows what the editor types', async () => {
    await step('log in', async () => {
      await admin.signIn()
    })

    await step('open the draft', async () => {
      await page.goto(`${server!.url}/admin/collections/posts/${postId}`)
      await page.locator('input[name="title"]').waitFor({ state: 'visible' })
    })

    await step('the Preview button opens the built-in renderer', async () => {
      const button = page.locator('#preview-button')
      await button.waitFor({ state: 'visible' })
      const href = (await button.getAttribute('href'))!
      expect(href).toMatch(new RegExp(`/preview/posts/${postId}\\?token=`))
      const opened = page.context().waitForEvent('page')
      await button.click()
      const preview = await opened
      await preview.waitForLoadState('load')
      expect(new URL(preview.url()).pathname).toBe(`/preview/posts/${postId}`)
      await preview.locator('main > h1', { hasText: DRAFT_TITLE }).waitFor({ state: 'visible' })
      expect(await preview.locator('.bar').innerText()).toMatch(/draft/i)
      await keepScreenshot(preview, 'preview-page')
      await preview.close()
    })

    await step('live preview shows the draft', async () => {
      await page.locator('#live-preview-toggler').click()
      const frame = page.frameLocator('#live-preview-iframe')
      await frame.locator('main > h1', { hasText: DRAFT_TITLE }).waitFor({ state: 'visible' })
    })

    await step('typing in the title changes the preview at once, and it stays after the autosave', async () => {
      const typed = 'Coming soon: a preview that follows the editor'
      const autosaved = page.waitForResponse((res) => res.url().includes(`/api/posts/${postId}`) && res.url().includes('autosave=true'))
      await page.locator('input[name="title"]').fill(typed)
      const frame = page.frameLocator('#live-preview-iframe')
      await frame.locator('main > h1', { hasText: typed }).waitFor({ state: 'visible' })
      expect((await autosaved).status()).toBe(200)
    })

    await step('typing in the body changes the preview after the autosave, rendered by the server', async () => {
      const frame = page.frameLocator('#live-preview-iframe')
      const words = 'Fresh words typed just now.'
      const editor = page.locator('[data-lexical-editor="true"]').first()
      await editor.click()
      await page.keyboard.press('Control+End')
      const autosaved = page.waitForResponse((res) => res.url().includes(`/api/posts/${postId}`) && res.url().includes('autosave=true'))
      await page.keyboard.type(` ${words}`)
      expect((await autosaved).status()).toBe(200)
      await frame.locator('main .prose', { hasText: words }).waitFor({ state: 'visible' })
      await frame.locator('main > h1', { hasText: 'Coming soon: a preview that follows the editor' }).waitFor({ state: 'visible' })
      await keepScreenshot(page, 'live-preview', { fullPage: false })
    })

    await step('nothing was loaded from another origin, and nothing went wrong', async () => {
      expect(admin.problems()).toEqual([])
    })
  }, 240_000)

  test("a header draft: the global's Preview button shows the home page inside the draft header", async () => {
    const label = 'Draft-only menu item'
    await step('save a draft of the header', async () => {
      await page.goto(`${server.url}/admin/globals/header`)
      // Rows start collapsed: once the form is hydrated, open them all.
      await page.locator('form').first().waitFor({ state: 'visible' })
      await page.waitForFunction(() => {
        const form = document.querySelector('form')
        return !!form && Object.keys(form).some((key) => key.startsWith('__reactFiber') || key.startsWith('__reactProps'))
      })
      await page.getByRole('button', { name: 'Show All' }).first().click()
      const field = page.locator('input[name="navItems.0.link.label"]')
      await field.waitFor({ state: 'visible' })
      await field.fill(label)
      const saved = page.waitForResponse((res) => res.url().includes('/api/globals/header') && res.request().method() === 'POST')
      await page.getByRole('button', { name: /^Save Draft$/ }).click()
      expect((await saved).status()).toBe(200)
    })

    await step('the Preview button opens the home page inside the draft header; readers still get the published one', async () => {
      const button = page.locator('#preview-button')
      await button.waitFor({ state: 'visible' })
      expect(await button.getAttribute('href')).toMatch(/\/preview\/globals\/header\?token=/)
      const opened = page.context().waitForEvent('page')
      await button.click()
      const preview = await opened
      await preview.waitForLoadState('load')
      await preview.locator('header', { hasText: label }).waitFor({ state: 'visible' })
      await keepScreenshot(preview, 'preview-global-draft')
      await preview.close()
      const published = await fetch(`${server.url}/api/globals/header?draft=true`).then((res) => res.json())
      expect(JSON.stringify(published)).not.toContain(label)
    })

    await step('nothing went wrong', async () => {
      expect(admin.problems()).toEqual([])
    })
  }, 240_000)
})
