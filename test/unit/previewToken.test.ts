import { SignJWT } from 'jose'

import { escapeHtml, renderPreviewPage } from '../../src/preview/page'
import { keyFor, previewTokenTtlFromEnv, signPreviewToken, verifyPreviewToken } from '../../src/preview/token'
import { fillPreviewUrl, validatePreviewUrlPattern } from '../../src/preview/url'

const SECRET = 'unit-test-secret-0123456789abcdef'
const target = { collection: 'posts', id: '42' }

describe('preview tokens', () => {
  test('sign and verify: the target, the minting user, the expiry and an id of their own', async () => {
    const now = Date.UTC(2026, 11, 2, 5, 0, 0)
    const signed = await signPreviewToken(SECRET, { target, userId: '7', locale: 'de', ttlSeconds: 600 }, now)
    expect(signed.expiresAt).toBe(now / 1000 + 600)
    const verified = await verifyPreviewToken(SECRET, signed.token, now + 599_000)
    expect(verified).toEqual({ claims: { target, userId: '7', expiresAt: now / 1000 + 600, tokenId: signed.tokenId, locale: 'de' } })
    const other = await signPreviewToken(SECRET, { target, userId: '7', ttlSeconds: 600 }, now)
    expect(other.tokenId).not.toBe(signed.tokenId)
  })

  test('an expired token is refused as expired', async () => {
    const now = Date.now()
    const { token } = await signPreviewToken(SECRET, { target, userId: '7', ttlSeconds: 60 }, now)
    expect(await verifyPreviewToken(SECRET, token, now + 61_000)).toMatchObject({ refusal: { reason: 'expired' } })
  })

  test('a changed signature, changed claims, another secret, audience or type are refused', async () => {
    const { token } = await signPreviewToken(SECRET, { target, userId: '7' })
    const [head, body, signature] = token.split('.')
    const flipped = `${head}.${body}.${signature.slice(0, -2)}${signature.endsWith('AA') ? 'BB' : 'AA'}`
    const claims = JSON.parse(Buffer.from(body, 'base64url').toString())
    const retargeted = `${head}.${Buffer.from(JSON.stringify({ ...claims, tgt: { collection: 'posts', id: '43' } })).toString('base64url')}.${signature}`
    const sign = (audience: string, type: string, key: Uint8Array | Buffer) =>
      new SignJWT({ tgt: target })
        .setProtectedHeader({ alg: 'HS256', typ: type })
        .setIssuer('greenroom')
        .setAudience(audience)
        .setSubject('7')
        .setIssuedAt()
        .setExpirationTime('5m')
        .setJti('x')
        .sign(key)
    const bad = [
      flipped,
      retargeted,
      (await signPreviewToken('another-secret-0123456789abcdef0', { target, userId: '7' })).token,
      await sign('payload', 'greenroom-preview+jwt', keyFor(SECRET)),
      await sign('greenroom-preview', 'JWT', keyFor(SECRET)),
      // Signed with the secret itself, as Payload signs its sessions: the preview key is another.
      await sign('greenroom-preview', 'greenroom-preview+jwt', Buffer.from(SECRET)),
      'not.a.token',
    ]
    for (const token of bad) expect(await verifyPreviewToken(SECRET, token)).toMatchObject({ refusal: { reason: 'invalid' } })
  })

  test('PREVIEW_TOKEN_TTL_SECONDS: an hour by default, a whole number of at least 60 seconds', () => {
    expect(previewTokenTtlFromEnv({})).toBe(3600)
    expect(previewTokenTtlFromEnv({ PREVIEW_TOKEN_TTL_SECONDS: '900' })).toBe(900)
    expect(() => previewTokenTtlFromEnv({ PREVIEW_TOKEN_TTL_SECONDS: '10' })).toThrow(/PREVIEW_TOKEN_TTL_SECONDS/)
    expect(() => previewTokenTtlFromEnv({ PREVIEW_TOKEN_TTL_SECONDS: 'soon' })).toThrow(/PREVIEW_TOKEN_TTL_SECONDS/)
  })
})

describe('preview URLs', () => {
  const parts = { path: '/posts/a b', token: 't.o.k', collection: 'posts', id: '42', locale: 'de' }

  test("a team's own pattern, each token filled in encoded", () => {
    expect(fillPreviewUrl('https://site.example/api/preview?path={path}&token={token}&l={locale}', parts)).toBe(
      'https://site.example/api/preview?path=%2Fposts%2Fa%20b&token=t.o.k&l=de',
    )
  })

  test("no pattern: Greenroom's own renderer, on PUBLIC_SERVER_URL when set", () => {
    expect(fillPreviewUrl('', parts, {})).toBe('/preview/posts/42?token=t.o.k&locale=de')
    expect(fillPreviewUrl(null, { ...parts, locale: '' }, { PUBLIC_SERVER_URL: 'https://cms.example/' })).toBe('https://cms.example/preview/posts/42?token=t.o.k')
    expect(fillPreviewUrl('', { ...parts, collection: 'header', id: '', locale: '' }, {})).toBe('/preview/globals/header?token=t.o.k')
  })

  test('patterns are validated', () => {
    expect(validatePreviewUrlPattern('')).toBe(true)
    expect(validatePreviewUrlPattern('https://site.example/p?token={token}&path={path}')).toBe(true)
    expect(validatePreviewUrlPattern('https://site.example/p?path={path}')).toMatch(/\{token\}/)
    expect(validatePreviewUrlPattern('https://site.example/p?token={token}&x={secret}')).toMatch(/\{secret\}/)
    expect(validatePreviewUrlPattern('javascript:alert(1)//{token}')).toMatch(/http/)
    expect(validatePreviewUrlPattern('/relative?token={token}')).toMatch(/absolute/)
  })
})

describe('the preview page', () => {
  test('escapes everything but the renditions Greenroom made, and links only to safe addresses', () => {
    const html = renderPreviewPage({
      doc: {
        title: '<script>alert(1)</script>',
        contentHtml: '<p>Rendered <strong>body</strong></p>',
        heroImage: { url: 'https://elsewhere.example/x.png', alt: 'x' },
        populatedAuthors: [{ name: '"Ann" <Author>' }],
      },
      collection: 'posts',
      chrome: { header: { navItems: [{ link: { label: 'Bad', href: 'javascript:alert(1)' } }, { link: { label: 'Home', href: '/' } }] } },
      nonce: 'abc',
      adminOrigins: ['https://cms.example'],
      lang: 'en',
    })
    expect(html).not.toContain('<script>alert(1)</script>')
    expect(html).toContain(escapeHtml('<script>alert(1)</script>'))
    expect(html).toContain('<p>Rendered <strong>body</strong></p>')
    expect(html).not.toContain('javascript:')
    expect(html).toContain('<a href="/">Home</a>')
    expect(html).not.toContain('elsewhere.example')
    expect(html).toContain(escapeHtml('"Ann" <Author>'))
    expect(html).toContain('"https://cms.example"')
  })

  test('shows images from where media URLs point, and a media block captioned by its caption, not its alt text', () => {
    const media = (name: string, caption?: string) => ({
      url: `https://media.example/api/media/file/${name}`,
      alt: `Alt of ${name}`,
      caption,
      width: 800,
      height: 600,
    })
    const html = renderPreviewPage({
      doc: {
        title: 'A page',
        hero: { media: media('hero.png') },
        layout: [
          { blockType: 'mediaBlock', media: media('captioned.png', 'Taken at dawn') },
          { blockType: 'mediaBlock', media: media('plain.png') },
          { blockType: 'mediaBlock', media: { url: 'https://elsewhere.example/x.png', alt: 'x' } },
        ],
      },
      collection: 'pages',
      chrome: {},
      nonce: 'abc',
      adminOrigins: [],
      mediaOrigin: 'https://media.example',
      lang: 'en',
    })
    expect(html).toContain('<img class="hero-image" src="https://media.example/api/media/file/hero.png" alt="Alt of hero.png" width="800" height="600">')
    expect(html).toContain('src="https://media.example/api/media/file/captioned.png"')
    expect(html).toContain('<figcaption>Taken at dawn</figcaption>')
    expect(html).not.toContain('<figcaption>Alt of plain.png</figcaption>')
    expect(html.match(/<figcaption>/g)).toHaveLength(1)
    expect(html).not.toContain('elsewhere.example')
  })
})
