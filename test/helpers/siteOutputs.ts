import fs from 'node:fs'
import path from 'node:path'

import Ajv2020 from 'ajv/dist/2020.js'
import addFormats from 'ajv-formats'
import { XMLParser, XMLValidator } from 'fast-xml-parser'
import xmllint from 'xmllint-wasm'

const FIXTURES = path.resolve(import.meta.dirname, '../fixtures')
const xsd = (name: string) => ({ fileName: name, contents: fs.readFileSync(path.join(FIXTURES, 'xsd', name), 'utf8') })

/**
 * Validates a sitemap against the sitemaps.org schemas (test/fixtures/xsd/), with libxml2 compiled to
 * WebAssembly: nothing is fetched, every imported schema is preloaded. A urlset is checked with its
 * hreflang links (the XHTML link element), an index against the index schema.
 */
export const validateSitemapXml = async (xml: string, kind: 'urlset' | 'index') => {
  const result = await xmllint.validateXML({
    xml: [{ fileName: 'sitemap.xml', contents: xml }],
    schema: kind === 'index' ? [xsd('siteindex.xsd')] : [xsd('urlset-with-xhtml.xsd')],
    preload: kind === 'index' ? [] : [xsd('sitemap.xsd'), xsd('xhtml-link.xsd')],
    // A file of 10,000 URLs with their alternates is a few MB of XML.
    maxMemoryPages: 16_384,
  })
  return { valid: result.valid, errors: result.errors.map((error) => error.message) }
}

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  // Lists stay lists with one entry too.
  isArray: (name, jpath) =>
    name === 'link' ? String(jpath).startsWith('feed.') : ['url', 'sitemap', 'xhtml:link', 'item', 'entry', 'category', 'author'].includes(name),
})

/** Well-formed (fast-xml-parser's validator), then parsed with attributes as `@_name`. */
export const parseXml = (xml: string): Record<string, any> => {
  const wellFormed = XMLValidator.validate(xml)
  if (wellFormed !== true) throw new Error(`not well-formed XML: ${JSON.stringify(wellFormed.err)}`)
  return parser.parse(xml) as Record<string, any>
}

const ajv = new Ajv2020({ strict: true, strictRequired: false, allErrors: true })
addFormats(ajv)
const jsonFeedSchema = ajv.compile(JSON.parse(fs.readFileSync(path.join(FIXTURES, 'jsonfeed-1.1.schema.json'), 'utf8')))

/** Errors of a JSON Feed against the JSON Feed 1.1 schema written from the spec (empty: valid). */
export const jsonFeedErrors = (feed: unknown) =>
  jsonFeedSchema(feed) ? [] : (jsonFeedSchema.errors ?? []).map((error) => `${error.instancePath} ${error.message}`)

/**
 * What RSS 2.0 requires (https://www.rssboard.org/rss-specification) and a parse alone would not
 * check: version 2.0; a channel's title, link and description; an item's title or description; the
 * content module's namespace when content:encoded is used; absolute links.
 */
export const rssProblems = (rss: Record<string, any>): string[] => {
  const problems: string[] = []
  const root = rss.rss
  if (!root) return ['no <rss> root']
  if (root['@_version'] !== '2.0') problems.push(`version ${root['@_version']}`)
  const channel = root.channel
  for (const name of ['title', 'link', 'description']) if (channel?.[name] === undefined) problems.push(`channel without ${name}`)
  for (const item of channel?.item ?? []) {
    if (item.title === undefined && item.description === undefined) problems.push('item without title or description')
    if (item.link !== undefined && !/^https?:\/\//.test(item.link)) problems.push(`relative item link ${item.link}`)
    if (item['content:encoded'] !== undefined && !root['@_xmlns:content']) problems.push('content:encoded without its namespace')
  }
  return problems
}

/**
 * What Atom requires (RFC 4287, 4.1): the Atom namespace; a feed's id, title and updated, and an
 * author unless every entry has one; each entry's id, title and updated; a category's term;
 * RFC 3339 dates; ids that are IRIs.
 */
export const atomProblems = (atom: Record<string, any>): string[] => {
  const problems: string[] = []
  const feed = atom.feed
  if (!feed) return ['no <feed> root']
  if (feed['@_xmlns'] !== 'http://www.w3.org/2005/Atom') problems.push('not in the Atom namespace')
  const rfc3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/
  for (const name of ['id', 'title', 'updated']) if (feed[name] === undefined) problems.push(`feed without ${name}`)
  if (feed.updated !== undefined && !rfc3339.test(feed.updated)) problems.push(`feed updated ${feed.updated}`)
  for (const entry of feed.entry ?? []) {
    for (const name of ['id', 'title', 'updated']) if (entry[name] === undefined) problems.push(`entry without ${name}`)
    if (!/^[a-z][a-z0-9+.-]*:/i.test(String(entry.id))) problems.push(`entry id ${entry.id} is not an IRI`)
    if (entry.updated !== undefined && !rfc3339.test(entry.updated)) problems.push(`entry updated ${entry.updated}`)
    if (!feed.author && !entry.author) problems.push('entry without author in a feed without author')
    for (const category of entry.category ?? []) if (!category['@_term']) problems.push('category without term')
  }
  return problems
}

/** Every href, src and srcset URL in an HTML string. */
export const urlsInHtml = (html: string): string[] => [
  ...[...html.matchAll(/\s(?:href|src)="([^"]*)"/g)].map((match) => match[1]),
  ...[...html.matchAll(/\ssrcset="([^"]*)"/g)].flatMap((match) => match[1].split(',').map((part) => part.trim().split(/\s+/)[0])),
]
