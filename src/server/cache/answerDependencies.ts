import type { ArgumentNode, ValueNode } from 'graphql'
import { Kind, parse, valueFromASTUntyped } from 'graphql'
import type { FlattenedField, Payload } from 'payload'
import { formatNames, toWords } from 'payload'
import { parse as parseQueryString } from 'qs-esm'

import type { Dependency } from '../../changes/dependencies'
import { EVERYTHING } from '../../changes/dependencies'
import { isFollowed } from '../../changes/dependencyPlugin'

/**
 * What an API answer depends on beyond the documents Payload read while making it (collected by
 * src/changes/dependencyPlugin.ts): which documents a list holds. A list or find of a collection
 * depends on the fields its where and sort use (and the collection's default sort), a path through
 * a relationship on the related collection too; any route that is not Payload's plain find,
 * findByID or findGlobal depends on everything, since nothing says what it read.
 */

/** Fields every document has, outside the config's fields. */
const BUILT_IN = new Set(['id', 'createdAt', 'updatedAt', '_status', 'deletedAt'])

type Collected = { fields: Set<string>; related: Set<string>; everything: boolean }

type FieldShape = FlattenedField & {
  flattenedFields?: FieldShape[]
  blocks?: { flattenedFields?: FieldShape[] }[]
  relationTo?: string | string[]
  hasMany?: boolean
  virtual?: unknown
}

/** Walks a where or sort path (`categories.slug`, `hero.media.alt`) and notes what it depends on. */
const addPath = (payload: Payload, collection: string, path: string, into: Collected) => {
  const segments = path.split('.').filter(Boolean)
  const top = segments[0]
  if (!top) return
  into.fields.add(top)
  if (BUILT_IN.has(top) && segments.length === 1) return
  let fields = payload.collections[collection as keyof Payload['collections']]?.config.flattenedFields as
    | FieldShape[]
    | undefined
  for (let k = 0; k < segments.length; k++) {
    const field = fields?.find((candidate) => candidate.name === segments[k])
    if (!field || field.virtual) {
      into.everything = true
      return
    }
    const rest = segments.length - k - 1
    if (field.type === 'relationship' || field.type === 'upload') {
      if (rest === 0) return
      const next = segments[k + 1]
      const polymorphic = Array.isArray(field.relationTo)
      // The stored reference itself: nothing of the related document is read.
      if (rest === 1 && (polymorphic ? next === 'relationTo' || next === 'value' : next === 'id')) return
      for (const related of [field.relationTo ?? []].flat()) into.related.add(related)
      return
    }
    if (field.type === 'group' || field.type === 'array' || field.type === 'tab') {
      fields = field.flattenedFields
      continue
    }
    if (field.type === 'blocks') {
      // A path into blocks may name a field of any block: every relationship on the way counts.
      fields = (field.blocks ?? []).flatMap((block) => block.flattenedFields ?? [])
      continue
    }
    // A field with no fields inside (text, json, rich text): the rest is inside its value.
    return
  }
}

const addWhere = (payload: Payload, collection: string, where: unknown, into: Collected, depth = 0) => {
  if (depth > 32 || typeof where !== 'object' || where === null) return
  if (Array.isArray(where)) {
    for (const item of where) addWhere(payload, collection, item, into, depth + 1)
    return
  }
  for (const [key, value] of Object.entries(where)) {
    if (/^(and|or)$/i.test(key)) addWhere(payload, collection, value, into, depth + 1)
    else addPath(payload, collection, key, into)
  }
}

const sortPaths = (sort: unknown): string[] =>
  [sort]
    .flat()
    .flatMap((value) => (typeof value === 'string' ? value.split(',') : []))
    .map((path) => path.trim().replace(/^[-+]/, ''))
    .filter(Boolean)

/** The dependencies of a list or find of `collection` with this where and sort. */
export const queryDependencies = (payload: Payload, collection: string, where: unknown, sort: unknown): Dependency[] => {
  const config = payload.collections[collection as keyof Payload['collections']]?.config
  if (!config || !isFollowed(config)) return [EVERYTHING]
  const into: Collected = { fields: new Set(), related: new Set(), everything: false }
  addWhere(payload, collection, where, into)
  // The default sort orders every list that names none; Payload breaks ties by creation and id.
  for (const path of [...sortPaths(sort), ...sortPaths(config.defaultSort), 'createdAt', 'id']) {
    addPath(payload, collection, path, into)
  }
  if (into.everything) return [EVERYTHING]
  const dependencies: Dependency[] = [{ collection, fields: [...into.fields] }]
  for (const related of into.related) {
    const relatedConfig = payload.collections[related as keyof Payload['collections']]?.config
    if (!relatedConfig || !isFollowed(relatedConfig)) return [EVERYTHING]
    dependencies.push({ collection: related })
  }
  return dependencies
}

type Endpoint = { path: string; method: string; handler?: { name?: string } }

const matches = (path: string, segments: string[]) => {
  const parts = path.split('/').filter(Boolean)
  if (parts.length < segments.length) return false
  return parts.every((part, k) =>
    k < segments.length ? part.startsWith(':') || part === segments[k] : part.startsWith(':') && part.endsWith('?'),
  )
}

/**
 * The name of the handler that answers a GET of this path under a collection or global: Payload
 * takes the first endpoint whose path matches, custom ones before its own (`/me` of users before
 * findByID's `/:id`). Payload's plain reads are `findHandler`, `findByIDHandler` and `findOneHandler`.
 */
const handlerOf = (endpoints: unknown, segments: string[]): string | undefined =>
  Array.isArray(endpoints)
    ? (endpoints as Endpoint[]).find(({ method, path }) => method === 'get' && matches(path, segments))?.handler?.name
    : undefined

/**
 * The dependencies a REST GET adds to those collected while Payload made it. `apiPath` is the path
 * after the API route (`/posts`, `/posts/12`, `/globals/header`), `search` the query string.
 */
export const restDependencies = (payload: Payload, apiPath: string, search: string): Dependency[] => {
  let segments: string[]
  try {
    segments = apiPath.split('/').filter(Boolean).map(decodeURIComponent)
  } catch {
    return [EVERYTHING]
  }
  const [first, second, ...rest] = segments
  if (first === 'globals') {
    const global = payload.config.globals.find(({ slug }) => slug === second)
    if (!global || handlerOf(global.endpoints, rest) !== 'findOneHandler') return [EVERYTHING]
    // findGlobal: what it shows was declared while it was read.
    return []
  }
  const collection = first ? payload.collections[first as keyof Payload['collections']]?.config : undefined
  if (!collection || !isFollowed(collection)) return [EVERYTHING]
  const handler = handlerOf(collection.endpoints, segments.slice(1))
  if (handler === 'findHandler') {
    const query = parseQueryString(search, { arrayLimit: 1000, depth: 10, ignoreQueryPrefix: true }) as Record<string, unknown>
    return queryDependencies(payload, collection.slug, query.where, query.sort)
  }
  // findByID: its document (and what it shows) was declared while it was read.
  return handler === 'findByIDHandler' ? [] : [EVERYTHING]
}

type GraphqlNames = { lists: Map<string, string>; singles: Set<string> }

/**
 * The top-level query fields Payload's GraphQL schema gives each collection and global, named as
 * @payloadcms/graphql names them (initCollections, initGlobals): lists and counts by collection,
 * single documents and globals. A name computed differently here only makes a query depend on
 * everything.
 */
const graphqlNamesOf = (payload: Payload): GraphqlNames => {
  const lists = new Map<string, string>()
  const singles = new Set<string>()
  for (const { config } of Object.values(payload.collections)) {
    const graphQL = config.graphQL as { singularName?: string; pluralName?: string } | false | undefined
    if (graphQL === false) continue
    const fromSlug = formatNames(config.slug)
    const singularName = graphQL?.singularName ? toWords(graphQL.singularName, true) : fromSlug.singular
    let pluralName = graphQL?.pluralName ? toWords(graphQL.pluralName, true) : fromSlug.plural
    if (singularName === pluralName) pluralName = `all${singularName}`
    singles.add(singularName)
    lists.set(pluralName, config.slug)
    lists.set(`count${pluralName}`, config.slug)
  }
  for (const global of payload.config.globals) {
    const graphQL = global.graphQL as { name?: string } | false | undefined
    if (graphQL === false) continue
    singles.add(graphQL?.name ?? formatNames(global.slug).singular)
  }
  return { lists, singles }
}

const namesCache = new WeakMap<Payload, GraphqlNames>()

const hasVariable = (node: ValueNode): boolean =>
  node.kind === Kind.VARIABLE ||
  (node.kind === Kind.LIST && node.values.some(hasVariable)) ||
  (node.kind === Kind.OBJECT && node.fields.some((field) => hasVariable(field.value)))

/**
 * A top-level list's dependencies, as a REST find's with the same where and sort: Payload's resolver
 * hands both arguments to `find` as they are (a count has a where only). An argument that holds a
 * variable (its value or its default is elsewhere in the request) depends on every field.
 */
const listDependencies = (payload: Payload, collection: string, args: readonly ArgumentNode[] | undefined): Dependency[] => {
  const argument = (name: string) => args?.find((arg) => arg.name.value === name)?.value
  const [where, sort] = [argument('where'), argument('sort')]
  if ((where && hasVariable(where)) || (sort && hasVariable(sort))) return [{ collection }]
  return queryDependencies(payload, collection, where && valueFromASTUntyped(where), sort && valueFromASTUntyped(sort))
}

/**
 * What a GraphQL query depends on beyond what was collected while it ran: for each top-level list or
 * count of a collection, the fields its where and sort use, as a REST list (every field when they
 * come in variables). A query whose top level holds anything else than lists, single documents and
 * globals (fragments, Payload's `Access`, `me`) depends on everything.
 */
export const graphqlDependencies = (payload: Payload, body: Buffer): Dependency[] => {
  let names = namesCache.get(payload)
  if (!names) namesCache.set(payload, (names = graphqlNamesOf(payload)))
  const { lists, singles } = names
  try {
    const { query } = JSON.parse(body.toString('utf8')) as { query: string }
    const document = parse(query, { noLocation: true })
    const dependencies: Dependency[] = []
    for (const definition of document.definitions) {
      if (definition.kind !== Kind.OPERATION_DEFINITION) continue
      for (const selection of definition.selectionSet.selections) {
        if (selection.kind !== Kind.FIELD) return [EVERYTHING]
        const name = selection.name.value
        if (name === '__typename') continue
        const listed = lists.get(name)
        if (listed) {
          const config = payload.collections[listed as keyof Payload['collections']]?.config
          if (!config || !isFollowed(config)) return [EVERYTHING]
          dependencies.push(...listDependencies(payload, listed, selection.arguments))
        } else if (!singles.has(name)) return [EVERYTHING]
      }
    }
    return dependencies
  } catch {
    return [EVERYTHING]
  }
}
