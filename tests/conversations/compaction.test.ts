// The compactor's schedule on a real embedded database: erasures close together share one compaction,
// the next waits for the interval, shutdown runs what is pending, and on Postgres nothing runs at all.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createCompactor } from '../../src/conversations/compaction.ts'
import { migrate } from '../../src/db/migrate.ts'
import { readMigrations } from '../../src/db/migration-files.ts'
import { createLogger } from '../../src/log.ts'
import { pgliteAdapter, pgWireAdapter, type TestDatabase } from '../helpers/databases.ts'

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

describe('the compactor', () => {
  let t: TestDatabase
  const lines: string[] = []
  const runs = () => lines.filter((line) => line.includes('erased data compacted')).length
  beforeAll(async () => {
    t = await pgliteAdapter.open()
    await migrate(t.database, await readMigrations())
  })
  afterAll(async () => {
    await t.dispose()
  })

  it('runs once for erasures close together, and not again before the interval', async () => {
    const compactor = createCompactor(t.database, {
      debounceMs: 30,
      minIntervalMs: 60_000,
      logger: createLogger('info', (line) => lines.push(line)),
    })
    for (let i = 0; i < 5; i++) compactor.request()
    expect(runs()).toBe(0)
    for (let i = 0; i < 200 && runs() === 0; i++) await sleep(10)
    expect(runs()).toBe(1)
    // Within the interval a new erasure waits; shutdown runs it.
    compactor.request()
    await sleep(100)
    expect(runs()).toBe(1)
    await compactor.stop()
    expect(runs()).toBe(2)
    // Stopped: no more requests are taken.
    compactor.request()
    expect(await compactor.flush()).toBe(false)
  })

  it('does nothing on Postgres, where autovacuum and the operator’s WAL settings apply', async () => {
    const wire = await pgWireAdapter.open()
    try {
      const compactor = createCompactor(wire.database)
      compactor.request()
      expect(await compactor.flush()).toBe(false)
    } finally {
      await wire.dispose()
    }
  })
})
