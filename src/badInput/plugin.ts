import type { Plugin } from 'payload'

import { answerBadInput, ERRORS_LOGGED_HERE } from './answerBadInput'
import { answerMissingFile } from './answerMissingFile'
import { endpointsReadObjects } from './endpointsReadObjects'
import { refuseUnusableGlobalData, refuseUnusableInput } from './refuseUnusableInput'

const CHECKS = new WeakSet<object>()
const check = (collection: { slug: string }) => {
  const hook = refuseUnusableInput(collection)
  CHECKS.add(hook)
  return hook
}

/**
 * Bad input gets a 4xx in Payload's error shape, logged as a warning: on every collection (those of
 * plugins and Payload's own included, so it must run after the plugins that add collections).
 */
export const badInputPlugin = (): Plugin => (config) => {
  const loggedHere = new Set<string>(ERRORS_LOGGED_HERE)
  return {
    ...config,
    // Payload adds its own collections (document locks, preferences, migrations, jobs) after the
    // plugins ran; they get the hook once Payload is built.
    onInit: async (payload) => {
      for (const { config: collection } of Object.values(payload.collections)) {
        const hooks = (collection.hooks.beforeOperation ??= [])
        if (!hooks.some((hook) => CHECKS.has(hook))) hooks.unshift(check(collection))
      }
      await config.onInit?.(payload)
    },
    endpoints: endpointsReadObjects(config.endpoints) || [],
    loggingLevels: {
      ...Object.fromEntries(ERRORS_LOGGED_HERE.map((name) => [name, false as const])),
      ...config.loggingLevels,
    },
    hooks: {
      ...config.hooks,
      // Last, so that it logs the status the other hooks settled on.
      afterError: [...(config.hooks?.afterError ?? []), answerBadInput(loggedHere)],
    },
    globals: (config.globals ?? []).map((global) => ({
      ...global,
      endpoints: endpointsReadObjects(global.endpoints),
      hooks: { ...global.hooks, beforeOperation: [refuseUnusableGlobalData, ...(global.hooks?.beforeOperation ?? [])] },
    })),
    collections: (config.collections ?? []).map((collection) => ({
      ...collection,
      endpoints: endpointsReadObjects(collection.endpoints),
      hooks: {
        ...collection.hooks,
        beforeOperation: [check(collection), ...(collection.hooks?.beforeOperation ?? [])],
      },
      ...(collection.upload
        ? {
            upload: {
              ...(collection.upload === true ? {} : collection.upload),
              handlers: [
                answerMissingFile(
                  (collection.upload !== true && collection.upload.staticDir) || collection.slug,
                ),
                ...((collection.upload !== true && collection.upload.handlers) || []),
              ],
            },
          }
        : {}),
    })),
  }
}
