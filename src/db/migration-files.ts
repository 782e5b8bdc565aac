// Reads the migrations shipped in src/db/migrations (Node only; a Worker is migrated from Node).
import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Migration } from './migrate.ts'

export const MIGRATIONS_DIR = fileURLToPath(new URL('./migrations/', import.meta.url))

const MIGRATION_FILE = /^(\d{3}_[a-z0-9_]+)\.sql$/

export async function readMigrations(dir = MIGRATIONS_DIR): Promise<Migration[]> {
  const files = (await readdir(dir)).filter((file) => file.endsWith('.sql')).sort()
  return Promise.all(
    files.map(async (file) => {
      const name = MIGRATION_FILE.exec(file)?.[1]
      if (!name) throw new Error(`Migration file ${file} must be named like 001_what_it_does.sql`)
      return { name, sql: await readFile(join(dir, file), 'utf8') }
    }),
  )
}
