// Tenants as data and CORS by their allowed origins: an allowed site may use the chat API from the
// browser, any other foreign site gets 403 with a readable error.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createMentor } from '../../src/mentors/accounts.ts'
import { pgliteAdapter, type TestDatabase } from '../helpers/databases.ts'
import { createTestApp } from '../helpers/test-app.ts'

type App = Awaited<ReturnType<typeof createTestApp>>['app']
const SITE = 'https://www.verband-suedwest.de'

describe('tenants and CORS', () => {
  let t: TestDatabase
  let app: App
  let admin: string
  let otherAdmin: string
  beforeAll(async () => {
    t = await pgliteAdapter.open()
    app = (await createTestApp(t.database)).app
    admin = (await createMentor(t.database, { name: 'Admin Süd', tenant: 'suedwest', role: 'admin' })).token
    otherAdmin = (await createMentor(t.database, { name: 'Admin Nord', tenant: 'nord', role: 'admin' })).token
  })
  afterAll(async () => {
    await t.dispose()
  })

  const put = (slug: string, token: string, body: unknown) =>
    app.request(`/v1/admin/tenants/${slug}`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    })

  it('lets an admin set their own tenant, validated, and nobody else', async () => {
    const bad = await put('suedwest', admin, { name: 'Verband Südwest', origins: ['https://x.de/path'] })
    expect(bad.status).toBe(400)
    expect(await bad.json()).toMatchObject({
      error: { code: 'validation_failed', message: expect.stringMatching(/origin/) },
    })
    const settings = {
      name: 'Verband Südwest',
      origins: [`${SITE}/`],
      privacyUrl: `${SITE}/datenschutz`,
      webhookUrl: null,
      webhookFormat: 'json',
      theme: { color: '#0b4f8a', position: 'left' },
    }
    expect((await put('suedwest', otherAdmin, { ...settings, name: 'Übernahme' })).status).toBe(403)
    const ok = await put('suedwest', admin, settings)
    expect(ok.status).toBe(200)
    expect(await ok.json()).toMatchObject({ slug: 'suedwest', origins: [SITE], webhookFormat: 'json' })
  })

  it('keeps the settings a request does not name: PUT refuses to leave one out, PATCH changes only those given', async () => {
    const patch = (slug: string, token: string, body: unknown) =>
      app.request(`/v1/admin/tenants/${slug}`, {
        method: 'PATCH',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      })
    const stored = async () =>
      (
        await t.database.query<{ name: string; allowed_origins: string[]; privacy_url: string | null }>(
          `select name, allowed_origins, privacy_url from tenants where slug = 'suedwest'`,
        )
      ).rows[0]
    const before = await stored()
    expect(before?.allowed_origins).toEqual([SITE])

    // A PUT with only the name once stored no origins at all: the association's widget stopped working.
    const onlyName = await put('suedwest', admin, { name: 'Verband Südwest e. V.' })
    expect(onlyName.status).toBe(400)
    expect(await onlyName.json()).toEqual({
      error: {
        code: 'validation_failed',
        message: expect.stringMatching(/^origins: required: PUT replaces the whole resource.*PATCH/),
      },
    })
    expect(await stored()).toEqual(before)

    const renamed = await patch('suedwest', admin, { name: 'Verband Südwest e. V.' })
    expect(renamed.status).toBe(200)
    expect(await renamed.json()).toMatchObject({
      slug: 'suedwest',
      name: 'Verband Südwest e. V.',
      origins: [SITE],
      privacyUrl: `${SITE}/datenschutz`,
      theme: { color: '#0b4f8a', position: 'left' },
    })
    expect(await stored()).toEqual({ ...before, name: 'Verband Südwest e. V.' })
    // A field set to null is cleared; nothing named is a 400; another tenant's admin is refused.
    expect((await patch('suedwest', admin, { privacyUrl: null })).status).toBe(200)
    expect((await stored())?.privacy_url).toBeNull()
    expect((await patch('suedwest', admin, {})).status).toBe(400)
    expect((await patch('suedwest', admin, { origins: ['https://x.de/pfad'] })).status).toBe(400)
    expect((await patch('suedwest', otherAdmin, { name: 'Übernahme' })).status).toBe(403)
    expect((await stored())?.allowed_origins).toEqual([SITE])
    const { rows } = await t.database.query<{ details: Record<string, unknown> }>(
      `select details from audit_log where action = 'tenant.set' and target_id = 'suedwest' order by id`,
    )
    expect(rows.map((r) => r.details)).toEqual([{}, { fields: 'name' }, { fields: 'privacyUrl' }])
    await patch('suedwest', admin, { privacyUrl: `${SITE}/datenschutz` })
  })

  it('answers preflights and requests of an allowed origin, for its own tenant only', async () => {
    const preflight = await app.request('/v1/conversations', {
      method: 'OPTIONS',
      headers: { origin: SITE, 'access-control-request-method': 'POST' },
    })
    expect(preflight.status).toBe(204)
    expect(preflight.headers.get('access-control-allow-origin')).toBe(SITE)
    expect(preflight.headers.get('access-control-allow-headers')).toContain('authorization')

    const created = await app.request('/v1/conversations', {
      method: 'POST',
      headers: { origin: SITE, 'content-type': 'application/json' },
      body: JSON.stringify({ tenant: 'suedwest', channel: 'widget' }),
    })
    expect(created.status).toBe(201)
    expect(created.headers.get('access-control-allow-origin')).toBe(SITE)

    // The same site may not open conversations of a tenant that does not list it.
    const foreignTenant = await app.request('/v1/conversations', {
      method: 'POST',
      headers: { origin: SITE, 'content-type': 'application/json' },
      body: JSON.stringify({ tenant: 'default' }),
    })
    expect(foreignTenant.status).toBe(403)
  })

  it('refuses any other foreign origin with a readable 403, and leaves same-origin calls alone', async () => {
    // The preflight passes, so that the browser lets the page read the refusal of the request itself.
    const preflight = await app.request('/v1/conversations', {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
    })
    expect(preflight.status).toBe(204)
    const res = await app.request('/v1/conversations', {
      method: 'POST',
      headers: { origin: 'https://evil.example', 'content-type': 'application/json' },
      body: '{}',
    })
    expect(res.status).toBe(403)
    expect(res.headers.get('access-control-allow-origin')).toBe('https://evil.example')
    expect(await res.json()).toMatchObject({
      error: { code: 'forbidden', message: expect.stringContaining('https://evil.example') },
    })
    const same = await app.request('http://localhost/v1/conversations', {
      method: 'POST',
      headers: { origin: 'http://localhost', 'content-type': 'application/json' },
      body: '{}',
    })
    expect(same.status).toBe(201)
    expect(same.headers.get('access-control-allow-origin')).toBeNull()
  })
})
