// A request's database on Workers, run here on Node against PGlite over the wire: reached through the
// current scope only, and closed only after the response body has ended (even when the client has
// gone) and the work after the response is done.
import { PGlite } from '@electric-sql/pglite'
import { vector } from '@electric-sql/pglite-pgvector'
import { PGLiteSocketServer } from '@electric-sql/pglite-socket'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createLogger } from '../../src/log.ts'
import { inScope, openScope, scopedDatabase } from '../../src/server/worker-scope.ts'

describe('request scope on Workers', () => {
  let pglite: PGlite
  let wire: PGLiteSocketServer
  let url: string

  beforeAll(async () => {
    pglite = await PGlite.create({ extensions: { vector } })
    wire = new PGLiteSocketServer({ db: pglite, host: '127.0.0.1', port: 0, maxConnections: 8 })
    await wire.start()
    url = `postgres://postgres@${wire.getServerConn()}/postgres`
  })
  afterAll(async () => {
    await wire.stop()
    await pglite.close()
  })

  /** A stand-in for the Workers ExecutionContext: collects what must finish after the response. */
  const context = () => {
    const waited: Promise<unknown>[] = []
    return {
      waitUntil: (promise: Promise<unknown>) => void waited.push(promise),
      settled: () => Promise.all(waited),
    }
  }
  const one = () => scopedDatabase.query<{ n: number }>('select 1 as n')

  it('refuses outside a request instead of reaching for another request’s connections', async () => {
    expect(() => one()).toThrow('No request scope')
  })

  it('keeps the database open while a streamed body is written, even after the client went away', async () => {
    const ctx = context()
    const scope = openScope(url, ctx, createLogger('silent'))
    let write!: ReadableStreamDefaultController<Uint8Array>
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        write = controller
      },
    })
    const response = inScope(scope, () => scope.finish(new Response(body)))

    write.enqueue(new TextEncoder().encode('event: route\n\n'))
    // A cancelled branch of a tee settles only when the source ends, so it is not awaited here.
    const gone = response.body?.cancel()
    // The turn goes on writing and storing after the client has gone.
    expect((await inScope(scope, one)).rows).toEqual([{ n: 1 }])
    let workDone = false
    inScope(scope, () =>
      scope.afterResponse(async () => {
        await new Promise((r) => setTimeout(r, 50))
        await one()
        workDone = true
      }),
    )
    write.close()
    await gone
    await ctx.settled()
    expect(workDone).toBe(true)
    // Closed now: the request's pool takes no more queries.
    await expect(inScope(scope, one)).rejects.toThrow(/after calling end/)
  })

  it('closes after a plain response', async () => {
    const ctx = context()
    const scope = openScope(url, ctx, createLogger('silent'))
    expect((await inScope(scope, one)).rows).toEqual([{ n: 1 }])
    const response = scope.finish(Response.json({ status: 'ok' }))
    expect(await response.json()).toEqual({ status: 'ok' })
    await ctx.settled()
    await expect(inScope(scope, one)).rejects.toThrow(/after calling end/)
  })
})
