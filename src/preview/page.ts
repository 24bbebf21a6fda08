/**
 * The built-in preview page: plain, readable, self-contained HTML (inline style, no requests to other
 * origins) of a post or page, from its HTML renditions (src/fields/richTextRenditions.ts) and layout
 * blocks. Everything but those renditions, which Greenroom renders itself, is escaped here.
 */

type Link = { label?: string | null; href?: string | null; newTab?: boolean | null }
type Media = { url?: string | null; alt?: string | null; caption?: string | null; width?: number | null; height?: number | null }
type Block = Record<string, unknown> & { blockType?: string }

export type PreviewDocument = {
  title?: string | null
  _status?: string | null
  updatedAt?: string | null
  publishedAt?: string | null
  heroImage?: unknown
  contentHtml?: string | null
  excerpt?: string | null
  populatedAuthors?: { name?: string | null }[] | null
  hero?: { type?: string | null; richTextHtml?: string | null; links?: { link?: Link }[] | null; media?: unknown } | null
  layout?: Block[] | null
}

export type PreviewChrome = { header?: { navItems?: { link?: Link }[] | null }; footer?: { navItems?: { link?: Link }[] | null; copyright?: string | null } }

export const escapeHtml = (value: unknown): string =>
  String(value ?? '').replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`)

/** Only addresses a page may link to: relative ones and http(s); anything else (javascript:, data:) is dropped. */
const safeHref = (href: unknown): string | undefined => {
  if (typeof href !== 'string' || href === '') return undefined
  if (href.startsWith('/') && !href.startsWith('//')) return href
  try {
    const url = new URL(href)
    return url.protocol === 'https:' || url.protocol === 'http:' || url.protocol === 'mailto:' ? url.href : undefined
  } catch {
    return href.startsWith('#') ? href : undefined
  }
}

/**
 * Media from this server or from where media URLs point (MEDIA_BASE_URL, else PUBLIC_SERVER_URL; the
 * renderer allows that origin in its img-src): the page makes no request to any other origin.
 */
const safeMediaUrl = (url: unknown, mediaOrigin: string | undefined): string | undefined => {
  if (typeof url !== 'string') return undefined
  if (url.startsWith('/') && !url.startsWith('//')) return url
  try {
    const parsed = new URL(url)
    return mediaOrigin && parsed.origin === mediaOrigin ? parsed.href : undefined
  } catch {
    return undefined
  }
}

const mediaOf = (value: unknown): Media | undefined => (value && typeof value === 'object' ? (value as Media) : undefined)

const link = ({ label, href, newTab }: Link = {}) => {
  const target = safeHref(href)
  const text = escapeHtml(label || href || '')
  if (!target) return `<span class="link">${text}</span>`
  return `<a href="${escapeHtml(target)}"${newTab ? ' target="_blank" rel="noopener noreferrer"' : ''}>${text}</a>`
}

const links = (items: { link?: Link }[] | null | undefined, className: string) =>
  items?.length ? `<nav class="${className}">${items.map((item) => link(item.link)).join('')}</nav>` : ''

const image = (value: unknown, mediaOrigin: string | undefined, className = '') => {
  const media = mediaOf(value)
  const src = safeMediaUrl(media?.url, mediaOrigin)
  if (!src) return ''
  const size = media?.width && media.height ? ` width="${Number(media.width)}" height="${Number(media.height)}"` : ''
  return `<img class="${className}" src="${escapeHtml(src)}" alt="${escapeHtml(media?.alt ?? '')}"${size}>`
}

/** Rendered by Greenroom from the document's rich text, with its links and images resolved for readers. */
const rendition = (html: unknown) => (typeof html === 'string' && html ? `<div class="prose">${html}</div>` : '')

const block = (item: Block, mediaOrigin: string | undefined): string => {
  switch (item.blockType) {
    case 'content': {
      const columns = (item.columns as { size?: string; richTextHtml?: string; enableLink?: boolean; link?: Link }[] | undefined) ?? []
      return `<section class="block columns">${columns
        .map((column) => `<div class="column ${escapeHtml(column.size ?? 'full')}">${rendition(column.richTextHtml)}${column.enableLink ? link(column.link) : ''}</div>`)
        .join('')}</section>`
    }
    case 'cta':
      return `<section class="block cta">${rendition(item.richTextHtml)}${links(item.links as { link?: Link }[], 'buttons')}</section>`
    case 'mediaBlock': {
      // The alt text describes the picture for those who cannot see it; the caption is what is shown beneath.
      const caption = mediaOf(item.media)?.caption
      return `<figure class="block media">${image(item.media, mediaOrigin)}${caption ? `<figcaption>${escapeHtml(caption)}</figcaption>` : ''}</figure>`
    }
    case 'archive': {
      const docs = (item.populatedDocs as { value?: { title?: string; path?: string } }[] | undefined) ?? []
      return `<section class="block archive">${rendition(item.introContentHtml)}<ul>${docs
        .map(({ value }) => (value && typeof value === 'object' ? `<li>${link({ label: value.title, href: value.path })}</li>` : ''))
        .join('')}</ul></section>`
    }
    case 'formBlock': {
      const form = item.form && typeof item.form === 'object' ? (item.form as { title?: string }) : undefined
      return `<section class="block form">${item.enableIntro ? rendition(item.introContentHtml) : ''}<p class="note">Form: ${escapeHtml(form?.title ?? '')} (shown by your site)</p></section>`
    }
    default:
      return `<section class="block"><p class="note">A ${escapeHtml(item.blockType ?? 'block')} block</p></section>`
  }
}

const STYLE = `
:root{color-scheme:light dark;--fg:#1d1d1f;--muted:#6e6e73;--bg:#fff;--line:#d2d2d7;--accent:#0b6e4f}
@media (prefers-color-scheme:dark){:root{--fg:#f5f5f7;--muted:#a1a1a6;--bg:#111;--line:#333;--accent:#4cc38a}}
*{box-sizing:border-box}body{margin:0;font:18px/1.6 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:var(--bg)}
.bar{position:sticky;top:0;z-index:1;background:#fff3cd;color:#5c4400;font-size:14px;padding:6px 16px;border-bottom:1px solid #e0c56e}
header,footer{border-bottom:1px solid var(--line);padding:12px 16px}footer{border-top:1px solid var(--line);border-bottom:0;color:var(--muted);font-size:15px}
nav{display:flex;flex-wrap:wrap;gap:16px}a{color:var(--accent)}main{max-width:46rem;margin:0 auto;padding:24px 16px}
h1{font-size:2.2rem;line-height:1.2;margin:.2em 0}.meta,.note{color:var(--muted);font-size:15px}img{max-width:100%;height:auto}
.hero{margin:0 0 24px}.block{margin:32px 0}.columns{display:flex;flex-wrap:wrap;gap:24px}.column{flex:1 1 100%}
.column.half{flex-basis:calc(50% - 12px)}.column.oneThird{flex-basis:calc(33% - 16px)}.column.twoThirds{flex-basis:calc(66% - 8px)}
.cta{border:1px solid var(--line);border-radius:8px;padding:16px}.buttons{margin-top:12px}pre{overflow:auto;padding:12px;border:1px solid var(--line);border-radius:6px}
figure{margin:0}figcaption{color:var(--muted);font-size:15px}`

/**
 * Live preview: the admin posts `payload-live-preview` messages (the form's values, on every change)
 * and `payload-document-event` (after a save or autosave) to this frame, once the frame says it is
 * ready. Messages from any origin but the admin's are ignored. The title follows every keystroke;
 * the rest is rendered by the server from the saved draft, so the body is fetched again after each
 * (auto)save and swapped in.
 */
const script = (adminOrigins: string[]) => `
(() => {
  const admins = new Set(${JSON.stringify(adminOrigins).replace(/</g, '\\u003c')})
  admins.add(location.origin)
  let fetching = null
  const refresh = async () => {
    if (fetching) return fetching
    fetching = (async () => {
      try {
        const answer = await fetch(location.href, { credentials: 'omit', cache: 'no-store' })
        if (!answer.ok) return
        const next = new DOMParser().parseFromString(await answer.text(), 'text/html')
        const main = document.querySelector('main'), fresh = next.querySelector('main')
        if (main && fresh) main.replaceWith(fresh)
      } finally { fetching = null }
    })()
    return fetching
  }
  window.addEventListener('message', (event) => {
    if (!admins.has(event.origin) || !event.data || typeof event.data !== 'object') return
    if (event.data.type === 'payload-document-event') refresh()
    if (event.data.type === 'payload-live-preview' && event.data.data && typeof event.data.data.title === 'string') {
      const title = document.querySelector('main > h1')
      if (title) title.textContent = event.data.data.title
    }
  })
  if (window.parent !== window) for (const origin of admins) window.parent.postMessage({ type: 'payload-live-preview', ready: true }, origin)
})()`

export const renderPreviewPage = ({
  doc,
  collection,
  chrome,
  nonce,
  adminOrigins,
  mediaOrigin,
  lang,
  label,
}: {
  doc: PreviewDocument
  collection: string
  chrome: PreviewChrome
  nonce: string
  adminOrigins: string[]
  /** The origin media URLs point at, when they are absolute. */
  mediaOrigin?: string
  lang: string
  /** What is previewed, when it is not the document itself (a global around the home page). */
  label?: string
}): string => {
  const status = doc._status === 'published' ? 'published' : 'draft'
  const hero =
    collection === 'pages'
      ? `<div class="hero">${image(doc.hero?.media, mediaOrigin, 'hero-image')}${rendition(doc.hero?.richTextHtml)}${links(doc.hero?.links, 'buttons')}</div>`
      : image(doc.heroImage, mediaOrigin, 'hero-image')
  const authors = (doc.populatedAuthors ?? []).map((author) => author.name).filter(Boolean)
  const body =
    collection === 'pages'
      ? (doc.layout ?? []).map((item) => block(item, mediaOrigin)).join('')
      : rendition(doc.contentHtml)
  return `<!doctype html>
<html lang="${escapeHtml(lang)}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="robots" content="noindex"><title>Preview: ${escapeHtml(doc.title)}</title><style nonce="${nonce}">${STYLE}</style></head>
<body><div class="bar">Preview · ${label ? `${escapeHtml(label)}, newest draft` : status === 'draft' ? 'newest draft, not published' : 'published version'}</div>
<header>${links(chrome.header?.navItems, 'site-nav')}</header>
<main data-status="${status}">${collection === 'pages' ? `<h1>${escapeHtml(doc.title)}</h1>${hero}` : `${hero}<h1>${escapeHtml(doc.title)}</h1>`}
${authors.length ? `<p class="meta">By ${escapeHtml(authors.join(', '))}</p>` : ''}${body}</main>
<footer>${links(chrome.footer?.navItems, 'footer-nav')}${chrome.footer?.copyright ? `<p>${escapeHtml(chrome.footer.copyright)}</p>` : ''}</footer>
<script nonce="${nonce}">${script(adminOrigins)}</script></body></html>`
}

export const renderRefusalPage = (message: string, nonce: string): string => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="robots" content="noindex"><title>Preview unavailable</title>
<style nonce="${nonce}">body{font:18px/1.6 system-ui,sans-serif;max-width:40rem;margin:48px auto;padding:0 16px}</style></head>
<body><h1>Preview unavailable</h1><p>${escapeHtml(message)}</p></body></html>`
