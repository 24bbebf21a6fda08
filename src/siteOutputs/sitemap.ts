import { Readable, pipeline } from 'node:stream'

import type { PayloadRequest, Where } from 'payload'
import type { SitemapItemLoose } from 'sitemap'
import { SitemapIndexStream, SitemapStream } from 'sitemap'

import type { UrlScheme } from '../urls'
import { documentUrl, routingSelect } from '../urls'

/** What the sitemap lists: the documents a site has pages for, pages before posts. */
export const SITEMAP_COLLECTIONS = ['pages', 'posts'] as const
export type SitemapCollection = (typeof SITEMAP_COLLECTIONS)[number]

/** Documents read per query while a file is written: memory holds one chunk, never a whole collection. */
const CHUNK = 1000

type RoutedRow = { id: number | string; slug?: string | null; publishedAt?: string | null; updatedAt?: string | null }

/** One file of a sitemap index: the `page`-th run of a collection's documents, in id order. */
export type SitemapFile = { collection: SitemapCollection; page: number }

export type SitemapPlan = {
  /** Everything fits one file: /sitemap.xml is that file, not an index. */
  single: boolean
  files: SitemapFile[]
  /** Documents per file: each has one `<url>` per language. */
  docsPerFile: number
}

export const sitemapFileName = ({ collection, page }: SitemapFile) => `${collection}-${page}.xml`

/** `posts-3.xml` → the file, or undefined for a name the sitemap never hands out. */
export const parseSitemapFileName = (name: string): SitemapFile | undefined => {
  const match = /^(pages|posts)-([1-9][0-9]{0,8})\.xml$/.exec(name)
  return match ? { collection: match[1] as SitemapCollection, page: Number(match[2]) } : undefined
}

/**
 * How many files the sitemap needs: a count of each collection's published documents (as the
 * public reads them), divided into runs of `maxUrls` URLs (each document counts once per language).
 */
export const planSitemap = async (req: PayloadRequest, scheme: UrlScheme, maxUrls: number): Promise<SitemapPlan> => {
  const docsPerFile = Math.max(1, Math.floor(maxUrls / scheme.locales.length))
  const counts = await Promise.all(
    SITEMAP_COLLECTIONS.map(async (collection) => ({
      collection,
      count: (await req.payload.count({ collection, overrideAccess: false, req })).totalDocs,
    })),
  )
  const total = counts.reduce((sum, { count }) => sum + count, 0)
  const files = counts.flatMap(({ collection, count }) =>
    Array.from({ length: Math.ceil(count / docsPerFile) }, (_, k) => ({ collection, page: k + 1 })),
  )
  return { single: total <= docsPerFile, files, docsPerFile }
}

/**
 * A run of published documents in id order, read in keyset chunks (`id > last`): the first id is
 * found by its offset once, then each chunk costs the same however deep the run lies. Only what an
 * address needs is selected. The public's view (`overrideAccess: false`, no user): a post with a
 * newer draft is read as published, a draft-only post not at all.
 */
async function* publishedRun(
  req: PayloadRequest,
  collection: SitemapCollection,
  skip: number,
  count: number,
): AsyncGenerator<RoutedRow> {
  const select = { ...routingSelect(collection), updatedAt: true }
  let after: number | string | undefined
  if (skip > 0) {
    const { docs } = await req.payload.find({
      collection,
      sort: 'id',
      limit: 1,
      page: skip,
      // Only the id is wanted; an empty select would read every field (and render the rich text).
      select: { updatedAt: true },
      depth: 0,
      overrideAccess: false,
      req,
    })
    if (docs.length === 0) return
    after = docs[0].id
  }
  let left = count
  while (left > 0) {
    const where: Where | undefined = after === undefined ? undefined : { id: { greater_than: after } }
    const { docs } = await req.payload.find({
      collection,
      where,
      sort: 'id',
      limit: Math.min(CHUNK, left),
      pagination: false,
      select: select as never,
      depth: 0,
      draft: false,
      overrideAccess: false,
      req,
    })
    const rows = docs as unknown as RoutedRow[]
    for (const row of rows) yield row
    if (rows.length < Math.min(CHUNK, left)) return
    left -= rows.length
    after = rows[rows.length - 1].id
  }
}

/**
 * One document's entries: a `<url>` per language, each naming every language's URL and `x-default`
 * (the default language's), so every alternate is listed and lists the same set back, as Google asks.
 */
export const entriesOf = (scheme: UrlScheme, collection: string, doc: RoutedRow): SitemapItemLoose[] => {
  const urls = scheme.locales.map((locale) => ({ locale, url: documentUrl(scheme, collection, doc, locale) }))
  if (urls.some(({ url }) => url === null)) return []
  const links = [
    ...urls.map(({ locale, url }) => ({ lang: locale, url: url! })),
    { lang: 'x-default', url: documentUrl(scheme, collection, doc, scheme.defaultLocale)! },
  ]
  return urls.map(({ url }) => ({ url: url!, lastmod: doc.updatedAt ?? undefined, links }))
}

/** Only the xhtml namespace is declared: the image, video and news ones would be unused. */
const urlsetStream = () =>
  new SitemapStream({ xmlns: { xhtml: true, news: false, image: false, video: false, custom: [] } })

/** A sitemap file as a stream: documents are read chunk by chunk as the client takes the bytes. */
const streamEntries = (entries: () => AsyncGenerator<SitemapItemLoose>): Readable => {
  const urlset = urlsetStream()
  // The destination ends with the source's error, which reaches whoever reads it.
  return pipeline(Readable.from(entries()), urlset, () => undefined) as unknown as Readable
}

/** Every document of every collection: the sitemap when it fits one file. */
export const wholeSitemap = (req: PayloadRequest, scheme: UrlScheme): Readable =>
  streamEntries(async function* () {
    for (const collection of SITEMAP_COLLECTIONS) {
      for await (const doc of publishedRun(req, collection, 0, Number.MAX_SAFE_INTEGER)) {
        yield* entriesOf(scheme, collection, doc)
      }
    }
  })

/** One file of a sitemap index. */
export const sitemapFile = (req: PayloadRequest, scheme: UrlScheme, plan: SitemapPlan, file: SitemapFile): Readable =>
  streamEntries(async function* () {
    for await (const doc of publishedRun(req, file.collection, (file.page - 1) * plan.docsPerFile, plan.docsPerFile)) {
      yield* entriesOf(scheme, file.collection, doc)
    }
  })

/** The index: each file at its absolute URL on this server (`base`, where the files are served). */
export const sitemapIndex = (plan: SitemapPlan, base: string): Readable => {
  const index = new SitemapIndexStream()
  return pipeline(
    Readable.from(plan.files.map((file) => ({ url: `${base}/sitemaps/${sitemapFileName(file)}` }))),
    index,
    () => undefined,
  ) as unknown as Readable
}
