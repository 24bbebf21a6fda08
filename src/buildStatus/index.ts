import type { CollectionBeforeDeleteHook, Config, Field } from 'payload'

import { BUILD_HOOKS } from '../buildHooks/collections'
import { BUILD_DEPLOYS, BuildDeploys } from './collection'
import { deployStatusEndpoint } from './endpoint'

/** The collections whose edit view shows where their last change is on its way to the site. */
export const BUILD_STATUS_COLLECTIONS = ['posts', 'pages']

const buildStatusField: Field = {
  name: 'buildStatus',
  type: 'ui',
  admin: {
    position: 'sidebar',
    components: { Field: '/buildStatus/components/DocumentBuildStatus#DocumentBuildStatus' },
  },
}

/** A hook's deploys go with it (their rows point at it, and the database refuses to orphan them). */
const deleteDeploysOfHook: CollectionBeforeDeleteHook = async ({ id, req }) => {
  await req.payload.delete({ collection: BUILD_DEPLOYS, where: { hook: { equals: id } }, overrideAccess: true, req })
}

/**
 * Build status for editors: deploys report back (POST /api/build-hooks/deploy-status, into
 * `build-deploys`), the dashboard shows each hook's last deliveries and deploys, and a post's or
 * page's sidebar shows whether its last change is pending, building, live or failed. After
 * buildHooksPlugin, whose `build-hooks` collection carries the endpoint.
 */
export const buildStatusPlugin =
  () =>
  (config: Config): Config => {
    if (!config.collections?.some((collection) => collection.slug === BUILD_HOOKS)) {
      throw new Error('buildStatusPlugin comes after buildHooksPlugin')
    }
    return {
      ...config,
      admin: {
        ...config.admin,
        components: {
          ...config.admin?.components,
          beforeDashboard: [
            ...(config.admin?.components?.beforeDashboard ?? []),
            '/buildStatus/components/BuildStatusDashboard#BuildStatusDashboard',
          ],
        },
      },
      collections: [
        ...(config.collections ?? []).map((collection) => {
          if (collection.slug === BUILD_HOOKS) {
            // Before Payload's own routes of the collection, which would read `deploy-status` as an id.
            return {
              ...collection,
              endpoints: [deployStatusEndpoint, ...(collection.endpoints || [])],
              hooks: { ...collection.hooks, beforeDelete: [...(collection.hooks?.beforeDelete ?? []), deleteDeploysOfHook] },
            }
          }
          if (BUILD_STATUS_COLLECTIONS.includes(collection.slug)) {
            return { ...collection, fields: [...collection.fields, buildStatusField] }
          }
          return collection
        }),
        BuildDeploys,
      ],
    }
  }
