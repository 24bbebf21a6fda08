import crypto from 'node:crypto'

import type { CollectionSlug, Payload, Where } from 'payload'

import { seedGermanTranslations } from './german'
import { makeDemoImage } from './images'
import { BOLD, block, bulletList, heading, link, paragraph, richText, richTextFromPlain, text } from './lexical'

export type SeedResult = {
  created: Record<string, number>
  admin: { email: string; generatedPassword?: string }
}

type Doc = { id: number | string }

/**
 * Finds a document by a natural key and creates it only when missing, so running the seed again
 * adds what is missing and never duplicates.
 */
const ensure = async <T extends Doc>(
  payload: Payload,
  collection: CollectionSlug,
  where: Where,
  create: () => Promise<T>,
  created: Record<string, number>,
): Promise<T> => {
  const existing = await payload.find({ collection, where, limit: 1, depth: 0, overrideAccess: true, draft: true, pagination: false })
  if (existing.docs[0]) return existing.docs[0] as unknown as T
  const doc = await create()
  created[collection] = (created[collection] ?? 0) + 1
  return doc
}

/** The demo pictures the seed uploads (also measured by `npm run bench:formats`). */
export const DEMO_IMAGES = [
  { name: 'greenroom-hero.png', caption: 'Greenroom', colours: ['#0f766e', '#14532d'], altDe: 'Greenroom-Schriftzug auf grünem Verlauf' },
  { name: 'editing-desk.png', caption: 'Editing desk', colours: ['#1d4ed8', '#0f766e'], altDe: 'Schriftzug „Editing desk“ auf blauem Verlauf' },
  { name: 'build-pipeline.png', caption: 'Build pipeline', colours: ['#7c3aed', '#db2777'], altDe: 'Schriftzug „Build pipeline“ auf violettem Verlauf' },
  { name: 'field-notes.png', caption: 'Field notes', colours: ['#b45309', '#dc2626'], altDe: 'Schriftzug „Field notes“ auf orangerotem Verlauf' },
] as const

export const seedDemoContent = async (payload: Payload): Promise<SeedResult> => {
  const created: Record<string, number> = {}

  // People
  const adminEmail = (process.env.SEED_ADMIN_EMAIL || 'admin@greenroom.local').toLowerCase()
  let generatedPassword: string | undefined
  const admin = await ensure(
    payload,
    'users',
    { email: { equals: adminEmail } },
    async () => {
      const password = process.env.SEED_ADMIN_PASSWORD || (generatedPassword = crypto.randomBytes(12).toString('base64url'))
      return payload.create({
        collection: 'users',
        overrideAccess: true,
        data: { email: adminEmail, password, name: 'Site Admin', role: 'admin' },
      })
    },
    created,
  )
  const writer = await ensure(
    payload,
    'users',
    { email: { equals: 'sam.writer@greenroom.local' } },
    () =>
      payload.create({
        collection: 'users',
        overrideAccess: true,
        data: {
          email: 'sam.writer@greenroom.local',
          // Nobody signs in as the demo author; an admin can reset the password to use it.
          password: crypto.randomBytes(24).toString('base64url'),
          name: 'Sam Writer',
          role: 'author',
          bio: 'Writes about publishing workflows and static sites.',
        },
      }),
    created,
  )

  // Media, made with sharp
  const media: Doc[] = []
  for (const image of DEMO_IMAGES) {
    media.push(
      await ensure(
        payload,
        'media',
        // Payload renames an upload whose file name is taken in the media folder
        // (greenroom-hero-1.png), so match the stem, not the exact name.
        { filename: { like: image.name.replace(/\.png$/, '') } },
        async () => {
          const { data, alt } = await makeDemoImage(image.name, image.caption, [...image.colours])
          return payload.create({
            collection: 'media',
            overrideAccess: true,
            // The seed runs without a session: the admin it created counts as the uploader.
            data: { alt, uploadedBy: admin.id as number },
            file: { data, mimetype: 'image/png', name: image.name, size: data.length },
          })
        },
        created,
      ),
    )
  }
  const [heroImage, deskImage, pipelineImage, notesImage] = media

  // Categories, nested
  const category = (slug: string, title: string, description: string, parent?: Doc) =>
    ensure(
      payload,
      'categories',
      { slug: { equals: slug } },
      () =>
        payload.create({
          collection: 'categories',
          overrideAccess: true,
          data: { title, slug, description, parent: parent?.id as number | undefined },
        }),
      created,
    )
  const news = await category('news', 'News', 'Announcements and releases.')
  const guides = await category('guides', 'Guides', 'How to get things done with Greenroom.')
  const engineering = await category('engineering', 'Engineering', 'How the site is built.')
  const staticSites = await category('static-sites', 'Static sites', 'Building sites from the API.', engineering)

  // Posts: four published, one draft
  const post = (
    slug: string,
    data: Record<string, unknown>,
    status: 'published' | 'draft',
    publishedAt?: string,
  ) =>
    ensure(
      payload,
      'posts',
      { slug: { equals: slug } },
      () =>
        payload.create({
          collection: 'posts',
          overrideAccess: true,
          draft: status === 'draft',
          data: { ...data, slug, _status: status, publishedAt, authors: data.authors ?? [admin.id] } as never,
        }),
      created,
    )

  const welcome = await post(
    'welcome-to-greenroom',
    {
      title: 'Welcome to Greenroom',
      heroImage: heroImage.id,
      categories: [news.id],
      content: richText(
        paragraph('Greenroom is the back end of this website: editors write here, and every front end reads from its APIs.'),
        heading('h2', 'What you can do'),
        bulletList('Write posts and pages with drafts and autosave', 'Schedule publishing', 'Pull content over REST or GraphQL'),
        block('banner', {
          style: 'info',
          content: richText(paragraph(text('Tip: ', BOLD), 'drafts are never shown to readers until you publish.')),
        }),
        paragraph('Read the ', link('/api/posts', 'posts API'), ' to see what a front end receives.'),
      ),
    },
    'published',
    '2026-01-05T09:00:00.000Z',
  )
  const fetching = await post(
    'fetching-content-at-build-time',
    {
      title: 'Fetching content at build time',
      heroImage: pipelineImage.id,
      categories: [guides.id, staticSites.id],
      authors: [writer.id],
      content: richText(
        paragraph('Static-site generators fetch published posts once per build. A single request gets the newest ten:'),
        block('code', { language: 'bash', code: 'curl "http://localhost:3000/api/posts?limit=10&depth=1"', caption: 'REST' }),
        paragraph('Or ask GraphQL for exactly the fields a template needs:'),
        block('code', {
          language: 'plaintext',
          code: 'query { Posts(limit: 10) { docs { title slug excerpt publishedAt } } }',
          caption: 'GraphQL',
        }),
        heading('h3', 'Images'),
        block('mediaBlock', { media: pipelineImage.id, width: 'wide' }),
        paragraph('Every upload comes with thumbnail, card, feature and social sizes ready to use.'),
      ),
    },
    'published',
    '2026-02-10T09:00:00.000Z',
  )
  await post(
    'a-day-at-the-editing-desk',
    {
      title: 'A day at the editing desk',
      heroImage: deskImage.id,
      categories: [guides.id],
      authors: [writer.id, admin.id],
      relatedPosts: [welcome.id],
      content: richTextFromPlain(
        'Editors plan the week in the morning, draft in the afternoon and publish when a piece is ready.\n\n' +
          'Autosave keeps every draft safe, and version history shows who changed what.\n\n' +
          'Scheduled publishing lets a story go live at seven in the morning without anyone awake.',
      ),
    },
    'published',
    '2026-03-02T09:00:00.000Z',
  )
  await post(
    'field-notes-from-the-newsroom',
    {
      title: 'Field notes from the newsroom',
      heroImage: notesImage.id,
      categories: [news.id, engineering.id],
      relatedPosts: [fetching.id],
      content: richTextFromPlain(
        'We moved the whole site to a headless CMS this spring. These are the notes we took along the way.\n\n' +
          'The biggest win was giving the front-end team typed APIs while editors kept a friendly admin panel.',
      ),
    },
    'published',
    '2026-04-21T09:00:00.000Z',
  )
  await post(
    'coming-soon-our-redesign',
    {
      title: 'Coming soon: our redesign',
      categories: [news.id],
      authors: [writer.id],
      content: richTextFromPlain('This post is a draft: readers cannot see it until an editor publishes it.'),
    },
    'draft',
  )

  // A contact form for the form block
  const contactForm = await ensure(
    payload,
    'forms',
    { title: { equals: 'Contact' } },
    () =>
      payload.create({
        collection: 'forms',
        overrideAccess: true,
        data: {
          title: 'Contact',
          submitButtonLabel: 'Send',
          confirmationType: 'message',
          confirmationMessage: richText(paragraph('Thanks, we will get back to you soon.')),
          fields: [
            { blockType: 'text', name: 'name', label: 'Name', required: true, width: 50 },
            { blockType: 'email', name: 'email', label: 'Email', required: true, width: 50 },
            { blockType: 'textarea', name: 'message', label: 'Message', required: true, width: 100 },
          ],
        } as never,
      }),
    created,
  )

  // Pages
  const page = (slug: string, data: Record<string, unknown>) =>
    ensure(
      payload,
      'pages',
      { slug: { equals: slug } },
      () =>
        payload.create({
          collection: 'pages',
          overrideAccess: true,
          data: { ...data, slug, _status: 'published' } as never,
        }),
      created,
    )
  const home = await page('home', {
    title: 'Home',
    hero: {
      type: 'highImpact',
      media: heroImage.id,
      richText: richText(heading('h2', 'Stories from the greenroom'), paragraph('News, guides and notes from our editorial team.')),
      links: [{ link: { type: 'reference', reference: { relationTo: 'posts', value: welcome.id }, label: 'Start here', appearance: 'primary' } }],
    },
    layout: [
      {
        blockType: 'content',
        columns: [
          { size: 'twoThirds', richText: richText(paragraph('Greenroom keeps writing, editing and publishing in one place.')) },
          { size: 'oneThird', richText: richText(paragraph('Every page and post is available over REST and GraphQL.')) },
        ],
      },
      { blockType: 'archive', populateBy: 'collection', categories: [], limit: 3, introContent: richText(heading('h3', 'Latest posts')) },
      {
        blockType: 'cta',
        richText: richText(paragraph('Want to write for us?')),
        links: [{ link: { type: 'custom', url: '/contact', label: 'Get in touch', appearance: 'primary' } }],
      },
    ],
  })
  const about = await page('about', {
    title: 'About',
    hero: { type: 'lowImpact', richText: richText(heading('h2', 'About us')) },
    layout: [
      {
        blockType: 'content',
        columns: [{ size: 'full', richText: richTextFromPlain('We are a small team that writes about publishing on the web.') }],
      },
      { blockType: 'mediaBlock', media: deskImage.id, width: 'wide' },
    ],
  })
  const contact = await page('contact', {
    title: 'Contact',
    hero: { type: 'lowImpact', richText: richText(heading('h2', 'Contact')) },
    layout: [{ blockType: 'formBlock', form: contactForm.id, enableIntro: true, introContent: richText(paragraph('Write to us.')) }],
  })

  // Globals: only filled while still empty, so editors' changes survive a re-run.
  const header = await payload.findGlobal({ slug: 'header', depth: 0, overrideAccess: true })
  if (!header.navItems?.length) {
    await payload.updateGlobal({
      slug: 'header',
      overrideAccess: true,
      data: {
        _status: 'published',
        navItems: [
          { link: { type: 'reference', reference: { relationTo: 'pages', value: home.id as number }, label: 'Home' } },
          { link: { type: 'reference', reference: { relationTo: 'pages', value: about.id as number }, label: 'About' } },
          { link: { type: 'reference', reference: { relationTo: 'pages', value: contact.id as number }, label: 'Contact' } },
        ],
      },
    })
    created.header = 1
  }
  const footer = await payload.findGlobal({ slug: 'footer', depth: 0, overrideAccess: true })
  if (!footer.navItems?.length) {
    await payload.updateGlobal({
      slug: 'footer',
      overrideAccess: true,
      data: {
        _status: 'published',
        navItems: [
          { link: { type: 'reference', reference: { relationTo: 'pages', value: about.id as number }, label: 'About' } },
          { link: { type: 'custom', url: '/api/posts', label: 'API', newTab: true } },
        ],
        copyright: `© ${new Date().getFullYear()} Greenroom`,
      },
    })
    created.footer = 1
  }
  const settings = await payload.findGlobal({ slug: 'site-settings', depth: 0, overrideAccess: true })
  if (!settings.baseUrl) {
    await payload.updateGlobal({
      slug: 'site-settings',
      overrideAccess: true,
      data: {
        _status: 'published',
        siteName: 'Greenroom',
        baseUrl: process.env.PUBLIC_SITE_URL || 'http://localhost:4321',
        description: 'News, guides and notes from the Greenroom editorial team.',
        defaultOgImage: heroImage.id as number,
        socialLinks: [{ platform: 'rss', url: 'http://localhost:4321/rss.xml' }],
      },
    })
    created['site-settings'] = 1
  }

  await seedGermanTranslations(payload, created, {
    mediaAlts: DEMO_IMAGES.map((image, index) => ({ id: media[index]!.id, alt: image.altDe })),
  })

  return { created, admin: { email: adminEmail, generatedPassword } }
}

/** On a database without users (a fresh install), seed the demo so the admin panel has content. */
export const seedDemoContentIfEmpty = async (payload: Payload): Promise<SeedResult | null> => {
  if (process.env.SEED_DEMO_CONTENT === 'false') return null
  const { totalDocs } = await payload.count({ collection: 'users', overrideAccess: true })
  if (totalDocs > 0) return null
  payload.logger.info('Empty database: seeding demo content')
  const result = await seedDemoContent(payload)
  reportSeed(payload, result)
  return result
}

export const reportSeed = (payload: Payload, { created, admin }: SeedResult) => {
  const summary = Object.entries(created)
    .map(([collection, count]) => `${count} ${collection}`)
    .join(', ')
  payload.logger.info(summary ? `Seeded ${summary}` : 'Seed: everything was already there')
  if (admin.generatedPassword) {
    // Shown once: it is stored only as a hash.
    console.log(
      `\n  Admin account created\n    email:    ${admin.email}\n    password: ${admin.generatedPassword}\n` +
        '  Write it down; it is not shown again. Set SEED_ADMIN_EMAIL and SEED_ADMIN_PASSWORD to choose your own.\n',
    )
  }
}
