import { cacheHeaders, errorResponses, ref } from '../openapi/components'
import type { Paths } from '../openapi/paths'

const TAGS = ['Site files']
const text = { type: 'string' }

/** The checks of the JSON Feed 1.1 spec worth stating here; the full schema is the tests' (test/fixtures). */
const jsonFeed = {
  type: 'object',
  properties: { version: { const: 'https://jsonfeed.org/version/1.1' }, title: { type: 'string' }, items: { type: 'array' } },
  required: ['version', 'title', 'items'],
}

const answered = (description: string, mediaType: string) => ({
  description,
  headers: cacheHeaders,
  content: { [mediaType]: { schema: /json/.test(mediaType) ? jsonFeed : text } },
})

const localeParameter = {
  in: 'query',
  name: 'locale',
  required: false,
  description: 'The language of the feed (its titles, content and addresses); the default language when left out.',
  schema: { type: 'string' },
}

const slugParameter = {
  in: 'path',
  name: 'slug',
  required: true,
  description: "The category's slug.",
  schema: { type: 'string' },
}

const FEEDS = [
  ['feed.xml', 'RSS 2.0', 'application/rss+xml'],
  ['atom.xml', 'Atom 1.0', 'application/atom+xml'],
  ['feed.json', 'JSON Feed 1.1', 'application/feed+json'],
] as const

const feedOperation = (file: string, format: string, mediaType: string, ofCategory: boolean) => ({
  get: {
    operationId: `${ofCategory ? 'categoryFeed' : 'feed'}${format.split(' ')[0].replace(/\W/g, '')}`,
    summary: `${format} feed of the newest posts${ofCategory ? ' of a category' : ''}`,
    description:
      `The newest published posts (\`FEED_ITEMS\`), newest first, with their full HTML and absolute URLs, authors, categories and hero image. ` +
      'Read as the public whoever asks; cached like an API read.',
    tags: TAGS,
    security: [],
    parameters: [...(ofCategory ? [slugParameter] : []), localeParameter, ref('parameters', 'IfNoneMatch')],
    responses: {
      200: answered(`The ${format} feed (${file})`, mediaType),
      304: ref('responses', 'NotModified'),
      ...errorResponses(400, ...(ofCategory ? ([404] as const) : [])),
    },
  },
})

/**
 * The site's files at the server's root (src/siteOutputs/routes.ts): express routes, not Payload
 * endpoints, so they are listed here rather than through an endpoint's `custom.openapi`.
 */
export const siteOutputPaths = (): Paths => ({
  '/robots.txt': {
    get: {
      operationId: 'robots',
      summary: "robots.txt of this server: no admin panel or API, but media files; names the sitemap",
      tags: TAGS,
      security: [],
      responses: { 200: answered('robots.txt', 'text/plain'), 304: ref('responses', 'NotModified'), ...errorResponses() },
    },
  },
  '/sitemap.xml': {
    get: {
      operationId: 'sitemap',
      summary: 'The sitemap: every published page and post in every language, or the index of its files',
      description:
        'A `<urlset>` with a `<url>` per document and language, each with `lastmod` and `xhtml:link` alternates for every language and `x-default`. ' +
        'With more URLs than `SITEMAP_MAX_URLS`, a `<sitemapindex>` of `/sitemaps/{name}` files instead.',
      tags: TAGS,
      security: [],
      parameters: [ref('parameters', 'IfNoneMatch')],
      responses: {
        200: answered('The sitemap or the sitemap index', 'application/xml'),
        304: ref('responses', 'NotModified'),
        ...errorResponses(),
      },
    },
  },
  '/sitemaps/{name}': {
    get: {
      operationId: 'sitemapFile',
      summary: 'One file of the sitemap index, e.g. `posts-2.xml`',
      tags: TAGS,
      security: [],
      parameters: [
        { in: 'path', name: 'name', required: true, description: '`<collection>-<n>.xml`, as the index lists it.', schema: text },
        ref('parameters', 'IfNoneMatch'),
      ],
      responses: {
        200: answered('A `<urlset>` of up to `SITEMAP_MAX_URLS` URLs', 'application/xml'),
        304: ref('responses', 'NotModified'),
        ...errorResponses(404),
      },
    },
  },
  ...Object.fromEntries(
    FEEDS.flatMap(([file, format, mediaType]) => [
      [`/${file}`, feedOperation(file, format, mediaType, false)],
      [`/categories/{slug}/${file}`, feedOperation(file, format, mediaType, true)],
    ]),
  ),
})
