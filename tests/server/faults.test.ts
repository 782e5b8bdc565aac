// Faults, each a test: the database goes away in the middle of a turn (the `pg` adapter over the wire,
// the server stopped and started again), the model never answers, a webhook hangs. Elsewhere: a
// model error and a stream cut mid-way (chat-model.test.ts), a webhook and the Teams connector down
// (mentor-api.test.ts, teams.test.ts), SIGTERM while streaming (shutdown.test.ts).
import { delay, HttpResponse, http } from 'msw'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createChatModel } from '../../src/agents/models.ts'
import { loadConfig } from '../../src/config.ts'
import { deliverDue } from '../../src/notifications/outbox.ts'
import { createLocalEmbedder } from '../../src/retrieval/embedders/local-embedder.ts'
import { ingestCorpus } from '../../src/retrieval/ingest.ts'
import { pgliteAdapter, pgWireAdapter, type TestDatabase } from '../helpers/databases.ts'
import { mockNetwork } from '../helpers/mock-network.ts'
import { chatHandler, OPENAI_BASE } from '../helpers/openai-mock.ts'
import { createTestApp, testWebhooks } from '../helpers/test-app.ts'

type App = Awaited<ReturnType<typeof createTestApp>>['app']
type Conversation = { id: string; token: string }
const json = { 'content-type': 'application/json' }
const DESIGN = 'Wie planen wir die Terminplanung mit KI im Handwerksbetrieb?'
const WORKS_COUNCIL = 'Muss unser Betriebsrat der Einführung von KI zustimmen?'
const WEBHOOK = 'https://hooks.example.org/faults'
const answerScript = {
  route: () => ({ route: 'answer', confidence: 0.9, reason: 'design' }),
  answer: () => ({ pieces: ['Planen Sie zuerst ', 'einen kleinen Pilot [1].'] }),
}

async function start(app: App): Promise<Conversation> {
  const res = await app.request('/v1/conversations', { method: 'POST', headers: json, body: '{}' })
  expect(res.status).toBe(201)
  return (await res.json()) as Conversation
}
const say = (app: App, c: Conversation, text: string, accept = 'application/json') =>
  app.request(`/v1/conversations/${c.id}/messages`, {
    method: 'POST',
    headers: { ...json, accept, authorization: `Bearer ${c.token}` },
    body: JSON.stringify({ text }),
  })

describe('the database goes away during a turn (pg over the wire)', () => {
  let t: TestDatabase
  let app: App
  beforeAll(async () => {
    t = await pgWireAdapter.open()
    const model = createChatModel(loadConfig({ OPENAI_API_KEY: 'sk-test', MODEL_MAX_RETRIES: '0' }))
    app = (await createTestApp(t.database, { model, env: { HANDOFF_WEBHOOK_URL: WEBHOOK } })).app
    await ingestCorpus({
      database: t.database,
      embedder: createLocalEmbedder(),
      corpusDir: 'tests/fixtures/corpus',
    })
  })
  afterAll(async () => {
    await t.dispose()
  })

  /** The database goes down when the model is first asked: the user's message is stored by then. */
  const downAtFirstModelCall = () => {
    let tripped = false
    mockNetwork.use(
      http.post(`${OPENAI_BASE}/chat/completions`, async () => {
        if (!tripped) {
          tripped = true
          await t.takeDown()
        }
        // Nothing returned: the next handler (the model) answers.
      }),
      chatHandler(answerScript),
    )
  }
  const rows = async (conversationId: string) =>
    (
      await t.database.query<{ author: string; route: string | null; status: string }>(
        // After the AI disclosure and the greeting that open every conversation.
        `select author, route, status from messages where conversation_id = $1 order by seq offset 2`,
        [conversationId],
      )
    ).rows
  const handoffState = async (conversationId: string) =>
    (
      await t.database.query(
        `select (select count(*)::int from handoffs where conversation_id = $1) as handoffs,
                (select count(*)::int from outbox o join handoffs h on o.payload->>'handoffId' = h.id::text
                 where h.conversation_id = $1) as notices`,
        [conversationId],
      )
    ).rows[0]

  it('answers 503 in JSON, keeps only the user’s message, and recovers when the database returns', async () => {
    const c = await start(app)
    downAtFirstModelCall()
    const res = await say(app, c, DESIGN)
    expect(res.status).toBe(503)
    expect(res.headers.get('retry-after')).toBeNull()
    expect(await res.json()).toEqual({
      error: {
        code: 'database_unavailable',
        message: 'The database is not reachable right now. Please try again shortly.',
      },
    })
    expect((await app.request('/readyz')).status).toBe(503)

    await t.bringUp?.()
    expect((await app.request('/readyz')).status).toBe(200)
    // Nothing half-written: the user's message (stored first, as promised), no route, no reply.
    expect(await rows(c.id)).toEqual([{ author: 'user', route: null, status: 'complete' }])

    // The client retries: the stored message is reused, not stored twice, and answered.
    mockNetwork.use(chatHandler(answerScript))
    const retry = await say(app, c, DESIGN)
    expect(retry.status).toBe(200)
    expect(((await retry.json()) as { message: { mode: string } }).message.mode).toBe('generated')
    expect(await rows(c.id)).toEqual([
      { author: 'user', route: 'answer', status: 'complete' },
      { author: 'assistant', route: 'answer', status: 'complete' },
    ])
  })

  it('ends a streamed turn with an error event, writes no ticket without its notice, and recovers', async () => {
    const c = await start(app)
    downAtFirstModelCall()
    const res = await say(app, c, WORKS_COUNCIL, 'text/event-stream')
    expect(res.status).toBe(200)
    const body = await res.text()
    expect(body).toContain('event: error')
    expect(body).toContain('"code":"database_unavailable"')
    expect(body).not.toContain('event: done')

    await t.bringUp?.()
    expect(await rows(c.id)).toEqual([{ author: 'user', route: null, status: 'complete' }])
    expect(await handoffState(c.id)).toEqual({ handoffs: 0, notices: 0 })

    mockNetwork.use(
      chatHandler({
        route: () => ({ route: 'works_council', confidence: 0.95, reason: 'co-determination' }),
      }),
    )
    const retry = await say(app, c, WORKS_COUNCIL)
    expect(retry.status).toBe(200)
    expect(((await retry.json()) as { message: { mode: string } }).message.mode).toBe('handoff')
    // The ticket and its announcement exist together.
    expect(await handoffState(c.id)).toEqual({ handoffs: 1, notices: 1 })
  })

  it('answers 503 when the database is down before the turn starts, and stores nothing', async () => {
    const c = await start(app)
    await t.takeDown()
    const res = await say(app, c, DESIGN)
    expect(res.status).toBe(503)
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('database_unavailable')
    await t.bringUp?.()
    expect(await rows(c.id)).toEqual([])
  })
})

describe('a model that never answers, a webhook that hangs', () => {
  let t: TestDatabase
  beforeAll(async () => {
    t = await pgliteAdapter.open()
    await createTestApp(t.database)
    await ingestCorpus({
      database: t.database,
      embedder: createLocalEmbedder(),
      corpusDir: 'tests/fixtures/corpus',
    })
  })
  afterAll(async () => {
    await t.dispose()
  })

  it('answers offline, with a note, once the model’s timeout has passed', async () => {
    const model = createChatModel(
      loadConfig({ OPENAI_API_KEY: 'sk-test', MODEL_MAX_RETRIES: '0', MODEL_TIMEOUT_MS: '1000' }),
    )
    const { app } = await createTestApp(t.database, { model })
    mockNetwork.use(chatHandler({ ...answerScript, delayMs: 'infinite' }))
    const c = await start(app)
    const started = performance.now()
    const res = await say(app, c, DESIGN)
    expect(res.status).toBe(200)
    const { message } = (await res.json()) as { message: { mode: string; text: string } }
    expect(message.mode).toBe('extractive')
    expect(message.text).toMatch(/^Das Sprachmodell ist gerade nicht erreichbar/)
    // Routing (alongside retrieval) and the answer each waited one timeout, no more.
    expect(performance.now() - started).toBeLessThan(10_000)
    const { rows } = await t.database.query<{ flags: string[] }>(
      `select flags from messages where conversation_id = $1 and author = 'assistant' order by seq desc limit 1`,
      [c.id],
    )
    expect(rows[0]?.flags).toEqual(['model_fallback'])
  })

  it('gives up on a webhook that does not answer, and delivers once it does', async () => {
    const { app } = await createTestApp(t.database, { env: { HANDOFF_WEBHOOK_URL: WEBHOOK } })
    await t.database.query('update outbox set delivered_at = now() where delivered_at is null')
    const c = await start(app)
    expect((await say(app, c, WORKS_COUNCIL)).status).toBe(200)
    let hanging = true
    mockNetwork.use(
      http.post(WEBHOOK, async () => {
        if (hanging) await delay('infinite')
        return new HttpResponse(null, { status: 204 })
      }),
    )
    expect(await deliverDue(t.database, { webhooks: testWebhooks(), timeoutMs: 200 })).toEqual({
      delivered: 0,
      failed: 1,
    })
    const { rows } = await t.database.query<{ last_error: string }>(
      'select last_error from outbox where delivered_at is null',
    )
    expect(rows).toEqual([{ last_error: 'TimeoutError' }])
    hanging = false
    await t.database.query('update outbox set next_attempt_at = now() where delivered_at is null')
    expect(await deliverDue(t.database, { webhooks: testWebhooks(), timeoutMs: 200 })).toEqual({
      delivered: 1,
      failed: 0,
    })
  })
})
