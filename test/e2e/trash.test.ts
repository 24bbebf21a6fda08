// The trash and global drafts in the admin panel, in a real headless Chromium against the production
// server (seeded SQLite): an editor deletes a post (it goes to the trash), finds it there, restores
// it, deletes it again and empties the trash; then saves a draft of the header and publishes it,
// while readers see the published header only. Screenshots kept: `trash` and `global-draft`. The
// admin loads nothing from other origins. Needs Debian's Chromium (see admin.test.ts).
import type { Page } from 'playwright-core'

import { describeInChromium } from '../helpers/adminBrowser'
import { login } from '../helpers/http'
import { keepScreenshot } from '../helpers/browser'
import type { TestServer } from '../helpers/server'
import { TEST_ADMIN } from '../helpers/server'

/** Generous: the 2-core machines take seconds for the first render of each admin route. */
const UI_TIMEOUT = 60_000

describeInChromium('trash and global drafts in the admin panel (headless Chromium)', { name: 'trash', server: { publicServerUrl: true }, uiTimeout: UI_TIMEOUT }, (admin) => {
  const { step } = admin
  let server: TestServer
  let page: Page
  let adminAuth: string

  beforeAll(() => {
    ;({ server, page } = admin)
  })

  beforeAll(async () => {
    adminAuth = await login(server.url, TEST_ADMIN.email, TEST_ADMIN.password)
  }, 300_000)

  /** Polls `read` until it gives `expected` (deep equality), or fails with the last value after UI_TIMEOUT. */
  const until = async (read: () => Promise<unknown>, expected: unknown) => {
    const deadline = Date.now() + UI_TIMEOUT
    let last: unknown
    while (Date.now() < deadline) {
      last = await read()
      if (JSON.stringify(last) === JSON.stringify(expected)) return
      await new Promise((resolve) => setTimeout(resolve, 250))
    }
    expect(last).toEqual(expected)
  }

  const apiJson = async (path: string, auth?: string) => {
    const res = await fetch(`${server!.url}${path}`, { headers: auth ? { authorization: auth } : {} })
    return { status: res.status, body: await res.json() }
  }

  /** Waits until React has hydrated the element's form or page, so clicks go through its handlers. */
  const waitForHydration = (selector: string) =>
    page.waitForFunction((css) => {
      const element = document.querySelector(css)
      return !!element && Object.keys(element).some((key) => key.startsWith('__reactFiber') || key.startsWith('__reactProps'))
    }, selector)

  const openDocument = async (path: string) => {
    await page.goto(`${server!.url}${path}`)
    await page.locator('form').first().waitFor({ state: 'visible' })
    await waitForHydration('form')
  }

  test('an editor deletes a post to the trash, restores it, deletes it again and empties the trash', async () => {
    let post: { id: number; title: string }

    await step('log in', async () => {
      await admin.signIn()
      const { body } = await apiJson('/api/posts?depth=0&limit=1&sort=id&select[title]=true')
      post = body.docs[0]
      expect(post.title).toBeTruthy()
    })

    const deleteFromDocument = async (expectBody: RegExp) => {
      await openDocument(`/admin/collections/posts/${post.id}`)
      await page.locator('.doc-controls__popup button, .doc-controls__dots').first().click()
      await page.getByRole('button', { name: 'Delete', exact: true }).click()
      const modal = page.locator('.confirmation-modal, [class*="confirmation-modal"]').filter({ hasText: 'Confirm deletion' })
      await modal.getByText(expectBody).waitFor({ state: 'visible' })
      const answer = page.waitForResponse((res) => res.url().includes(`/api/posts/${post.id}`) && res.request().method() === 'PATCH')
      await modal.getByRole('button', { name: 'Confirm' }).click()
      expect((await answer).status()).toBe(200)
      await page.waitForURL((url) => url.pathname === '/admin/collections/posts')
    }

    await step('delete moves it to the trash', async () => {
      await deleteFromDocument(/move the Post .* to the trash/)
      expect((await apiJson(`/api/posts/${post.id}`)).status).toBe(404)
      const trashed = await apiJson(`/api/posts/${post.id}?trash=true&depth=0`, adminAuth)
      expect(trashed.body.deletedAt).toBeTruthy()
    })

    await step('find it in the trash', async () => {
      await page.goto(`${server!.url}/admin/collections/posts/trash`)
      const row = page.locator('table').getByRole('link', { name: post.title })
      await row.waitFor({ state: 'visible' })
      await keepScreenshot(page, 'trash')
      await row.click()
      await page.waitForURL((url) => url.pathname === `/admin/collections/posts/trash/${post.id}`)
      await waitForHydration('form')
    })

    await step('restore it as published', async () => {
      await page.getByRole('button', { name: 'Restore', exact: true }).first().click()
      await page.getByText('Confirm restoration').waitFor({ state: 'visible' })
      await page.getByText('Restore as published version').click()
      const answer = page.waitForResponse((res) => res.url().includes('/api/posts') && res.request().method() === 'PATCH')
      await page.getByRole('button', { name: 'Confirm', exact: true }).click()
      expect((await answer).status()).toBe(200)
      await until(async () => (await apiJson(`/api/posts/${post.id}?depth=0`)).status, 200)
    })

    await step('delete it again and empty the trash', async () => {
      await deleteFromDocument(/move the Post .* to the trash/)
      await page.goto(`${server!.url}/admin/collections/posts/trash`)
      await page.locator('table').getByRole('link', { name: post.title }).waitFor({ state: 'visible' })
      await waitForHydration('table')
      // Its accessible name is "Empty Posts trash"; it shows "Empty trash".
      await page.locator('button', { hasText: 'Empty trash' }).click()
      await page.getByText('Confirm deletion').waitFor({ state: 'visible' })
      const answer = page.waitForResponse((res) => res.url().includes('/api/posts') && res.request().method() === 'DELETE')
      await page.getByRole('button', { name: 'Confirm', exact: true }).click()
      expect((await answer).status()).toBe(200)
      await until(async () => (await apiJson(`/api/posts/${post.id}?trash=true`, adminAuth)).status, 404)
    })
  }, 600_000)

  test('an editor saves a draft of the header, which readers do not see, then publishes it', async () => {
    const labels = async (auth?: string, draft = false) =>
      ((await apiJson(`/api/globals/header?depth=0${draft ? '&draft=true' : ''}`, auth)).body.navItems ?? []).map(
        (item: { link: { label: string } }) => item.link.label,
      )
    const published = await labels()
    expect(published.length).toBeGreaterThan(0)
    const label = page.locator('input[name="navItems.0.link.label"]')

    await step('edit the first navigation label and save a draft', async () => {
      await openDocument('/admin/globals/header')
      // Rows start collapsed: open the first one.
      await page.locator('#field-navItems .array-field__row, #field-navItems [class*="collapsible"]').first().locator('button').first().click()
      await label.waitFor({ state: 'visible' })
      await label.fill('Start here')
      const answer = page.waitForResponse((res) => res.url().includes('/api/globals/header') && res.request().method() === 'POST')
      await page.getByRole('button', { name: 'Save Draft' }).click()
      expect((await answer).status()).toBe(200)
      await until(() => labels(adminAuth, true), ['Start here', ...published.slice(1)])
      expect(await labels()).toEqual(published)
      await keepScreenshot(page, 'global-draft')
    })

    await step('publish it', async () => {
      const answer = page.waitForResponse((res) => res.url().includes('/api/globals/header') && res.request().method() === 'POST')
      await page.getByRole('button', { name: 'Publish changes' }).click()
      expect((await answer).status()).toBe(200)
      await until(() => labels(), ['Start here', ...published.slice(1)])
    })
  }, 600_000)
})
