// The admin's code editor (Monaco) from this server (src/admin/monaco/assets.ts): the files the
// loader asks for, cached for good under their versioned path, and nothing outside the folder.
import { MONACO_VS_PATH } from '../../src/admin/monaco/version'
import type { TestServer } from '../helpers/server'
import { startTestServer } from '../helpers/server'

let server: TestServer

beforeAll(async () => {
  server = await startTestServer({ seed: false })
}, 120_000)

afterAll(async () => {
  await server?.stop()
})

test('Monaco’s loader, editor and workers are served under the versioned path, cached for good', async () => {
  for (const file of ['loader.js', 'editor/editor.main.js', 'editor/editor.main.css']) {
    const res = await fetch(`${server.url}${MONACO_VS_PATH}/${file}`)
    expect(res.status).toBe(200)
    expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable')
    expect(res.headers.get('content-type')).toMatch(file.endsWith('.css') ? /^text\/css/ : /^(application|text)\/javascript/)
    expect((await res.arrayBuffer()).byteLength).toBeGreaterThan(1000)
  }
  const loader = await fetch(`${server.url}${MONACO_VS_PATH}/loader.js`)
  // A browser revalidating (fetch would add `Cache-Control: no-cache` to a conditional request without one).
  const again = await fetch(`${server.url}${MONACO_VS_PATH}/loader.js`, {
    headers: { 'if-none-match': loader.headers.get('etag')!, 'cache-control': 'max-age=0' },
  })
  expect(again.status).toBe(304)
})

test('a file Monaco does not have is a plain 404 that nobody keeps, and nothing outside its folder is reachable', async () => {
  const missing = await fetch(`${server.url}${MONACO_VS_PATH}/no-such-file.js`)
  expect(missing.status).toBe(404)
  expect(missing.headers.get('cache-control')).toBe('no-store')
  expect(await missing.text()).toBe('Not found')
  for (const escape of ['/%2e%2e/package.json', '/..%2fpackage.json', '/%2e%2e/%2e%2e/%2e%2e/%2e%2e/package.json']) {
    const res = await fetch(`${server.url}${MONACO_VS_PATH}${escape}`)
    expect([400, 403, 404]).toContain(res.status)
    expect(await res.text()).not.toContain('"monaco-editor"')
  }
})
