import type { Payload } from 'payload'

import { BOLD, block, bulletList, heading, link, paragraph, richText, text } from './lexical'

type Row = Record<string, any>

const GERMAN = 'de'

/** Reads one language's own values, without falling back to English. */
const ownValues = { locale: GERMAN, fallbackLocale: false, depth: 0, overrideAccess: true } as const

/** Structure (ids, blocks, links) comes from the stored document; only the texts are German. */
const withLabels = (links: Row[] | null | undefined, labels: string[]) =>
  (links ?? []).map((row, index) => ({ ...row, link: { ...row.link, label: labels[index] ?? row.link?.label } }))

/** Alt texts are read aloud in the page's language: the demo pictures get German ones. */
const translateMediaAlts = async (payload: Payload, created: Record<string, number>, alts: { id: number | string; alt: string }[]) => {
  for (const { id, alt } of alts) {
    const own = await payload.findByID({ collection: 'media', id, ...ownValues })
    if (own.alt) continue
    await payload.update({ collection: 'media', id, locale: GERMAN, overrideAccess: true, data: { alt } })
    created['media (de)'] = (created['media (de)'] ?? 0) + 1
  }
}

const translateWelcomePost = async (payload: Payload, created: Record<string, number>) => {
  const { docs } = await payload.find({
    collection: 'posts',
    where: { slug: { equals: 'welcome-to-greenroom' } },
    limit: 1,
    ...ownValues,
  })
  const post = docs[0]
  if (!post || post.title) return
  await payload.update({
    collection: 'posts',
    id: post.id,
    locale: GERMAN,
    overrideAccess: true,
    data: {
      title: 'Willkommen bei Greenroom',
      content: richText(
        paragraph(
          'Greenroom ist das Back-End dieser Website: Hier schreibt die Redaktion, und jedes Front-End liest aus den APIs.',
        ),
        heading('h2', 'Was Sie tun können'),
        bulletList(
          'Beiträge und Seiten mit Entwürfen und automatischem Speichern schreiben',
          'Veröffentlichungen planen',
          'Inhalte über REST oder GraphQL abrufen',
        ),
        block('banner', {
          style: 'info',
          content: richText(
            paragraph(text('Tipp: ', BOLD), 'Entwürfe sehen Leserinnen und Leser erst, wenn Sie sie veröffentlichen.'),
          ),
        }),
        paragraph('Die ', link('/api/posts?locale=de', 'Beitrags-API'), ' zeigt, was ein Front-End bekommt.'),
      ),
    },
  })
  created['posts (de)'] = (created['posts (de)'] ?? 0) + 1
}

const translateHomePage = async (payload: Payload, created: Record<string, number>) => {
  const { docs } = await payload.find({
    collection: 'pages',
    where: { slug: { equals: 'home' } },
    limit: 1,
    ...ownValues,
  })
  const home = docs[0]
  if (!home || home.title) return
  const german: Record<string, unknown> = {
    content: [
      richText(paragraph('Greenroom vereint Schreiben, Redigieren und Veröffentlichen an einem Ort.')),
      richText(paragraph('Jede Seite und jeder Beitrag ist über REST und GraphQL verfügbar.')),
    ],
    archive: richText(heading('h3', 'Neueste Beiträge')),
    cta: richText(paragraph('Möchten Sie für uns schreiben?')),
  }
  const layout = (home.layout as Row[]).map((row) => {
    if (row.blockType === 'content') {
      const columns = german.content as unknown[]
      return {
        ...row,
        columns: (row.columns as Row[]).map((column, index) => ({
          ...column,
          richText: columns[index] ?? column.richText,
        })),
      }
    }
    if (row.blockType === 'archive') return { ...row, introContent: german.archive }
    if (row.blockType === 'cta')
      return { ...row, richText: german.cta, links: withLabels(row.links, ['Kontakt aufnehmen']) }
    return row
  })
  await payload.update({
    collection: 'pages',
    id: home.id,
    locale: GERMAN,
    overrideAccess: true,
    data: {
      title: 'Startseite',
      hero: {
        ...home.hero,
        richText: richText(
          heading('h2', 'Geschichten aus dem Greenroom'),
          paragraph('Neuigkeiten, Anleitungen und Notizen unserer Redaktion.'),
        ),
        links: withLabels(home.hero?.links, ['Hier anfangen']),
      },
      layout,
    } as never,
  })
  created['pages (de)'] = (created['pages (de)'] ?? 0) + 1
}

const NAVIGATION_LABELS: Record<string, string> = {
  Home: 'Startseite',
  About: 'Über uns',
  Contact: 'Kontakt',
  API: 'API',
}

/** Header and footer labels, the footer line and the site description. */
const translateGlobals = async (payload: Payload, created: Record<string, number>) => {
  for (const slug of ['header', 'footer'] as const) {
    const german = await payload.findGlobal({ slug, ...ownValues })
    const english = (await payload.findGlobal({ slug, depth: 0, overrideAccess: true, locale: 'en' })) as Row
    const items = (english.navItems ?? []) as Row[]
    if (items.length === 0 || (german.navItems as Row[] | undefined)?.some((item) => item.link?.label)) continue
    await payload.updateGlobal({
      slug,
      locale: GERMAN,
      overrideAccess: true,
      data: {
        _status: 'published',
        navItems: withLabels(
          items,
          items.map((item) => NAVIGATION_LABELS[item.link?.label] ?? item.link?.label),
        ),
        ...(slug === 'footer' && english.copyright
          ? { copyright: english.copyright.replace('Greenroom', 'Greenroom · Alle Rechte vorbehalten') }
          : {}),
      } as never,
    })
    created[`${slug} (de)`] = 1
  }
  const settings = await payload.findGlobal({ slug: 'site-settings', ...ownValues })
  if (!settings.description) {
    await payload.updateGlobal({
      slug: 'site-settings',
      locale: GERMAN,
      overrideAccess: true,
      data: {
        _status: 'published',
        siteName: 'Greenroom',
        description: 'Neuigkeiten, Anleitungen und Notizen der Greenroom-Redaktion.',
      },
    })
    created['site-settings (de)'] = 1
  }
}

/**
 * German for one post, the home page and the globals, so the demo shows both languages; everything
 * else falls back to English. Each part is written only while its German text is missing, so a
 * re-run changes nothing and an editor's translation is never overwritten.
 */
export const seedGermanTranslations = async (
  payload: Payload,
  created: Record<string, number>,
  { mediaAlts = [] }: { mediaAlts?: { id: number | string; alt: string }[] } = {},
) => {
  const locales = payload.config.localization ? payload.config.localization.localeCodes : []
  if (!locales.includes(GERMAN)) return
  await translateMediaAlts(payload, created, mediaAlts)
  await translateWelcomePost(payload, created)
  await translateHomePage(payload, created)
  await translateGlobals(payload, created)
}
