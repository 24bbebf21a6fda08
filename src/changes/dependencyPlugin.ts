import type { Block, CollectionAfterReadHook, Config, Field, FieldHook, GlobalAfterReadHook, Plugin } from 'payload'

import { isPayloadInternalCollection } from '../utilities/internalCollections'
import { documentTag, globalTag } from './cacheTags'
import { declareDependencies, declareShown, EVERYTHING, isCollecting } from './dependencies'
import { changeLogOptionsOf } from './recordChanges'

/** Plugin collections whose writes the change log does not record (see src/changes/plugin.ts). */
const UNRECORDED_PLUGIN_COLLECTIONS = new Set(['form-submissions'])

/**
 * Whether the change log records this collection's writes. What an answer shows of a collection
 * the log does not follow (the search index, Payload's own) can change without any change saying
 * so: such an answer depends on everything.
 */
export const isFollowed = (collection: { slug: string; custom?: Record<string, unknown> }) =>
  !UNRECORDED_PLUGIN_COLLECTIONS.has(collection.slug) &&
  !isPayloadInternalCollection(collection.slug) &&
  collection.slug !== 'content-changes' &&
  changeLogOptionsOf(collection.custom) !== false

const documentRead =
  (followed: boolean): CollectionAfterReadHook =>
  ({ doc, collection }) => {
    if (!followed) declareDependencies(EVERYTHING)
    else if (doc && (typeof doc.id === 'number' || typeof doc.id === 'string')) declareShown(documentTag(collection.slug, doc.id))
    return doc
  }

const globalRead: GlobalAfterReadHook = ({ doc, global }) => {
  declareShown(globalTag(global.slug))
  return doc
}

type Json = Record<string, unknown>
const isData = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value)
const idOf = (value: unknown) =>
  typeof value === 'number' || typeof value === 'string'
    ? value
    : isData(value) && (typeof value.id === 'number' || typeof value.id === 'string')
      ? value.id
      : undefined

/**
 * A reference an answer holds depends on the referenced document even when it was not populated:
 * a related post that is a draft now shows as its id (or not at all), and must show populated once
 * it is published. Populated ones are declared (and shown) by their own afterRead hook as well.
 */
const declareReference = (collection: unknown, value: unknown) => {
  const id = idOf(value)
  if (typeof collection === 'string' && id !== undefined) declareDependencies(documentTag(collection, id))
}

const referencesRead =
  (relationTo: string | string[]): FieldHook =>
  ({ value }) => {
    // Writes, jobs and the admin read too: only a read being collected needs the walk.
    if (!isCollecting()) return value
    for (const item of Array.isArray(value) ? value : [value]) {
      if (item === null || item === undefined) continue
      if (Array.isArray(relationTo)) {
        if (isData(item)) declareReference(item.relationTo, item.value)
      } else declareReference(relationTo, item)
    }
    return value
  }

/** Uploads, relationships and internal links inside rich text: `{ relationTo, value }` at any depth. */
export const richTextReferences = (node: unknown, depth = 0) => {
  if (depth > 64) return
  if (Array.isArray(node)) {
    for (const child of node) richTextReferences(child, depth + 1)
    return
  }
  if (!isData(node)) return
  if (typeof node.relationTo === 'string' && 'value' in node) declareReference(node.relationTo, node.value)
  for (const key in node) {
    const child = node[key]
    if (typeof child === 'object' && child !== null) richTextReferences(child, depth + 1)
  }
}

const richTextRead: FieldHook = ({ value }) => {
  if (isCollecting()) richTextReferences(value)
  return value
}

/** Field configs are module-level objects, shared by collections and by configs built again (tests): hooked once. */
const hooked = new WeakSet<object>()

const withAfterRead = (field: Field, hook: FieldHook) => {
  if (hooked.has(field)) return
  hooked.add(field)
  const withHooks = field as Field & { hooks?: { afterRead?: FieldHook[] } }
  withHooks.hooks = { ...withHooks.hooks, afterRead: [...(withHooks.hooks?.afterRead ?? []), hook] }
}

/** Adds the reference hooks to every relationship, upload and rich-text field, at any nesting. */
const hookReferenceFields = (fields: Field[], seen: WeakSet<object>, blocks: Block[] | undefined) => {
  for (const field of fields) {
    if (seen.has(field)) continue
    seen.add(field)
    if (field.type === 'relationship' || field.type === 'upload') withAfterRead(field, referencesRead(field.relationTo))
    else if (field.type === 'richText') withAfterRead(field, richTextRead)
    if ('fields' in field && Array.isArray(field.fields)) hookReferenceFields(field.fields, seen, blocks)
    if (field.type === 'tabs') for (const tab of field.tabs) hookReferenceFields(tab.fields, seen, blocks)
    if (field.type === 'blocks') {
      for (const block of field.blocks ?? []) if (!seen.has(block)) (seen.add(block), hookReferenceFields(block.fields, seen, blocks))
      for (const reference of field.blockReferences ?? []) {
        const block = typeof reference === 'string' ? blocks?.find(({ slug }) => slug === reference) : reference
        if (block && !seen.has(block)) (seen.add(block), hookReferenceFields(block.fields, seen, blocks))
      }
    }
  }
}

/**
 * Makes every read declare what it shows (src/changes/dependencies.ts): each document and global
 * read through Payload (populated ones included, since population reads them through the same
 * operations) declares its tag, and each reference an answer holds declares the referenced
 * document. Values computed at read time from other documents (links, the Archive block, the site
 * address scheme) declare those themselves. Listed last among the plugins, so every collection any
 * plugin adds is covered.
 */
export const dependenciesPlugin = (): Plugin => (config: Config) => {
  const seen = new WeakSet<object>()
  for (const collection of config.collections ?? []) hookReferenceFields(collection.fields, seen, config.blocks)
  for (const global of config.globals ?? []) hookReferenceFields(global.fields, seen, config.blocks)
  return {
    ...config,
    collections: (config.collections ?? []).map((collection) => ({
      ...collection,
      hooks: {
        ...collection.hooks,
        afterRead: [...(collection.hooks?.afterRead ?? []), documentRead(isFollowed(collection))],
      },
    })),
    globals: (config.globals ?? []).map((global) => ({
      ...global,
      hooks: { ...global.hooks, afterRead: [...(global.hooks?.afterRead ?? []), globalRead] },
    })),
  }
}
