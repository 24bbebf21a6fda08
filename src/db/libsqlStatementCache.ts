import Database from 'libsql'

type LibsqlDatabase = InstanceType<typeof Database>
type Statement = ReturnType<LibsqlDatabase['prepare']>

/** Prepared statements kept per connection; Payload's SQL repeats, so a few hundred cover a site. */
const STATEMENTS_PER_CONNECTION = 1000

const caches = new WeakMap<LibsqlDatabase, Map<string, Statement>>()
let installed = false

/**
 * libsql (0.4 and 0.5 alike) never frees the native memory of a prepared statement, not even when
 * its JavaScript object is garbage-collected, and @libsql/client prepares every statement it runs
 * anew: measured here, 2.7 KB per INSERT and 4.4 KB per SELECT, so a busy server on SQLite grew by
 * gigabytes an hour (seeding 100,000 posts reached 14 GB). Reusing the statement for the same SQL
 * text, as better-sqlite3 users do, stops the growth: memory then depends on how many different
 * statements run, not on how often. Statements run synchronously to completion, so one statement
 * is never used by two callers at once.
 */
export const reusePreparedStatements = (): void => {
  if (installed) return
  installed = true
  const prepare = Database.prototype.prepare
  const prepareOnce = function (this: LibsqlDatabase, sql: string): Statement {
    let cache = caches.get(this)
    if (!cache) caches.set(this, (cache = new Map()))
    const cached = cache.get(sql)
    if (cached) {
      // Most recently used goes last; the first entry is the one to drop when full.
      cache.delete(sql)
      cache.set(sql, cached)
      return cached
    }
    const statement = prepare.call(this, sql)
    cache.set(sql, statement)
    if (cache.size > STATEMENTS_PER_CONNECTION) cache.delete(cache.keys().next().value!)
    return statement
  }
  Database.prototype.prepare = prepareOnce as typeof prepare
}
