// Named statements for the embedded database. PGlite's `query` parses, describes, binds and executes
// a statement in six calls into Postgres and plans it anew each time; the service sends the same few
// statements on every turn. Here each SQL text is parsed and described once (a named statement, again
// after RENEW_AFTER runs) and otherwise run as Bind + Execute + Sync in one call, on PGlite's public
// protocol API, with PGlite's own serializers and parsers.
import { type PGlite, parse, protocol, type Results } from '@electric-sql/pglite'
import type { QueryResult, Row } from './database.ts'

type BackendMessage = Awaited<ReturnType<PGlite['execProtocol']>>['messages'][number]

interface Prepared {
  name: string
  /** Postgres' type of each parameter, for PGlite's serializers. */
  parameterTypes: number[]
  /** The statement's row description; undefined for a statement that returns no rows. */
  rowDescription: BackendMessage | undefined
  runs: number
}

// Statements built from a closed set of parts number a few dozen; the cap only guards against a
// caller that builds SQL text from data, whose statements then run unprepared.
const MAX_STATEMENTS = 500
// SQLSTATE 0A000 "cached plan must not change result type": a table a statement reads changed shape.
const PLAN_CHANGED = '0A000'
/**
 * After this many runs a statement is parsed and planned anew. Postgres keeps a named statement's
 * generic plan until the tables change shape or their statistics do, and the embedded database
 * gathers no statistics by itself: a plan made when a table was small would otherwise stay as the
 * table grows.
 */
export const RENEW_AFTER = 1000

/** The port's result of a PGlite result: the rows, and how many rows a write touched. */
export function queryResult<T extends Row>(
  result: Pick<Results<T>, 'rows' | 'affectedRows'>,
): QueryResult<T> {
  return { rows: result.rows, rowCount: Math.max(result.affectedRows ?? 0, result.rows.length) }
}

const joined = (parts: Uint8Array[]) => {
  const out = new Uint8Array(parts.reduce((n, part) => n + part.length, 0))
  let at = 0
  for (const part of parts) {
    out.set(part, at)
    at += part.length
  }
  return out
}

/**
 * Runs statements as named statements on `db`. The caller must hold off transactions while a
 * statement runs (this takes only PGlite's statement lock, as its public `runExclusive` does).
 */
export function preparedStatements(db: PGlite) {
  const statements = new Map<string, Prepared>()
  let named = 0

  async function prepare(sql: string): Promise<Prepared> {
    named += 1
    const name = `dm_${named}`
    const { messages } = await db.execProtocol(
      joined([
        protocol.serialize.parse({ name, text: sql }),
        protocol.serialize.describe({ type: 'S', name }),
        protocol.serialize.sync(),
      ]),
      { syncToFs: false },
    )
    const prepared = {
      name,
      parameterTypes: parse.parseDescribeStatementResults(messages),
      rowDescription: messages.find((m) => m.name === 'rowDescription'),
      runs: 0,
    }
    statements.set(sql, prepared)
    return prepared
  }

  async function forget(sql: string, statement: Prepared) {
    statements.delete(sql)
    await db.execProtocol(
      joined([protocol.serialize.close({ type: 'S', name: statement.name }), protocol.serialize.sync()]),
      { syncToFs: false },
    )
  }

  async function run<T extends Row>(statement: Prepared, params: readonly unknown[]) {
    statement.runs += 1
    const values = params.map((value, i) => {
      if (value === null || value === undefined) return null
      const serialize = db.serializers[statement.parameterTypes[i] as number]
      return serialize ? serialize(value) : String(value)
    })
    const { messages } = await db.execProtocol(
      joined([
        protocol.serialize.bind({ statement: statement.name, values }),
        protocol.serialize.execute({}),
        protocol.serialize.sync(),
      ]),
    )
    const described = statement.rowDescription ? [statement.rowDescription, ...messages] : messages
    const [result] = parse.parseResults(described, db.parsers) as Results<T>[]
    return queryResult<T>(result ?? { rows: [] })
  }

  return {
    /** False once the cap is reached and `sql` is new: run it the ordinary way. */
    accepts: (sql: string) => statements.has(sql) || statements.size < MAX_STATEMENTS,

    query<T extends Row>(sql: string, params: readonly unknown[]): Promise<QueryResult<T>> {
      return db.runExclusive(async () => {
        let known = statements.get(sql)
        if (known && known.runs >= RENEW_AFTER) {
          await forget(sql, known)
          known = undefined
        }
        try {
          return await run<T>(known ?? (await prepare(sql)), params)
        } catch (error) {
          // A migration changed a table under a known statement: describe it again, once.
          if (!known || (error as { code?: unknown }).code !== PLAN_CHANGED) throw error
          await forget(sql, known)
          return run<T>(await prepare(sql), params)
        }
      })
    },
  }
}
