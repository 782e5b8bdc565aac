// Rate limits (conversations, messages, searches), load shedding and the model's gate over HTTP: 429
// with Retry-After, 503 busy when the server is overloaded or the model's queue is full, nothing
// stored for a refused request, and a turn that waited too long for the model answers offline.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createChatModel } from '../../src/agents/models.ts'
import { loadConfig } from '../../src/config.ts'
import { createLocalEmbedder } from '../../src/retrieval/embedders/local-embedder.ts'
import { ingestCorpus } from '../../src/retrieval/ingest.ts'
import { pgliteAdapter, type TestDatabase } from '../helpers/databases.ts'
import { mockNetwork } from '../helpers/mock-network.ts'
import { chatHandler } from '../helpers/openai-mock.ts'
import { createTestApp } from '../helpers/test-app.ts'

type App = Awaited<ReturnType<typeof createTestApp>>['app']
const json = { 'content-type': 'application/json' }
const QUESTION = 'Wie planen wir die Terminplanung mit KI im Handwerksbetrieb?'

describe('rate limits and the model gate', () => {
  let t: TestDatabase
  let now = 1_000_000
  beforeAll(async () => {
    t = await pgliteAdapter.open()
    await createTestApp(t.database)
    await ingestCorpus({ database: t.database, embedder: createLocalEmbedder(), corpusDir: 'corpus' })
  })
  afterAll(async () => {
    await t.dispose()
  })

  const count = async (table: string) =>
    (await t.database.query<{ n: number }>(`select count(*)::int as n from ${table}`)).rows[0]?.n ?? 0
  const start = (app: App, client: string, tenant = 'default') =>
    app.request('/v1/conversations', {
      method: 'POST',
      headers: { ...json, 'x-forwarded-for': `203.0.113.7, ${client}` },
      body: JSON.stringify({ tenant }),
    })
  /** Resolves once the conversation's user message is stored: its turn holds its place at the gate. */
  const stored = async (conversationId: string) => {
    for (let i = 0; i < 200; i++) {
      const { rows } = await t.database.query(
        `select 1 from messages where conversation_id = $1 and author = 'user'`,
        [conversationId],
      )
      if (rows.length > 0) return
      await new Promise((resolve) => setTimeout(resolve, 10))
    }
    throw new Error('the first turn never started')
  }
  const say = (app: App, c: { id: string; token: string }, text = QUESTION) =>
    app.request(`/v1/conversations/${c.id}/messages`, {
      method: 'POST',
      headers: { ...json, authorization: `Bearer ${c.token}` },
      body: JSON.stringify({ text }),
    })

  it('limits new conversations per client (the proxy’s address) and per tenant, with Retry-After', async () => {
    const { app } = await createTestApp(t.database, {
      env: {
        CLIENT_IP_HEADER: 'X-Forwarded-For',
        LIMIT_CONVERSATIONS_PER_CLIENT: '3',
        LIMIT_CONVERSATIONS_PER_TENANT: '5',
      },
      now: () => now,
    })
    for (let i = 0; i < 3; i++) expect((await start(app, '198.51.100.1')).status).toBe(201)
    const before = await count('conversations')
    const refused = await start(app, '198.51.100.1')
    expect(refused.status).toBe(429)
    expect(refused.headers.get('retry-after')).toBe('20')
    expect(await refused.json()).toEqual({
      error: { code: 'rate_limited', message: 'Too many new conversations. Please try again in 20 s.' },
    })
    expect(await count('conversations')).toBe(before)
    // Another client of the same tenant is not affected, until the tenant's total is reached.
    expect((await start(app, '198.51.100.2')).status).toBe(201)
    expect((await start(app, '198.51.100.3')).status).toBe(201)
    expect((await start(app, '198.51.100.4')).status).toBe(429)
    now += 20_000
    expect((await start(app, '198.51.100.1')).status).toBe(201)
  })

  it('counts an IPv6 /64 as one client: another address in it does not get a new budget', async () => {
    const { app } = await createTestApp(t.database, {
      env: { CLIENT_IP_HEADER: 'X-Forwarded-For', LIMIT_CONVERSATIONS_PER_CLIENT: '3' },
      now: () => now,
    })
    for (const address of ['2001:db8:7:1::1', '2001:db8:7:1::2', '2001:db8:7:1:ffff:1:2:3'])
      expect((await start(app, address)).status).toBe(201)
    const before = await count('conversations')
    for (const address of ['2001:db8:7:1::4', '[2001:db8:7:1::5]:443', '2001:0db8:0007:0001::6'])
      expect((await start(app, address)).status, address).toBe(429)
    expect(await count('conversations')).toBe(before)
    // The neighbouring /64 is another client.
    expect((await start(app, '2001:db8:7:2::1')).status).toBe(201)
  })

  it('limits messages per conversation and stores nothing for a refused one', async () => {
    const { app } = await createTestApp(t.database, {
      env: { LIMIT_MESSAGES_PER_CONVERSATION: '2' },
      now: () => now,
    })
    const c = (await (await start(app, '198.51.100.9')).json()) as { id: string; token: string }
    expect((await say(app, c)).status).toBe(200)
    expect((await say(app, c, 'Und wie beteiligen wir die Beschäftigten?')).status).toBe(200)
    const refused = await say(app, c, 'Eine dritte Frage zu schnell hinterher')
    expect(refused.status).toBe(429)
    expect(refused.headers.get('retry-after')).toBe('30')
    const { rows } = await t.database.query(
      `select count(*)::int as n from messages where conversation_id = $1 and author = 'user'`,
      [c.id],
    )
    expect(rows).toEqual([{ n: 2 }])
    // Another conversation is not affected.
    const other = (await (await start(app, '198.51.100.9')).json()) as { id: string; token: string }
    expect((await say(app, other)).status).toBe(200)
  })

  it('limits searches per client (the proxy’s address), with Retry-After', async () => {
    const { app } = await createTestApp(t.database, {
      env: { CLIENT_IP_HEADER: 'X-Forwarded-For', LIMIT_SEARCHES_PER_CLIENT: '2' },
      now: () => now,
    })
    const searchFrom = (client: string) =>
      app.request('/v1/search', {
        method: 'POST',
        headers: { ...json, 'x-forwarded-for': `203.0.113.7, ${client}` },
        body: JSON.stringify({ query: QUESTION }),
      })
    for (let i = 0; i < 2; i++) expect((await searchFrom('198.51.100.40')).status).toBe(200)
    const refused = await searchFrom('198.51.100.40')
    expect(refused.status).toBe(429)
    expect(refused.headers.get('retry-after')).toBe('30')
    expect(await refused.json()).toEqual({
      error: { code: 'rate_limited', message: 'Too many searches. Please try again in 30 s.' },
    })
    // Another client is not affected; the first may search again once a token is back.
    expect((await searchFrom('198.51.100.41')).status).toBe(200)
    now += 30_000
    expect((await searchFrom('198.51.100.40')).status).toBe(200)
  })

  it('refuses API requests with 503 busy while the server is overloaded, storing nothing', async () => {
    let overloaded = false
    const { app } = await createTestApp(t.database, { overloaded: () => overloaded })
    const c = (await (await start(app, '198.51.100.30')).json()) as { id: string; token: string }
    const before = [await count('conversations'), await count('messages')]
    overloaded = true
    for (const res of [await start(app, '198.51.100.31'), await say(app, c)]) {
      expect(res.status).toBe(503)
      expect(res.headers.get('retry-after')).toBe('2')
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('busy')
    }
    expect([await count('conversations'), await count('messages')]).toEqual(before)
    // Health checks still answer: the instance is busy, not broken.
    expect((await app.request('/healthz')).status).toBe(200)
    overloaded = false
    expect((await say(app, c)).status).toBe(200)
  })

  it('answers 503 busy when the model’s queue is full, storing nothing for that message', async () => {
    const model = createChatModel(loadConfig({ OPENAI_API_KEY: 'sk-test', MODEL_MAX_RETRIES: '0' }))
    const { app } = await createTestApp(t.database, {
      env: { MODEL_CONCURRENCY: '1', MODEL_QUEUE_LIMIT: '0' },
      model,
    })
    mockNetwork.use(
      chatHandler({
        delayMs: 300,
        route: () => ({ route: 'answer', confidence: 0.9, reason: 'design' }),
        answer: () => ({ pieces: ['Planen Sie einen Pilot [1].'] }),
      }),
    )
    const a = (await (await start(app, '198.51.100.20')).json()) as { id: string; token: string }
    const b = (await (await start(app, '198.51.100.21')).json()) as { id: string; token: string }
    const first = say(app, a)
    await stored(a.id)
    const second = await say(app, b)
    expect(second.status).toBe(503)
    expect(second.headers.get('retry-after')).toBe('5')
    expect(((await second.json()) as { error: { code: string } }).error.code).toBe('busy')
    const { rows } = await t.database.query(
      `select count(*)::int as n from messages where conversation_id = $1 and author = 'user'`,
      [b.id],
    )
    expect(rows).toEqual([{ n: 0 }])
    const answered = (await (await first).json()) as { message: { mode: string } }
    expect(answered.message.mode).toBe('generated')
    // The slot is free again.
    expect((await say(app, b)).status).toBe(200)
  })

  it('answers offline, flagged, when the wait for the model runs out', async () => {
    const model = createChatModel(loadConfig({ OPENAI_API_KEY: 'sk-test', MODEL_MAX_RETRIES: '0' }))
    const { app } = await createTestApp(t.database, {
      env: { MODEL_CONCURRENCY: '1', MODEL_QUEUE_LIMIT: '4', MODEL_QUEUE_TIMEOUT_MS: '100' },
      model,
    })
    mockNetwork.use(
      chatHandler({
        delayMs: 600,
        route: () => ({ route: 'answer', confidence: 0.9, reason: 'design' }),
        answer: () => ({ pieces: ['Planen Sie einen Pilot [1].'] }),
      }),
    )
    const a = (await (await start(app, '198.51.100.30')).json()) as { id: string; token: string }
    const b = (await (await start(app, '198.51.100.31')).json()) as { id: string; token: string }
    const first = say(app, a)
    await stored(a.id)
    const second = await say(app, b)
    expect(second.status).toBe(200)
    const { message } = (await second.json()) as { message: { mode: string; text: string } }
    expect(message.mode).toBe('extractive')
    expect(message.text).toMatch(/^Gerade stellen sehr viele Menschen Fragen/)
    const { rows } = await t.database.query<{ flags: string[] }>(
      `select flags from messages where conversation_id = $1 and author = 'assistant' order by seq desc limit 1`,
      [b.id],
    )
    expect(rows[0]?.flags).toEqual(['model_busy'])
    expect((await first).status).toBe(200)
  })
})
