// Rich-text blocks keep one id: every save stores an id on each block (src/fields/blockIds.ts), and the
// issue15b_blockids migration stores one on the blocks of documents and versions saved before. Without a
// stored id, Payload gives a block a new random id on every read. SQLite and PostgreSQL (TEST_DATABASE=postgres).
import type { Payload } from 'payload'

import { closePayload } from '../../src/db/closePayload'
import { migrations as postgresMigrations } from '../../src/migrations/postgres'
import { migrations as sqliteMigrations } from '../../src/migrations/sqlite'
import { block, paragraph, richText } from '../../src/seed/lexical'
import { testDatabaseKind } from '../helpers/database'
import { initPayload, postData, runSql } from '../helpers/payload'

const runsHere = testDatabaseKind() !== 'mongodb'
const suite = runsHere ? describe : describe.skip

type BlockNode = { type: string; fields: { id?: string; blockType: string } }

const blocksOf = (content: unknown): BlockNode[] =>
  ((content as { root: { children: BlockNode[] } }).root.children ?? []).filter((node) => node.type === 'block')

const withBlocks = () =>
  richText(
    paragraph('Before the code.'),
    block('code', { language: 'bash', code: 'echo one', caption: 'One' }),
    paragraph('Between.'),
    block('banner', { style: 'info', content: richText(paragraph('A tip.')) }),
  )

let payload: Payload

beforeAll(async () => {
  if (runsHere) payload = await initPayload()
}, 180_000)

afterAll(async () => {
  if (payload) await closePayload(payload)
})

const read = (id: number | string, draft = false) =>
  payload.findByID({ collection: 'posts', id, draft, depth: 1, overrideAccess: false })

suite('rich-text block ids', () => {
  test('a post saved with blocks that have no id stores one for each block; reads give the same ids', async () => {
    const post = await payload.create({
      collection: 'posts',
      overrideAccess: true,
      data: { ...postData('Blocks without ids'), content: withBlocks(), _status: 'published' } as never,
    })
    const ids = blocksOf(post.content).map((node) => node.fields.id)
    expect(ids).toHaveLength(2)
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{24}$/)
    expect(new Set(ids).size).toBe(2)

    const first = await read(post.id)
    const second = await read(post.id)
    expect(JSON.stringify(second)).toBe(JSON.stringify(first))
    expect(blocksOf(first.content).map((node) => node.fields.id)).toEqual(ids)
    // The version holds the same blocks under the same ids.
    expect(blocksOf((await read(post.id, true)).content).map((node) => node.fields.id)).toEqual(ids)
  })

  test('an update that adds a block without an id stores one and keeps the ids already there', async () => {
    const post = await payload.create({
      collection: 'posts',
      overrideAccess: true,
      data: { ...postData('Blocks added later'), content: withBlocks(), _status: 'published' } as never,
    })
    const before = blocksOf(post.content).map((node) => node.fields.id)
    const content = post.content as unknown as { root: { children: unknown[] } }
    content.root.children.push(block('code', { language: 'bash', code: 'echo two', caption: 'Two' }))
    const updated = await payload.update({ collection: 'posts', id: post.id, overrideAccess: true, data: { content } as never })
    const after = blocksOf(updated.content).map((node) => node.fields.id)
    expect(after.slice(0, 2)).toEqual(before)
    expect(after[2]).toMatch(/^[0-9a-f]{24}$/)
    expect(JSON.stringify(await read(post.id))).toBe(JSON.stringify(await read(post.id)))
  })

  test('the issue15b_blockids migration stores ids on blocks saved without one, in documents and versions', async () => {
    const post = await payload.create({
      collection: 'posts',
      overrideAccess: true,
      data: { ...postData('Saved before the migration'), content: withBlocks(), _status: 'published' } as never,
    })
    // The rows as a save before this change left them: blocks without an id, in the document and its versions.
    const stripped = JSON.stringify(withBlocks()).replace(/'/g, "''")
    const value = payload.db.name === 'postgres' ? `'${stripped}'::jsonb` : `'${stripped}'`
    await runSql(payload, `UPDATE "posts_locales" SET "content" = ${value} WHERE "_parent_id" = ${post.id}`)
    await runSql(payload, `UPDATE "_posts_v_locales" SET "version_content" = ${value} WHERE "_parent_id" IN (SELECT "id" FROM "_posts_v" WHERE "parent_id" = ${post.id})`)
    // What readers got before: a new id on every read.
    expect(JSON.stringify(await read(post.id))).not.toBe(JSON.stringify(await read(post.id)))

    const migrations = (payload.db.name === 'postgres' ? postgresMigrations : sqliteMigrations) as unknown as {
      name: string
      up: (args: { db: unknown; payload: Payload; req: unknown }) => Promise<void>
    }[]
    const migration = migrations.find(({ name }) => name.endsWith('_issue15b_blockids'))
    expect(migration).toBeDefined()
    await migration!.up({ db: payload.db.drizzle, payload, req: {} })

    const first = await read(post.id)
    expect(JSON.stringify(await read(post.id))).toBe(JSON.stringify(first))
    const ids = blocksOf(first.content).map((node) => node.fields.id)
    expect(ids).toHaveLength(2)
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{24}$/)
    // The same block in the document and in its version gets the same id.
    expect(blocksOf((await read(post.id, true)).content).map((node) => node.fields.id)).toEqual(ids)
  })
})
