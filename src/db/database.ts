// The database port: the little the app needs from Postgres, served by PGlite or by `pg`.

export type Row = Record<string, unknown>

export interface QueryResult<T extends Row = Row> {
  rows: T[]
  rowCount: number
}

export interface Queryable {
  /** One parameterised statement. Vectors go in as `toVectorLiteral(…)` with a `::vector` cast. */
  query<T extends Row = Row>(sql: string, params?: readonly unknown[]): Promise<QueryResult<T>>
  /** Several statements without parameters (migrations). */
  exec(sql: string): Promise<void>
}

export interface Database extends Queryable {
  readonly kind: 'pglite' | 'postgres'
  /** Runs `fn` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>
  close(): Promise<void>
}

/** pgvector's text form, accepted by both drivers as a parameter cast to `vector`. */
export function toVectorLiteral(vector: readonly number[]): string {
  return `[${vector.join(',')}]`
}

/** Parses pgvector's text form; the drivers return vectors as text unless a parser is registered. */
export function parseVector(text: string): number[] {
  return text
    .slice(1, -1)
    .split(',')
    .filter((part) => part.length > 0)
    .map(Number)
}

/**
 * Session settings for every connection (and, from migration 015, the database's default, which is
 * what holds behind a pooler in transaction mode). The search reads one HNSW index per language and
 * filters by document (audience, field, phase) after the scan; without iterative scans (pgvector 0.8+)
 * the index yields its `hnsw.ef_search` nearest neighbours, and a filter leaves only some of them:
 * lists came back short (83 of 152 language-filtered lists at 10k synthetic chunks, when one index
 * served both languages). Iterative scans go on until the list is full. `relaxed_order` found more of
 * the exact neighbours than `strict_order` (recall 0.67 against 0.37 at 10k) at a lower median
 * latency; its slightly unordered results are re-ordered by distance in the search. Measured in
 * bench/RESULTS.md.
 */
export const VECTOR_SEARCH_SETTINGS = 'set hnsw.iterative_scan = relaxed_order'

/**
 * Whether new sessions of this database start with iterative scans (migration 015 makes it the
 * database's default, so that it holds behind a pooler in transaction mode). A dump restored into a
 * new database does not carry it, while its ledger says the migration ran.
 */
export async function hasIterativeScanDefault(q: Queryable): Promise<boolean> {
  const { rows } = await q.query<{ set: boolean }>(
    `select exists (
       select 1 from pg_db_role_setting s join pg_database d on d.oid = s.setdatabase
       where d.datname = current_database() and s.setrole = 0
         and 'hnsw.iterative_scan=relaxed_order' = any (s.setconfig)) as set`,
  )
  return rows[0]?.set ?? false
}
