// The HTTP surface every route shares: health, readiness, errors as JSON, request ids, limits.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { databaseAdapters, pgliteAdapter, type TestDatabase } from '../helpers/databases.ts'
import { createTestApp } from '../helpers/test-app.ts'

describe.each(databaseAdapters)('HTTP basics: $name', (adapter) => {
  let t: TestDatabase
  beforeEach(async () => {
    t = await adapter.open()
  })
  afterEach(async () => {
    await t.dispose()
  })

  it('answers /healthz and /readyz with a request id and secure headers', async () => {
    const { app } = await createTestApp(t.database)
    const health = await app.request('/healthz')
    expect(health.status).toBe(200)
    expect(await health.json()).toEqual({ status: 'ok' })
    expect(health.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/)
    expect(health.headers.get('x-content-type-options')).toBe('nosniff')
    const ready = await app.request('/readyz')
    expect(ready.status).toBe(200)
    expect(await ready.json()).toEqual({ status: 'ready' })
  })

  it('is not ready while migrations are pending', async () => {
    const { app } = await createTestApp(t.database, { migrated: false })
    const ready = await app.request('/readyz')
    expect(ready.status).toBe(503)
    const body = (await ready.json()) as { status: string; pendingMigrations: string[] }
    expect(body.status).toBe('not_ready')
    expect(body.pendingMigrations).toContain('001_initial')
  })

  it('is not ready when the database is down, and says why without internals', async () => {
    const { app } = await createTestApp(t.database)
    await t.takeDown()
    const ready = await app.request('/readyz')
    expect(ready.status).toBe(503)
    expect(await ready.json()).toEqual({ status: 'not_ready', reason: 'The database does not answer.' })
    expect((await app.request('/healthz')).status).toBe(200)
  })
})

describe('HTTP errors', () => {
  let t: TestDatabase
  beforeEach(async () => {
    t = await pgliteAdapter.open()
  })
  afterEach(async () => {
    await t.dispose()
  })

  it('answers unknown routes with a JSON 404', async () => {
    const { app } = await createTestApp(t.database)
    const res = await app.request('/no/such/route')
    expect(res.status).toBe(404)
    expect(res.headers.get('content-type')).toContain('application/json')
    expect(await res.json()).toEqual({
      error: { code: 'not_found', message: 'No route for GET /no/such/route.' },
    })
  })

  it('refuses a body over the limit with a JSON 413', async () => {
    const { app } = await createTestApp(t.database, { env: { BODY_LIMIT_BYTES: '2048' } })
    const res = await app.request('/v1/search', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: 'x'.repeat(4096) }),
    })
    expect(res.status).toBe(413)
    expect(await res.json()).toEqual({
      error: { code: 'payload_too_large', message: 'The request body is too large.' },
    })
  })

  it('serves the OpenAPI document', async () => {
    const { app } = await createTestApp(t.database)
    const res = await app.request('/openapi.json')
    expect(res.status).toBe(200)
    const doc = (await res.json()) as { openapi: string; paths: Record<string, unknown> }
    expect(doc.openapi).toBe('3.1.0')
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/healthz',
        '/readyz',
        '/v1/search',
        '/v1/conversations',
        '/v1/conversations/{id}/messages',
      ]),
    )
  })
})
