import fs from 'node:fs'
import path from 'node:path'

import type { Payload } from 'payload'

import { seedDemoContent, seedDemoContentIfEmpty } from '../../src/seed'
import { initPayload } from '../helpers/payload'
import { closePayload } from '../../src/db/closePayload'

let payload: Payload

beforeAll(async () => {
  payload = await initPayload()
})

afterAll(async () => {
  await closePayload(payload)
})

const COLLECTIONS = ['users', 'media', 'categories', 'posts', 'pages', 'forms'] as const

const counts = async () =>
  Object.fromEntries(
    await Promise.all(
      COLLECTIONS.map(async (collection) => [
        collection,
        (await payload.count({ collection, overrideAccess: true })).totalDocs,
      ]),
    ),
  )

test('the demo seed fills an empty database and never duplicates on a second run', async () => {
  // A media folder left over from an earlier database: Payload stores the new upload as
  // greenroom-hero-1.png, and a second run must still recognise it.
  fs.mkdirSync(process.env.MEDIA_DIR!, { recursive: true })
  fs.writeFileSync(path.join(process.env.MEDIA_DIR!, 'greenroom-hero.png'), 'left over')
  const first = await seedDemoContent(payload)
  expect(first.created).toMatchObject({ users: 2, media: 4, categories: 4, posts: 5, pages: 3, forms: 1 })
  expect(first.admin.generatedPassword ?? process.env.SEED_ADMIN_PASSWORD).toBeTruthy()
  const after = await counts()

  const second = await seedDemoContent(payload)
  expect(second.created).toEqual({})
  expect(second.admin.generatedPassword).toBeUndefined()
  expect(await counts()).toEqual(after)

  // A database with users is never seeded at start-up.
  expect(await seedDemoContentIfEmpty(payload)).toBeNull()
})

test('the demo content has exactly one draft, hidden from readers', async () => {
  const all = await payload.find({ collection: 'posts', overrideAccess: true, draft: true, limit: 100 })
  expect(all.docs.filter((post) => post._status === 'draft').map((post) => post.title)).toEqual([
    'Coming soon: our redesign',
  ])
  const readable = await payload.find({ collection: 'posts', overrideAccess: false, limit: 100 })
  expect(readable.totalDocs).toBe(4)
})

test('the demo images were made by sharp in every size', async () => {
  const { docs } = await payload.find({ collection: 'media', overrideAccess: true, limit: 10 })
  for (const media of docs) {
    expect(media.mimeType).toBe('image/png')
    expect(media.sizes?.thumbnail).toMatchObject({ width: 300, mimeType: 'image/webp' })
    expect(media.sizes?.feature).toMatchObject({ width: 1280, mimeType: 'image/webp' })
    expect(media.sizes?.og).toMatchObject({ width: 1200, height: 630, mimeType: 'image/jpeg' })
  }
})

test('the demo has German for one post, the home page and the navigation; the rest falls back to English', async () => {
  const post = async (slug: string, locale: 'en' | 'de') =>
    (await payload.find({ collection: 'posts', where: { slug: { equals: slug } }, locale, overrideAccess: false }))
      .docs[0]
  const welcome = await post('welcome-to-greenroom', 'de')
  expect(welcome.title).toBe('Willkommen bei Greenroom')
  expect(welcome.contentHtml).toContain('<h2>Was Sie tun können</h2>')
  expect(welcome.excerpt).toMatch(/^Greenroom ist das Back-End/)
  expect((await post('welcome-to-greenroom', 'en')).title).toBe('Welcome to Greenroom')
  expect((await post('fetching-content-at-build-time', 'de')).title).toBe('Fetching content at build time')
  // Its pictures are described in German too.
  expect(typeof welcome.heroImage === 'object' && welcome.heroImage?.alt).toMatch(/^Greenroom-Schriftzug/)
  const [englishPicture] = (await payload.find({ collection: 'media', locale: 'en', limit: 1, sort: 'id' })).docs
  expect(englishPicture.alt).not.toMatch(/Schriftzug/)

  const [home] = (await payload.find({ collection: 'pages', where: { slug: { equals: 'home' } }, locale: 'de' })).docs
  expect(home.title).toBe('Startseite')
  expect(home.hero.links?.[0]?.link.label).toBe('Hier anfangen')
  expect(home.layout.map((block) => ('richTextText' in block ? block.richTextText : null))).toContain(
    'Möchten Sie für uns schreiben?',
  )
  const header = await payload.findGlobal({ slug: 'header', locale: 'de' })
  expect(header.navItems?.map((item) => item.link.label)).toEqual(['Startseite', 'Über uns', 'Kontakt'])
  expect((await payload.findGlobal({ slug: 'header', locale: 'en' })).navItems?.map((item) => item.link.label)).toEqual(
    ['Home', 'About', 'Contact'],
  )
})
