import type { CollectionConfig } from 'payload'

import { isAdmin } from '../access/isAdmin'
import { nobody } from '../access/nobody'
import { BUILD_HOOKS } from '../buildHooks/collections'

export const BUILD_DEPLOYS = 'build-deploys'

export const DEPLOY_STATES = ['building', 'live', 'failed'] as const
export type DeployState = (typeof DEPLOY_STATES)[number]

/**
 * What a site's deploys reported back (POST /api/build-hooks/deploy-status): one row per deploy,
 * updated by each later report of it. Written by the server only; admins read it. Outside the
 * change log: a deploy is not content.
 */
export const BuildDeploys: CollectionConfig = {
  slug: BUILD_DEPLOYS,
  labels: { singular: 'Build deploy', plural: 'Build deploys' },
  access: { read: isAdmin, create: nobody, update: nobody, delete: isAdmin },
  admin: {
    group: 'Publishing',
    defaultColumns: ['hook', 'state', 'url', 'position', 'reportedAt'],
    description: 'Deploys that reported their state back to Greenroom with their build hook\'s deploy token.',
  },
  defaultSort: '-reportedAt',
  // Two reports of one deploy arriving at once make one row: the second insert fails and updates instead.
  indexes: [{ fields: ['hook', 'deployId'], unique: true }],
  custom: { changeLog: false },
  fields: [
    { name: 'hook', type: 'relationship', relationTo: BUILD_HOOKS, required: true, index: true },
    {
      name: 'state',
      type: 'select',
      required: true,
      options: DEPLOY_STATES.map((value) => ({ label: value, value })),
    },
    { name: 'url', label: 'URL', type: 'text', maxLength: 2048 },
    {
      name: 'position',
      type: 'number',
      admin: {
        description:
          'The change-log position this deploy includes: as reported, or else the last position its hook had delivered when the report arrived.',
      },
    },
    {
      name: 'deployId',
      label: 'Deploy id',
      type: 'text',
      maxLength: 200,
      index: true,
      admin: { description: 'The host\'s id of the deploy: later reports of the same deploy update this row.' },
    },
    { name: 'provider', type: 'select', options: ['generic', 'netlify', 'vercel'].map((value) => ({ label: value, value })) },
    { name: 'reportedAt', type: 'date', required: true, index: true, admin: { date: { pickerAppearance: 'dayAndTime' } } },
    { name: 'error', type: 'text', maxLength: 2000 },
  ],
}
