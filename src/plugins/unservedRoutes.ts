import type { Endpoint, Plugin } from 'payload'

import { routeNotServed } from '../endpoints/routeNotServed'

const versionRoutes = (what: string): Endpoint[] => {
  const message = `${what} keeps no versions.`
  return [
    routeNotServed('get', '/versions', message),
    routeNotServed('get', '/versions/:id', message),
    routeNotServed('post', '/versions/:id', message),
  ]
}

/**
 * Payload registers its versions routes on every collection and global, and email verification on
 * every auth collection; where the feature is off they fail with a 500 (Payload 3.90.1: the versions
 * table does not exist, no token can match). Custom endpoints are matched before Payload's, so
 * these answer 404 with a message instead, as any request for something that is not there should.
 */
export const unservedRoutesPlugin = (): Plugin => (config) => ({
  ...config,
  collections: (config.collections ?? []).map((collection) => {
    if (collection.endpoints === false) return collection
    const unserved = [
      ...(collection.versions ? [] : versionRoutes(`The collection "${collection.slug}"`)),
      ...(collection.auth && !(typeof collection.auth === 'object' && collection.auth.verify)
        ? [routeNotServed('post', '/verify/:id', `Email verification is off for "${collection.slug}".`)]
        : []),
    ]
    return unserved.length ? { ...collection, endpoints: [...unserved, ...(collection.endpoints ?? [])] } : collection
  }),
  globals: (config.globals ?? []).map((global) =>
    global.versions || global.endpoints === false
      ? global
      : { ...global, endpoints: [...versionRoutes(`The global "${global.slug}"`), ...(global.endpoints ?? [])] },
  ),
})
