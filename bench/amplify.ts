import Database from 'libsql'
import pg from 'pg'

import type { BenchDatabaseKind } from './database'

/**
 * Grows a seeded bench database (SQLite or PostgreSQL) to `target` posts by copying its seeded posts in
 * SQL. Seeding 100,000 posts through Payload takes 35 minutes and more on a busy two-core machine, and
 * what a read costs depends on the rows, not on who wrote them, so the copies must look like posts the
 * seed would have made for those numbers:
 * - copy n of seeded post i (post-i) becomes post n = i + seeded × round: slug `post-n`, title `Post n`
 *   (in posts, its version and its search row), publishedAt moved on by seeded × round hours. The shared
 *   content publishes post n at 2024-01-01 + n hours, so 100,000 posts span eleven years, and category
 *   and cover (i % 10, the same as n % 10 when the seed is a multiple of ten) interleave with the date as
 *   the seed's do. Copies that kept their original's date and category would pile up in hundred-post
 *   clumps that no real site has, and make the category list's plans look better or worse than they are.
 * - every row a post has is copied: posts, posts_locales, posts_rels (categories, authors), posts_texts
 *   (hasMany text), its version in _posts_v with _posts_v_locales/_rels/_texts, and its search row with
 *   search_locales/_rels. Tables found by name, columns read from the database, so a field added to
 *   posts is copied without a change here.
 * The change log and the audit log are left as they are: they record writes, and the copies are there
 * before the first read.
 */
export const amplifyPosts = async (
  kind: BenchDatabaseKind,
  uri: string,
  target: number,
): Promise<{ copied: number; ms: number; rows: Record<string, number> }> => {
  const started = Date.now()
  const db = kind === 'sqlite' ? sqliteRunner(uri) : await postgresRunner(uri)
  try {
    const copied = await copyPosts(db, kind, target)
    const rows: Record<string, number> = {}
    for (const table of await postTables(db, kind)) rows[table] = Number((await db.all(`SELECT count(*) AS n FROM "${table}"`))[0].n)
    return { copied, ms: Date.now() - started, rows }
  } finally {
    await db.close()
  }
}

type Runner = {
  all: (sql: string) => Promise<Record<string, unknown>[]>
  run: (sql: string) => Promise<void>
  close: () => Promise<void>
}

const sqliteRunner = (uri: string): Runner => {
  const db = new Database(uri.replace(/^file:/, ''))
  return {
    all: async (sql) => db.prepare(sql).all() as Record<string, unknown>[],
    run: async (sql) => void db.exec(sql),
    close: async () => void db.close(),
  }
}

const postgresRunner = async (uri: string): Promise<Runner> => {
  const client = new pg.Client({ connectionString: uri })
  await client.connect()
  return {
    all: async (sql) => (await client.query(sql)).rows,
    run: async (sql) => void (await client.query(sql)),
    close: () => client.end(),
  }
}

/** Every table that holds part of a post, its version or its search row. */
const postTables = async (db: Runner, kind: BenchDatabaseKind): Promise<string[]> => {
  const names =
    kind === 'sqlite'
      ? (await db.all(`SELECT name FROM sqlite_master WHERE type = 'table'`)).map((row) => String(row.name))
      : (await db.all(`SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema()`)).map((row) =>
          String(row.name),
        )
  const ours = (name: string) => ['posts', '_posts_v', 'search'].some((root) => name === root || name.startsWith(`${root}_`))
  return names.filter(ours).sort()
}

const columnsOf = async (db: Runner, kind: BenchDatabaseKind, table: string): Promise<string[]> =>
  kind === 'sqlite'
    ? (await db.all(`PRAGMA table_info("${table}")`)).map((row) => String(row.name))
    : (
        await db.all(
          `SELECT column_name AS name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = '${table}' ORDER BY ordinal_position`,
        )
      ).map((row) => String(row.name))

const copyPosts = async (db: Runner, kind: BenchDatabaseKind, target: number): Promise<number> => {
  const [{ seeded: seededRaw, top: topRaw }] = await db.all('SELECT count(*) AS seeded, max(id) AS top FROM posts')
  const seeded = Number(seededRaw)
  if (seeded >= target) return 0
  const [{ top: versionTop }] = await db.all('SELECT coalesce(max(id), 0) AS top FROM _posts_v')
  const [{ top: searchTop }] = await db.all('SELECT coalesce(max(id), 0) AS top FROM search')
  const rounds = Math.ceil((target - seeded) / seeded)
  const int = (expression: string) => (kind === 'sqlite' ? `CAST(${expression} AS integer)` : `(${expression})::integer`)
  const laterBy = (column: string, hours: string) =>
    kind === 'sqlite'
      ? `strftime('%Y-%m-%dT%H:%M:%fZ', ${column}, '+' || (${hours}) || ' hours')`
      : `${column} + (${hours}) * interval '1 hour'`
  const title = (column: string) => `CASE WHEN ${column} = 'Post ' || m.i THEN 'Post ' || m.n ELSE ${column} || ' ' || m.n END`

  await db.run('BEGIN')
  try {
    // Which seeded post becomes which copy: m.i is the seed's number (from its slug), m.n the copy's.
    await db.run('CREATE TEMP TABLE amplify_map (src_id integer, new_id integer, i integer, n integer, r integer)')
    await db.run(
      `INSERT INTO amplify_map SELECT p.id, p.id + ${topRaw} * r.r, ${int(`substr(p.slug, 6)`)}, ${int(`substr(p.slug, 6)`)} + ${seeded} * r.r, r.r
       FROM posts p CROSS JOIN (${Array.from({ length: rounds }, (_, k) => `SELECT ${k + 1} AS r`).join(' UNION ALL ')}) r
       WHERE p.slug LIKE 'post-%'`,
    )
    await db.run(`DELETE FROM amplify_map WHERE n > ${target}`)
    const [{ copies }] = await db.all('SELECT count(*) AS copies FROM amplify_map')

    // One INSERT … SELECT per table: `source` is the FROM (joined to amplify_map m), `set` the columns
    // that change; every other column is copied as it is, the row id left to the table where nothing
    // refers to it.
    const copy = async (table: string, source: string, set: Record<string, string>, keepId: boolean) => {
      const columns = (await columnsOf(db, kind, table)).filter((name) => keepId || name !== 'id')
      const values = columns.map((name) => set[name] ?? `t."${name}"`)
      await db.run(`INSERT INTO "${table}" (${columns.map((name) => `"${name}"`).join(', ')}) SELECT ${values.join(', ')} FROM ${source}`)
    }
    const byPost = `JOIN amplify_map m ON m.src_id`
    const version = `(SELECT v.id, m.* FROM _posts_v v ${byPost} = v.parent_id)`
    const search = `(SELECT s.parent_id AS id, m.* FROM search_rels s ${byPost} = s.posts_id WHERE s.path = 'doc')`
    const vid = `t.id + ${versionTop} * m.r`
    const sid = `t.id + ${searchTop} * m.r`

    await copy('posts', `posts t ${byPost} = t.id`, { id: 'm.new_id', slug: `'post-' || m.n`, published_at: laterBy('t.published_at', `${seeded} * m.r`) }, true)
    await copy('posts_locales', `posts_locales t ${byPost} = t._parent_id`, { _parent_id: 'm.new_id', title: title('t.title') }, false)
    await copy('posts_rels', `posts_rels t ${byPost} = t.parent_id`, { parent_id: 'm.new_id' }, false)
    await copy('posts_texts', `posts_texts t ${byPost} = t.parent_id`, { parent_id: 'm.new_id' }, false)
    await copy(
      '_posts_v',
      `_posts_v t ${byPost} = t.parent_id`,
      {
        id: vid,
        parent_id: 'm.new_id',
        version_slug: `'post-' || m.n`,
        version_published_at: laterBy('t.version_published_at', `${seeded} * m.r`),
      },
      true,
    )
    const ofVersion = (table: string, parent: string) => `"${table}" t JOIN ${version} m ON m.id = t.${parent}`
    await copy('_posts_v_locales', ofVersion('_posts_v_locales', '_parent_id'), { _parent_id: `t._parent_id + ${versionTop} * m.r`, version_title: title('t.version_title') }, false)
    await copy('_posts_v_rels', ofVersion('_posts_v_rels', 'parent_id'), { parent_id: `t.parent_id + ${versionTop} * m.r` }, false)
    await copy('_posts_v_texts', ofVersion('_posts_v_texts', 'parent_id'), { parent_id: `t.parent_id + ${versionTop} * m.r` }, false)
    await copy('search', `search t JOIN ${search} m ON m.id = t.id`, { id: sid, slug: `'post-' || m.n` }, true)
    const ofSearch = (table: string, parent: string) => `"${table}" t JOIN ${search} m ON m.id = t.${parent}`
    await copy('search_locales', ofSearch('search_locales', '_parent_id'), { _parent_id: `t._parent_id + ${searchTop} * m.r`, title: title('t.title') }, false)
    await copy(
      'search_rels',
      ofSearch('search_rels', 'parent_id'),
      { parent_id: `t.parent_id + ${searchTop} * m.r`, posts_id: `CASE WHEN t.path = 'doc' THEN m.new_id ELSE t.posts_id END` },
      false,
    )

    // A table of the post this does not know (a blocks or array field, say) would be left short.
    const known = ['posts', 'posts_locales', 'posts_rels', 'posts_texts', '_posts_v', '_posts_v_locales', '_posts_v_rels', '_posts_v_texts', 'search', 'search_locales', 'search_rels']
    for (const table of await postTables(db, kind)) {
      if (known.includes(table)) continue
      const [{ n }] = await db.all(`SELECT count(*) AS n FROM "${table}"`)
      if (Number(n) > 0) throw new Error(`bench/amplify.ts does not know how to copy the ${n} rows of ${table}`)
    }
    await db.run('DROP TABLE amplify_map')
    if (kind === 'postgres') {
      // Rows were given ids above: the next row Payload writes (a publish during the bench) must not collide.
      for (const table of known) {
        await db.run(`SELECT setval(pg_get_serial_sequence('"${table}"', 'id'), (SELECT max(id) FROM "${table}"))`)
      }
    }
    await db.run('COMMIT')
    return Number(copies)
  } catch (error) {
    await db.run('ROLLBACK').catch(() => undefined)
    throw error
  }
}
