// Applies SQL migrations in order, each in its own transaction, recorded in schema_migrations.
import type { Database } from './database.ts'

export interface Migration {
  /** File name without `.sql`, e.g. `001_initial`; the order is the name's order. */
  name: string
  sql: string
}

export class MigrationError extends Error {
  override name = 'MigrationError'
}

// Any constant works; it only has to be the same for every instance that migrates this database.
const MIGRATION_LOCK_ID = 4_711_2020

const createLedger = `create table if not exists schema_migrations (
  name text primary key,
  applied_at timestamptz not null default now()
)`

/** Applies what is missing and returns the names applied now. Safe to run again and from several instances. */
export async function migrate(db: Database, migrations: readonly Migration[]): Promise<string[]> {
  // The ledger is created under the same lock as the migrations: two instances running
  // `create table if not exists` at once on a new database both try to create its row type, and the
  // second fails on the catalog's unique index ("pg_type_typname_nsp_index").
  await db.transaction(async (tx) => {
    await tx.query('select pg_advisory_xact_lock($1)', [MIGRATION_LOCK_ID])
    await tx.exec(createLedger)
  })
  const applied: string[] = []
  for (const migration of [...migrations].sort((a, b) => a.name.localeCompare(b.name))) {
    try {
      const ran = await db.transaction(async (tx) => {
        // Serialises concurrent starts; the lock ends with the transaction.
        await tx.query('select pg_advisory_xact_lock($1)', [MIGRATION_LOCK_ID])
        const done = await tx.query('select 1 from schema_migrations where name = $1', [migration.name])
        if (done.rows.length > 0) return false
        await tx.exec(migration.sql)
        await tx.query('insert into schema_migrations (name) values ($1)', [migration.name])
        return true
      })
      if (ran) applied.push(migration.name)
    } catch (error) {
      throw new MigrationError(`Migration ${migration.name} failed and was rolled back: ${describe(error)}`, {
        cause: error,
      })
    }
  }
  return applied
}

// On a self-managed server only a superuser (or, from PostgreSQL 13, the database owner for trusted
// extensions, which pgvector is not) may create an extension; the app's role usually cannot.
const EXTENSION_NEEDS_ADMIN =
  'An administrator creates it once, as a superuser, in this database: create extension vector; (README: "Running against a real Postgres with pgvector").'

/** The server's message with its hint (which says what to do), and what to do about missing extensions. */
function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error)
  const { code, hint } = error as { code?: unknown; hint?: unknown }
  const parts = [error.message]
  if (typeof hint === 'string' && hint) parts.push(hint)
  if (code === '42501' && /extension/i.test(error.message)) parts.push(EXTENSION_NEEDS_ADMIN)
  return parts.join(' ')
}

/** The names of known migrations the database has not applied yet. */
export async function pendingMigrations(db: Database, migrations: readonly Migration[]): Promise<string[]> {
  const ledger = await db.query<{ exists: boolean }>(
    `select to_regclass('schema_migrations') is not null as exists`,
  )
  if (!ledger.rows[0]?.exists) return migrations.map((m) => m.name)
  const { rows } = await db.query<{ name: string }>('select name from schema_migrations')
  const done = new Set(rows.map((row) => row.name))
  return migrations.map((m) => m.name).filter((name) => !done.has(name))
}
