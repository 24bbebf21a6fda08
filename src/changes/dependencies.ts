import { AsyncLocalStorage } from 'node:async_hooks'

/**
 * What an answer (or a cached computed value) depends on, collected while it is built: a change
 * retires exactly the stored values whose dependencies it touches (src/changes/changeFeed.ts
 * `affects`). Collected through AsyncLocalStorage rather than passed along `req`, because Local API
 * calls made without `req` (and hooks that open their own requests) must be seen too: a dependency
 * that goes unseen is an answer that stays stale.
 *
 * A dependency is one of:
 * - a document or global tag (`posts:12`, `global:header`, src/changes/cacheTags.ts): the value shows
 *   that document, so any change to it retires the value;
 * - a query of a collection (`{ collection: 'posts', fields: ['slug'] }`): the value shows which
 *   documents match a where/sort, so a change that adds or removes a member, or changes a field the
 *   query uses, retires it; `fields` left out means every field (when in doubt, all fields);
 * - EVERYTHING: the value depends on something no tag names (a custom endpoint); any change retires it.
 */
export const EVERYTHING = '*'

export type QueryDependency = { collection: string; fields?: readonly string[] }

export type Dependency = string | QueryDependency

export type Dependencies = {
  /** Document and global tags, in the order first declared. */
  readonly documents: ReadonlySet<string>
  /** Queried collections and the fields their where/sort use; null: every field. */
  readonly queries: ReadonlyMap<string, ReadonlySet<string> | null>
  readonly everything: boolean
  /**
   * The tags of the documents and globals the value shows (read through Payload), a subset of
   * `documents`: what its Cache-Tag header names. References it only holds, and reads made to
   * compute something (the address scheme), are dependencies but are not shown.
   */
  readonly shown: ReadonlySet<string>
}

type MutableDependencies = {
  documents: Set<string>
  queries: Map<string, Set<string> | null>
  everything: boolean
  shown: Set<string>
}

export const emptyDependencies = (): MutableDependencies => ({
  documents: new Set(),
  queries: new Map(),
  everything: false,
  shown: new Set(),
})

const addTo = (target: MutableDependencies, dependency: Dependency) => {
  if (typeof dependency === 'string') {
    if (dependency === EVERYTHING) target.everything = true
    else target.documents.add(dependency)
    return
  }
  const known = target.queries.get(dependency.collection)
  if (known === null) return
  if (!dependency.fields) {
    target.queries.set(dependency.collection, null)
    return
  }
  const fields = known ?? new Set<string>()
  for (const field of dependency.fields) fields.add(field)
  target.queries.set(dependency.collection, fields)
}

/** Every dependency of `dependencies` as a list, for declaring them again (into an enclosing collector). */
export const dependencyList = (dependencies: Dependencies): Dependency[] => [
  ...(dependencies.everything ? [EVERYTHING] : []),
  ...dependencies.documents,
  ...[...dependencies.queries].map(([collection, fields]) =>
    fields === null ? { collection } : { collection, fields: [...fields] },
  ),
]

/** The union of several sets of dependencies. */
export const mergeDependencies = (...all: (Dependencies | readonly Dependency[])[]): Dependencies => {
  const merged = emptyDependencies()
  for (const one of all) {
    for (const dependency of Array.isArray(one) ? one : dependencyList(one as Dependencies)) addTo(merged, dependency)
    if (!Array.isArray(one)) for (const tag of (one as Dependencies).shown) merged.shown.add(tag)
  }
  return merged
}

type Collector = { dependencies: MutableDependencies; parent: Collector | undefined; open: boolean }

const collectors = new AsyncLocalStorage<Collector>()

/**
 * Runs `build` and returns what it read. Collectors nest: what is declared inside an inner one is
 * declared in every enclosing one too, so a value cached on its own (a populated document) and the
 * answer that used it both learn what it depends on.
 */
export const collectDependencies = async <T>(
  build: () => Promise<T>,
): Promise<{ value: T; dependencies: Dependencies }> => {
  const collector: Collector = { dependencies: emptyDependencies(), parent: collectors.getStore(), open: true }
  try {
    const value = await collectors.run(collector, build)
    return { value, dependencies: collector.dependencies }
  } finally {
    // Work `build` started and left running must not add to a value already handed out.
    collector.open = false
  }
}

/** Adds to every enclosing collector; outside one (an editor's write, a job), nothing collects. */
export const declareDependencies = (...dependencies: Dependency[]) => {
  for (let collector = collectors.getStore(); collector; collector = collector.parent) {
    if (!collector.open) continue
    for (const dependency of dependencies) addTo(collector.dependencies, dependency)
  }
}

/** A document or global tag the value shows (the afterRead hooks of src/changes/dependencyPlugin.ts). */
export const declareShown = (tag: string) => {
  for (let collector = collectors.getStore(); collector; collector = collector.parent) {
    if (!collector.open) continue
    collector.dependencies.documents.add(tag)
    collector.dependencies.shown.add(tag)
  }
}

/** Whether something is collecting now: callers can skip work that only feeds a collector. */
export const isCollecting = () => collectors.getStore() !== undefined
