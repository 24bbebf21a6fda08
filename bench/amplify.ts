import Database from 'libsql'

/**
 * Grows a seeded SQLite bench database to `target` posts by copying its published posts in SQL:
 * each copy keeps every column (content, both languages' rows, categories, authors, images) and gets
 * a new id and a slug with a suffix. Seeding 100,000 posts through Payload takes an hour and more on
 * a busy two-core machine; what an export reads of a post is the same either way. The change log is
 * left as it is: the copies are there before the first export, which reads everything.
 */
export const amplifyPosts = (file: string, target: number): { copied: number; ms: number } => {
  const started = Date.now()
  const db = new Database(file)
  try {
    const columns = (table: string) => (db.prepare(`PRAGMA table_info(${table})`).all() as { name: string }[]).map(({ name }) => `"${name}"`)
    const { seeded } = db.prepare('SELECT count(*) AS seeded, max(id) AS top FROM posts').get() as { seeded: number }
    const { top } = db.prepare('SELECT max(id) AS top FROM posts').get() as { top: number }
    const postColumns = columns('posts')
    const localeColumns = columns('posts_locales').filter((name) => name !== '"id"')
    const relColumns = columns('posts_rels').filter((name) => name !== '"id"')
    let copied = 0
    db.exec('BEGIN')
    for (let round = 1; seeded + copied < target; round++) {
      const offset = top * round
      const count = Math.min(seeded, target - seeded - copied)
      const ids = `SELECT id FROM posts WHERE id <= ${top} ORDER BY id LIMIT ${count}`
      const shift = (name: string, expression: string) => (column: string) => (column === `"${name}"` ? expression : column)
      db.exec(
        `INSERT INTO posts (${postColumns.join(',')}) SELECT ${postColumns
          .map(shift('id', `id + ${offset}`))
          .map(shift('slug', `slug || '-${round}'`))
          .join(',')} FROM posts WHERE id IN (${ids})`,
      )
      db.exec(
        `INSERT INTO posts_locales (${localeColumns.join(',')}) SELECT ${localeColumns.map(shift('_parent_id', `_parent_id + ${offset}`)).join(',')} FROM posts_locales WHERE _parent_id IN (${ids})`,
      )
      db.exec(
        `INSERT INTO posts_rels (${relColumns.join(',')}) SELECT ${relColumns.map(shift('parent_id', `parent_id + ${offset}`)).join(',')} FROM posts_rels WHERE parent_id IN (${ids})`,
      )
      copied += count
    }
    db.exec('COMMIT')
    return { copied, ms: Date.now() - started }
  } finally {
    db.close()
  }
}
