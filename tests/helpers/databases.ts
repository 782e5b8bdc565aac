// The two database paths every contract test runs on: PGlite in-process, and `pg` over the wire to PGlite.
import { PGlite } from '@electric-sql/pglite'
import { vector } from '@electric-sql/pglite-pgvector'
import { PGLiteSocketServer } from '@electric-sql/pglite-socket'
import pg from 'pg'
import type { Database } from '../../src/db/database.ts'
import { wrapPglite } from '../../src/db/pglite.ts'
import { createPostgresDatabase } from '../../src/db/postgres.ts'

export interface TestDatabase {
  database: Database
  /** Makes the database unreachable (closes PGlite, or stops the wire server). */
  takeDown(): Promise<void>
  /** Makes it reachable again on the same address (the wire server only; PGlite cannot reopen). */
  bringUp?(): Promise<void>
  dispose(): Promise<void>
}

export interface DatabaseAdapter {
  name: string
  open(): Promise<TestDatabase>
}

export const pgliteAdapter: DatabaseAdapter = {
  name: 'pglite in-process',
  async open() {
    const db = await PGlite.create({ extensions: { vector } })
    const database = wrapPglite(db)
    return { database, takeDown: () => database.close(), dispose: () => database.close() }
  },
}

export const pgWireAdapter: DatabaseAdapter = {
  name: 'pg over the wire protocol',
  async open() {
    const db = await PGlite.create({ extensions: { vector } })
    let server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections: 8 })
    await server.start()
    const address = server.getServerConn()
    const pool = new pg.Pool({
      connectionString: `postgres://postgres@${address}/postgres`,
      max: 4,
      connectionTimeoutMillis: 2000,
    })
    pool.on('error', () => undefined)
    const database = createPostgresDatabase(pool)
    let serverUp = true
    const stopServer = async () => {
      if (!serverUp) return
      serverUp = false
      await server.stop()
    }
    return {
      database,
      takeDown: stopServer,
      async bringUp() {
        if (serverUp) return
        const port = Number(address.split(':').at(-1))
        server = new PGLiteSocketServer({ db, host: '127.0.0.1', port, maxConnections: 8 })
        await server.start()
        serverUp = true
      },
      async dispose() {
        await database.close()
        await stopServer()
        if (!db.closed) await db.close()
      },
    }
  },
}

export const databaseAdapters = [pgliteAdapter, pgWireAdapter]
