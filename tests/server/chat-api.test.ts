// The chat API in offline mode on both database paths: capability tokens, cited answers, handoffs,
// streaming, transcript, feedback and erasure.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createLocalEmbedder } from '../../src/retrieval/embedders/local-embedder.ts'
import { ingestCorpus } from '../../src/retrieval/ingest.ts'
import { databaseAdapters, type TestDatabase } from '../helpers/databases.ts'
import { createTestApp } from '../helpers/test-app.ts'

type App = Awaited<ReturnType<typeof createTestApp>>['app']
const json = { 'content-type': 'application/json' }

describe.each(databaseAdapters)('chat API: $name', (adapter) => {
  let t: TestDatabase
  let app: App
  beforeAll(async () => {
    t = await adapter.open()
    app = (await createTestApp(t.database)).app
    await ingestCorpus({ database: t.database, embedder: createLocalEmbedder(), corpusDir: 'corpus' })
  })
  afterAll(async () => {
    await t.dispose()
  })

  const start = async (body: object = {}) => {
    const res = await app.request('/v1/conversations', {
      method: 'POST',
      headers: json,
      body: JSON.stringify(body),
    })
    expect(res.status).toBe(201)
    return (await res.json()) as { id: string; token: string; disclosure: string; greeting: string }
  }
  const say = (c: { id: string; token: string }, text: string, accept = 'application/json') =>
    app.request(`/v1/conversations/${c.id}/messages`, {
      method: 'POST',
      headers: { ...json, accept, authorization: `Bearer ${c.token}` },
      body: JSON.stringify({ text }),
    })

  it('opens with the AI disclosure and answers a design question with citations, offline', async () => {
    const c = await start({ locale: 'de' })
    expect(c.disclosure).toContain('KI-System')
    expect(c.token).toMatch(/^[\w-]{43}$/)
    const res = await say(c, 'Wie finde ich heraus, wo KI in meinem Betrieb sinnvoll ist?')
    expect(res.status).toBe(200)
    const { message } = (await res.json()) as {
      message: Record<string, unknown> & { citations: Array<{ n: number; documentId: string }>; text: string }
    }
    expect(message).toMatchObject({
      author: 'assistant',
      mode: 'extractive',
      route: 'answer',
      status: 'complete',
    })
    expect(message.text).toMatch(/^Auszug aus der Wissensbasis/)
    // The document on finding use cases leads: its opening answer, then its five steps as a list.
    expect(message.citations[0]?.documentId).toBe('anwendungsfaelle-finden')
    // Every citation carries its document's review date ("Stand"), from the front matter.
    for (const citation of message.citations)
      expect(citation).toMatchObject({ reviewed: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) })
    expect(message.text).toMatch(
      /fünf Schritte\S* \S+:\n1\. Abläufe durchgehen und Schmerzpunkte sammeln\n2\. /,
    )
    // One source, named once at the end; the question is not repeated back.
    expect(message.citations).toHaveLength(1)
    expect(message.text).toMatch(/\n\nMehr dazu: \[1\]$/)
    expect(message.text).not.toContain('Wie finde ich heraus')
    const { rows } = await t.database.query<{ route: string; route_stage: string }>(
      `select route, route_stage from messages where conversation_id = $1 and author = 'user'`,
      [c.id],
    )
    expect(rows).toEqual([{ route: 'answer', route_stage: 'rules' }])
  })

  it('cites first the passage POST /v1/search ranks first for the same question (one ranking)', async () => {
    for (const question of [
      'AI Act für unseren Website-Chatbot: was müssen wir beachten?',
      'Was kostet ein KI-Pilotprojekt?',
      'Brauchen wir eine interne Richtlinie für ChatGPT?',
    ]) {
      const c = await start({ locale: 'de' })
      const { message } = (await (await say(c, question)).json()) as {
        message: { citations: Array<{ documentId: string; heading: string }> }
      }
      const res = await app.request('/v1/search', {
        method: 'POST',
        headers: json,
        body: JSON.stringify({ query: question, lang: 'de', k: 1 }),
      })
      const { results } = (await res.json()) as { results: Array<{ documentId: string; heading: string }> }
      expect(message.citations[0], question).toMatchObject({
        documentId: results[0]?.documentId,
        heading: results[0]?.heading,
      })
    }
  })

  it('continues a follow-up from the section answered before instead of repeating it', async () => {
    const c = await start({ locale: 'de' })
    const first = (await (
      await say(c, 'Wie finde ich heraus, wo KI in meinem Betrieb sinnvoll ist?')
    ).json()) as {
      message: { text: string; citations: Array<{ documentId: string; heading: string }> }
    }
    const next = (await (await say(c, 'Und wie mache ich Schritt 1 konkret?')).json()) as {
      message: { text: string; citations: Array<{ documentId: string; heading: string }> }
    }
    expect(next.message.citations[0]?.heading).not.toBe(first.message.citations[0]?.heading)
    expect(next.message.citations[0]?.documentId).toBe(first.message.citations[0]?.documentId)
    expect(next.message.text).not.toBe(first.message.text)
  })

  it('hands a works-council question to a human mentor and stores the ticket', async () => {
    const c = await start()
    const res = await say(c, 'Muss unser Betriebsrat der Einführung zustimmen?')
    const { message } = (await res.json()) as {
      message: { mode: string; text: string; handoff: { id: string; status: string; reason: string } }
    }
    expect(message.mode).toBe('handoff')
    expect(message.handoff).toMatchObject({ status: 'open', reason: 'works_council' })
    expect(message.text).toContain('Mentor')
    const { rows } = await t.database.query<{
      reason_class: string
      transcript: Array<{ author: string; text: string }>
    }>('select reason_class, transcript from handoffs where id = $1', [message.handoff.id])
    expect(rows[0]?.reason_class).toBe('works_council')
    expect(rows[0]?.transcript.at(-1)).toMatchObject({
      author: 'user',
      text: 'Muss unser Betriebsrat der Einführung zustimmen?',
    })
  })

  it('streams route, sources, tokens and done as server-sent events', async () => {
    const c = await start({ locale: 'en' })
    const res = await say(c, 'How do we involve employees when introducing AI?', 'text/event-stream')
    expect(res.headers.get('content-type')).toContain('text/event-stream')
    const events = [...(await res.text()).matchAll(/^event: (\w+)$/gm)].map((m) => m[1])
    expect(events[0]).toBe('route')
    expect(events).toContain('sources')
    expect(events.filter((e) => e === 'token').length).toBeGreaterThan(3)
    expect(events.at(-1)).toBe('done')
  })

  it('records a knowledge gap and says so honestly when the corpus does not cover a question', async () => {
    const c = await start()
    const res = await say(
      c,
      'Welche KI hilft beim Imkern mit Bienenstöcken? Schreiben Sie an imker@example.org oder 0171 1234567.',
    )
    const { message } = (await res.json()) as { message: { text: string; citations: unknown[] } }
    expect(message.text).toContain('menschlichen Mentor')
    expect(message.citations).toEqual([])
    const { rows } = await t.database.query<{ question: string }>(
      'select question from knowledge_gaps where conversation_id = $1',
      [c.id],
    )
    expect(rows).toHaveLength(1)
    // Stored without the personal data (no handoff happened; mentors read gaps).
    expect(rows[0]?.question).toContain('Imkern')
    expect(rows[0]?.question).not.toMatch(/imker@example\.org|0171/)
  })

  it('keeps conversations apart: no token 401, a wrong or foreign token 404', async () => {
    const mine = await start()
    const theirs = await start()
    const noToken = await app.request(`/v1/conversations/${mine.id}`)
    expect(noToken.status).toBe(401)
    const foreign = await app.request(`/v1/conversations/${mine.id}`, {
      headers: { authorization: `Bearer ${theirs.token}` },
    })
    expect(foreign.status).toBe(404)
    const unknown = await app.request('/v1/conversations/00000000-0000-4000-8000-000000000000', {
      headers: { authorization: `Bearer ${mine.token}` },
    })
    expect(unknown.status).toBe(404)
    expect(await unknown.json()).toEqual(await foreign.json())
  })

  it('shows the transcript, takes feedback on replies and erases on request', async () => {
    const c = await start()
    const auth = { authorization: `Bearer ${c.token}` }
    const reply = (await (await say(c, 'Was ist generative KI?')).json()) as { message: { id: string } }
    const transcript = (await (await app.request(`/v1/conversations/${c.id}`, { headers: auth })).json()) as {
      messages: Array<{ author: string }>
    }
    expect(transcript.messages.map((m) => m.author)).toEqual(['system', 'assistant', 'user', 'assistant'])

    const rate = (id: string, token: string) =>
      app.request(`/v1/messages/${id}/feedback`, {
        method: 'POST',
        headers: { ...json, authorization: `Bearer ${token}` },
        body: JSON.stringify({ rating: 'up', comment: 'hilfreich' }),
      })
    expect((await rate(reply.message.id, c.token)).status).toBe(201)
    const other = await start()
    expect((await rate(reply.message.id, other.token)).status).toBe(404)

    const erased = await app.request(`/v1/conversations/${c.id}`, { method: 'DELETE', headers: auth })
    expect(erased.status).toBe(204)
    expect((await app.request(`/v1/conversations/${c.id}`, { headers: auth })).status).toBe(404)
    const { rows } = await t.database.query(
      'select count(*)::int as n from messages where conversation_id = $1',
      [c.id],
    )
    expect(rows).toEqual([{ n: 0 }])
  })

  it('keeps one rating per reply, changed in place, and limits how often a conversation rates', async () => {
    const limited = (await createTestApp(t.database, { env: { LIMIT_FEEDBACK_PER_CONVERSATION: '3' } })).app
    const c = await start()
    const reply = (await (await say(c, 'Was ist generative KI?')).json()) as { message: { id: string } }
    const rate = (rating: 'up' | 'down', comment?: string) =>
      limited.request(`/v1/messages/${reply.message.id}/feedback`, {
        method: 'POST',
        headers: { ...json, authorization: `Bearer ${c.token}` },
        body: JSON.stringify({ rating, ...(comment ? { comment } : {}) }),
      })
    const first = await rate('up', 'hilfreich')
    expect(first.status).toBe(201)
    const { id } = (await first.json()) as { id: string }
    const second = await rate('down', 'doch zu allgemein')
    expect(second.status).toBe(200)
    expect(await second.json()).toEqual({ id })
    expect((await rate('down')).status).toBe(200)
    const stored = async () =>
      (
        await t.database.query<{ rating: string; comment: string | null }>(
          'select rating, comment from feedback where message_id = $1',
          [reply.message.id],
        )
      ).rows
    expect(await stored()).toEqual([{ rating: 'down', comment: null }])
    // The fourth rating within a minute is refused and changes nothing.
    const refused = await rate('up', 'noch einmal')
    expect(refused.status).toBe(429)
    expect(refused.headers.get('retry-after')).toBe('20')
    expect(await refused.json()).toMatchObject({ error: { code: 'rate_limited' } })
    expect(await stored()).toEqual([{ rating: 'down', comment: null }])
  })

  it('rejects bad input with a clear error and stores nothing for it', async () => {
    const c = await start()
    const tooLong = await say(c, 'x'.repeat(4001))
    expect(tooLong.status).toBe(400)
    expect(await tooLong.json()).toEqual({
      error: { code: 'validation_failed', message: 'text: must be at most 4000 characters' },
    })
    const unknownTenant = await app.request('/v1/conversations', {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ tenant: 'nirgendwo' }),
    })
    expect(unknownTenant.status).toBe(400)
    const { rows } = await t.database.query(
      `select count(*)::int as n from messages where conversation_id = $1 and author = 'user'`,
      [c.id],
    )
    expect(rows).toEqual([{ n: 0 }])
  })
})
