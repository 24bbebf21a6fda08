import type { Client, InStatement, Transaction, TransactionMode } from '@libsql/client'
import { Sqlite3Transaction } from '@libsql/client/sqlite3'
import Database from 'libsql'

type LibsqlDatabase = InstanceType<typeof Database>

const BEGIN: Record<TransactionMode, string> = {
  write: 'BEGIN IMMEDIATE',
  read: 'BEGIN TRANSACTION READONLY',
  deferred: 'BEGIN DEFERRED',
}

/** Idle connections kept for the next transaction; more than this are closed when they finish. */
const IDLE_CONNECTIONS = 4
/** How long a transaction waits for the ones queued before it. */
const TRANSACTION_TURN_TIMEOUT_MS = 60_000

const WRITE_STATEMENT = /^\s*(insert|update|delete|replace|create|drop|alter)\b/i

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

const pooledClients = new WeakSet<Client>()

/**
 * Payload runs every write in a transaction when the SQLite adapter has `transactionOptions`. With
 * libsql's local client as it is, that goes wrong in three ways:
 * - libsql hands its own connection to each transaction and opens a new one for everything else,
 *   without `busy_timeout`, so a write meeting a lock fails at once with SQLITE_BUSY;
 * - the transaction's connection is never closed, only finalised by a full garbage collection, so a
 *   busy server holds two file descriptors per write it has done until then (thousands under load);
 * - libsql runs statements synchronously: a write in this process that waits for the write lock held
 *   by another of this process's transactions blocks the event loop, so the holder can never finish.
 *   Payload itself writes outside its transaction while one is open (the forgot-password rate limit).
 *
 * So transactions get a small pool of connections (busy timeout set, returned when they end), and
 * this process's writers take turns without blocking: a transaction takes its turn at its first
 * statement (BEGIN IMMEDIATE then, not when Payload opens it), and a write outside any transaction
 * takes a turn for its one statement. Reads never wait (WAL). The busy timeout is left for other
 * processes (a seed or an import next to the server). Statements still run through libsql's own code.
 */
export const poolSqliteTransactions = (client: Client, filePath: string, busyTimeoutMs: number): void => {
  if (pooledClients.has(client)) return
  pooledClients.add(client)
  const idle: LibsqlDatabase[] = []
  const busy = new Set<LibsqlDatabase>()
  const turns = new WriteTurns()

  const open = (): LibsqlDatabase => {
    const connection = new Database(filePath)
    connection.exec(`PRAGMA busy_timeout = ${Math.max(0, Math.floor(busyTimeoutMs))}`)
    connection.exec('PRAGMA foreign_keys = ON')
    return connection
  }

  const release = (connection: LibsqlDatabase) => {
    busy.delete(connection)
    if (!connection.open) return
    if (connection.inTransaction) connection.exec('ROLLBACK')
    if (client.closed || idle.length >= IDLE_CONNECTIONS) connection.close()
    else idle.push(connection)
  }

  /** Runs one statement (or batch) outside a transaction; writes wait for their turn. */
  const asStandaloneWrite =
    <Args extends unknown[], Result>(run: (...args: Args) => Promise<Result>, isWrite: (...args: Args) => boolean) =>
    async (...args: Args): Promise<Result> => {
      if (!isWrite(...args)) return run(...args)
      const endTurn = await turns.take(busyTimeoutMs)
      try {
        return await run(...args)
      } finally {
        endTurn()
      }
    }

  const execute = client.execute.bind(client) as (statement: InStatement, args?: unknown) => Promise<unknown>
  client.execute = asStandaloneWrite(execute, (statement: InStatement) =>
    WRITE_STATEMENT.test(sqlOf(statement)),
  ) as Client['execute']
  const always = (..._args: unknown[]) => true
  client.batch = asStandaloneWrite(client.batch.bind(client), always)
  client.executeMultiple = asStandaloneWrite(client.executeMultiple.bind(client), always)
  client.migrate = asStandaloneWrite(client.migrate.bind(client), always)

  client.transaction = async (mode: TransactionMode = 'write'): Promise<Transaction> => {
    if (client.closed) throw new Error('The SQLite client is closed')
    const connection = idle.pop() ?? open()
    busy.add(connection)
    // libsql's own transaction object, over a connection that is ours to give back.
    const transaction = new Sqlite3Transaction(connection as never, 'number') as unknown as Transaction
    let endTurn: (() => void) | undefined
    let finished = false
    const finish = () => {
      if (finished) return
      finished = true
      release(connection)
      endTurn?.()
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
    transaction.execute = (async (statement: InStatement) => {
      await begin()
      return run(statement)
    }) as Transaction['execute']
    transaction.batch = async (statements) => {
      await begin()
      return batch(statements)
    }
    transaction.executeMultiple = async (sql) => {
      await begin()
      return executeMultiple(sql)
    }
    // Drizzle ends a transaction with commit() or rollback() and never calls close(); all three
    // give the connection and the turn back. A transaction that never ran a statement has nothing
    // to commit. A failed COMMIT leaves it open for the caller's rollback().
    transaction.commit = async () => {
      if (began) {
        await began
        await commit()
      }
      finish()
    }
    transaction.rollback = async () => {
      try {
        // Once finished, the connection may already serve another transaction.
        if (!finished && began && connection.inTransaction) await rollback()
      } finally {
        finish()
      }
    }
    transaction.close = () => {
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
    for (const connection of idle.splice(0)) connection.close()
    // A transaction still running when the client closes is rolled back.
    for (const connection of [...busy]) {
      busy.delete(connection)
      if (connection.open) connection.close()
    }
    closeClient()
  }
}
