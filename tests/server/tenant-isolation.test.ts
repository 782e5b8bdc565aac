// Tenant isolation, walked from the OpenAPI document: every operation is called without credentials,
// with a wrong token and with another tenant's valid credentials (a mentor of tenant B on tenant A's
// ticket, the token of conversation B on conversation A). A new route is covered without being listed
// here; one this walk cannot call (an unknown path parameter, a body without an example) fails it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createMentor } from '../../src/mentors/accounts.ts'
import { createLocalEmbedder } from '../../src/retrieval/embedders/local-embedder.ts'
import { ingestCorpus } from '../../src/retrieval/ingest.ts'
import { EXAMPLE_BODIES } from '../../src/server/openapi/request-examples.ts'
import { setTenant, TenantSettings } from '../../src/tenants/tenants.ts'
import { pgliteAdapter, type TestDatabase } from '../helpers/databases.ts'
import { createTestApp, sendMessage } from '../helpers/test-app.ts'

type App = Awaited<ReturnType<typeof createTestApp>>['app']
type Operation = {
  security?: Array<Record<string, unknown>>
  parameters?: Array<{ name: string; in: string }>
  requestBody?: { required?: boolean }
}
type Scheme = 'conversationToken' | 'mentorToken' | 'public'

// Operations anyone may call: they hold no tenant's private data.
const PUBLIC = new Set([
  'GET /healthz',
  'GET /readyz',
  'POST /v1/search',
  'POST /v1/conversations',
  'GET /v1/widget/config',
  // The one-time setup link's token is the credential; it creates the first admin, in no tenant's data.
  'POST /v1/setup',
])
// Routes outside the API document: pages and assets, and the Teams endpoint (Bot Framework tokens,
// tested in tests/channels).
const NOT_IN_DOCUMENT = new Set([
  'GET /',
  'GET /demo.css',
  'GET /favicon.svg',
  'GET /favicon.ico',
  'GET /wissen/{id}',
  'GET /wissen.css',
  'GET /widget.js',
  'GET /docs',
  'GET /docs/docs.js',
  'GET /docs/docs.css',
  'GET /docs/swagger-ui-bundle.js',
  'GET /docs/swagger-ui.css',
  'GET /openapi.json',
  'GET /mentor',
  'GET /mentor/setup',
  'GET /mentor/console.js',
  'GET /mentor/console.css',
  'GET /mentor/icon.svg',
  'POST /api/messages',
])
const MARKER = 'Zaunkönig'

describe('tenant isolation on every route of the OpenAPI document', () => {
  let t: TestDatabase
  let app: App
  const a = { conversation: '', token: '', message: '', handoff: '', mentor: '', account: '' }
  const b = { token: '', mentor: '' }

  beforeAll(async () => {
    t = await pgliteAdapter.open()
    app = (await createTestApp(t.database)).app
    await ingestCorpus({ database: t.database, embedder: createLocalEmbedder(), corpusDir: 'corpus' })
    a.mentor = (await createMentor(t.database, { name: 'Anna A', tenant: 'verband-a', role: 'admin' })).token
    a.account = (
      await createMentor(t.database, { name: 'Arne A', tenant: 'verband-a', role: 'mentor' })
    ).mentor.id
    b.mentor = (await createMentor(t.database, { name: 'Bernd B', tenant: 'verband-b', role: 'admin' })).token
    await setTenant(t.database, 'verband-a', TenantSettings.parse({ name: 'Verband A' }))
    const start = async (tenant: string) =>
      (await (
        await app.request('/v1/conversations', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ tenant }),
        })
      ).json()) as { id: string; token: string }
    const say = (c: { id: string; token: string }, text: string) => sendMessage(app, c, text)
    const ca = await start('verband-a')
    a.conversation = ca.id
    a.token = ca.token
    a.message = (await say(ca, 'Wie finde ich heraus, wo KI in meinem Betrieb sinnvoll ist?')).id
    await say(ca, `Welche Förderquote gilt für ${MARKER}-Pilotanlagen in Mecklenburg?`)
    a.handoff =
      (await say(ca, `Muss unser Betriebsrat der Einführung zustimmen? ${MARKER}`)).handoff?.id ?? ''
    b.token = (await start('verband-b')).token
    expect(a.handoff).not.toBe('')
  })
  afterAll(async () => {
    await t.dispose()
  })

  /** Everything tenant A holds, as it stands: compared before and after the walk. */
  const snapshotOfA = async () =>
    (
      await t.database.query(
        `select
           (select count(*)::int from messages where conversation_id = $1) as messages,
           (select erased_at from conversations where id = $1) as erased,
           (select row_to_json(h) from (select status, claimed_by, contact_email from handoffs where id = $2) h) as handoff,
           (select count(*)::int from feedback where message_id = $3) as feedback,
           (select count(*)::int from mentors where tenant_slug = 'verband-a') as mentors,
           (select string_agg(concat(id, token_hash, token_expires_at, disabled_at, removed_at), ',' order by id)
              from mentors where tenant_slug = 'verband-a') as accounts,
           (select row_to_json(x) from (select name, allowed_origins from tenants where slug = 'verband-a') x) as tenant`,
        [a.conversation, a.handoff, a.message],
      )
    ).rows[0]

  function target(path: string, scheme: Scheme, op: Operation): string {
    return path.replace(/\{(\w+)\}/g, (_, name: string) => {
      if (name === 'handoffId') return a.handoff
      if (name === 'mentorId') return a.account
      if (name === 'slug') return 'verband-a'
      if (name === 'id' && scheme === 'mentorToken') return a.handoff
      if (name === 'id' && path.startsWith('/v1/messages/')) return a.message
      if (name === 'id' && scheme === 'conversationToken') return a.conversation
      throw new Error(
        `${path}: no fixture for the path parameter {${name}} (${JSON.stringify(op.parameters)})`,
      )
    })
  }

  it('refuses every operation without credentials, with a wrong token and with another tenant’s', async () => {
    const doc = (await (await app.request('/openapi.json')).json()) as {
      paths: Record<string, Record<string, Operation>>
    }
    const before = await snapshotOfA()
    const walked: string[] = []
    for (const [path, methods] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(methods)) {
        const key = `${method.toUpperCase()} ${path}`
        const scheme = (Object.keys(op.security?.[0] ?? {})[0] ?? 'public') as Scheme
        if (scheme === 'public') {
          expect(PUBLIC.has(key), `${key} has no security scheme but is not known as public`).toBe(true)
          continue
        }
        const body = EXAMPLE_BODIES[key]
        if (op.requestBody?.required && body === undefined)
          throw new Error(`${key}: add a valid body to EXAMPLE_BODIES`)
        const url = target(path, scheme, op)
        const send = (token: string | undefined) =>
          app.request(url, {
            method: method.toUpperCase(),
            headers: {
              'content-type': 'application/json',
              ...(token ? { authorization: `Bearer ${token}` } : {}),
            },
            ...(body === undefined ? {} : { body: JSON.stringify(body) }),
          })
        const other = scheme === 'mentorToken' ? b.mentor : b.token
        for (const [who, token] of [
          ['no credentials', undefined],
          ['a wrong token', 'x'.repeat(43)],
          ['another tenant’s credentials', other],
        ] as const) {
          const res = await send(token)
          const text = await res.text()
          // Renewing one's own token replaces it: tenant B's mentor goes on with the new one.
          if (key === 'POST /v1/me/token' && token === b.mentor && res.status === 200)
            b.mentor = (JSON.parse(text) as { token: string }).token
          const label = `${key} with ${who}: ${res.status} ${text.slice(0, 200)}`
          const hasPathParam = path.includes('{')
          if (who === 'no credentials') expect(res.status, label).toBe(401)
          else if (who === 'a wrong token' || hasPathParam)
            expect([401, 403, 404], label).toContain(res.status)
          else expect(res.status, label).toBeLessThan(300)
          if (res.status >= 400)
            expect(JSON.parse(text), label).toEqual({
              error: { code: expect.any(String), message: expect.any(String) },
            })
          // A success for another tenant shows nothing of tenant A.
          for (const secret of [
            a.conversation,
            a.handoff,
            a.message,
            a.account,
            'Arne A',
            MARKER,
            'Verband A',
          ])
            expect(text, label).not.toContain(secret)
        }
        walked.push(key)
      }
    }
    expect(await snapshotOfA()).toEqual(before)
    // The walk reached the routes that matter most (a renamed route fails here, not silently).
    expect(walked).toEqual(
      expect.arrayContaining([
        'GET /v1/conversations/{id}',
        'GET /v1/conversations/{id}/export',
        'DELETE /v1/conversations/{id}',
        'POST /v1/handoffs/{id}/reply',
        'PUT /v1/admin/tenants/{slug}',
        'GET /v1/admin/mentors',
        'POST /v1/admin/mentors/{mentorId}/disable',
        'POST /v1/admin/mentors/{mentorId}/rotate',
        'DELETE /v1/admin/mentors/{mentorId}',
        'GET /v1/me',
        'POST /v1/me/token',
        'PATCH /v1/admin/tenants/{slug}',
        'GET /v1/handoffs',
      ]),
    )

    // Every route the app serves is either in the document (and walked above) or known to be outside it.
    const documented = new Set(
      Object.entries(doc.paths).flatMap(([path, methods]) =>
        Object.keys(methods).map((m) => `${m.toUpperCase()} ${path}`),
      ),
    )
    const served = app.routes
      .filter((r) => r.method !== 'ALL')
      .map((r) => `${r.method} ${r.path.replace(/:(\w+)/g, '{$1}')}`)
    for (const route of new Set(served))
      expect(
        documented.has(route) || NOT_IN_DOCUMENT.has(route),
        `${route} is neither documented nor known`,
      ).toBe(true)
  })
})
