// Node wiring: opens the configured database (pg when DATABASE_URL is set, else embedded PGlite).
import { mkdirSync } from 'node:fs'
import { resolve } from 'node:path'
import pg from 'pg'
import type { Config } from '../config.ts'
import { acquireDataDirLock } from './data-dir-lock.ts'
import type { Database } from './database.ts'
import { createPgliteDatabase } from './pglite.ts'
import { createPostgresDatabase } from './postgres.ts'

export async function openDatabase(config: Pick<Config, 'DATABASE_URL' | 'DATA_DIR'>): Promise<Database> {
  if (config.DATABASE_URL) {
    const pool = new pg.Pool({
      connectionString: config.DATABASE_URL,
      // Fail fast when the database is unreachable instead of queueing requests forever.
      connectionTimeoutMillis: 5000,
      max: 10,
    })
    // An idle connection that breaks must not crash the process; the next query reconnects.
    pool.on('error', () => undefined)
    return createPostgresDatabase(pool)
  }
  const dataDir = resolve(config.DATA_DIR)
  mkdirSync(dataDir, { recursive: true })
  // PGlite is single-process: a second process on the same files would corrupt them.
  const release = acquireDataDirLock(dataDir)
  try {
    const database = await createPgliteDatabase({ dataDir: resolve(dataDir, 'pglite') })
    return {
      ...database,
      async close() {
        await database.close()
        release()
      },
    }
  } catch (error) {
    release()
    throw error
  }
}
