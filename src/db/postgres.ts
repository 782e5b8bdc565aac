// Database adapter for any PostgreSQL with pgvector, through a `pg` connection pool.
import type { Pool, PoolClient } from 'pg'
import { registerTypes } from 'pgvector/pg'
import type { Database, Queryable, Row } from './database.ts'

/** Wraps a pool the caller created; `close` ends it. */
export function createPostgresDatabase(pool: Pool): Database {
  const registered = new WeakSet<PoolClient>()

  // pgvector's parser is registered per connection, once the extension exists (after migration 001).
  const acquire = async (): Promise<PoolClient> => {
    const client = await pool.connect()
    if (!registered.has(client)) {
      try {
        await registerTypes(client)
        registered.add(client)
      } catch {
        // The vector type is not there yet; the next use of this connection tries again.
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
    try {
      return await fn(client)
    } finally {
      client.release()
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
