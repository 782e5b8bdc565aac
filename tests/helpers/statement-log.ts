// Wraps a real database and records the statements it is asked to run, so that a test can count what
// one request costs. Nothing is faked: every statement runs on the database underneath.
import type { Database, Queryable } from '../../src/db/database.ts'

export interface StatementLog {
  database: Database
  /** The statements since the last `reset()`, as sent, whitespace collapsed. */
  readonly statements: string[]
  reset(): void
}

const collapse = (sql: string) => sql.replace(/\s+/g, ' ').trim()

export function recordStatements(inner: Database): StatementLog {
  const statements: string[] = []
  const wrap = (q: Queryable): Queryable => ({
    query(sql, params) {
      statements.push(collapse(sql))
      return q.query(sql, params)
    },
    exec(sql) {
      statements.push(collapse(sql))
      return q.exec(sql)
    },
  })
  return {
    statements,
    reset: () => {
      statements.length = 0
    },
    database: {
      kind: inner.kind,
      ...wrap(inner),
      transaction: (fn) => {
        statements.push('begin')
        return inner.transaction((tx) => fn(wrap(tx))).finally(() => statements.push('commit'))
      },
      close: () => inner.close(),
    },
  }
}
