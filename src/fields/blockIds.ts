import { randomBytes } from 'node:crypto'

import { createServerFeature } from '@payloadcms/richtext-lexical'

/** Lexical nodes that carry a Payload block's fields, and with them the block's `id`. */
const BLOCK_NODE_TYPES = new Set(['block', 'inlineBlock'])

type Node = { type?: unknown; fields?: unknown; children?: unknown }

/**
 * Gives every block node of a rich-text value that has no `fields.id` the one `idFor` makes, in place; returns how
 * many it gave. Payload gives a block stored without an id a new random one on every read (the id field's default
 * value, applied in afterRead), so two reads of the same document differed in bytes and ETag.
 */
export const giveBlocksIds = (value: unknown, idFor: (node: Record<string, unknown>, index: number) => string): number => {
  let given = 0
  let index = 0
  const visit = (nodes: unknown) => {
    if (!Array.isArray(nodes)) return
    for (const node of nodes as Node[]) {
      if (!node || typeof node !== 'object') continue
      if (typeof node.type === 'string' && BLOCK_NODE_TYPES.has(node.type) && node.fields && typeof node.fields === 'object') {
        const fields = node.fields as Record<string, unknown>
        if (typeof fields.id !== 'string' || fields.id === '') {
          fields.id = idFor(fields, index)
          given++
        }
        index++
      }
      visit(node.children)
    }
  }
  visit((value as { root?: Node } | null | undefined)?.root?.children)
  return given
}

/** The shape of Payload's own block ids (a 24-digit hex ObjectId). */
const newBlockId = () => randomBytes(12).toString('hex')

/**
 * Stores an id on every block when a document is saved, whoever sends it (the seed, the REST or GraphQL API, the
 * Local API); the admin's editor already sends one. As the first rich-text hook it runs before Lexical builds its
 * map of nodes by id, so the new blocks also get the sub-field hooks that only nodes with an id get.
 */
export const StoredBlockIdsFeature = createServerFeature({
  key: 'storedBlockIds',
  feature: {
    hooks: {
      beforeValidate: [
        ({ value }) => {
          giveBlocksIds(value, newBlockId)
          return value
        },
      ],
    },
  },
})
