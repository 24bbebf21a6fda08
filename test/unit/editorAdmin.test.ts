import fs from 'node:fs'
import path from 'node:path'

import type { Field } from 'payload'

import { blockSummary, columnSummary, linkRowSummary, richTextSummary } from '../../src/admin/labels/summaries'
import { labelledByContent } from '../../src/admin/labels'
import { monacoDirectory } from '../../src/admin/monaco/assets'
import { withSelfHostedMonaco } from '../../src/admin/monaco/selfHosted'
import { MONACO_VERSION } from '../../src/admin/monaco/version'
import { adminTimezones, formatInTimeZone, siteTimeZoneFromEnv } from '../../src/admin/scheduling/timeZone'
import { Code } from '../../src/blocks/Code/config'
import { bulletList, heading, link, paragraph, richText, text } from '../../src/seed/lexical'

const ROOT = process.cwd()

describe('row and block labels', () => {
  it('take a rich text’s first heading, else its first text, flattened and clipped', () => {
    expect(richTextSummary(richText(paragraph('Intro text'), heading('h2', 'The  heading')))).toBe('The heading')
    expect(richTextSummary(richText(paragraph(''), paragraph(text('Bold '), link('/x', 'link')), paragraph('later')))).toBe('Bold link')
    expect(richTextSummary(richText(bulletList('one', 'two')))).toBe('one two')
    expect(richTextSummary(richText(paragraph('x'.repeat(200))))).toMatch(/^x{79}…$/)
    expect(richTextSummary(undefined)).toBe('')
    expect(richTextSummary({ root: {} })).toBe('')
  })

  it('label link rows by the link’s label, else a custom URL', () => {
    expect(linkRowSummary({ link: { type: 'reference', label: 'About', reference: { relationTo: 'pages', value: 1 } } })).toBe('About')
    expect(linkRowSummary({ link: { type: 'custom', url: 'https://example.com', label: '' } })).toBe('https://example.com')
    expect(linkRowSummary({ link: { type: 'reference', label: '' } })).toBe('')
    expect(linkRowSummary(undefined)).toBe('')
  })

  it('label content columns by their text, else their link', () => {
    expect(columnSummary({ richText: richText(paragraph('Column text')) })).toBe('Column text')
    expect(columnSummary({ richText: richText(), enableLink: true, link: { label: 'Read on' } })).toBe('Read on')
    expect(columnSummary({ richText: richText(), enableLink: false, link: { label: 'Read on' } })).toBe('')
  })

  it('label each kind of block by its heading or first text', () => {
    expect(
      blockSummary({ blockType: 'content', columns: [{ richText: richText() }, { richText: richText(paragraph('Second column')) }] }),
    ).toBe('Second column')
    expect(blockSummary({ blockType: 'cta', richText: richText(paragraph('Write for us?')) })).toBe('Write for us?')
    expect(blockSummary({ blockType: 'cta', links: [{ link: { label: 'Get in touch' } }] })).toBe('Get in touch')
    expect(blockSummary({ blockType: 'archive', introContent: richText(heading('h3', 'Latest posts')) })).toBe('Latest posts')
    expect(blockSummary({ blockType: 'archive', populateBy: 'selection' })).toBe('Hand-picked posts')
    expect(blockSummary({ blockType: 'formBlock', form: 3, enableIntro: true, introContent: richText(paragraph('Write to us.')) })).toBe(
      'Write to us.',
    )
    expect(blockSummary({ blockType: 'formBlock', form: 3, enableIntro: false, introContent: richText(paragraph('Hidden')) })).toBe('Form #3')
    expect(blockSummary({ blockType: 'mediaBlock', media: 12 })).toBe('Image #12')
    expect(blockSummary({ blockType: 'code', code: '\n  npm ci\nnpm start' })).toBe('npm ci')
    expect(blockSummary({ blockType: 'code', code: 'npm ci', caption: 'Install' })).toBe('Install')
    expect(blockSummary({ blockType: 'banner', content: richText(paragraph('Careful')) })).toBe('Careful')
    expect(blockSummary({ blockType: 'unknown' })).toBe('')
    expect(blockSummary(undefined)).toBe('')
  })

  it('give a layout block a Label component that knows its kind', () => {
    const block = labelledByContent({ slug: 'mediaBlock', fields: [] })
    expect(block.admin?.components?.Label).toEqual({
      path: '/admin/labels/components#BlockLabel',
      clientProps: { blockLabel: 'Media Block', blockType: 'mediaBlock' },
    })
    const named = labelledByContent({ slug: 'cta', labels: { singular: 'Call to action', plural: 'Calls to action' }, fields: [] })
    expect(named.admin?.components?.Label).toMatchObject({ clientProps: { blockLabel: 'Call to action' } })
  })
})

describe('Monaco from Greenroom', () => {
  it('serves the monaco-editor release the loader in @payloadcms/ui was built for, installed as a dependency', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'))
    expect(pkg.dependencies['monaco-editor']).toBe(MONACO_VERSION)
    // @payloadcms/ui bundles @monaco-editor/loader; its default CDN path names the release it expects.
    const bundled = fs
      .readdirSync(path.join(ROOT, 'node_modules/@payloadcms/ui/dist/exports/client'))
      .filter((file) => file.endsWith('.js'))
      .map((file) => fs.readFileSync(path.join(ROOT, 'node_modules/@payloadcms/ui/dist/exports/client', file), 'utf8'))
      .join('\n')
    const expected = [...bundled.matchAll(/npm\/monaco-editor@([\d.]+)\/min\/vs/g)].map((match) => match[1])
    expect(expected.length).toBeGreaterThan(0)
    expect(new Set(expected)).toEqual(new Set([MONACO_VERSION]))
    const directory = monacoDirectory(ROOT)
    expect(fs.existsSync(path.join(directory, 'loader.js'))).toBe(true)
    expect(fs.existsSync(path.join(directory, 'editor', 'editor.main.js'))).toBe(true)
  })

  it('gives every code and JSON field, however deep, the editor that waits for it, and leaves other fields alone', () => {
    const field: Field = {
      type: 'tabs',
      tabs: [
        {
          label: 'One',
          fields: [
            { name: 'data', type: 'json' },
            { name: 'own', type: 'code', admin: { components: { Field: '/elsewhere#Field' } } },
            { name: 'rows', type: 'array', fields: [{ type: 'row', fields: [{ name: 'snippet', type: 'code' }] }] },
            { name: 'layout', type: 'blocks', blocks: [{ slug: 'b', fields: [{ name: 'source', type: 'code' }] }] },
            { name: 'title', type: 'text' },
          ],
        },
      ],
    }
    const wrapped = JSON.parse(JSON.stringify(withSelfHostedMonaco(field)))
    const [tab] = wrapped.tabs
    expect(tab.fields[0].admin.components.Field).toBe('/admin/monaco/fields#JSONField')
    expect(tab.fields[1].admin.components.Field).toBe('/elsewhere#Field')
    expect(tab.fields[2].fields[0].fields[0].admin.components.Field).toBe('/admin/monaco/fields#CodeField')
    expect(tab.fields[3].blocks[0].fields[0].admin.components.Field).toBe('/admin/monaco/fields#CodeField')
    expect(tab.fields[4]).toEqual({ name: 'title', type: 'text' })
  })

  it('covers the Code block in rich text, which the config-wide pass does not reach', () => {
    const code = Code.fields.find((field) => 'name' in field && field.name === 'code') as Field & { admin: { components: { Field: string } } }
    expect(code.admin.components.Field).toBe('/admin/monaco/fields#CodeField')
  })
})

describe('the site’s time zone', () => {
  it('defaults to UTC, takes an IANA name in its canonical spelling and refuses anything else', () => {
    expect(siteTimeZoneFromEnv({})).toBe('UTC')
    expect(siteTimeZoneFromEnv({ SITE_TIME_ZONE: ' Europe/Berlin ' })).toBe('Europe/Berlin')
    expect(() => siteTimeZoneFromEnv({ SITE_TIME_ZONE: 'Mars/Olympus' })).toThrow(/SITE_TIME_ZONE "Mars\/Olympus" is not a time zone/)
  })

  it('is the admin’s default time zone, added to Payload’s list when the list lacks it', () => {
    const defaults = [{ label: '(UTC+01:00) Berlin, Paris', value: 'Europe/Berlin' }]
    const berlin = adminTimezones('Europe/Berlin')
    expect(berlin.defaultTimezone).toBe('Europe/Berlin')
    expect((berlin.supportedTimezones as (args: { defaultTimezones: typeof defaults }) => unknown)({ defaultTimezones: defaults })).toEqual(
      defaults,
    )
    const utc = adminTimezones('UTC')
    expect((utc.supportedTimezones as (args: { defaultTimezones: typeof defaults }) => unknown)({ defaultTimezones: defaults })).toEqual([
      { label: 'UTC', value: 'UTC' },
      ...defaults,
    ])
  })

  it('formats times in the site’s zone, naming it', () => {
    expect(formatInTimeZone('2026-12-24T17:30:00.000Z', 'Europe/Berlin')).toMatch(/24 Dec 2026, 18:30.*(CET|GMT\+1)/)
    expect(formatInTimeZone('2026-12-24T17:30:00.000Z', 'UTC')).toMatch(/24 Dec 2026, 17:30.*UTC/)
  })
})
