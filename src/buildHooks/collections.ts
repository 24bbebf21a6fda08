import { randomBytes } from 'node:crypto'

import type { CollectionBeforeChangeHook, CollectionBeforeDeleteHook, CollectionConfig, TextFieldSingleValidation } from 'payload'

import { isAdmin } from '../access/isAdmin'
import { readHeadPosition } from '../changes/changeLog'
import { nobody } from '../access/nobody'
import { buildHookSettingsFromEnv } from './settings'
import { checkTarget } from './targets'

export const BUILD_HOOKS = 'build-hooks'
export const BUILD_DELIVERIES = 'build-deliveries'

export const PRESETS = ['netlify', 'vercel', 'cloudflare-pages', 'github-dispatch', 'generic'] as const
export type Preset = (typeof PRESETS)[number]

/** What a site builds from (the sync endpoint's defaults): the triggers a hook may name. */
export const TRIGGER_COLLECTIONS = ['posts', 'pages', 'categories', 'media', 'forms', 'redirects'] as const
export const TRIGGER_GLOBALS = ['header', 'footer', 'site-settings'] as const

export const DELIVERY_STATUSES = ['queued', 'delivering', 'delivered', 'retrying', 'failed', 'disabled'] as const
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number]

/** A Standard Webhooks secret: `whsec_` and base64 of 24 random bytes (the spec asks for 24 to 64). */
export const generateSigningSecret = () => `whsec_${randomBytes(24).toString('base64')}`
const SIGNING_SECRET = /^whsec_[A-Za-z0-9+/]{32,86}={0,2}$/

/** The token a deploy's status report authenticates with (the inbound deploy-status endpoint). */
export const generateDeployToken = () => `gdt_${randomBytes(24).toString('base64url')}`

const validateTarget: TextFieldSingleValidation = async (value) => {
  if (!value) return 'A target URL is required.'
  return (await checkTarget(value, buildHookSettingsFromEnv().allowPrivateTargets)) ?? true
}

const validateSecret: TextFieldSingleValidation = (value) =>
  !value || SIGNING_SECRET.test(value) ? true : 'A signing secret is "whsec_" followed by base64 of 24 to 64 bytes; leave it empty to have one made.'

const fillGeneratedValues: CollectionBeforeChangeHook = async ({ data, operation, originalDoc, req }) => {
  if (operation === 'create') {
    data.secret ||= generateSigningSecret()
    data.deployToken = generateDeployToken()
    // A new hook announces what changes after it, not the whole history.
    data.deliveredThrough = await readHeadPosition(req.payload)
  }
  // Turning a hook back on clears why it was turned off.
  if (data.enabled && originalDoc && !originalDoc.enabled) {
    data.disabledReason = null
    data.disabledAt = null
  }
  return data
}

/** A hook's deliveries go with it: they name it, and mean nothing without it. */
const deleteDeliveries: CollectionBeforeDeleteHook = async ({ id, req }) => {
  await req.payload.delete({ collection: BUILD_DELIVERIES, where: { hook: { equals: id } }, overrideAccess: true, req })
}

/**
 * Where and when to announce that published content changed. Admins only: a hook's secret and
 * tokens are credentials, and its target is where the server sends requests. Not in the reader
 * policy, so neither the public nor API keys read it.
 */
export const BuildHooks: CollectionConfig = {
  slug: BUILD_HOOKS,
  labels: { singular: 'Build hook', plural: 'Build hooks' },
  access: { read: isAdmin, create: isAdmin, update: isAdmin, delete: isAdmin },
  admin: {
    useAsTitle: 'name',
    group: 'Publishing',
    defaultColumns: ['name', 'preset', 'enabled', 'url', 'deliveredThrough'],
    description:
      'Calls a build (Netlify, Vercel, Cloudflare Pages, GitHub Actions, any URL) after published content changes: once per burst of changes within the debounce window, signed, retried for up to a day.',
  },
  custom: { changeLog: false },
  hooks: { beforeChange: [fillGeneratedValues], beforeDelete: [deleteDeliveries] },
  fields: [
    { name: 'name', type: 'text', required: true, maxLength: 120 },
    {
      name: 'enabled',
      type: 'checkbox',
      defaultValue: true,
      admin: { description: 'Turned off by the server when the target answers 410 Gone (see the reason below).' },
    },
    {
      name: 'preset',
      type: 'select',
      required: true,
      defaultValue: 'generic',
      options: [
        { label: 'Netlify build hook', value: 'netlify' },
        { label: 'Vercel deploy hook', value: 'vercel' },
        { label: 'Cloudflare Pages deploy hook', value: 'cloudflare-pages' },
        { label: 'GitHub repository_dispatch', value: 'github-dispatch' },
        { label: 'Generic JSON', value: 'generic' },
      ],
    },
    {
      name: 'url',
      label: 'Target URL',
      type: 'text',
      required: true,
      maxLength: 2048,
      validate: validateTarget,
      admin: {
        description:
          'The build hook URL the host gives you; for GitHub, https://api.github.com/repos/OWNER/REPO/dispatches. Private network addresses are refused unless BUILD_HOOKS_ALLOW_PRIVATE_TARGETS=true.',
      },
    },
    {
      name: 'secret',
      label: 'Signing secret',
      type: 'text',
      validate: validateSecret,
      admin: {
        description:
          'Standard Webhooks secret (whsec_…); every call is signed with it (webhook-id, webhook-timestamp, webhook-signature headers). Made for you when left empty.',
      },
    },
    {
      name: 'githubToken',
      label: 'GitHub token',
      type: 'text',
      admin: {
        condition: (data) => data?.preset === 'github-dispatch',
        description: 'A fine-grained token with "Contents: write" on the repository (sent as a bearer token).',
      },
    },
    {
      name: 'githubEventType',
      label: 'GitHub event type',
      type: 'text',
      defaultValue: 'greenroom-content-changed',
      maxLength: 100,
      admin: {
        condition: (data) => data?.preset === 'github-dispatch',
        description: 'The `types` a workflow lists under `on: repository_dispatch`.',
      },
    },
    {
      name: 'collections',
      type: 'select',
      hasMany: true,
      defaultValue: [...TRIGGER_COLLECTIONS],
      options: TRIGGER_COLLECTIONS.map((value) => ({ label: value, value })),
      admin: { description: 'Changes to these collections trigger the hook.' },
    },
    {
      name: 'globals',
      type: 'select',
      hasMany: true,
      defaultValue: [...TRIGGER_GLOBALS],
      options: TRIGGER_GLOBALS.map((value) => ({ label: value, value })),
      admin: { description: 'Changes to these globals trigger the hook.' },
    },
    {
      name: 'debounceSeconds',
      label: 'Debounce window (seconds)',
      type: 'number',
      required: true,
      defaultValue: 30,
      min: 0,
      max: 3600,
      admin: { description: 'Changes within this many seconds of the first one are sent in one call.' },
    },
    {
      name: 'deployToken',
      type: 'text',
      unique: true,
      index: true,
      admin: {
        readOnly: true,
        description: 'Authenticates a deploy reporting its status back (building, live, failed). Made when the hook is created.',
      },
    },
    {
      name: 'deliveredThrough',
      type: 'number',
      defaultValue: 0,
      admin: { readOnly: true, description: 'The last change-log position delivered; the next call carries what came after it.' },
    },
    { name: 'disabledReason', type: 'text', admin: { readOnly: true, condition: (data) => Boolean(data?.disabledReason) } },
    { name: 'disabledAt', type: 'date', admin: { readOnly: true, condition: (data) => Boolean(data?.disabledAt) } },
  ],
}

/**
 * One call of a build hook: a burst of changes, its attempts and their outcome. Written by the
 * server only; admins read it (and may delete old ones).
 */
export const BuildDeliveries: CollectionConfig = {
  slug: BUILD_DELIVERIES,
  labels: { singular: 'Build delivery', plural: 'Build deliveries' },
  access: { read: isAdmin, create: nobody, update: nobody, delete: isAdmin },
  admin: {
    group: 'Publishing',
    defaultColumns: ['hook', 'status', 'fromPosition', 'toPosition', 'createdAt'],
  },
  defaultSort: '-createdAt',
  custom: { changeLog: false },
  fields: [
    { name: 'hook', type: 'relationship', relationTo: BUILD_HOOKS, required: true, index: true },
    {
      name: 'status',
      type: 'select',
      required: true,
      defaultValue: 'queued',
      index: true,
      options: DELIVERY_STATUSES.map((value) => ({ label: value, value })),
    },
    {
      name: 'webhookId',
      type: 'text',
      required: true,
      unique: true,
      admin: { description: 'The `webhook-id` header: the same for every attempt of this burst, so a receiver can drop repeats.' },
    },
    { name: 'fromPosition', type: 'number', admin: { description: 'Changes after this change-log position…' } },
    { name: 'toPosition', type: 'number', admin: { description: '…up to and including this one.' } },
    { name: 'changes', type: 'json', admin: { description: 'The changes this call carried.' } },
    { name: 'changeCount', type: 'number' },
    { name: 'nextAttemptAt', type: 'date', index: true, admin: { date: { pickerAppearance: 'dayAndTime' } } },
    {
      name: 'leaseUntil',
      type: 'date',
      admin: { description: 'While delivering: when another server may take the delivery over from one that died.' },
    },
    { name: 'deliveredAt', type: 'date', admin: { date: { pickerAppearance: 'dayAndTime' } } },
    {
      name: 'attempts',
      type: 'array',
      fields: [
        { name: 'at', type: 'date', required: true, admin: { date: { pickerAppearance: 'dayAndTime' } } },
        { name: 'responseCode', type: 'number' },
        { name: 'durationMs', type: 'number' },
        { name: 'error', type: 'text' },
      ],
    },
  ],
}
