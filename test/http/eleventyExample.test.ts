// examples/eleventy, the Eleventy 3 site in the README, built from a real server with the demo content:
// a full sync first, then rebuilds from the change log that rewrite only the pages a change shows on.
import { spawn } from 'node:child_process'
import crypto from 'node:crypto'
import fs from 'node:fs'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import os from 'node:os'
import path from 'node:path'

import { Webhook } from 'standardwebhooks'

import { richTextFromPlain } from '../../src/seed/lexical'
import type { Json } from '../helpers/http'
import { api, login } from '../helpers/http'
import { waitFor } from '../helpers/receiver'
import type { TestServer } from '../helpers/server'
import { ROOT, TEST_ADMIN, startTestServer } from '../helpers/server'

const EXAMPLE = path.join(ROOT, 'examples', 'eleventy')

let server: TestServer
let adminAuth: string
let apiKey: string
let work: string
let site: string

type Build = { written: string[]; removed: string[]; output: string; ms: number }

/** One run of the example's build, as a CI step or a build hook's receiver runs it. */
const build = (): Promise<Build> =>
  new Promise((resolve, reject) => {
    const started = Date.now()
    const child = spawn(process.execPath, [path.join(EXAMPLE, 'node_modules/@11ty/eleventy/cmd.cjs'), `--output=${site}`], {
      cwd: EXAMPLE,
      env: {
        ...process.env,
        NODE_OPTIONS: '',
        GREENROOM_URL: server.url,
        GREENROOM_API_KEY: apiKey,
        GREENROOM_STATE_FILE: path.join(work, 'state.json'),
      },
    })
    let output = ''
    child.stdout.on('data', (chunk) => (output += chunk))
    child.stderr.on('data', (chunk) => (output += chunk))
    child.on('error', reject)
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`The Eleventy build exited with ${code}:\n${output}`))
      // Eleventy names every file it writes; the example names the pages it removes.
      const written = [...output.matchAll(/Writing (\S+) from/g)].map(([, file]) => path.relative(site, path.resolve(EXAMPLE, file)))
      const removed = /\[greenroom\] removed \d+ pages(.*)/.exec(output)?.[1].trim().split(/\s+/).filter(Boolean) ?? []
      resolve({ written: written.sort(), removed, output, ms: Date.now() - started })
    })
  })

const files = (dir = site): string[] =>
  fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name)
    return entry.isDirectory() ? files(full) : [path.relative(site, full)]
  })

const modificationTimes = () => Object.fromEntries(files().map((file) => [file, fs.statSync(path.join(site, file)).mtimeMs]))
const html = (file: string) => fs.readFileSync(path.join(site, file), 'utf8')
const wholeSite = () => files().map(html).join('\n')
const escapeHtml = (value: string) => value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')

const postBySlug = async (slug: string): Promise<Json> => {
  const res = await api(server.url, `/api/posts?where[slug][equals]=${slug}&depth=0&draft=true`, { auth: adminAuth })
  expect(res.body.docs).toHaveLength(1)
  return res.body.docs[0]
}

const write = async (method: string, path: string, body: Json) => {
  const res = await api(server.url, path, { method, auth: adminAuth, body })
  expect(res.status).toBeLessThan(300)
  return res.body
}

/** The files a rebuild leaves alone must be the very files the previous build wrote. */
const expectUntouched = (before: Record<string, number>, after: Record<string, number>, except: string[]) => {
  for (const file of Object.keys(before).filter((file) => !except.includes(file) && file in after)) {
    expect([file, after[file]]).toEqual([file, before[file]])
  }
}

const marker = `Draft marker ${crypto.randomUUID()}`

const npmCi = () =>
  new Promise<void>((resolve, reject) => {
    const started = Date.now()
    const child = spawn('npm', ['ci', '--no-audit', '--no-fund'], { cwd: EXAMPLE, stdio: ['ignore', 'ignore', 'pipe'] })
    let stderr = ''
    child.stderr.on('data', (chunk) => (stderr += chunk))
    child.on('error', reject)
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`npm ci in examples/eleventy exited with ${code}:\n${stderr}`))
      console.log(`npm ci in examples/eleventy: ${Date.now() - started} ms`)
      resolve()
    })
  })

beforeAll(async () => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'greenroom-eleventy-'))
  site = path.join(work, '_site')
  // The example installs from its own lockfile, as a site's CI would, while the server starts.
  // Build hooks run in the server, every second, and may call the receiver on 127.0.0.1 (the last test).
  const env = { JOBS_AUTORUN: 'true', BUILD_HOOKS_CRON: '* * * * * *', BUILD_HOOKS_ALLOW_PRIVATE_TARGETS: 'true' }
  ;[server] = await Promise.all([startTestServer({ seed: true, env }), npmCi()])
  adminAuth = await login(server.url, TEST_ADMIN.email, TEST_ADMIN.password)
  // Builds read as an API key: the public's view, with a rate limit of its own.
  apiKey = crypto.randomUUID()
  const me = await api(server.url, '/api/users/me', { auth: adminAuth })
  await write('PATCH', `/api/users/${me.body.user.id}`, { enableAPIKey: true, apiKey })
}, 180_000)

afterAll(async () => {
  await server?.stop()
  if (work) fs.rmSync(work, { recursive: true, force: true })
})

describe('the Eleventy example', () => {
  let times: Record<string, number>

  test('the first build syncs everything and writes every page, with no draft in it', async () => {
    // A new draft, and a draft over a published post: neither may reach the site.
    await write('POST', '/api/posts?draft=true', { title: marker, content: richTextFromPlain('Not for readers.'), _status: 'draft' })
    const welcome = await postBySlug('welcome-to-greenroom')
    await write('PATCH', `/api/posts/${welcome.id}?draft=true`, { title: `${marker} over a published post`, _status: 'draft' })

    const first = await build()
    console.log(`full build: ${first.ms} ms, ${first.written.length} files`)
    expect(first.output).toContain('[greenroom] full sync')

    const published = (await api(server.url, '/api/posts?limit=100&depth=0&select[title]=true&select[slug]=true')).body.docs as Json[]
    expect(published).toHaveLength(4)
    for (const post of published) expect(html(`posts/${post.slug}/index.html`)).toContain(`<h1>${escapeHtml(post.title)}</h1>`)
    expect(first.written).toEqual(
      [
        'index.html',
        'about/index.html',
        'contact/index.html',
        'posts/index.html',
        ...published.map((post) => `posts/${post.slug}/index.html`),
      ].sort(),
    )
    const everything = wholeSite()
    expect(everything).not.toContain(marker)
    expect(everything).not.toContain('Coming soon: our redesign')
    expect(html('posts/welcome-to-greenroom/index.html')).toContain('<h1>Welcome to Greenroom</h1>')

    // Header and footer (globals), the hero, and layout blocks with the API's HTML renditions.
    const home = html('index.html')
    expect(home).toContain('<nav><a href="/">Home</a> <a href="/about/">About</a> <a href="/contact/">Contact</a> </nav>')
    expect(home).toMatch(/<p>© \d{4} Greenroom<\/p>/)
    expect(home).toContain('<h2>Stories from the greenroom</h2>')
    expect(home).toContain('<a href="/posts/welcome-to-greenroom/">Start here</a>')
    expect(home).toContain('<div class="column column-twoThirds"><p>Greenroom keeps writing, editing and publishing in one place.</p></div>')
    expect(home).toContain('<section class="cta"><p>Want to write for us?</p><a href="/contact">Get in touch</a></section>')
    const latest = [...home.matchAll(/<li><a href="\/posts\/([^/]+)\/">/g)].map(([, slug]) => slug)
    expect(latest).toEqual(['field-notes-from-the-newsroom', 'a-day-at-the-editing-desk', 'fetching-content-at-build-time'])
    expect(html('about/index.html')).toMatch(new RegExp(`<figure class="media-block media-block-wide"><img src="http://localhost:${new URL(server.url).port}/api/media/file/`))
    expect(html('contact/index.html')).toContain('<input type="email" name="email" required>')
    expect(html('posts/welcome-to-greenroom/index.html')).toContain('<aside class="banner banner-info" role="note">')
    times = modificationTimes()
  })

  test('after one published edit, a rebuild fetches that change and rewrites only the pages that show it', async () => {
    const post = await postBySlug('field-notes-from-the-newsroom')
    const title = `Field notes, edited ${crypto.randomUUID()}`
    await write('PATCH', `/api/posts/${post.id}`, { title, _status: 'published' })

    const rebuild = await build()
    console.log(`delta build after one edit: ${rebuild.ms} ms, ${rebuild.written.length} files`)
    expect(rebuild.output).toContain('[greenroom] delta sync: 1 changes')
    // The post, and the lists it is in: the home page's archive block and the post index.
    expect(rebuild.written).toEqual(['index.html', 'posts/field-notes-from-the-newsroom/index.html', 'posts/index.html'])
    expect(html('posts/field-notes-from-the-newsroom/index.html')).toContain(`<h1>${title}</h1>`)
    expect(html('index.html')).toContain(`>${title}</a>`)
    expect(html('posts/index.html')).toContain(`>${title}</a>`)
    const after = modificationTimes()
    expectUntouched(times, after, rebuild.written)
    for (const file of rebuild.written) expect(after[file]).toBeGreaterThan(times[file])
    times = after
  })

  test('a draft saved over a published post changes nothing on the site', async () => {
    const post = await postBySlug('a-day-at-the-editing-desk')
    await write('PATCH', `/api/posts/${post.id}?draft=true`, { title: `${marker} again`, _status: 'draft' })
    const rebuild = await build()
    // Greenroom may send the published version again; the example sees it is the one it has.
    expect(rebuild.output).toMatch(/\[greenroom\] delta sync: [01] changes/)
    expect(rebuild.written).toEqual([])
    expect(modificationTimes()).toEqual(times)
    expect(wholeSite()).not.toContain(marker)
  })

  test('a deleted and an unpublished post lose their pages; the pages that listed or linked them are rewritten', async () => {
    const deleted = await postBySlug('fetching-content-at-build-time')
    const unpublished = await postBySlug('welcome-to-greenroom')
    await write('DELETE', `/api/posts/${deleted.id}`, {})
    await write('PATCH', `/api/posts/${unpublished.id}`, { _status: 'draft' })
    for (const slug of ['fetching-content-at-build-time', 'welcome-to-greenroom']) {
      expect((await api(server.url, `/api/posts?where[slug][equals]=${slug}`)).body.docs).toEqual([])
    }

    const rebuild = await build()
    console.log(`delta build after a delete and an unpublish: ${rebuild.ms} ms, ${rebuild.written.length} files`)
    expect(rebuild.output).toContain('[greenroom] delta sync: 2 changes')
    expect(rebuild.removed.sort()).toEqual(['/posts/fetching-content-at-build-time/', '/posts/welcome-to-greenroom/'])
    expect(fs.existsSync(path.join(site, 'posts/fetching-content-at-build-time'))).toBe(false)
    expect(fs.existsSync(path.join(site, 'posts/welcome-to-greenroom'))).toBe(false)
    // Their related posts (field notes → fetching, a day → welcome) and the lists.
    expect(rebuild.written).toEqual([
      'index.html',
      'posts/a-day-at-the-editing-desk/index.html',
      'posts/field-notes-from-the-newsroom/index.html',
      'posts/index.html',
    ])
    const everything = wholeSite()
    expect(everything).not.toContain('/posts/fetching-content-at-build-time/')
    expect(everything).not.toContain('/posts/welcome-to-greenroom/')
    expect(everything).not.toContain(marker)
    expectUntouched(times, modificationTimes(), rebuild.written)
  })

  test('a page in the navigation that moves to a new slug: every page is rewritten with the new link, the old one removed', async () => {
    const about = (await api(server.url, '/api/pages?where[slug][equals]=about&depth=0', { auth: adminAuth })).body.docs[0]
    await write('PATCH', `/api/pages/${about.id}`, { slug: 'about-us', _status: 'published' })

    const rebuild = await build()
    expect(rebuild.output).toContain('[greenroom] delta sync: 1 changes')
    expect(rebuild.removed).toEqual(['/about/'])
    expect(rebuild.written).toEqual(files().sort())
    for (const file of files()) expect(html(file)).toContain('<a href="/about-us/">About</a>')
  })

  test('a build hook reaches a receiver that rebuilds: a publish shows on the site without anyone running the build', async () => {
    // What a site's CI would run on the hook's call: check the signature, answer at once, build.
    let secret = ''
    const rebuilds: Promise<Build>[] = []
    const receiver = http.createServer((req, res) => {
      const chunks: Buffer[] = []
      req.on('data', (chunk: Buffer) => chunks.push(chunk))
      req.on('end', () => {
        try {
          new Webhook(secret).verify(Buffer.concat(chunks).toString('utf8'), req.headers as Record<string, string>)
        } catch {
          return res.writeHead(400).end()
        }
        res.writeHead(202).end()
        rebuilds.push(build())
      })
    })
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve))
    try {
      const { port } = receiver.address() as AddressInfo
      const hook = await write('POST', '/api/build-hooks', { name: 'Eleventy', url: `http://127.0.0.1:${port}/rebuild`, debounceSeconds: 1 })
      secret = hook.doc.secret

      const draft = await postBySlug('coming-soon-our-redesign')
      const published = Date.now()
      await write('PATCH', `/api/posts/${draft.id}`, { _status: 'published' })
      expect(await waitFor(() => rebuilds.length > 0, 30_000)).toBe(true)
      const rebuild = await rebuilds[0]
      console.log(`publish to rebuilt site through the build hook: ${Date.now() - published} ms`)
      expect(rebuild.output).toContain('[greenroom] delta sync: 1 changes')
      expect(rebuild.written).toEqual(['index.html', 'posts/coming-soon-our-redesign/index.html', 'posts/index.html'])
      expect(html('posts/coming-soon-our-redesign/index.html')).toContain('<h1>Coming soon: our redesign</h1>')
      expect(html('index.html')).toContain('<a href="/posts/coming-soon-our-redesign/">Coming soon: our redesign</a>')
    } finally {
      await new Promise((resolve) => receiver.close(resolve))
    }
  })
})
