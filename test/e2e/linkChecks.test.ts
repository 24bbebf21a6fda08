// Links checked before publish, in a real headless Chromium against the production server: an
// editor opens a draft post that links to an unpublished page and, before publishing, sees the
// sidebar's warning listing that link, its target (linked to the target's edit view) and why; a
// screenshot is kept as `broken-link-warning`. The admin loads nothing from other origins.
import type { Page } from 'playwright-core'

import { internalLink, paragraph, richText, text } from '../../src/seed/lexical'
import { describeInChromium } from '../helpers/adminBrowser'
import { login } from '../helpers/http'
import { keepScreenshot } from '../helpers/browser'
import type { TestServer } from '../helpers/server'
import { TEST_ADMIN } from '../helpers/server'

describeInChromium('broken links in the admin panel (headless Chromium)', { name: 'link-checks', server: { publicServerUrl: true } }, (admin) => {
  const { step } = admin
  let server: TestServer
  let page: Page
  let adminAuth: string

  beforeAll(() => {
    ;({ server, page } = admin)
  })

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
      adminAuth = await login(server.url, TEST_ADMIN.email, TEST_ADMIN.password)
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
      await admin.signIn()
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
      expect(admin.problems()).toEqual([])
    })
  }, 300_000)
})
