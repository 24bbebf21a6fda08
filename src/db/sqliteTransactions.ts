import type { Client, Transaction, TransactionMode } from '@libsql/client'
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

const pooledClients = new WeakSet<Client>()

/**
 * Payload runs every write in a transaction when the SQLite adapter has `transactionOptions`. libsql's
 * local client hands its own connection to each transaction and lazily opens a new one for everything
 * else, which has two faults:
 * - the new connection lacks `busy_timeout`, so a write that meets another transaction's lock fails
 *   at once with SQLITE_BUSY instead of waiting;
 * - the transaction's connection is never closed, only finalised by a full garbage collection, so a
 *   busy server holds two file descriptors per write it has done until then (thousands under load).
 *
 * - libsql runs statements synchronously, so a second transaction in the same process that waits for
 *   the write lock blocks the event loop, and with it the first transaction that holds the lock: the
 *   two wait for each other until the busy timeout fails one of them.
 *
 * This gives the client's `transaction()` a small pool of connections, each opened with the busy
 * timeout, returned to the pool when the transaction ends; and it queues this process's transactions
 * so that only one holds the write lock at a time (SQLite allows one writer anyway). The busy timeout
 * is then left for other processes (a seed or an import next to the server). Everything else stays
 * libsql's own code: statements run through libsql's exported `Sqlite3Transaction`.
 */
export const poolSqliteTransactions = (client: Client, filePath: string, busyTimeoutMs: number): void => {
  if (pooledClients.has(client)) return
  pooledClients.add(client)
  const idle: LibsqlDatabase[] = []
  const busy = new Set<LibsqlDatabase>()
  let queue: Promise<void> = Promise.resolve()

  /** Resolves when it is this caller's turn to write; the returned function ends the turn. */
  const takeTurn = async (): Promise<() => void> => {
    let endTurn!: () => void
    const turn = new Promise<void>((resolve) => (endTurn = resolve))
    const previous = queue
    queue = previous.then(() => turn)
    await previous
    return endTurn
  }

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

  client.transaction = async (mode: TransactionMode = 'write'): Promise<Transaction> => {
    if (client.closed) throw new Error('The SQLite client is closed')
    const endTurn = await takeTurn()
    let connection: LibsqlDatabase
    try {
      connection = idle.pop() ?? open()
    } catch (error) {
      endTurn()
      throw error
    }
    busy.add(connection)
    try {
      connection.exec(BEGIN[mode])
    } catch (error) {
      release(connection)
      endTurn()
      throw error
    }
    // libsql's own transaction object; it only lacks a way to give its connection back. Drizzle ends a
    // transaction with commit() or rollback() and never calls close(), so all three give it back.
    const transaction = new Sqlite3Transaction(connection as never, 'number') as unknown as Transaction
    let released = false
    const giveBack = () => {
      if (released) return
      released = true
      release(connection)
      endTurn()
    }
    const { commit, rollback, close } = {
      commit: transaction.commit.bind(transaction),
      rollback: transaction.rollback.bind(transaction),
      close: transaction.close.bind(transaction),
    }
    transaction.commit = async () => {
      // A failed COMMIT leaves the transaction open; the caller's rollback() gives the connection back.
      await commit()
      giveBack()
    }
    transaction.rollback = async () => {
      try {
        await rollback()
      } finally {
        giveBack()
      }
    }
    transaction.close = () => {
      try {
        close()
      } finally {
        giveBack()
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
