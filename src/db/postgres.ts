// Database adapter for any PostgreSQL with pgvector, through a `pg` connection pool.
import type { Pool, PoolClient } from 'pg'
import { registerTypes } from 'pgvector/pg'
import { type Database, type Queryable, type Row, VECTOR_SEARCH_SETTINGS } from './database.ts'
import { isDatabaseDown } from './errors.ts'

/** Wraps a pool the caller created; `close` ends it. */
export function createPostgresDatabase(pool: Pool): Database {
  const seen = new WeakSet<PoolClient>()
  const registered = new WeakSet<PoolClient>()

  // pgvector's parser is registered per connection, once the extension exists (after migration 001).
  const acquire = async (): Promise<PoolClient> => {
    const client = await pool.connect()
    if (!seen.has(client)) {
      seen.add(client)
      // A connection that dies while checked out emits 'error'; the running query rejects with it,
      // so the event itself only needs a listener to keep the process alive.
      client.on('error', () => undefined)
    }
    if (!registered.has(client)) {
      try {
        await registerTypes(client)
        registered.add(client)
      } catch {
        // The vector type is not there yet; the next use of this connection tries again.
      }
      if (registered.has(client)) {
        // A pgvector before 0.8 has no iterative scans: its filtered lists may come back short.
        await client.query(VECTOR_SEARCH_SETTINGS).catch(() => undefined)
      }
    }
    return client
  }

  const wrap = (client: PoolClient): Queryable => ({
    async query<T extends Row>(sql: string, params: readonly unknown[] = []) {
      const result = await client.query<T>(sql, [...params])
      return { rows: result.rows, rowCount: result.rowCount ?? result.rows.length }
    },
    async exec(sql: string) {
      await client.query(sql)
    },
  })

  const withClient = async <T>(fn: (client: PoolClient) => Promise<T>): Promise<T> => {
    const client = await acquire()
    let broken: Error | undefined
    try {
      return await fn(client)
    } catch (error) {
      // A connection-level failure means this client must not go back into the pool.
      if (isDatabaseDown(error)) broken = error as Error
      throw error
    } finally {
      client.release(broken)
    }
  }

  return {
    kind: 'postgres',
    query: (sql, params) => withClient((client) => wrap(client).query(sql, params)),
    exec: (sql) => withClient((client) => wrap(client).exec(sql)),
    transaction: (fn) =>
      withClient(async (client) => {
        await client.query('begin')
        try {
          const result = await fn(wrap(client))
          await client.query('commit')
          return result
        } catch (error) {
          await client.query('rollback').catch(() => undefined)
          throw error
        }
      }),
    async close() {
      if (!pool.ended) await pool.end()
    },
  }
}
