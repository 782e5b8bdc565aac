// Database adapter for the embedded PGlite (Postgres in WebAssembly) with the pgvector extension.
import { Mutex, PGlite, type Transaction } from '@electric-sql/pglite'
import { vector } from '@electric-sql/pglite-pgvector'
import { type Database, parseVector, type Queryable, type Row, VECTOR_SEARCH_SETTINGS } from './database.ts'
import { preparedStatements, queryResult } from './pglite-prepared.ts'

export interface PgliteOptions {
  /** A directory for the database files; omitted means in memory (tests). */
  dataDir?: string
}

/** Opens (and on first use creates) the embedded database. */
export async function createPgliteDatabase(options: PgliteOptions = {}): Promise<Database> {
  const db = await PGlite.create({
    ...(options.dataDir ? { dataDir: options.dataDir } : {}),
    extensions: { vector },
  })
  // A checkpoint recycles old log segments under new names, and a recycled segment keeps the bytes of
  // what it logged (erased conversations too) until they are overwritten; removed segments are gone.
  // PGlite is one session, so the session's setting is the database's. Costs a new, zero-filled
  // segment file every 16 MB of log.
  await db.exec('set wal_recycle = off')
  await db.exec(VECTOR_SEARCH_SETTINGS)
  return wrapPglite(db)
}

/** Wraps an open PGlite instance (a test may share one with a wire-protocol server). */
export function wrapPglite(db: PGlite): Database {
  // Whether the vector type's parser is registered on the instance (once the type exists and was seen
  // outside a transaction); until then each query names it, and parser options cost a statement about
  // 0.4 ms of CPU.
  let registered = false

  // The vector type exists only after the first migration; until then there is nothing to parse.
  // The lookup runs on the caller's own handle: inside a transaction, the outer one would wait forever.
  const parsers = async (
    target: PGlite | Transaction,
  ): Promise<{ parsers: Record<number, (text: string) => unknown> } | undefined> => {
    if (registered) return undefined
    const found = await target.query<{ oid: number }>(
      `select oid::int as oid from pg_type where typname = 'vector'`,
    )
    const oid = found.rows[0]?.oid
    if (oid === undefined) return undefined
    // Seen inside a transaction that may still roll back: use it, but do not remember it.
    if (target !== db) return { parsers: { [oid]: parseVector } }
    db.parsers[oid] = parseVector
    registered = true
    return undefined
  }

  const wrap = (target: PGlite | Transaction): Queryable => ({
    async query<T extends Row>(sql: string, params: readonly unknown[] = []) {
      return queryResult(await target.query<T>(sql, [...params], await parsers(target)))
    },
    async exec(sql: string) {
      await target.exec(sql)
    },
  })

  // A statement outside a transaction runs as a named statement once the vector parser is known.
  // Named statements take only PGlite's statement lock, so this lock keeps them out of the
  // transactions this adapter opens (PGlite's own `query` waits for those by itself).
  const prepared = preparedStatements(db)
  const exclusive = new Mutex()
  const plain = wrap(db)

  return {
    kind: 'pglite',
    async query<T extends Row>(sql: string, params: readonly unknown[] = []) {
      if (!registered || !prepared.accepts(sql)) return plain.query<T>(sql, params)
      return exclusive.runExclusive(() => prepared.query<T>(sql, params))
    },
    exec: plain.exec,
    transaction: (fn) => exclusive.runExclusive(() => db.transaction((tx) => fn(wrap(tx)))),
    async close() {
      if (!db.closed) await db.close()
    },
  }
}
