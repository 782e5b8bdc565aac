// What one request owns on Workers: its database connections (opened on first use, closed once the
// response body and the work after it are done) and its ctx.waitUntil. The app is built once per
// isolate and reaches them through an AsyncLocalStorage, so that nothing connects at module level
// and no connection outlives its request.
import { AsyncLocalStorage } from 'node:async_hooks'
import pg from 'pg'
import type { Database, Queryable, Row } from '../db/database.ts'
import { createPostgresDatabase } from '../db/postgres.ts'
import { describeError, type Logger } from '../log.ts'

export interface WaitUntil {
  waitUntil(promise: Promise<unknown>): void
}

// Workers allow six simultaneous outgoing connections per request, sockets and fetches together:
// four for the database leave room for the model and a webhook.
const MAX_CONNECTIONS = 4
const CONNECT_TIMEOUT_MS = 5000

export interface RequestScope {
  /** This request's database; connects on first use. */
  database(): Database
  /** Runs `task` now and keeps the request alive (and the database open) until it is done. */
  afterResponse(task: () => Promise<void>): void
  /** The response to send: the database closes after its body and the work after it are done. */
  finish(response: Response): Response
  /** Closes the database once the work after the response is done. */
  close(): Promise<void>
}

export function openScope(connectionString: string, ctx: WaitUntil, logger: Logger): RequestScope {
  let database: Database | undefined
  let closing: Promise<void> | undefined
  const pending = new Set<Promise<void>>()

  const close = () => {
    closing ??= (async () => {
      // Work started while a body was still streaming (a handoff's announcement) is awaited too.
      while (pending.size > 0) await Promise.allSettled([...pending])
      await database?.close()
    })().catch((error: unknown) => logger.warn('closing the request’s database failed', describeError(error)))
    return closing
  }

  return {
    database() {
      if (!database) {
        // Hyperdrive pools the connections to Postgres; a pool per request is what the Workers model
        // allows (sockets cannot be shared between requests).
        const pool = new pg.Pool({
          connectionString,
          max: MAX_CONNECTIONS,
          connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
        })
        pool.on('error', () => undefined)
        database = createPostgresDatabase(pool)
      }
      return database
    },
    afterResponse(task) {
      const running: Promise<void> = task()
        .catch((error: unknown) => logger.warn('work after the response failed', describeError(error)))
        .finally(() => pending.delete(running))
      pending.add(running)
      ctx.waitUntil(running)
    },
    finish(response) {
      if (!response.body) {
        ctx.waitUntil(close())
        return response
      }
      // A streamed answer is still being written (and stored) after the handler returned. One branch
      // goes to the client; the other is read to its end here, even when the client goes away, so that
      // the turn finishes before the database closes.
      const [toClient, watched] = response.body.tee()
      ctx.waitUntil(drain(watched).then(close))
      return new Response(toClient, response)
    },
    close,
  }
}

async function drain(stream: ReadableStream<Uint8Array>): Promise<void> {
  const reader = stream.getReader()
  try {
    while (!(await reader.read()).done) {
      // Only the end matters.
    }
  } catch {
    // A failed stream has ended too.
  }
}

const current = new AsyncLocalStorage<RequestScope>()

/** Runs `fn` (a request or a cron run) with `scope` as the current scope. */
export const inScope = <T>(scope: RequestScope, fn: () => T): T => current.run(scope, fn)

export function currentScope(): RequestScope {
  const scope = current.getStore()
  if (!scope) throw new Error('No request scope: the database is reachable only while serving a request.')
  return scope
}

/** The app's database on Workers: every call goes to the current request's connections. */
export const scopedDatabase: Database = {
  kind: 'postgres',
  query: <T extends Row>(sql: string, params?: readonly unknown[]) =>
    currentScope().database().query<T>(sql, params),
  exec: (sql) => currentScope().database().exec(sql),
  transaction: <T>(fn: (tx: Queryable) => Promise<T>) => currentScope().database().transaction(fn),
  // Each request's scope closes its own connections.
  close: async () => undefined,
}
