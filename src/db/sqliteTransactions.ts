import type { Client, InArgs, InStatement, Transaction, TransactionMode } from '@libsql/client'
import { createClient, Sqlite3Transaction } from '@libsql/client/sqlite3'
import Database from 'libsql'

type LibsqlDatabase = InstanceType<typeof Database>
type LibsqlStatement = ReturnType<LibsqlDatabase['prepare']>

const BEGIN: Record<TransactionMode, string> = {
  write: 'BEGIN IMMEDIATE',
  read: 'BEGIN TRANSACTION READONLY',
  deferred: 'BEGIN DEFERRED',
}

/** Idle connections kept for the next transaction; more than this are closed when they finish. */
const IDLE_CONNECTIONS = 4
/** How long a transaction waits for the ones queued before it. */
const TRANSACTION_TURN_TIMEOUT_MS = 60_000

/** Rows written: in a pooled write transaction of their own. */
const ROW_WRITE = /^\s*(insert|update|delete|replace)\b/i
/** Rows read: on the reading connection. */
const ROW_READ = /^\s*(select|with|values|explain)\b/i
/** Schema changes: on libsql's own connection, in this process's write turn (PRAGMAs go there without one). */
const SCHEMA_CHANGE = /^\s*(create|drop|alter)\b/i

const sqlOf = (statement: InStatement) => (typeof statement === 'string' ? statement : statement.sql)

const lockedError = (waitedMs: number) =>
  Object.assign(new Error(`database is locked: waited ${waitedMs} ms for this process's other writes`), {
    code: 'SQLITE_BUSY',
  })

/** One writer at a time inside this process, first come first served, with a limit on the wait. */
class WriteTurns {
  private taken = false
  private readonly waiting: (() => void)[] = []

  async take(timeoutMs: number): Promise<() => void> {
    if (!this.taken) {
      this.taken = true
      return this.turnEnder()
    }
    return new Promise((resolve, reject) => {
      const grant = () => {
        clearTimeout(timer)
        resolve(this.turnEnder())
      }
      const timer = setTimeout(() => {
        this.waiting.splice(this.waiting.indexOf(grant), 1)
        reject(lockedError(timeoutMs))
      }, timeoutMs)
      this.waiting.push(grant)
    })
  }

  private turnEnder() {
    let ended = false
    return () => {
      if (ended) return
      ended = true
      const next = this.waiting.shift()
      if (next) next()
      else this.taken = false
    }
  }
}

/**
 * libsql runs each statement synchronously, and Payload awaits them one after another in microtasks:
 * without a pause, a publish (dozens of statements in its transaction and the hooks between them)
 * holds the event loop from its first statement to its last, and every stored answer due meanwhile
 * waits behind it. Waiting for the check phase before each statement of a transaction lets the
 * requests that arrived be answered in between. Measured with `npm run bench:mixed -- --rates 5`
 * (1,000 posts, SQLite): p99 of the reads 66-73 ms without, 29-37 ms with; a publish under that load
 * takes 140-190 ms instead of 55-60 ms. Reads outside transactions do not pause: there it bought
 * another 3-6 ms of p99 and cost 12 % of the uncached list's throughput (more renders in flight at once).
 */
const letWaitingRequestsRun = () => new Promise<void>((resolve) => setImmediate(resolve))

type ResultSetOf<C extends Client> = Awaited<ReturnType<C['execute']>>

const pooledClients = new WeakSet<Client>()

/** The first row of a read, as an array of its columns; undefined when there is none. */
export type FirstRowReader = (sql: string, args: readonly unknown[]) => unknown[] | undefined
const firstRowReaders = new WeakMap<Client, FirstRowReader>()

/**
 * A synchronous read of one row on a connection of its own, for a statement run on every request (the
 * content version: src/changes/contentVersion.ts). @libsql/client's execute costs several times the
 * query there: it asks the statement for its columns twice, iterates the rows through a cursor and
 * builds each row with defineProperty. Here the statement is prepared once (libsqlStatementCache.ts)
 * and its row read with `get`, which steps it once and resets it: nothing stays active on the
 * connection, so every read starts a new snapshot and sees every commit before it, from any process
 * (test/integration/sqliteTransactions.test.ts). Undefined for a client this module does not pool.
 */
export const firstRowReaderOf = (client: Client): FirstRowReader | undefined => firstRowReaders.get(client)

/**
 * Payload runs every write in a transaction when the SQLite adapter has `transactionOptions`. With
 * libsql's local client as it is, that goes wrong in four ways:
 * - libsql hands its own connection to each transaction and opens a new one for everything else,
 *   without `busy_timeout`, so a write meeting a lock fails at once with SQLITE_BUSY;
 * - the transaction's connection is never closed, only finalised by a full garbage collection, so a
 *   busy server holds two file descriptors per write it has done until then (thousands under load);
 * - libsql runs statements synchronously: a write in this process that waits for the write lock held
 *   by another of this process's transactions blocks the event loop, so the holder can never finish.
 *   Payload itself writes outside its transaction while one is open (the forgot-password rate limit);
 * - libsql never resets a statement that failed with SQLITE_BUSY (it has no reset for JavaScript to
 *   call either), and SQLite keeps such a statement active so it can be retried. While any statement
 *   of a connection is active, its autocommit transactions never end: every later read there sees
 *   the database as it was (a server on a file another process writes to stopped seeing new rows,
 *   its own included), and a later write there holds the write lock for good. A standalone write
 *   that met another process's lock was enough.
 *
 * So:
 * - transactions get a small pool of connections (busy timeout set, returned when they end; closed
 *   instead when a statement failed on them);
 * - a write outside any transaction runs in one of those transactions too: BEGIN IMMEDIATE waits for
 *   the lock (a failed BEGIN leaves no statement behind), so the write itself never meets one;
 * - reads run on a connection of their own, replaced whenever a read fails on it;
 * - schema changes (in this process's write turn) and PRAGMAs keep libsql's own connection: a
 *   migration run outside a transaction turns foreign keys off there and rebuilds a table over
 *   several statements;
 * - this process's writers take turns without blocking: a transaction takes its turn at its first
 *   statement (BEGIN IMMEDIATE then, not when Payload opens it). Reads never wait (WAL). The busy
 *   timeout is left for other processes (a seed, an import or another server on the same file).
 * Statements still run through libsql's own code.
 */
export const poolSqliteTransactions = (client: Client, filePath: string, busyTimeoutMs: number): void => {
  if (pooledClients.has(client)) return
  pooledClients.add(client)
  const idle: LibsqlDatabase[] = []
  const busy = new Set<LibsqlDatabase>()
  const turns = new WriteTurns()
  const busyTimeout = `PRAGMA busy_timeout = ${Math.max(0, Math.floor(busyTimeoutMs))}`

  const open = (): LibsqlDatabase => {
    const connection = new Database(filePath)
    connection.exec(busyTimeout)
    connection.exec('PRAGMA foreign_keys = ON')
    return connection
  }

  /** `failed`: a statement failed on it, and may still be active there (see above). */
  const release = (connection: LibsqlDatabase, failed: boolean) => {
    busy.delete(connection)
    if (!connection.open) return
    if (connection.inTransaction) connection.exec('ROLLBACK')
    if (failed || client.closed || idle.length >= IDLE_CONNECTIONS) connection.close()
    else idle.push(connection)
  }

  /** Runs schema changes, PRAGMAs, migrations and scripts on libsql's own connection, in this process's write turn. */
  const inTurn =
    <Args extends unknown[], Result>(run: (...args: Args) => Promise<Result>) =>
    async (...args: Args): Promise<Result> => {
      const endTurn = await turns.take(busyTimeoutMs)
      try {
        return await run(...args)
      } finally {
        endTurn()
      }
    }
  client.executeMultiple = inTurn(client.executeMultiple.bind(client))
  client.migrate = inTurn(client.migrate.bind(client))

  /** A write outside any transaction: in a pooled write transaction of its own. */
  const inWriteTransaction = async <Result>(work: (transaction: Transaction) => Promise<Result>): Promise<Result> => {
    const transaction = await client.transaction('write')
    try {
      const result = await work(transaction)
      await transaction.commit()
      return result
    } catch (error) {
      await transaction.rollback()
      throw error
    }
  }

  let reader: Promise<Client> | undefined
  const openReader = async () => {
    const opened = createClient({ url: `file:${filePath}` })
    await opened.execute(busyTimeout)
    return opened
  }
  const read = async (statement: InStatement): Promise<ResultSetOf<Client>> => {
    const current = (reader ??= openReader())
    let connection: Client | undefined
    try {
      connection = await current
      return await connection.execute(statement)
    } catch (error) {
      // The failed statement may stay active, and with it a stale snapshot: never read there again.
      if (reader === current) reader = undefined
      connection?.close()
      throw error
    }
  }

  let rowConnection: { connection: LibsqlDatabase; statements: Map<string, LibsqlStatement> } | undefined
  firstRowReaders.set(client, (sql, args) => {
    if (client.closed) throw new Error('The SQLite client is closed')
    const current = (rowConnection ??= { connection: open(), statements: new Map() })
    try {
      let statement = current.statements.get(sql)
      if (!statement) current.statements.set(sql, (statement = current.connection.prepare(sql).raw(true)))
      return statement.get(...args) as unknown[] | undefined
    } catch (error) {
      // As on the reading connection: a failed statement may stay active, and with it a stale snapshot.
      if (rowConnection === current) rowConnection = undefined
      current.connection.close()
      throw error
    }
  })

  const executeOnOwnConnection = client.execute.bind(client) as (statement: InStatement) => Promise<ResultSetOf<Client>>
  const changeSchema = inTurn(executeOnOwnConnection)
  client.execute = (async (statementOrSql: InStatement, args?: InArgs) => {
    const statement = typeof statementOrSql === 'string' ? { sql: statementOrSql, args: args ?? [] } : statementOrSql
    if (client.closed) throw new Error('The SQLite client is closed')
    const sql = sqlOf(statement)
    if (ROW_WRITE.test(sql)) return inWriteTransaction((transaction) => transaction.execute(statement))
    if (ROW_READ.test(sql)) return read(statement)
    // A migration turns foreign keys off and rebuilds a table in separate statements: one connection for all of them.
    return SCHEMA_CHANGE.test(sql) ? changeSchema(statement) : executeOnOwnConnection(statement)
  }) as Client['execute']
  client.batch = (async (statements: InStatement[]) =>
    inWriteTransaction((transaction) => transaction.batch(statements))) as Client['batch']

  client.transaction = async (mode: TransactionMode = 'write'): Promise<Transaction> => {
    if (client.closed) throw new Error('The SQLite client is closed')
    const connection = idle.pop() ?? open()
    busy.add(connection)
    // libsql's own transaction object, over a connection that is ours to give back.
    const transaction = new Sqlite3Transaction(connection as never, 'number') as unknown as Transaction
    let endTurn: (() => void) | undefined
    let finished = false
    let failed = false
    const finish = () => {
      if (finished) return
      finished = true
      release(connection, failed)
      endTurn?.()
    }
    const noting = async <Result>(run: () => Promise<Result>): Promise<Result> => {
      try {
        return await run()
      } catch (error) {
        failed = true
        throw error
      }
    }
    let began: Promise<void> | undefined
    const begin = () =>
      (began ??= (async () => {
        endTurn = await turns.take(TRANSACTION_TURN_TIMEOUT_MS)
        try {
          connection.exec(BEGIN[mode])
        } catch (error) {
          // Another process held the file past the busy timeout. Payload does not always roll back
          // after a failed statement (its job runner does not), so the turn and the connection are
          // given back now: kept, they would stop every later write of this process.
          finish()
          throw error
        }
      })())

    const {
      execute: run,
      batch,
      executeMultiple,
      commit,
      rollback,
      close,
    } = {
      execute: transaction.execute.bind(transaction),
      batch: transaction.batch.bind(transaction),
      executeMultiple: transaction.executeMultiple.bind(transaction),
      commit: transaction.commit.bind(transaction),
      rollback: transaction.rollback.bind(transaction),
      close: transaction.close.bind(transaction),
    }
    // A statement waits a turn of the event loop before it runs (letWaitingRequestsRun), so a commit
    // or rollback asked meanwhile could overtake it, and the statement would then run on a connection
    // already given back, perhaps to another transaction. The end therefore waits for every statement
    // asked before it; statements asked after the end began, or still waiting when a rollback began,
    // fail instead of running.
    const pending = new Set<Promise<unknown>>()
    let ending: 'commit' | 'rollback' | undefined
    const statement = <Result>(work: () => Promise<Result>): Promise<Result> => {
      if (ending || finished) return Promise.reject(new Error('This transaction has ended; the statement was not run'))
      const ran = (async () => {
        await begin()
        await letWaitingRequestsRun()
        if (ending === 'rollback' || finished) throw new Error('This transaction was rolled back before the statement ran')
        // Closed with the client meanwhile: libsql aborts the process on a closed connection rather than throw.
        if (!connection.open) throw new Error('The SQLite client is closed')
        return noting(work)
      })()
      pending.add(ran)
      const forget = () => pending.delete(ran)
      ran.then(forget, forget)
      return ran
    }
    const settlePending = () => Promise.allSettled([...pending])
    transaction.execute = ((sql: InStatement) => statement(() => run(sql))) as Transaction['execute']
    transaction.batch = (statements) => statement(() => batch(statements))
    transaction.executeMultiple = (sql) => statement(() => executeMultiple(sql))
    // Drizzle ends a transaction with commit() or rollback() and never calls close(); all three
    // give the connection and the turn back. A transaction that never ran a statement has nothing
    // to commit. A failed COMMIT leaves it open for the caller's rollback().
    transaction.commit = async () => {
      ending = 'commit'
      await settlePending()
      if (began) {
        await began
        if (!connection.open) throw new Error('The SQLite client is closed')
        await noting(commit)
      }
      finish()
    }
    transaction.rollback = async () => {
      ending = 'rollback'
      await settlePending()
      try {
        // Once finished, the connection may already serve another transaction.
        if (!finished && began && connection.open && connection.inTransaction) await rollback()
      } finally {
        finish()
      }
    }
    transaction.close = () => {
      ending = 'rollback'
      try {
        if (!finished && connection.inTransaction) close()
      } finally {
        finish()
      }
    }
    return transaction
  }

  const closeClient = client.close.bind(client)
  client.close = () => {
    void reader?.then((connection) => connection.close(), () => undefined)
    reader = undefined
    rowConnection?.connection.close()
    rowConnection = undefined
    for (const connection of idle.splice(0)) connection.close()
    // A transaction still running when the client closes is rolled back.
    for (const connection of [...busy]) {
      busy.delete(connection)
      if (connection.open) connection.close()
    }
    closeClient()
  }
}
