// Webhook SSRF, end to end: a tenant admin cannot point the webhook at internal addresses (in any
// disguise), an anonymous works-council question then cannot make the server call one (not through a
// webhook stored before these rules, DNS rebinding or a redirect either), and the insights tell
// admins how deliveries went only as totals.
import type { LookupAddress } from 'node:dns'
import { createServer, type Server } from 'node:http'
import { HttpResponse, http } from 'msw'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { createMentor } from '../../src/mentors/accounts.ts'
import { deliverDue } from '../../src/notifications/outbox.ts'
import { pgliteAdapter, type TestDatabase } from '../helpers/databases.ts'
import { mockNetwork } from '../helpers/mock-network.ts'
import { createTestApp, sendMessage } from '../helpers/test-app.ts'

const HOOK = 'https://hooks.verband.example.org/mentors'
const PUBLIC: LookupAddress = { address: '93.184.215.14', family: 4 }
const json = { 'content-type': 'application/json' }

describe('webhook rules over HTTP', () => {
  let t: TestDatabase
  let setup: Awaited<ReturnType<typeof createTestApp>>
  let admin = ''
  // What the DNS answers for the next delivery; the test plays a rebinding name server.
  let dnsAnswer: LookupAddress[] = [PUBLIC]
  let internal: Server
  let internalHits = 0
  let internalUrl = ''

  beforeAll(async () => {
    t = await pgliteAdapter.open()
    setup = await createTestApp(t.database, { resolveHost: async () => dnsAnswer })
    admin = (await createMentor(t.database, { name: 'Admin', tenant: 'verband', role: 'admin' })).token
    internal = createServer((req, res) => {
      internalHits++
      req.resume()
      res.end('{"secret":true}')
    })
    await new Promise<void>((resolve) => internal.listen(0, '127.0.0.1', resolve))
    internalUrl = `http://127.0.0.1:${(internal.address() as { port: number }).port}/latest/meta-data`
  })
  afterAll(async () => {
    await new Promise((resolve) => internal.close(resolve))
    await t.dispose()
  })
  afterEach(async () => {
    internalHits = 0
    dnsAnswer = [PUBLIC]
    await t.database.query('delete from outbox')
  })

  const patchTenant = (body: Record<string, unknown>, app = setup.app, token = admin) =>
    app.request('/v1/admin/tenants/verband', {
      method: 'PATCH',
      headers: { ...json, authorization: `Bearer ${token}` },
      body: JSON.stringify({ name: 'Verband', ...body }),
    })
  const storedWebhook = async () =>
    (
      await t.database.query<{ webhook_url: string | null }>(
        `select webhook_url from tenants where slug = 'verband'`,
      )
    ).rows[0]?.webhook_url

  /** An anonymous visitor asks a works-council question: a handoff, announced through the outbox. */
  const anonymousHandoff = async () => {
    const res = await setup.app.request('/v1/conversations', {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ tenant: 'verband' }),
    })
    const c = (await res.json()) as { id: string; token: string }
    expect(
      (await sendMessage(setup.app, c, 'Muss unser Betriebsrat der Einführung zustimmen?')).handoff,
    ).toBeDefined()
  }
  const deliver = () => deliverDue(t.database, { webhooks: setup.deps.webhooks, timeoutMs: 2000 })
  const lastError = async () =>
    (await t.database.query<{ last_error: string | null }>('select last_error from outbox')).rows.map(
      (r) => r.last_error,
    )

  it.each([
    'http://hooks.verband.example.org/mentors',
    'https://127.0.0.1/',
    'https://localhost:8787/v1/admin',
    'https://169.254.169.254/latest/meta-data/',
    'https://metadata.google.internal/computeMetadata/v1/',
    'https://2852039166/latest/meta-data/',
    'https://0xa9fea9fe/latest/meta-data/',
    'https://0251.0376.0251.0376/',
    'https://10.0.0.1/',
    'https://192.168.0.10/',
    'https://100.64.0.1/',
    'https://[::1]/',
    'https://[::ffff:169.254.169.254]/',
    'https://[fd00::1]/',
    'https://[fe80::1]/',
  ])('refuses the webhook %s with a 400 that says why, and stores nothing', async (webhookUrl) => {
    expect((await patchTenant({ webhookUrl: HOOK })).status).toBe(200)
    const res = await patchTenant({ webhookUrl })
    expect(res.status).toBe(400)
    const body = (await res.json()) as { error: { code: string; message: string } }
    expect(body.error.code).toBe('validation_failed')
    expect(body.error.message).toMatch(/^webhookUrl: must (be an https URL|name a public host|write an IPv4)/)
    expect(await storedWebhook()).toBe(HOOK)
  })

  it('keeps tenants to the operator’s allow-list', async () => {
    const { app } = await createTestApp(t.database, {
      env: { WEBHOOK_ALLOWED_HOSTS: '*.webhook.office.com' },
    })
    const refused = await patchTenant({ webhookUrl: HOOK }, app)
    expect(refused.status).toBe(400)
    expect(((await refused.json()) as { error: { message: string } }).error.message).toBe(
      'webhookUrl: must be on a host the operator allows for webhooks (*.webhook.office.com)',
    )
    // PUT applies the same rules as PATCH.
    const put = await app.request('/v1/admin/tenants/verband', {
      method: 'PUT',
      headers: { ...json, authorization: `Bearer ${admin}` },
      body: JSON.stringify({
        name: 'Verband',
        origins: [],
        privacyUrl: null,
        webhookUrl: HOOK,
        webhookFormat: 'json',
        theme: {},
      }),
    })
    expect(put.status).toBe(400)
    expect(((await put.json()) as { error: { message: string } }).error.message).toContain(
      'must be on a host the operator allows for webhooks',
    )
    const allowed = 'https://verband.webhook.office.com/webhookb2/abc'
    expect((await patchTenant({ webhookUrl: allowed }, app)).status).toBe(200)
    expect(await storedWebhook()).toBe(allowed)
  })

  it('never calls an internal webhook stored before these rules, whoever triggers it', async () => {
    await t.database.query(`update tenants set webhook_url = $1 where slug = 'verband'`, [internalUrl])
    await anonymousHandoff()
    expect(await deliver()).toEqual({ delivered: 0, failed: 1 })
    expect(await lastError()).toEqual(['url_not_allowed'])
    expect(internalHits).toBe(0)
  })

  it('refuses a webhook whose name resolves to an internal address by the time it is called', async () => {
    const seen: string[] = []
    mockNetwork.use(
      http.post(HOOK, () => {
        seen.push('public')
        return new HttpResponse(null, { status: 204 })
      }),
    )
    // Public when the admin sets it (and on the first delivery), loopback afterwards.
    expect((await patchTenant({ webhookUrl: HOOK })).status).toBe(200)
    await anonymousHandoff()
    expect(await deliver()).toEqual({ delivered: 1, failed: 0 })
    dnsAnswer = [{ address: '127.0.0.1', family: 4 }]
    await anonymousHandoff()
    expect(await deliver()).toEqual({ delivered: 0, failed: 1 })
    expect(await lastError()).toContain('address_not_allowed')
    expect(seen).toEqual(['public'])
    expect(internalHits).toBe(0)
  })

  it('does not follow a redirect: a 307 is a failed delivery, and nothing reaches where it points', async () => {
    mockNetwork.use(
      http.post(HOOK, () => new HttpResponse(null, { status: 307, headers: { location: internalUrl } })),
    )
    expect((await patchTenant({ webhookUrl: HOOK })).status).toBe(200)
    await anonymousHandoff()
    expect(await deliver()).toEqual({ delivered: 0, failed: 1 })
    expect(await lastError()).toEqual(['http_307'])
    expect(internalHits).toBe(0)
  })

  it('shows admins how deliveries went as totals of the period, the same for every kind of failure', async () => {
    const notifications = async () => {
      const res = await setup.app.request('/v1/insights?days=1', {
        headers: { authorization: `Bearer ${admin}` },
      })
      const body = (await res.json()) as Record<string, unknown>
      expect(body).not.toHaveProperty('pendingNotifications')
      return body.notifications
    }
    // A receiver that is down and an address the rules refuse look alike.
    mockNetwork.use(http.post(HOOK, () => new HttpResponse(null, { status: 500 })))
    expect((await patchTenant({ webhookUrl: HOOK })).status).toBe(200)
    await anonymousHandoff()
    await deliver()
    const down = await notifications()
    await t.database.query('delete from outbox')
    dnsAnswer = [{ address: '10.0.0.1', family: 4 }]
    await anonymousHandoff()
    await deliver()
    expect(await notifications()).toEqual(down)
    expect(down).toEqual({ delivered: 0, undelivered: 1 })
  })
})
