// The human-mentor loop over HTTP on both database paths: a handoff is announced through the outbox,
// a mentor of the tenant claims it, drafts, replies, and the user's transcript shows the reply.
// Tenant isolation, double claims, tokens and the audit trail are checked on the way.
import { HttpResponse, http } from 'msw'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createMentor } from '../../src/mentors/accounts.ts'
import { deliverDue } from '../../src/notifications/outbox.ts'
import { createLocalEmbedder } from '../../src/retrieval/embedders/local-embedder.ts'
import { ingestCorpus } from '../../src/retrieval/ingest.ts'
import { databaseAdapters, type TestDatabase } from '../helpers/databases.ts'
import { mockNetwork } from '../helpers/mock-network.ts'
import { createTestApp, testWebhooks } from '../helpers/test-app.ts'

type App = Awaited<ReturnType<typeof createTestApp>>['app']
const WEBHOOK = 'https://hooks.example.org/mentors'

describe.each(databaseAdapters)('mentor API: $name', (adapter) => {
  let t: TestDatabase
  let app: App
  const tokens: Record<string, string> = {}

  beforeAll(async () => {
    t = await adapter.open()
    app = (await createTestApp(t.database, { env: { HANDOFF_WEBHOOK_URL: WEBHOOK } })).app
    await ingestCorpus({ database: t.database, embedder: createLocalEmbedder(), corpusDir: 'corpus' })
    for (const [key, name, tenant, role] of [
      ['anna', 'Anna Berg', 'default', 'mentor'],
      ['ben', 'Ben Kurz', 'default', 'mentor'],
      ['admin', 'Carla Admin', 'default', 'admin'],
      ['other', 'Dora Anders', 'nordmetall', 'mentor'],
    ] as const) {
      tokens[key] = (await createMentor(t.database, { name, tenant, role })).token
    }
  })
  afterAll(async () => {
    await t.dispose()
  })

  const call = (path: string, token: string | undefined, init: { method?: string; body?: unknown } = {}) =>
    app.request(path, {
      method: init.method ?? 'GET',
      headers: {
        'content-type': 'application/json',
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
    })

  /** A user asks a works-council question; returns the conversation and the handoff id. */
  async function userHandoff(text = 'Muss unser Betriebsrat der Einführung von KI zustimmen?') {
    const created = await call('/v1/conversations', undefined, { method: 'POST', body: { locale: 'de' } })
    const conversation = (await created.json()) as { id: string; token: string }
    const res = await call(`/v1/conversations/${conversation.id}/messages`, conversation.token, {
      method: 'POST',
      body: { text },
    })
    const { message } = (await res.json()) as { message: { handoff: { id: string } } }
    return { conversation, handoffId: message.handoff.id }
  }

  it('runs the whole loop: queue, claim, draft, reply, the user sees it, close', async () => {
    const { conversation, handoffId } = await userHandoff()

    const queue = await call('/v1/handoffs?status=open', tokens.anna)
    expect(queue.status).toBe(200)
    const { handoffs } = (await queue.json()) as {
      handoffs: Array<{ id: string; reason: string; question: string }>
    }
    expect(handoffs.find((h) => h.id === handoffId)).toMatchObject({
      reason: 'works_council',
      question: 'Muss unser Betriebsrat der Einführung von KI zustimmen?',
    })

    const ticket = await call(`/v1/handoffs/${handoffId}`, tokens.anna)
    const detail = (await ticket.json()) as {
      transcript: Array<{ author: string; text: string }>
      status: string
      routerReason: string
      routerReasons: { de: string; en: string }
    }
    expect(detail.status).toBe('open')
    // The router's reason in each language, for the console's language.
    expect(detail.routerReason).toBe(`${detail.routerReasons.de}\n${detail.routerReasons.en}`)
    expect(detail.routerReasons.de).toMatch(/Betriebsrat/)
    expect(detail.routerReasons.en).toMatch(/works-council/i)
    expect(detail.transcript.map((e) => e.author)).toEqual(['system', 'assistant', 'user'])

    const claimed = await call(`/v1/handoffs/${handoffId}/claim`, tokens.anna, { method: 'POST' })
    expect(claimed.status).toBe(200)
    expect(await claimed.json()).toMatchObject({ status: 'claimed', claimedBy: 'Anna Berg' })

    // A works-council question may be drafted here: a human decides what is sent.
    const draft = await call(`/v1/handoffs/${handoffId}/draft`, tokens.anna, { method: 'POST' })
    expect(draft.status).toBe(200)
    const drafted = (await draft.json()) as {
      text: string
      mode: string
      citations: Array<{ documentId: string }>
    }
    expect(drafted.mode).toBe('extractive')
    expect(drafted.citations.length).toBeGreaterThan(0)
    expect(drafted.text).toMatch(/\[1\]/)
    // A letter from the mentor who drafts it: greeting first, their name last.
    expect(drafted.text.split('\n')[0]).toBe('Guten Tag,')
    expect(drafted.text.split('\n').at(-1)).toBe('Anna Berg')

    const text = `${drafted.text}\n\nIm Einzelfall hilft Ihnen Ihr Verband gern weiter. – Anna Berg`
    const sent = await call(`/v1/handoffs/${handoffId}/reply`, tokens.anna, {
      method: 'POST',
      body: { text, citations: drafted.citations, suggestForCorpus: true },
    })
    expect(sent.status).toBe(201)
    expect(await sent.json()).toMatchObject({ handoff: { status: 'answered' } })

    const transcript = await call(`/v1/conversations/${conversation.id}`, conversation.token)
    const { messages, handoffs: userHandoffs } = (await transcript.json()) as {
      messages: Array<{ author: string; text: string; mode: string }>
      handoffs: Array<{ id: string; status: string }>
    }
    expect(messages.at(-1)).toMatchObject({ author: 'mentor', mode: 'human', text })
    expect(userHandoffs).toEqual([expect.objectContaining({ id: handoffId, status: 'answered' })])

    const suggestions = await call('/v1/suggestions', tokens.admin)
    expect(((await suggestions.json()) as { suggestions: unknown[] }).suggestions).toEqual([
      expect.objectContaining({
        question: 'Muss unser Betriebsrat der Einführung von KI zustimmen?',
        reply: text,
      }),
    ])

    const closed = await call(`/v1/handoffs/${handoffId}/close`, tokens.anna, { method: 'POST' })
    expect(await closed.json()).toMatchObject({ status: 'closed' })
    const again = await call(`/v1/handoffs/${handoffId}/close`, tokens.anna, { method: 'POST' })
    expect(again.status).toBe(409)
  })

  it('takes the sources of a reply from the corpus: forged titles and addresses are replaced, made-up sources refused', async () => {
    const { conversation, handoffId } = await userHandoff()
    await call(`/v1/handoffs/${handoffId}/claim`, tokens.anna, { method: 'POST' })
    const drafted = (await (
      await call(`/v1/handoffs/${handoffId}/draft`, tokens.anna, { method: 'POST' })
    ).json()) as {
      citations: Array<{ n: number; documentId: string; title: string; heading: string; url?: string }>
    }
    const source = drafted.citations[0]
    expect(source).toBeDefined()
    const reply = (citations: unknown[]) =>
      call(`/v1/handoffs/${handoffId}/reply`, tokens.anna, {
        method: 'POST',
        body: { text: 'Guten Tag, dazu [1]. – Anna Berg', citations },
      })
    const mentorMessages = async () =>
      (
        await t.database.query(`select 1 from messages where conversation_id = $1 and author = 'mentor'`, [
          conversation.id,
        ])
      ).rows.length

    for (const [citations, message] of [
      [
        [
          {
            n: 1,
            documentId: 'bmas-amtliche-auskunft',
            title: 'Amtliche Auskunft des BMAS',
            heading: 'Verbindlich',
          },
        ],
        'citations[0].documentId: "bmas-amtliche-auskunft" is not a document of the knowledge base.',
      ],
      [
        [{ n: 1, documentId: source?.documentId, heading: `${source?.title} › Erfundener Abschnitt` }],
        `citations[0].heading: "${source?.title}" has no section of that name.`,
      ],
    ] as const) {
      const refused = await reply([...citations])
      expect(refused.status).toBe(400)
      expect(await refused.json()).toEqual({ error: { code: 'validation_failed', message } })
    }
    expect(await mentorMessages()).toBe(0)

    // A known document with a forged title and a script address: what the corpus says is stored.
    const sent = await reply([
      { ...source, title: 'Offizielle Rechtsauskunft', url: 'javascript:alert(document.cookie)' },
    ])
    expect(sent.status).toBe(201)
    const { messages } = (await (
      await call(`/v1/conversations/${conversation.id}`, conversation.token)
    ).json()) as {
      messages: Array<{ author: string; citations: Array<Record<string, unknown>> }>
    }
    const [cited] = messages.filter((m) => m.author === 'mentor').map((m) => m.citations)
    expect(cited).toEqual([
      {
        n: 1,
        documentId: source?.documentId,
        title: source?.title,
        heading: source?.heading,
        ...(source?.url ? { url: source.url } : {}),
        reviewed: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
      },
    ])
    expect(JSON.stringify(messages)).not.toMatch(/javascript:|Offizielle Rechtsauskunft/)
  })

  it('lets only one of two mentors claim a ticket, and only the claimant reply', async () => {
    const { handoffId } = await userHandoff(
      'Wir wollen mit KI die Leistung unserer Leute bewerten. Geht das?',
    )
    const [first, second] = await Promise.all([
      call(`/v1/handoffs/${handoffId}/claim`, tokens.anna, { method: 'POST' }),
      call(`/v1/handoffs/${handoffId}/claim`, tokens.ben, { method: 'POST' }),
    ])
    expect([first?.status, second?.status].sort()).toEqual([200, 409])
    expect(await (first?.status === 409 ? first : second)?.json()).toMatchObject({
      error: { code: 'conflict' },
    })
    // The one who lost the race may not answer the ticket the other claimed.
    const intruder = await call(
      `/v1/handoffs/${handoffId}/reply`,
      first?.status === 409 ? tokens.anna : tokens.ben,
      {
        method: 'POST',
        body: { text: 'Ich antworte einfach auch.' },
      },
    )
    expect(intruder.status).toBe(403)
  })

  it('keeps tenants apart: another tenant’s mentor sees nothing and cannot act', async () => {
    const { handoffId } = await userHandoff()
    const queue = (await (await call('/v1/handoffs', tokens.other)).json()) as { handoffs: unknown[] }
    expect(queue.handoffs).toEqual([])
    for (const [path, method] of [
      [`/v1/handoffs/${handoffId}`, 'GET'],
      [`/v1/handoffs/${handoffId}/claim`, 'POST'],
      [`/v1/handoffs/${handoffId}/draft`, 'POST'],
      [`/v1/handoffs/${handoffId}/close`, 'POST'],
    ] as const) {
      const res = await call(path, tokens.other, { method })
      expect(res.status, `${method} ${path}`).toBe(404)
    }
    const insights = (await (await call('/v1/insights', tokens.other)).json()) as {
      handoffsByReason: Record<string, number>
    }
    expect(insights.handoffsByReason).toEqual({})
  })

  it('refuses missing and wrong tokens, and conversation tokens, with 401', async () => {
    const { conversation } = await userHandoff()
    for (const token of [undefined, 'not-a-token', conversation.token]) {
      const res = await call('/v1/handoffs', token)
      expect(res.status).toBe(401)
      expect(await res.json()).toMatchObject({ error: { code: 'unauthorized' } })
    }
    const notAdmin = await call('/v1/admin/mentors', tokens.anna, { method: 'POST', body: { name: 'Eve' } })
    expect(notAdmin.status).toBe(403)
    const added = await call('/v1/admin/mentors', tokens.admin, { method: 'POST', body: { name: 'Eva Neu' } })
    expect(added.status).toBe(201)
    const { token } = (await added.json()) as { token: string }
    expect((await call('/v1/handoffs', token)).status).toBe(200)
  })

  it('shows aggregates only, and knowledge gaps without who asked', async () => {
    const res = await call('/v1/insights?days=7', tokens.admin)
    expect(res.status).toBe(200)
    const body = (await res.json()) as Record<string, unknown>
    expect(body.handoffsByReason).toMatchObject({ works_council: expect.any(Number) })
    expect(JSON.stringify(body)).not.toMatch(/conversation|Muss unser Betriebsrat/)
  })

  it('lists documents overdue for review in the insights', async () => {
    const overdue = async () =>
      ((await (await call('/v1/insights', tokens.admin)).json()) as { overdueDocuments: unknown[] })
        .overdueDocuments
    // Ingest stores review_by from the front matter; the shipped corpus is within its review dates.
    const { rows } = await t.database.query<{ review_by: string }>(
      `select to_char(review_by, 'YYYY-MM-DD') as review_by from documents where id = 'ki-verordnung-fristen'`,
    )
    expect(rows[0]?.review_by).toBe('2027-05-31')
    expect(await overdue()).toEqual([])
    await t.database.query(`update documents set review_by = '2026-01-31' where id = 'ki-verordnung-fristen'`)
    expect(await overdue()).toEqual([
      {
        id: 'ki-verordnung-fristen',
        title: expect.any(String),
        lang: 'de',
        reviewBy: '2026-01-31',
      },
    ])
    await t.database.query(`update documents set review_by = '2027-05-31' where id = 'ki-verordnung-fristen'`)
  })

  it('writes every mentor action to the audit log, without message text', async () => {
    const { rows } = await t.database.query<{
      action: string
      actor_type: string
      target_type: string | null
      details: unknown
    }>(`select action, actor_type, target_type, details from audit_log order by id`)
    const actions = rows.map((r) => r.action)
    for (const action of [
      'handoff.list',
      'handoff.view',
      'handoff.claim',
      'handoff.draft',
      'handoff.reply',
      'handoff.close',
      'insights.view',
      'suggestions.view',
      'mentor.create',
    ])
      expect(actions).toContain(action)
    expect(JSON.stringify(rows)).not.toMatch(/Betriebsrat|Anna Berg/)
    // Refused calls change nothing and are not actions: the 409 close and the 403 reply left no entry.
    expect(rows.filter((r) => r.action === 'handoff.close')).toHaveLength(1)
  })

  it('lets the user leave a contact address only with consent, for their own handoff', async () => {
    const { conversation, handoffId } = await userHandoff()
    const path = `/v1/conversations/${conversation.id}/handoffs/${handoffId}/contact`
    const noConsent = await call(path, conversation.token, {
      method: 'POST',
      body: { email: 'a@b.de', consent: false },
    })
    expect(noConsent.status).toBe(400)
    const stored = await call(path, conversation.token, {
      method: 'POST',
      body: { email: 'kontakt@example.org', consent: true },
    })
    expect(stored.status).toBe(204)
    const detail = (await (await call(`/v1/handoffs/${handoffId}`, tokens.anna)).json()) as {
      contactEmail: string
    }
    expect(detail.contactEmail).toBe('kontakt@example.org')
    // Erasing the conversation withdraws the handoff and forgets the address.
    expect(
      (await call(`/v1/conversations/${conversation.id}`, conversation.token, { method: 'DELETE' })).status,
    ).toBe(204)
    const after = (await (await call(`/v1/handoffs/${handoffId}`, tokens.anna)).json()) as Record<
      string,
      unknown
    >
    expect(after).toMatchObject({ status: 'withdrawn', contactEmail: null, transcript: [] })
  })

  it('loses no announcement while the webhook is down, and delivers it when it is back', async () => {
    await t.database.query(`update outbox set delivered_at = now() where delivered_at is null`)
    const { handoffId } = await userHandoff()
    const received: unknown[] = []
    let up = false
    mockNetwork.use(
      http.post(WEBHOOK, async ({ request }) => {
        if (!up) return new HttpResponse(null, { status: 503 })
        received.push(await request.json())
        return new HttpResponse(null, { status: 204 })
      }),
    )
    expect(await deliverDue(t.database, { webhooks: testWebhooks() })).toEqual({ delivered: 0, failed: 1 })
    const [pending] = (
      await t.database.query<{ attempts: number; last_error: string; due_in: number }>(
        `select attempts, last_error, extract(epoch from next_attempt_at - now())::int as due_in
         from outbox where delivered_at is null`,
      )
    ).rows
    expect(pending).toMatchObject({ attempts: 1, last_error: 'http_503' })
    expect(pending?.due_in).toBeGreaterThan(0)
    // Nothing is due yet: a second round sends nothing.
    expect(await deliverDue(t.database, { webhooks: testWebhooks() })).toEqual({ delivered: 0, failed: 0 })

    up = true
    await t.database.query(`update outbox set next_attempt_at = now() where delivered_at is null`)
    expect(await deliverDue(t.database, { webhooks: testWebhooks() })).toEqual({ delivered: 1, failed: 0 })
    expect(received).toEqual([
      {
        type: 'handoff.created',
        handoff: expect.objectContaining({
          handoffId,
          tenant: 'default',
          reason: 'works_council',
          channel: 'api',
        }),
      },
    ])
    expect(JSON.stringify(received)).not.toMatch(/Betriebsrat der Einführung/)
  })
})
