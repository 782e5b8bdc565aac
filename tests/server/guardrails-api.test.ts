// The guardrails over HTTP, offline, on both database paths: every class as JSON and as SSE, the crisis
// reply (immediate help first, urgent ticket first in the queue, no corpus excerpt), requests for a
// person (typed, and the explicit POST …/handoff, idempotent), the answer that offers a mentor, and
// one ticket per conversation.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createLocalEmbedder } from '../../src/retrieval/embedders/local-embedder.ts'
import { ingestCorpus } from '../../src/retrieval/ingest.ts'
import { databaseAdapters, type TestDatabase } from '../helpers/databases.ts'
import { createTestApp } from '../helpers/test-app.ts'

type App = Awaited<ReturnType<typeof createTestApp>>['app']
type Message = {
  id: string
  route: string
  mode: string
  text: string
  citations: unknown[]
  actions: string[]
  handoff?: { id: string; reason: string }
}
const json = { 'content-type': 'application/json' }

describe.each(databaseAdapters)('guardrails over HTTP: $name', (adapter) => {
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

  const start = async (locale: 'de' | 'en' = 'de') => {
    const res = await app.request('/v1/conversations', {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ locale }),
    })
    return (await res.json()) as { id: string; token: string }
  }
  const auth = (c: { token: string }) => ({ ...json, authorization: `Bearer ${c.token}` })
  const ask = async (c: { id: string; token: string }, text: string) => {
    const res = await app.request(`/v1/conversations/${c.id}/messages`, {
      method: 'POST',
      headers: auth(c),
      body: JSON.stringify({ text }),
    })
    expect(res.status).toBe(200)
    return ((await res.json()) as { message: Message }).message
  }
  const askStream = async (c: { id: string; token: string }, text: string) => {
    const res = await app.request(`/v1/conversations/${c.id}/messages`, {
      method: 'POST',
      headers: { ...auth(c), accept: 'text/event-stream' },
      body: JSON.stringify({ text }),
    })
    const events = [...(await res.text()).matchAll(/event: (\w+)\ndata: (.*)\n/g)].map((m) => ({
      event: m[1],
      data: JSON.parse(m[2] ?? '{}'),
    }))
    return { events, route: events.find((e) => e.event === 'route')?.data, done: events.at(-1)?.data }
  }
  const handoffs = async (conversationId: string) =>
    (
      await t.database.query<{ reason_class: string; status: string }>(
        'select reason_class, status from handoffs where conversation_id = $1',
        [conversationId],
      )
    ).rows

  it.each([
    ['crisis', 'Ich will mir das Leben nehmen.'],
    ['human', 'Kann ich bitte mit einem echten Menschen sprechen?'],
    ['works_council', 'Muss unser Betriebsrat zustimmen, bevor wir Copilot einführen?'],
    ['workforce', 'Wird meine Stelle in der Buchhaltung durch die KI wegfallen?'],
    ['legal_individual', 'Was droht mir, wenn ich ChatGPT heimlich für Kundenmails nutze?'],
    ['out_of_scope', 'Was koche ich heute Abend mit Zucchini?'],
    ['answer', 'Wie finde ich heraus, wo KI in meinem Betrieb sinnvoll ist?'],
  ])('routes %s as JSON and as SSE', async (route, text) => {
    const viaJson = await ask(await start(), text)
    expect(viaJson.route).toBe(route)
    const viaSse = await askStream(await start(), text)
    expect(viaSse.route).toMatchObject({ route })
    expect(viaSse.done?.message.route).toBe(route)
    const handedOver = !['answer', 'out_of_scope'].includes(route)
    expect(Boolean(viaSse.done?.message.handoff)).toBe(handedOver)
  })

  it('answers a crisis with immediate help first, no excerpt, and an urgent ticket first in the queue', async () => {
    const earlier = await start()
    await ask(earlier, 'Muss unser Betriebsrat zustimmen, bevor wir Copilot einführen?')
    const c = await start()
    const message = await ask(c, 'Seit der Kündigung sehe ich keinen Ausweg mehr.')
    expect(message.route).toBe('crisis')
    expect(message.mode).toBe('handoff')
    expect(message.citations).toEqual([])
    const firstLine = message.text.split('\n')[0] ?? ''
    expect(firstLine).not.toMatch(/Mentor/)
    for (const number of ['0800 111 0 111', '0800 111 0 222', '116 123', '112', '110'])
      expect(message.text).toContain(number)
    expect(message.text.indexOf('0800 111 0 111')).toBeLessThan(message.text.indexOf('Mentor'))
    expect(message.text).not.toMatch(/Auszug aus der Wissensbasis|Zum Weiterlesen/)
    expect(await handoffs(c.id)).toEqual([{ reason_class: 'crisis', status: 'open' }])
    const { rows } = await t.database.query<{ conversation_id: string }>(
      `select conversation_id from handoffs where tenant_slug = 'default' and status = 'open'
       order by (reason_class = 'crisis') desc, created_at desc limit 1`,
    )
    expect(rows[0]?.conversation_id).toBe(c.id)
    const flags = await t.database.query<{ flags: string[] }>(
      `select flags from messages where conversation_id = $1 and author = 'assistant' and mode = 'handoff'`,
      [c.id],
    )
    expect(flags.rows[0]?.flags).toContain('urgent')
  })

  it('answers an English crisis in English with the same numbers', async () => {
    const message = await ask(await start('en'), 'I can’t go on, I want to end my life.')
    expect(message.route).toBe('crisis')
    expect(message.text).toMatch(/^That sounds like a very hard situation/)
    expect(message.text).toContain('0800 111 0 111')
    expect(message.text).toContain('112')
  })

  it('hands a typed "Mentor" to a person, after a reply that offered one', async () => {
    const c = await start()
    const first = await ask(c, 'Welche KI hilft beim Imkern mit Bienenstöcken?')
    expect(first.actions).toEqual(['handoff'])
    expect(first.text).toMatch(/„Mentor“/)
    const second = await ask(c, 'Mentor')
    expect(second.route).toBe('human')
    expect(second.handoff?.reason).toBe('human')
    expect(await handoffs(c.id)).toEqual([{ reason_class: 'human', status: 'open' }])
  })

  it('takes the explicit request for a person with a note, and is idempotent while the ticket is open', async () => {
    const c = await start()
    await ask(c, 'Wie planen wir ein Pilotprojekt?')
    const url = `/v1/conversations/${c.id}/handoff`
    const res = await app.request(url, {
      method: 'POST',
      headers: auth(c),
      body: JSON.stringify({ note: 'Bitte rufen Sie mich zurück.' }),
    })
    expect(res.status).toBe(201)
    const body = (await res.json()) as { handoff: { id: string; reason: string }; message: Message }
    expect(body.handoff.reason).toBe('human')
    expect(body.message.mode).toBe('handoff')
    expect(body.message.text).toMatch(/menschlichen Mentor/)
    // Without a body at all: the note is optional.
    const again = await app.request(url, { method: 'POST', headers: { authorization: `Bearer ${c.token}` } })
    expect(again.status).toBe(200)
    expect(((await again.json()) as { handoff: { id: string } }).handoff.id).toBe(body.handoff.id)
    expect(await handoffs(c.id)).toHaveLength(1)
    const { rows } = await t.database.query<{ author: string; text: string; route: string }>(
      `select author, text, route from messages where conversation_id = $1 and author = 'user' order by seq`,
      [c.id],
    )
    expect(rows.at(-1)).toMatchObject({ text: 'Bitte rufen Sie mich zurück.', route: 'human' })
    // A later handoff question joins the open ticket instead of opening another.
    const later = await ask(c, 'Muss der Betriebsrat dem Chatbot zustimmen?')
    expect(later.handoff?.id).toBe(body.handoff.id)
    expect(await handoffs(c.id)).toHaveLength(1)
  })

  it('refuses a bad explicit request with the error shape and stores nothing', async () => {
    const c = await start()
    const bad = await app.request(`/v1/conversations/${c.id}/handoff`, {
      method: 'POST',
      headers: auth(c),
      body: JSON.stringify({ note: 42 }),
    })
    expect(bad.status).toBe(400)
    expect(await bad.json()).toMatchObject({ error: { code: 'validation_failed' } })
    const noToken = await app.request(`/v1/conversations/${c.id}/handoff`, {
      method: 'POST',
      headers: json,
      body: '{}',
    })
    expect(noToken.status).toBe(401)
    expect(await handoffs(c.id)).toEqual([])
  })

  it('raises an open ticket to a crisis when the conversation turns into one', async () => {
    const c = await start()
    const first = await ask(c, 'Muss unser Betriebsrat zustimmen, bevor wir Copilot einführen?')
    const crisis = await ask(c, 'Ich kann nicht mehr.')
    expect(crisis.route).toBe('crisis')
    expect(crisis.handoff?.id).toBe(first.handoff?.id)
    expect(await handoffs(c.id)).toEqual([{ reason_class: 'crisis', status: 'open' }])
  })
})
