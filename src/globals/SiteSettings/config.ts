import type { Field, GlobalConfig } from 'payload'

import { anyone } from '../../access/anyone'
import { isEditor } from '../../access/isEditor'
import { rejectStaleGlobalUpdate } from '../../hooks/rejectStaleUpdate'
import { previewButtonUrlForGlobal } from '../../preview/mint'
import { globalVersions } from '../versions'
import type { RoutedCollection } from '../../urls'
import { DEFAULT_PATH_PATTERNS, LOCALE_PATH_MODES, validatePathPattern } from '../../urls'
import { validatePreviewUrlPattern } from '../../preview/url'

export const SOCIAL_PLATFORMS = ['mastodon', 'bluesky', 'x', 'github', 'linkedin', 'instagram', 'youtube', 'facebook', 'rss', 'other'] as const

const httpUrl = (value: unknown) => {
  if (value === undefined || value === null || value === '') return true
  try {
    const url = new URL(String(value))
    return url.protocol === 'https:' || url.protocol === 'http:' ? true : 'Use an http(s) URL.'
  } catch {
    return 'Enter an absolute URL, such as https://example.com.'
  }
}

const pathPatternField = (name: string, collection: RoutedCollection, label: string): Field => ({
  name,
  label,
  type: 'text',
  required: true,
  defaultValue: DEFAULT_PATH_PATTERNS[collection],
  validate: (value: unknown) => validatePathPattern(value, collection),
  admin: { width: '33%' },
})

const requiredHttpUrl = (value: unknown) => (value ? httpUrl(value) : 'A URL is required.')

export const SiteSettings: GlobalConfig = {
  slug: 'site-settings',
  label: 'Site settings',
  access: { read: anyone, update: isEditor },
  hooks: { beforeValidate: [rejectStaleGlobalUpdate] },
  versions: globalVersions,
  // Preview shows the home page around the newest draft (src/preview/).
  admin: { preview: previewButtonUrlForGlobal('site-settings') },
  fields: [
    { name: 'siteName', type: 'text', required: true, defaultValue: 'Greenroom', maxLength: 120, localized: true },
    {
      name: 'baseUrl',
      label: 'Base URL',
      type: 'text',
      validate: httpUrl,
      admin: { description: 'Public address of the website, used for canonical and SEO URLs.' },
    },
    {
      name: 'urls',
      label: 'Site addresses',
      type: 'group',
      admin: {
        description:
          'Where the site serves each kind of document. Links, rich text, sitemaps, feeds, SEO, redirects and ' +
          'previews all follow these patterns. Tokens: :slug, :id, and for posts :year, :month, :day (publish date, UTC).',
      },
      fields: [
        {
          type: 'row',
          fields: [
            pathPatternField('postPath', 'posts', 'Post path'),
            pathPatternField('pagePath', 'pages', 'Page path'),
            pathPatternField('categoryPath', 'categories', 'Category path'),
          ],
        },
        {
          type: 'row',
          fields: [
            {
              name: 'homePage',
              label: 'Home page',
              type: 'relationship',
              relationTo: 'pages',
              admin: { width: '50%', description: 'Served at "/". When empty, the page whose slug is "home" is.' },
            },
            {
              name: 'localePaths',
              label: 'Language in the path',
              type: 'select',
              required: true,
              defaultValue: 'prefix-others',
              options: LOCALE_PATH_MODES.map((value) => ({
                value,
                label:
                  value === 'prefix-others'
                    ? 'Other languages only (/posts/x, /de/posts/x)'
                    : 'Every language (/en/posts/x, /de/posts/x)',
              })),
              admin: { width: '50%' },
            },
          ],
        },
        {
          name: 'previewUrl',
          label: 'Preview URL',
          type: 'text',
          maxLength: 500,
          validate: validatePreviewUrlPattern,
          admin: {
            description:
              "Your front end's preview route, for the Preview button and live preview, e.g. " +
              'https://site.example/api/preview?path={path}&token={token}. Tokens: {path} (the address above), {token} ' +
              "(send it as \"Authorization: Preview <token>\"), {collection}, {id}, {locale}. Empty: Greenroom's built-in preview page.",
          },
        },
      ],
    },
    { name: 'description', type: 'textarea', maxLength: 300, localized: true },
    { name: 'defaultOgImage', label: 'Default social image', type: 'upload', relationTo: 'media' },
    {
      name: 'socialLinks',
      type: 'array',
      maxRows: 12,
      fields: [
        {
          type: 'row',
          fields: [
            {
              name: 'platform',
              type: 'select',
              required: true,
              options: SOCIAL_PLATFORMS.map((value) => ({ label: value, value })),
              admin: { width: '40%' },
            },
            { name: 'url', label: 'URL', type: 'text', required: true, validate: requiredHttpUrl, admin: { width: '60%' } },
          ],
        },
      ],
    },
  ],
}
