import type { Payload } from 'payload'

/** Payload's own words after `/api/<collection>/` (the rest are ids). */
const PAYLOAD_ENDPOINTS = [
  'access', 'count', 'file', 'first-register', 'forgot-password', 'init', 'login', 'logout', 'me', 'refresh-token',
  'reset-password', 'unlock', 'verify', 'versions',
]

/**
 * The route template of a request path, for metric labels: the collections, globals and endpoints the
 * config declares keep their names, ids and file names become `:id` and `:param`, and anything else
 * is `other`, so a label never takes more values than the config has routes.
 */
export const routeTemplates = (payload: Payload) => {
  const api = payload.config.routes.api
  const collections = new Set(Object.keys(payload.collections))
  const globals = new Set<string>(payload.config.globals.map(({ slug }) => slug))
  const rootEndpoints = new Set((payload.config.endpoints || []).map(({ path }) => path.split('/')[1]).filter(Boolean))
  const words = new Map<string, Set<string>>()
  for (const slug of collections) {
    const endpoints = payload.collections[slug as keyof typeof payload.collections].config.endpoints || []
    words.set(slug, new Set([...PAYLOAD_ENDPOINTS, ...endpoints.map(({ path }) => path.split('/')[1]).filter(Boolean)]))
  }

  return (path: string): string => {
    if (path === '/healthz' || path === '/readyz' || path === '/metrics') return path
    if (path === '/admin' || path.startsWith('/admin/')) return '/admin/*'
    if (path.startsWith('/_next/')) return '/_next/*'
    if (path === '/robots.txt' || path === '/sitemap.xml') return path
    if (path.startsWith('/sitemaps/')) return '/sitemaps/:param'
    if (/\/(feed\.xml|atom\.xml|feed\.json)$/.test(path)) return path.startsWith('/categories/') ? `/categories/:param/${path.split('/').pop()}` : path
    if (!path.startsWith(`${api}/`)) return 'other'
    const [first, second, ...rest] = path.slice(api.length + 1).split('/')
    if (first === 'graphql' || first === 'graphql-playground') return `${api}/${first}`
    if (first === 'globals' && second && globals.has(second)) return `${api}/globals/${second}${rest.length ? '/:param' : ''}`
    if (collections.has(first)) {
      if (!second) return `${api}/${first}`
      const word = words.get(first)!.has(second) ? second : ':id'
      return `${api}/${first}/${word}${rest.length ? '/:param' : ''}`
    }
    if (rootEndpoints.has(first)) return `${api}/${first}${second ? '/:param' : ''}`
    return `${api}/other`
  }
}
