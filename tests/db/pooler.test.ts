// Behind a pooler in transaction mode (PgBouncer `pool_mode = transaction`, Cloudflare Hyperdrive) a
// session setting made on one client connection lands on whichever server connection serves that
// statement, and other server connections never see it. The vector search needs
// `hnsw.iterative_scan` on every server connection, so migration 015 makes it the database's default.
// Runs when TEST_POOLER_URL names such a pooler in front of the server of TEST_DATABASE_URL (.ci/postgres).
import { randomUUID } from 'node:crypto'
import pg from 'pg'
import { describe, expect, it } from 'vitest'
import { migrate } from '../../src/db/migrate.ts'
import { readMigrations } from '../../src/db/migration-files.ts'
import { createPostgresDatabase } from '../../src/db/postgres.ts'
import { dropTestDatabase } from '../helpers/databases.ts'

const templateUrl = process.env.TEST_DATABASE_URL
const poolerUrl = process.env.TEST_POOLER_URL

async function withDatabase(fn: (name: string) => Promise<void>): Promise<void> {
  const admin = new URL(templateUrl as string)
  const template = decodeURIComponent(admin.pathname.slice(1))
  admin.pathname = '/postgres'
  const client = new pg.Client({ connectionString: admin.toString() })
  await client.connect()
  const name = `test_${randomUUID().replaceAll('-', '')}`
  await client.query(`create database ${name} template ${pg.escapeIdentifier(template)}`)
  try {
    await fn(name)
  } finally {
    await dropTestDatabase(client, name)
    await client.end()
  }
}

const poolerUrlOf = (name: string) => {
  const url = new URL(poolerUrl as string)
  url.pathname = `/${name}`
  return url.toString()
}

/**
 * The setting the app's next statement sees after its client connection set it (at the pool's first
 * use) while another client holds the server connection that took that SET in a transaction: the
 * statement runs on another server connection.
 */
async function settingOnAnotherServerConnection(name: string): Promise<string | null> {
  // One client connection: the SET of the adapter lands on one server connection.
  const database = createPostgresDatabase(new pg.Pool({ connectionString: poolerUrlOf(name), max: 1 }))
  const other = new pg.Client({ connectionString: poolerUrlOf(name) })
  await other.connect()
  try {
    const first = await database.query<{ backend: number }>('select pg_backend_pid() as backend')
    await other.query('begin')
    const held = await other.query<{ backend: number }>('select pg_backend_pid() as backend')
    expect(held.rows[0]?.backend).toBe(first.rows[0]?.backend)
    const { rows } = await database.query<{ setting: string | null; backend: number }>(
      `select current_setting('hnsw.iterative_scan', true) as setting, pg_backend_pid() as backend`,
    )
    expect(rows[0]?.backend).not.toBe(first.rows[0]?.backend)
    return rows[0]?.setting ?? null
  } finally {
    await other.query('rollback').catch(() => undefined)
    await other.end()
    await database.close()
  }
}

const migrated = async (name: string) => {
  const database = createPostgresDatabase(new pg.Pool({ connectionString: poolerUrlOf(name), max: 1 }))
  try {
    await migrate(database, await readMigrations())
  } finally {
    await database.close()
  }
}

describe.skipIf(!templateUrl || !poolerUrl)('behind a pooler in transaction mode', () => {
  it('a statement on any server connection searches with iterative scans', async () => {
    await withDatabase(async (name) => {
      await migrated(name)
      expect(await settingOnAnotherServerConnection(name)).toBe('relaxed_order')
    })
  })

  it("without the database's default, the connection's own SET does not reach it", async () => {
    await withDatabase(async (name) => {
      await migrated(name)
      const admin = new pg.Client({ connectionString: poolerUrlOf(name) })
      await admin.connect()
      await admin.query(`alter database ${name} reset hnsw.iterative_scan`)
      await admin.end()
      expect(await settingOnAnotherServerConnection(name)).not.toBe('relaxed_order')
    })
  })
})
