import type { GlobalConfig } from 'payload'

import { anyone } from '../../access/anyone'
import { isEditor } from '../../access/isEditor'
import { rejectStaleGlobalUpdate } from '../../hooks/rejectStaleUpdate'

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

const requiredHttpUrl = (value: unknown) => (value ? httpUrl(value) : 'A URL is required.')

export const SiteSettings: GlobalConfig = {
  slug: 'site-settings',
  label: 'Site settings',
  access: { read: anyone, update: isEditor },
  hooks: { beforeValidate: [rejectStaleGlobalUpdate] },
  fields: [
    { name: 'siteName', type: 'text', required: true, defaultValue: 'Greenroom', maxLength: 120, localized: true },
    {
      name: 'baseUrl',
      label: 'Base URL',
      type: 'text',
      validate: httpUrl,
      admin: { description: 'Public address of the website, used for canonical and SEO URLs.' },
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
