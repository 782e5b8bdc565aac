// What only a real PostgreSQL server shows: the app's role without the right to create extensions.
// Runs when TEST_DATABASE_URL names a template database on such a server (see tests/helpers/databases.ts).
import { randomUUID } from 'node:crypto'
import pg from 'pg'
import { describe, expect, it } from 'vitest'
import { MigrationError, migrate } from '../../src/db/migrate.ts'
import { readMigrations } from '../../src/db/migration-files.ts'
import { createPostgresDatabase } from '../../src/db/postgres.ts'
import { dropTestDatabase } from '../helpers/databases.ts'

const url = process.env.TEST_DATABASE_URL

describe.skipIf(!url)('PostgreSQL server: the app role', () => {
  it('says that an administrator must create the vector extension, with the server hint', async () => {
    const admin = new URL(url as string)
    admin.pathname = '/postgres'
    const name = `test_${randomUUID().replaceAll('-', '')}`
    const client = new pg.Client({ connectionString: admin.toString() })
    await client.connect()
    // A new database without the extension, owned by the app's role (not a superuser).
    await client.query(`create database ${name} template template0`)
    const target = new URL(url as string)
    target.pathname = `/${name}`
    const database = createPostgresDatabase(new pg.Pool({ connectionString: target.toString(), max: 1 }))
    try {
      const error = await migrate(database, await readMigrations()).catch((e: unknown) => e)
      expect(error).toBeInstanceOf(MigrationError)
      const message = (error as Error).message
      expect(message).toContain('Migration 001_initial failed and was rolled back')
      expect(message).toContain('permission denied to create extension "vector"')
      // The server's hint, which pg keeps apart from the message.
      expect(message).toContain('Must be superuser to create this extension.')
      expect(message).toContain('create extension vector;')
      const ledger = await database.query<{ n: number }>('select count(*)::int as n from schema_migrations')
      expect(ledger.rows[0]?.n).toBe(0)
    } finally {
      await database.close()
      await dropTestDatabase(client, name)
      await client.end()
    }
  })
})
