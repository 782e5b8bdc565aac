// The database paths every contract test runs on: PGlite in-process, `pg` over the wire to PGlite, and,
// when TEST_DATABASE_URL names a template database on a real PostgreSQL with pgvector, that server.
import { randomUUID } from 'node:crypto'
import { createServer, type Server, type Socket, connect as tcpConnect } from 'node:net'
import { PGlite } from '@electric-sql/pglite'
import { vector } from '@electric-sql/pglite-pgvector'
import { PGLiteSocketServer } from '@electric-sql/pglite-socket'
import pg from 'pg'
import type { Database } from '../../src/db/database.ts'
import { createPgliteDatabase } from '../../src/db/pglite.ts'
import { createPostgresDatabase } from '../../src/db/postgres.ts'

export interface TestDatabase {
  database: Database
  /** Makes the database unreachable (closes PGlite, or stops the wire server). */
  takeDown(): Promise<void>
  /** Makes it reachable again on the same address (the wire server only; PGlite cannot reopen). */
  bringUp?(): Promise<void>
  dispose(): Promise<void>
  /** A connection string for further clients of the same database (not for PGlite in-process). */
  url?: string
}

export interface DatabaseAdapter {
  name: string
  open(): Promise<TestDatabase>
}

export const pgliteAdapter: DatabaseAdapter = {
  name: 'pglite in-process',
  async open() {
    // In memory, set up as the app opens its embedded database.
    const database = await createPgliteDatabase()
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
    const url = `postgres://postgres@${address}/postgres`
    const pool = new pg.Pool({
      connectionString: url,
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
      url,
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

/**
 * A real PostgreSQL: TEST_DATABASE_URL points at a template database that already has the `vector`
 * extension (created once by a superuser, as an administrator would). Each open() clones it into a
 * fresh database (the role needs CREATEDB), reached through a local TCP relay so that takeDown and
 * bringUp can make the server unreachable and reachable again as the wire adapter does.
 */
export function postgresAdapter(templateUrl: string): DatabaseAdapter {
  const template = new URL(templateUrl)
  const templateName = decodeURIComponent(template.pathname.slice(1))
  const adminUrl = new URL(templateUrl)
  adminUrl.pathname = '/postgres'
  const admin = async <T>(fn: (client: pg.Client) => Promise<T>): Promise<T> => {
    const client = new pg.Client({ connectionString: adminUrl.toString() })
    await client.connect()
    try {
      return await fn(client)
    } finally {
      await client.end()
    }
  }
  return {
    name: 'postgresql server',
    async open() {
      const name = `test_${randomUUID().replaceAll('-', '')}`
      await admin((c) => c.query(`create database ${name} template ${pg.escapeIdentifier(templateName)}`))
      const relay = await startRelay(template.hostname, Number(template.port || 5432))
      const url = new URL(templateUrl)
      url.host = relay.address
      url.pathname = `/${name}`
      const pool = new pg.Pool({ connectionString: url.toString(), max: 4, connectionTimeoutMillis: 2000 })
      pool.on('error', () => undefined)
      const database = createPostgresDatabase(pool)
      return {
        database,
        url: url.toString(),
        takeDown: () => relay.stop(),
        bringUp: () => relay.start(),
        async dispose() {
          await database.close()
          await relay.stop()
          await admin((c) => dropTestDatabase(c, name))
        },
      }
    },
  }
}

/**
 * Drops a test database, ending its sessions. PostgreSQL 15 counts an autovacuum worker in it as a
 * backend of a role the test role may not end and refuses with 42501; the worker is done within
 * moments, so the drop is tried again.
 */
export async function dropTestDatabase(client: pg.Client, name: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await client.query(`drop database if exists ${pg.escapeIdentifier(name)} with (force)`)
      return
    } catch (error) {
      if ((error as { code?: string }).code !== '42501' || attempt === 20) throw error
      await new Promise((resolve) => setTimeout(resolve, 250))
    }
  }
}

/** A TCP relay on 127.0.0.1 to the server: stop() refuses new connections and cuts the open ones. */
async function startRelay(host: string, port: number) {
  const sockets = new Set<Socket>()
  let server: Server | undefined
  let localPort = 0
  const start = async () => {
    if (server) return
    const s = createServer((client) => {
      const upstream = tcpConnect(port, host)
      for (const socket of [client, upstream]) {
        sockets.add(socket)
        socket.on('close', () => sockets.delete(socket))
        socket.on('error', () => {
          client.destroy()
          upstream.destroy()
        })
      }
      client.pipe(upstream)
      upstream.pipe(client)
    })
    await new Promise<void>((resolve, reject) => {
      s.once('error', reject)
      s.listen(localPort, '127.0.0.1', () => resolve())
    })
    const address = s.address()
    if (address && typeof address === 'object') localPort = address.port
    server = s
  }
  const stop = async () => {
    const s = server
    if (!s) return
    server = undefined
    for (const socket of sockets) socket.destroy()
    sockets.clear()
    await new Promise<void>((resolve) => s.close(() => resolve()))
  }
  await start()
  return {
    get address() {
      return `127.0.0.1:${localPort}`
    },
    start,
    stop,
  }
}

const testDatabaseUrl = process.env.TEST_DATABASE_URL

export const databaseAdapters: DatabaseAdapter[] = [
  pgliteAdapter,
  pgWireAdapter,
  ...(testDatabaseUrl ? [postgresAdapter(testDatabaseUrl)] : []),
]
