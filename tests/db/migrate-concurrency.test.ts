// Several instances starting at once on a new database: every one migrates, each migration runs once.
// Only a real server shows this (PGlite has a single connection); it runs when TEST_DATABASE_URL is set.
import pg from 'pg'
import { describe, expect, it } from 'vitest'
import { migrate } from '../../src/db/migrate.ts'
import { readMigrations } from '../../src/db/migration-files.ts'
import { createPostgresDatabase } from '../../src/db/postgres.ts'
import { postgresAdapter } from '../helpers/databases.ts'

const url = process.env.TEST_DATABASE_URL

describe.skipIf(!url)('migrations from several instances at once on PostgreSQL', () => {
  it('applies every migration exactly once when six instances start together on a new database', async () => {
    const migrations = await readMigrations()
    // Each round is a new database: the race is on creating the ledger, which happens once per database.
    for (let round = 0; round < 5; round++) {
      const t = await postgresAdapter(url as string).open()
      const instances = Array.from({ length: 6 }, () => {
        const pool = new pg.Pool({ connectionString: t.url, max: 2 })
        pool.on('error', () => undefined)
        return createPostgresDatabase(pool)
      })
      try {
        const results = await Promise.allSettled(instances.map((db) => migrate(db, migrations)))
        const failures = results.flatMap((r) => (r.status === 'rejected' ? [String(r.reason)] : []))
        expect(failures).toEqual([])
        const applied = results.flatMap((r) => (r.status === 'fulfilled' ? r.value : []))
        expect(applied.sort()).toEqual(migrations.map((m) => m.name).sort())
        const ledger = await t.database.query<{ n: number }>(
          'select count(*)::int as n from schema_migrations',
        )
        expect(ledger.rows[0]?.n).toBe(migrations.length)
      } finally {
        await Promise.all(instances.map((db) => db.close()))
        await t.dispose()
      }
    }
  })
})
