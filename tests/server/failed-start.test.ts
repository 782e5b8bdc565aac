// A start that fails after the database is open exits at once with one clear line.
import { describe, expect, it } from 'vitest'
import { pgWireAdapter } from '../helpers/databases.ts'
import { freePort, runNode } from '../helpers/processes.ts'

describe('a failed start', () => {
  it('closes the pool and exits 1 within seconds (idle connections kept it alive for 10 s)', async () => {
    const t = await pgWireAdapter.open()
    try {
      const started = Date.now()
      // Migration succeeds over the pool, then the corpus is missing: the start fails with a pool open.
      const run = await runNode('src/server/node.ts', [], {
        DATABASE_URL: t.url as string,
        PORT: String(await freePort()),
        CORPUS_DIR: 'tests/fixtures/no-such-corpus',
        INGEST_ON_START: 'true',
      })
      const took = Date.now() - started
      expect(run.code).toBe(1)
      expect(run.stderr).toContain('no-such-corpus')
      expect(run.stderr).not.toMatch(/\n\s+at /)
      expect(took).toBeLessThan(7000)
    } finally {
      await t.dispose()
    }
  })
})
