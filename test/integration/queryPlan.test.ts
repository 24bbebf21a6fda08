// The plans behind an anonymous reader's reads, on the database this run uses (TEST_DATABASE):
// the SQL is captured from Payload's own adapter while the Local API find runs (as the REST route
// runs it), then explained. SQLite: EXPLAIN QUERY PLAN, first without planner statistics (a database
// the server has not analyzed yet), then with them (src/db/plannerStatistics.ts).
// PostgreSQL: EXPLAIN after ANALYZE, with sequential scans disabled for the explain so that a
// few hundred rows plan as a large table would; the question is which index, not whether one.
import type { Payload } from 'payload'

import { anonymousFind, handleInProcess } from '../../bench/queryPlan'
import type { Statement, StatementPlan } from '../../bench/sqlProbe'
import { fullScansOf, indexesUsed, sortsRowsOf, sqlProbe, statementLabel } from '../../bench/sqlProbe'
import { closePayload } from '../../src/db/closePayload'
import { refreshPlannerStatistics } from '../../src/db/plannerStatistics'
import { testDatabaseKind } from '../helpers/database'
import { initPayload, postData } from '../helpers/payload'

const PUBLISHED = 240
const DRAFTS = 20
// deletedAt comes last: every reader's read asks for `deleted_at is null` (the trash), checked in the index.
const STATUS_INDEX = '_status_publishedAt_createdAt_deletedAt_idx'
const LOCALES_INDEX = 'posts_locales_parent_id_idx'
const TEXTS_INDEX = 'posts_texts_parent_id_idx'
// Is post P in category C, from the index alone (src/db/databaseAdapter.ts, indexReaderLists).
const CATEGORY_INDEX = 'posts_rels_categories_parent_idx'
// PostgreSQL: posts in the order of the category list's DISTINCT … ORDER BY, so it stops after ten.
const NEWEST_INDEX = 'posts_status_newest_idx'

const sql = testDatabaseKind() !== 'mongodb'
const describeSql = sql ? describe : describe.skip

let payload: Payload
let categoryId: number

const publishedAt = (i: number) => new Date(Date.UTC(2024, 0, 1) + i * 3_600_000).toISOString()

/** One transaction for the lot when the adapter has them (each create would otherwise commit alone). */
const inOneTransaction = async (work: (transactionID?: number | string) => Promise<void>) => {
  const transactionID = await payload.db.beginTransaction()
  if (transactionID === null) return work()
  try {
    await work(transactionID)
  } catch (error) {
    await payload.db.rollbackTransaction(transactionID)
    throw error
  }
  await payload.db.commitTransaction(transactionID)
}

beforeAll(async () => {
  if (!sql) return
  payload = await initPayload()
  const category = await payload.create({ collection: 'categories', overrideAccess: true, data: { title: 'Plans', slug: 'plans' } })
  categoryId = category.id
  await inOneTransaction(async (transactionID) => {
    const req = transactionID === undefined ? {} : { req: { transactionID } }
    const create = async (i: number) => {
      const draft = i > PUBLISHED
      await payload.create({
        collection: 'posts',
        overrideAccess: true,
        depth: 0,
        draft,
        ...req,
        data: {
          ...postData(`Plan post ${i}`, { slug: `plan-post-${i}`, publishedAt: publishedAt(i) }),
          // Every third post in the category; drafts are the newest, so a list that ignored
          // `_status` would show them first.
          categories: i % 3 === 0 ? [categoryId] : [],
          _status: draft ? 'draft' : 'published',
        } as never,
      })
    }
    // A few creates in flight: while one waits for the database, the next one's hooks run.
    let next = 1
    const worker = async () => {
      while (next <= PUBLISHED + DRAFTS) await create(next++)
    }
    await Promise.all([worker(), worker(), worker(), worker()])
  })
  if (payload.db.name === 'postgres') await sqlProbe(payload).exec('ANALYZE')
}, 120_000)

afterAll(async () => {
  if (payload) await closePayload(payload)
})

type Explained = Statement & { label: string; plan: StatementPlan }

/** The statements a find runs, each with its plan. */
const explainFind = async (where?: Parameters<typeof anonymousFind>[1]): Promise<Explained[]> => {
  const probe = sqlProbe(payload)
  const statements = await probe.capture(() => anonymousFind(payload, where))
  return Promise.all(
    statements.map(async (statement) => ({
      ...statement,
      label: statementLabel(statement.sql),
      plan: await probe.explain(statement, { analyze: false, disableSeqscan: true }),
    })),
  )
}

const statementNamed = (statements: Explained[], label: string) => {
  const found = statements.find((statement) => statement.label === label)
  if (!found) throw new Error(`No "${label}" statement among: ${statements.map((s) => s.label).join(', ')}`)
  return found
}

type Expectations = { uses?: string[]; sortsPosts?: false; noFullScanOf?: string[] }

/** What is wrong with a statement's plan, each problem with the statement and its plan: [] when all is well. */
const planProblems = (statement: Explained, { uses = [], sortsPosts, noFullScanOf = [] }: Expectations): string[] => {
  const problems: string[] = []
  const indexes = indexesUsed(statement.plan)
  for (const index of uses) if (!indexes.includes(index)) problems.push(`does not use ${index} (uses ${indexes.join(', ') || 'no index'})`)
  if (sortsPosts === false && sortsRowsOf(statement.plan, 'posts', sqlProbe(payload).database)) problems.push('sorts the posts')
  for (const relation of noFullScanOf) {
    for (const node of fullScansOf(statement.plan, relation)) problems.push(`reads all of ${relation}: ${node.label}`)
  }
  return problems.map((problem) => `${statement.label}: ${problem}\n${statement.sql}\n${statement.plan.lines.join('\n')}`)
}

describeSql(`query plans on ${testDatabaseKind()}`, () => {
  test('the anonymous post list reads the (_status, publishedAt, createdAt, deletedAt) index in order: no sort', async () => {
    // First, while the count is not kept yet (src/db/countCache.ts): later reads do not count again.
    const statements = await explainFind()
    const result = await anonymousFind(payload)
    expect(result.totalDocs).toBe(PUBLISHED)
    expect(result.docs.map((post) => post.slug)).toEqual(Array.from({ length: 10 }, (_, k) => `plan-post-${PUBLISHED - k}`))

    const page = statementNamed(statements, 'posts')
    expect(page.sql).toMatch(/"_status" = /)
    expect(page.sql).toMatch(/order by "posts"\."published_at" desc, "posts"\."created_at" desc/i)
    expect(planProblems(page, { sortsPosts: false, noFullScanOf: ['posts'] })).toEqual([])
    // PostgreSQL may read the category list's (_status, published_at desc, created_at desc, id) instead:
    // the same order for this statement.
    const ordered = payload.db.name === 'postgres' ? [STATUS_INDEX, NEWEST_INDEX] : [STATUS_INDEX]
    expect({ ordered: indexesUsed(page.plan).some((index) => ordered.includes(index)) }).toEqual({ ordered: true })
    // Each post's languages come from its own rows of posts_locales, not from a scan of the table.
    expect(page.sql).toMatch(/"posts_locales"/)
    expect(planProblems(page, { uses: [LOCALES_INDEX], noFullScanOf: ['posts_locales'] })).toEqual([])
    // And its hasMany text rows (linkTargets) from its own rows of posts_texts: SQLite (no statistics)
    // picks the index by its columns alone. PostgreSQL costs both indexes of a near-empty table the
    // same here; with 100,000 posts it reads posts_texts_parent_id_idx (see the bench).
    expect(page.sql).toMatch(/"posts_texts"/)
    if (payload.db.name === 'sqlite') {
      expect(planProblems(page, { uses: [TEXTS_INDEX], noFullScanOf: ['posts_texts'] })).toEqual([])
    }

    // The count for totalDocs reads an index on _status (either one) for the published rows only.
    const count = statementNamed(statements, 'count posts')
    expect(planProblems(count, { noFullScanOf: ['posts'] })).toEqual([])
    expect(indexesUsed(count.plan).join(', ')).toMatch(/_status/)
  })

  test('a lookup by slug uses the unique slug index', async () => {
    const slug = `plan-post-${PUBLISHED / 2}`
    const statements = await explainFind({ slug: { equals: slug } })
    const result = await anonymousFind(payload, { slug: { equals: slug } })
    expect(result.docs.map((post) => post.slug)).toEqual([slug])

    for (const label of ['posts', 'count posts']) {
      expect(planProblems(statementNamed(statements, label), { uses: ['posts_slug_idx'], noFullScanOf: ['posts'] })).toEqual([])
    }
  })

  // Which way round a category list joins posts and posts_rels depends on the sizes (see the bench
  // at 100,000 posts); at a few hundred rows the planners' choice says nothing. What must hold at
  // any size: the right posts, and posts_rels reached through one of its indexes.
  test('a category list finds its posts through an index of posts_rels', async () => {
    const statements = await explainFind({ categories: { in: [categoryId] } })
    const result = await anonymousFind(payload, { categories: { in: [categoryId] } })
    expect(result.totalDocs).toBe(PUBLISHED / 3)
    expect(result.docs.map((post) => post.slug)).toEqual(Array.from({ length: 10 }, (_, k) => `plan-post-${PUBLISHED - 3 * k}`))

    const joined = statements.filter((statement) => /"posts_rels"/.test(statement.sql) && /"categories_id" in/.test(statement.sql))
    expect(joined.map((statement) => statement.label)).toEqual(['ids posts (distinct)', 'count posts (grouped)'])
    for (const statement of joined) {
      const relsIndexes = indexesUsed(statement.plan).filter((index) => index.startsWith('posts_rels_'))
      expect({ statement: statement.label, relsIndexes: relsIndexes.length > 0 }).toEqual({ statement: statement.label, relsIndexes: true })
      expect(planProblems(statement, { noFullScanOf: payload.db.name === 'sqlite' ? ['posts', 'posts_rels'] : [] })).toEqual([])
    }
    const ids = statementNamed(statements, 'ids posts (distinct)')
    if (payload.db.name === 'sqlite') {
      // SQLite reads the category's members from the covering index, not from the table.
      expect(planProblems(ids, { uses: [CATEGORY_INDEX] })).toEqual([])
    } else {
      // PostgreSQL walks the newest published posts in the statement's own order and stops after ten: no
      // sort, no parallel walk. (Which posts_rels index it probes with costs the same at this size.)
      expect(planProblems(ids, { uses: [NEWEST_INDEX], sortsPosts: false })).toEqual([])
    }
  })

  // Last: the statistics stay in the file. What the server does at start and every hour
  // (src/db/plannerStatistics.ts) must keep each read on its indexes. Which way round the category list
  // joins is the planner's to weigh: at this size (80 posts in the category) it starts from posts_rels;
  // with 100,000 posts it walks the newest posts and stops after ten (0.2 ms instead of 20, see the bench).
  const testSqlite = testDatabaseKind() === 'sqlite' ? test : test.skip
  testSqlite('with planner statistics, the list, the slug lookup and the category list keep their indexes', async () => {
    await refreshPlannerStatistics((payload.db as unknown as { client: Parameters<typeof refreshPlannerStatistics>[0] }).client)
    const analyzed = await sqlProbe(payload).exec("SELECT DISTINCT tbl FROM sqlite_stat1 WHERE tbl IN ('posts', 'posts_rels') ORDER BY tbl")
    expect(analyzed.map((row) => row.tbl)).toEqual(['posts', 'posts_rels'])

    // Through the REST handler, as a reader's request runs: its `in (?)` is not the Local API's `in (?, ?)`.
    const probe = sqlProbe(payload)
    const explainRequest = async (request: string) => {
      const captured = await probe.capture(() => handleInProcess(payload, { name: 'list', request }))
      return Promise.all(
        captured.map(async (statement) => ({ ...statement, label: statementLabel(statement.sql), plan: await probe.explain(statement) })),
      )
    }
    const list = statementNamed(await explainRequest('GET /api/posts?limit=10&depth=1'), 'posts')
    expect(planProblems(list, { uses: [STATUS_INDEX, LOCALES_INDEX, TEXTS_INDEX], sortsPosts: false, noFullScanOf: ['posts', 'posts_locales', 'posts_texts'] })).toEqual([])
    const slug = statementNamed(await explainRequest(`GET /api/posts?where[slug][equals]=plan-post-${PUBLISHED / 2}&depth=1`), 'posts')
    expect(planProblems(slug, { uses: ['posts_slug_idx'], noFullScanOf: ['posts'] })).toEqual([])
    const category = await explainRequest(`GET /api/posts?where[categories][in]=${categoryId}&limit=10&depth=1`)
    const ids = statementNamed(category, 'ids posts (distinct)')
    expect(ids.sql).toMatch(/"categories_id" in \(\?\)/)
    expect(planProblems(ids, { uses: [CATEGORY_INDEX], noFullScanOf: ['posts', 'posts_rels'] })).toEqual([])
  })
})
