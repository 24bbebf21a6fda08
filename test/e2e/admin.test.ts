// The admin panel in a real headless Chromium against the real production server (built Next app,
// express in front, fresh SQLite seeded with the demo content). Needs Debian's Chromium:
// `apt-get install -y chromium` (or CHROMIUM_PATH). Without one the suite is skipped locally and
// fails on CI.
import type { Page } from 'playwright-core'

import type { TestBrowser } from '../helpers/browser'
import { describeInChromium } from '../helpers/adminBrowser'
import { login } from '../helpers/http'
import type { TestServer } from '../helpers/server'
import { TEST_ADMIN } from '../helpers/server'

describeInChromium('admin panel in headless Chromium', { name: 'admin', server: { publicServerUrl: true } }, (admin) => {
  const { step, waitForHydratedLoginForm, logIn } = admin
  let server: TestServer
  let browser: TestBrowser
  let page: Page

  beforeAll(() => {
    ;({ server, browser, page } = admin)
  })

  const isLoginPage = (url: URL) => url.pathname === '/admin/login'

  test('a wrong password shows an error and stays on the login page', async () => {
    await step('redirect to login', async () => {
      await page.goto(`${server!.url}/admin`)
      await page.waitForURL(isLoginPage)
      await waitForHydratedLoginForm()
    })

    await step('wrong password', async () => {
      const answer = page.waitForResponse((res) => res.url().endsWith('/api/users/login') && res.request().method() === 'POST')
      answer.catch(() => {}) // awaited below; this only keeps a failed click from leaving it unhandled
      await logIn(TEST_ADMIN.email, `${TEST_ADMIN.password}-wrong`)
      expect((await answer).status()).toBe(401)
      await page.getByText('The email or password provided is incorrect.').waitFor({ state: 'visible' })
      expect(isLoginPage(new URL(page.url()))).toBe(true)
      await page.locator('input[name="password"]').waitFor({ state: 'visible' })
      const cookies = await browser!.context.cookies(server!.url)
      expect(cookies.map((cookie) => cookie.name)).not.toContain('payload-token')
    })
  }, 120_000)

  test('an admin logs in, lands on the dashboard and sees the seeded posts, drafts included', async () => {
    await step('open login page', async () => {
      await page.goto(`${server!.url}/admin`)
      await page.waitForURL(isLoginPage)
      await waitForHydratedLoginForm()
    })

    await step('log in', async () => {
      await logIn(TEST_ADMIN.email, TEST_ADMIN.password)
      await page.waitForURL((url) => url.pathname === '/admin')
      const cookies = await browser!.context.cookies(server!.url)
      expect(cookies.map((cookie) => cookie.name)).toContain('payload-token')
    })

    await step('dashboard', async () => {
      await page.getByRole('heading', { name: 'Collections' }).waitFor({ state: 'visible' })
      await page.getByRole('link', { name: 'Show all Posts' }).waitFor({ state: 'visible' })
    })

    await step('posts list', async () => {
      await page.getByRole('link', { name: 'Show all Posts' }).click()
      await page.waitForURL((url) => url.pathname === '/admin/collections/posts')
      const table = page.locator('table')
      await table.getByRole('link', { name: 'Welcome to Greenroom' }).waitFor({ state: 'visible' })
      const draftRow = table.locator('tr', { hasText: 'Coming soon: our redesign' })
      await draftRow.waitFor({ state: 'visible' })
      expect(await draftRow.innerText()).toContain('Draft')
      const publishedRow = table.locator('tr', { hasText: 'Welcome to Greenroom' })
      expect(await publishedRow.innerText()).toContain('Published')
      // The demo content has five posts; all of them fit on the first page.
      expect(await table.locator('tbody tr').count()).toBe(5)
    })

    await step('no uncaught errors', async () => {
      // Uncaught exceptions, hydration mismatches and server errors are bugs; other console noise
      // (the expected 401 above, the offline Gravatar avatar, Chromium's 404 for /favicon.ico) is not.
      expect(admin.problems()).toEqual([])
    })
  }, 120_000)

  test('an editor edits a draft: autosaves and publishing succeed, and a save over a newer version is refused', async () => {
    // Logged in by the test above (same browser context).
    const saves: { url: string; status: number; sentUpdatedAt: boolean }[] = []
    page.on('response', (response) => {
      const request = response.request()
      if (!/\/api\/posts\/\d+/.test(response.url()) || !['PATCH', 'POST'].includes(request.method())) return
      saves.push({ url: response.url(), status: response.status(), sentUpdatedAt: /updatedAt/.test(request.postData() ?? '') })
    })
    let postId = ''

    await step('open the draft', async () => {
      await page.goto(`${server!.url}/admin/collections/posts`)
      await page.locator('table').getByRole('link', { name: 'Coming soon: our redesign' }).click()
      await page.waitForURL((url) => /\/admin\/collections\/posts\/\d+$/.test(url.pathname))
      postId = new URL(page.url()).pathname.split('/').pop()!
      await page.locator('input[name="title"]').waitFor({ state: 'visible' })
    })

    await step('autosave twice', async () => {
      for (const title of ['Coming soon: the redesign', 'Coming soon: the big redesign']) {
        const autosaved = page.waitForResponse(
          (res) => res.url().includes(`/api/posts/${postId}`) && res.url().includes('autosave=true'),
        )
        await page.locator('input[name="title"]').fill(title)
        expect((await autosaved).status()).toBe(200)
      }
    })

    await step('publish', async () => {
      const published = page.waitForResponse(
        (res) => res.url().includes(`/api/posts/${postId}`) && !res.url().includes('autosave=true') && res.request().method() === 'PATCH',
      )
      await page.getByRole('button', { name: /^Publish( changes)?$/ }).click()
      expect((await published).status()).toBe(200)
      const stored = await fetch(`${server!.url}/api/posts/${postId}?depth=0`).then((res) => res.json())
      expect(stored).toMatchObject({ title: 'Coming soon: the big redesign', _status: 'published' })
      expect(saves.filter((save) => save.status >= 400)).toEqual([])
    })

    await step('someone else saves meanwhile; this editor keeps typing', async () => {
      // With the browser's session cookie; Playwright's request API sends no Origin of its own, which a
      // browser's write always carries (without it Payload's CSRF check ignores the cookie).
      const elsewhere = await page.request.patch(`${server!.url}/api/posts/${postId}`, {
        data: { excerpt: 'Changed elsewhere' },
        headers: { origin: server!.url },
      })
      expect(elsewhere.status()).toBe(200)
      const answered = page.waitForResponse((res) => res.url().includes(`/api/posts/${postId}`) && res.request().method() === 'PATCH')
      await page.locator('input[name="title"]').fill('Coming soon: overwritten?')
      // The admin sends the updatedAt of the copy it shows (and keeps it current after its own saves).
      // Payload's autosave fails quietly; publishing says why.
      expect((await answered).status()).toBe(409)
      const publishing = page.waitForResponse(
        (res) => res.url().includes(`/api/posts/${postId}`) && !res.url().includes('autosave=true') && res.request().method() === 'PATCH',
      )
      await page.getByRole('button', { name: /^Publish( changes)?$/ }).click()
      expect((await publishing).status()).toBe(409)
      await page.getByText('This post has been changed by someone else since your copy was loaded. Load it again and reapply your changes.').first().waitFor({ state: 'visible' })
      const stored = await fetch(`${server!.url}/api/posts/${postId}?depth=0`).then((res) => res.json())
      expect(stored).toMatchObject({ title: 'Coming soon: the big redesign', excerpt: 'Changed elsewhere' })
    })
  }, 180_000)

  test("an author picks co-authors by name, and the users list shows no one else's email", async () => {
    const author = { email: 'ada.author@greenroom.test', password: 'author-password-1', name: 'Ada Author' }
    await step('an admin creates the author', async () => {
      const auth = await login(server.url, TEST_ADMIN.email, TEST_ADMIN.password)
      const created = await fetch(`${server!.url}/api/users`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: auth },
        body: JSON.stringify({ ...author, role: 'author' }),
      })
      expect(created.status).toBe(201)
    })

    await step('log in as the author', async () => {
      await browser!.context.clearCookies()
      await page.goto(`${server!.url}/admin`)
      await page.waitForURL(isLoginPage)
      await waitForHydratedLoginForm()
      await logIn(author.email, author.password)
      await page.waitForURL((url) => url.pathname === '/admin')
    })

    await step('the authors picker lists people by name', async () => {
      await page.goto(`${server!.url}/admin/collections/posts/create`)
      const picker = page.locator('#field-authors')
      await picker.waitFor({ state: 'visible' })
      await picker.locator('.rs__control').click()
      await page.locator('.rs__option', { hasText: 'Sam Writer' }).first().waitFor({ state: 'visible' })
      await page.locator('.rs__option', { hasText: 'Site Admin' }).first().waitFor({ state: 'visible' })
    })

    await step('the users list shows names, not emails', async () => {
      await page.goto(`${server!.url}/admin/collections/users`)
      const table = page.locator('table')
      await table.getByText('Sam Writer').first().waitFor({ state: 'visible' })
      const text = await table.innerText()
      expect(text).toContain('Site Admin')
      expect(text).not.toContain(TEST_ADMIN.email)
      expect(text).not.toContain('sam.writer@greenroom.local')
    })

    await step('no uncaught errors', async () => {
      expect(admin.problems()).toEqual([])
    })
  }, 180_000)
})
