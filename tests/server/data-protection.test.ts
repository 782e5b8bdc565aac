// Data protection: the export of a conversation for its owner, retention (old conversations deleted
// with everything they hold, on an injected clock), and logs that never hold message text or tokens.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createChatModel } from '../../src/agents/models.ts'
import { loadConfig } from '../../src/config.ts'
import { purgeExpired } from '../../src/conversations/retention.ts'
import { createLogger } from '../../src/log.ts'
import { createMentor } from '../../src/mentors/accounts.ts'
import { createLocalEmbedder } from '../../src/retrieval/embedders/local-embedder.ts'
import { ingestCorpus } from '../../src/retrieval/ingest.ts'
import { pgliteAdapter, type TestDatabase } from '../helpers/databases.ts'
import { mockNetwork } from '../helpers/mock-network.ts'
import { chatHandler } from '../helpers/openai-mock.ts'
import { createTestApp } from '../helpers/test-app.ts'

type App = Awaited<ReturnType<typeof createTestApp>>['app']
type Conversation = { id: string; token: string }
const json = { 'content-type': 'application/json' }
const DESIGN = 'Wie planen wir die Terminplanung mit KI im Handwerksbetrieb?'
const WORKS_COUNCIL = 'Muss unser Betriebsrat der Einführung von KI zustimmen?'

describe('data protection', () => {
  let t: TestDatabase
  let app: App
  const logLines: string[] = []
  beforeAll(async () => {
    t = await pgliteAdapter.open()
    app = (await createTestApp(t.database, { logger: createLogger('debug', (line) => logLines.push(line)) }))
      .app
    await ingestCorpus({ database: t.database, embedder: createLocalEmbedder(), corpusDir: 'corpus' })
  })
  afterAll(async () => {
    await t.dispose()
  })

  const start = async (target: App = app): Promise<Conversation> =>
    (await (
      await target.request('/v1/conversations', { method: 'POST', headers: json, body: '{}' })
    ).json()) as Conversation
  const call = (
    c: Conversation,
    path: string,
    body?: unknown,
    target: App = app,
    accept = 'application/json',
  ) =>
    target.request(path, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { ...json, accept, authorization: `Bearer ${c.token}` },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    })
  const say = async (c: Conversation, text: string) =>
    (
      (await (await call(c, `/v1/conversations/${c.id}/messages`, { text })).json()) as {
        message: { id: string; handoff?: { id: string } }
      }
    ).message

  it('exports everything stored about a conversation, to its owner only, as an attachment', async () => {
    const c = await start()
    const answer = await say(c, DESIGN)
    await call(c, `/v1/messages/${answer.id}/feedback`, { rating: 'up', comment: 'Sehr hilfreich' })
    const handoff = await say(c, WORKS_COUNCIL)
    await call(c, `/v1/conversations/${c.id}/handoffs/${handoff.handoff?.id}/contact`, {
      email: 'inhaberin@beispiel-gmbh.de',
      consent: true,
    })

    const res = await call(c, `/v1/conversations/${c.id}/export`)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="conversation-${c.id}.json"`)
    expect(res.headers.get('cache-control')).toBe('no-store')
    const data = (await res.json()) as {
      conversation: { id: string; tenant: string; channel: string }
      messages: Array<{ author: string; text: string; route: string | null }>
      handoffs: Array<{ reason: string; contactEmail: string | null; contactConsentAt: string | null }>
      feedback: Array<{ messageId: string; rating: string; comment: string }>
    }
    expect(data.conversation).toMatchObject({ id: c.id, tenant: 'default', channel: 'api' })
    expect(data.messages.map((m) => m.author)).toEqual([
      'system',
      'assistant',
      'user',
      'assistant',
      'user',
      'assistant',
    ])
    expect(data.messages.filter((m) => m.author === 'user').map((m) => [m.text, m.route])).toEqual([
      [DESIGN, 'answer'],
      [WORKS_COUNCIL, 'works_council'],
    ])
    expect(data.handoffs).toEqual([
      expect.objectContaining({ reason: 'works_council', contactEmail: 'inhaberin@beispiel-gmbh.de' }),
    ])
    expect(data.handoffs[0]?.contactConsentAt).toMatch(/^\d{4}-/)
    expect(data.feedback).toEqual([
      expect.objectContaining({ messageId: answer.id, rating: 'up', comment: 'Sehr hilfreich' }),
    ])

    const other = await start()
    expect((await call(other, `/v1/conversations/${c.id}/export`)).status).toBe(404)
    expect((await app.request(`/v1/conversations/${c.id}/export`)).status).toBe(401)
    await app.request(`/v1/conversations/${c.id}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${c.token}` },
    })
    expect((await call(c, `/v1/conversations/${c.id}/export`)).status).toBe(404)
  })

  it('deletes conversations past the retention period with what they hold, in batches', async () => {
    const old = await start()
    const oldAnswer = await say(old, DESIGN)
    await call(old, `/v1/messages/${oldAnswer.id}/feedback`, { rating: 'down', comment: 'zu allgemein' })
    await say(old, 'Welche Förderquote gilt für Quantencomputer-Pilotanlagen in Mecklenburg?')
    const closed = await start()
    const closedHandoff = (await say(closed, WORKS_COUNCIL)).handoff?.id
    const waiting = await start()
    const waitingHandoff = (await say(waiting, WORKS_COUNCIL)).handoff?.id
    const recent = await start()
    await say(recent, DESIGN)
    const erased = await start()
    await app.request(`/v1/conversations/${erased.id}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${erased.token}` },
    })

    const aged = [old.id, closed.id, waiting.id, erased.id]
    await t.database.query(
      `update conversations set updated_at = '2025-01-01', created_at = '2025-01-01' where id = any($1)`,
      [aged],
    )
    await t.database.query(`update conversations set updated_at = '2025-12-01' where id = $1`, [recent.id])
    await t.database.query(`update conversations set updated_at = '2025-12-01' where not (id = any($1))`, [
      aged,
    ])
    await t.database.query(`update handoffs set status = 'closed', updated_at = '2025-01-02' where id = $1`, [
      closedHandoff,
    ])
    await t.database.query(`update handoffs set updated_at = '2025-01-02' where id = $1`, [waitingHandoff])
    await t.database.query(`update knowledge_gaps set created_at = '2025-01-01' where conversation_id = $1`, [
      old.id,
    ])
    const gapsBefore = await count('knowledge_gaps')

    const now = () => new Date('2026-01-10T00:00:00Z')
    expect(await purgeExpired(t.database, { days: 0, now })).toEqual({
      conversations: 0,
      knowledgeGaps: 0,
      outbox: 0,
    })
    const summary = await purgeExpired(t.database, { days: 180, now, batch: 1 })
    expect(summary).toMatchObject({ conversations: 3, knowledgeGaps: 1 })

    const left = await t.database.query<{ id: string }>('select id from conversations where id = any($1)', [
      [...aged, recent.id],
    ])
    // The conversation whose handoff a mentor still has to answer stays, and so does the recent one.
    expect(left.rows.map((r) => r.id).sort()).toEqual([waiting.id, recent.id].sort())
    for (const id of [old.id, closed.id, erased.id]) {
      const rows = await t.database.query('select 1 from messages where conversation_id = $1', [id])
      expect(rows.rows).toEqual([])
    }
    expect(
      (await t.database.query('select 1 from feedback where message_id = $1', [oldAnswer.id])).rows,
    ).toEqual([])
    expect((await t.database.query('select 1 from handoffs where id = $1', [closedHandoff])).rows).toEqual([])
    expect(await count('knowledge_gaps')).toBe(gapsBefore - 1)
    const audit = await t.database.query<{ actor_type: string; details: Record<string, unknown> }>(
      `select actor_type, details from audit_log where action = 'retention.purge'`,
    )
    expect(audit.rows).toEqual([
      {
        actor_type: 'system',
        details: expect.objectContaining({ conversations: 3, knowledgeGaps: 1, days: 180 }),
      },
    ])
  })

  it('never logs message text, contact addresses or tokens, at debug level and on failures', async () => {
    const SECRET_TEXT = 'Zebrafink-Orakel'
    const mentor = await createMentor(t.database, { name: 'Mia Log', tenant: 'default', role: 'mentor' })
    const model = createChatModel(loadConfig({ OPENAI_API_KEY: 'sk-test-logcheck', MODEL_MAX_RETRIES: '0' }))
    const withModel = (
      await createTestApp(t.database, {
        model,
        logger: createLogger('debug', (line) => logLines.push(line)),
      })
    ).app
    // The model fails mid-way, so that the warning paths log too.
    mockNetwork.use(chatHandler({ answer: () => ({ status: 500 }) }))
    logLines.length = 0

    const c = await start(withModel)
    await say(c, `${DESIGN} ${SECRET_TEXT}`)
    const streamed = await call(
      c,
      `/v1/conversations/${c.id}/messages`,
      { text: `${DESIGN} ${SECRET_TEXT} Betriebsrat` },
      withModel,
      'text/event-stream',
    )
    // The model failed: the streamed turn fell back to the offline answer (and logged why).
    expect(await streamed.text()).toContain('event: done')
    const handoff = await say(c, `${WORKS_COUNCIL} ${SECRET_TEXT}`)
    await call(c, `/v1/conversations/${c.id}/handoffs/${handoff.handoff?.id}/contact`, {
      email: 'zebrafink@beispiel.de',
      consent: true,
    })
    await call(c, `/v1/conversations/${c.id}/export`)
    await app.request('/v1/handoffs', { headers: { authorization: `Bearer ${mentor.token}` } })
    await app.request('/v1/handoffs', { headers: { authorization: 'Bearer wrong-token-zebrafink' } })
    await call(c, `/v1/conversations/${c.id}/messages`, { text: `${SECRET_TEXT}\u0000` })
    await call(c, `/v1/conversations/${c.id}/messages`, { text: SECRET_TEXT.repeat(400) })

    expect(logLines.length).toBeGreaterThan(8)
    const all = logLines.join('\n')
    for (const secret of [SECRET_TEXT, 'zebrafink', c.token, mentor.token, 'sk-test-logcheck', 'Betriebsrat'])
      expect(all.toLowerCase()).not.toContain(secret.toLowerCase())
    // What is logged instead: ids and outcomes.
    expect(all).toContain(c.id)
  })

  const count = async (table: string) =>
    (await t.database.query<{ n: number }>(`select count(*)::int as n from ${table}`)).rows[0]?.n ?? 0
})
