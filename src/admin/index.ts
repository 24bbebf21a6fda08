import type { CollectionConfig, Config, GlobalConfig } from 'payload'

import { withSelfHostedMonaco } from './monaco/selfHosted'
import { adminTimezones, siteTimeZoneFromEnv } from './scheduling/timeZone'

const PUBLISH_BUTTON = '/admin/scheduling/PublishButton#PublishButton'

const schedules = (entity: CollectionConfig | GlobalConfig) => {
  const drafts = entity.versions && typeof entity.versions === 'object' ? entity.versions.drafts : undefined
  return Boolean(drafts && typeof drafts === 'object' && drafts.schedulePublish)
}

/**
 * The admin panel as editors use it (src/admin/): the dashboard's top panels, scheduling in the
 * site's time zone with "Publish" first on a draft, and code and JSON fields whose editor (Monaco)
 * comes from this server. After every plugin that adds collections, so that theirs are covered.
 */
export const editorAdminPlugin =
  (env: NodeJS.ProcessEnv = process.env) =>
  (config: Config): Config => {
    const timeZone = siteTimeZoneFromEnv(env)
    return {
      ...config,
      admin: {
        ...config.admin,
        timezones: adminTimezones(timeZone),
        components: {
          ...config.admin?.components,
          // First, above the builds panel.
          beforeDashboard: [
            { path: '/admin/dashboard/EditorDashboard#EditorDashboard', serverProps: { timeZone } },
            ...(config.admin?.components?.beforeDashboard ?? []),
          ],
        },
      },
      collections: (config.collections ?? []).map((collection) => ({
        ...collection,
        fields: collection.fields.map(withSelfHostedMonaco),
        ...(schedules(collection) && !collection.admin?.components?.edit?.PublishButton
          ? {
              admin: {
                ...collection.admin,
                components: { ...collection.admin?.components, edit: { ...collection.admin?.components?.edit, PublishButton: PUBLISH_BUTTON } },
              },
            }
          : {}),
      })),
      globals: (config.globals ?? []).map((global) => ({
        ...global,
        fields: global.fields.map(withSelfHostedMonaco),
        ...(schedules(global) && !global.admin?.components?.elements?.PublishButton
          ? {
              admin: {
                ...global.admin,
                components: {
                  ...global.admin?.components,
                  elements: { ...global.admin?.components?.elements, PublishButton: PUBLISH_BUTTON },
                },
              },
            }
          : {}),
      })),
    }
  }
