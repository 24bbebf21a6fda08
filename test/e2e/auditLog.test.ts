// The audit log in the admin panel, in a real headless Chromium against the production server: an
// admin edits a post, opens the audit log under Admin, filters it by action and entity with the
// list's own filter controls, and sees their edit with the field they changed. Needs Debian's
// Chromium (see test/e2e/admin.test.ts); skipped locally without one, fails on CI.
import type { Page } from 'playwright-core'

import { describeInChromium } from '../helpers/adminBrowser'
import { keepScreenshot } from '../helpers/browser'
import type { TestServer } from '../helpers/server'
import { TEST_ADMIN } from '../helpers/server'

describeInChromium('audit log in the admin panel', { name: 'audit-log', server: { publicServerUrl: true } }, (admin) => {
  const { step } = admin
  let server: TestServer
  let page: Page

  beforeAll(() => {
    ;({ server, page } = admin)
  })

  /** Picks `option` in the react-select inside `container` (Payload's field and value pickers). */
  const pick = async (container: ReturnType<Page['locator']>, option: string) => {
    await container.locator('.rs__control').click()
    await page.locator('.rs__option', { hasText: new RegExp(`^${option}$`, 'i') }).first().click()
  }

  test('an admin edits a post, filters the audit log by action and entity, and sees the edit', async () => {
    let postId = ''
    const newTitle = 'Welcome to Greenroom, audited'

    await step('log in', async () => {
      await admin.signIn()
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
      expect(admin.problems()).toEqual([])
    })
  }, 240_000)
})
