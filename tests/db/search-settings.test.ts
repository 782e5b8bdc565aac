// Iterative index scans are the database's default after migrating (migration 015), and the check the
// server runs at start sees when they are not, as after restoring a dump into a new database.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { hasIterativeScanDefault } from '../../src/db/database.ts'
import { migrate } from '../../src/db/migrate.ts'
import { readMigrations } from '../../src/db/migration-files.ts'
import { databaseAdapters, type TestDatabase } from '../helpers/databases.ts'

describe.each(databaseAdapters)("iterative scans as the database's default: $name", (adapter) => {
  let t: TestDatabase
  beforeAll(async () => {
    t = await adapter.open()
    await migrate(t.database, await readMigrations())
  })
  afterAll(async () => {
    await t.dispose()
  })

  it('are set by the migrations and missed when reset', async () => {
    expect(await hasIterativeScanDefault(t.database)).toBe(true)
    const { rows } = await t.database.query<{ name: string }>('select current_database() as name')
    await t.database.exec(`alter database "${rows[0]?.name}" reset hnsw.iterative_scan`)
    expect(await hasIterativeScanDefault(t.database)).toBe(false)
  })
})
