// What one chat turn asks of the database, and what the merged statements must still guarantee: the
// user's message stored before any model call or retrieval, another conversation's token refused with
// nothing stored, a retried message not stored twice, the route recorded on the user's message, the
// history oldest first.
import { http } from 'msw'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { TURN_HISTORY } from '../../src/agents/mentor.ts'
import { createChatModel } from '../../src/agents/models.ts'
import { loadConfig } from '../../src/config.ts'
import { addMessage, findConversation, recentMessages } from '../../src/conversations/repository.ts'
import { createLocalEmbedder } from '../../src/retrieval/embedders/local-embedder.ts'
import { ingestCorpus } from '../../src/retrieval/ingest.ts'
import { vectorMemory } from '../../src/retrieval/vector-memory.ts'
import { setTenant } from '../../src/tenants/tenants.ts'
import { databaseAdapters, pgliteAdapter, type TestDatabase } from '../helpers/databases.ts'
import { mockNetwork } from '../helpers/mock-network.ts'
import { chatHandler, OPENAI_BASE } from '../helpers/openai-mock.ts'
import { recordStatements, type StatementLog } from '../helpers/statement-log.ts'
import { createTestApp } from '../helpers/test-app.ts'

const json = { 'content-type': 'application/json' }
const QUESTION = 'Wie planen wir die Terminplanung mit KI im Handwerksbetrieb?'
const PAGE = 'https://verband.example'
type App = Awaited<ReturnType<typeof createTestApp>>['app']
type Started = { id: string; token: string }

const start = async (app: App, headers: Record<string, string> = {}) =>
  (await (
    await app.request('http://localhost/v1/conversations', {
      method: 'POST',
      headers: { ...json, ...headers },
      body: '{}',
    })
  ).json()) as Started

const send = (app: App, c: Started, text: string, headers: Record<string, string> = {}) =>
  app.request(`http://localhost/v1/conversations/${c.id}/messages`, {
    method: 'POST',
    headers: { ...json, accept: 'text/event-stream', authorization: `Bearer ${c.token}`, ...headers },
    body: JSON.stringify({ text }),
  })

/** Names each statement by what it does, so that a test can compare the list of a turn. */
function kind(sql: string): string {
  if (sql.startsWith('select c.*, (select allowed_origins')) return 'conversation + origins + history'
  if (sql.startsWith('with touched as') && sql.includes('insert into messages')) return 'message'
  if (sql.startsWith('with p as (select $1::vector')) return 'search'
  // The embedded database ranks in process: its search reads only the generation and the stemmed query.
  if (
    sql.startsWith('select (select value from retrieval_generation)') &&
    sql.includes('websearch_to_tsquery')
  )
    return 'search'
  if (sql.startsWith('select 1 from tenants where $1 = any(allowed_origins)'))
    return 'origin allowed anywhere'
  if (sql.startsWith('select slug, name, allowed_origins')) return 'tenant'
  if (sql.startsWith('with conversation as ( insert into conversations')) return 'conversation + opening'
  return sql.slice(0, 60)
}

describe('the statements of a chat turn', () => {
  let t: TestDatabase
  let log: StatementLog
  let offline: App
  let online: App
  beforeAll(async () => {
    t = await pgliteAdapter.open()
    log = recordStatements(t.database)
    offline = (await createTestApp(log.database)).app
    const model = createChatModel(loadConfig({ OPENAI_API_KEY: 'sk-test', MODEL_MAX_RETRIES: '0' }))
    online = (await createTestApp(log.database, { model, migrated: false })).app
    const embedder = createLocalEmbedder()
    await ingestCorpus({ database: t.database, embedder, corpusDir: 'tests/fixtures/corpus' })
    // As the server does at start: the embedded database's search reads its vectors once, not per turn.
    await vectorMemory(log.database, embedder.id, embedder.dimensions)
    await setTenant(t.database, 'default', {
      name: 'Default',
      origins: [PAGE],
      privacyUrl: null,
      webhookUrl: null,
      webhookFormat: 'json',
      theme: {},
    })
  })
  afterAll(() => t.dispose())

  const messagesOf = async (conversationId: string) =>
    (
      await t.database.query<{ id: string; author: string; text: string; route: string | null }>(
        'select id, author, text, route from messages where conversation_id = $1 order by seq',
        [conversationId],
      )
    ).rows

  it.each([
    ['offline', () => offline],
    ['with a model', () => online],
  ])('starts a conversation in two statements and answers a message in four (%s)', async (_, app) => {
    mockNetwork.use(
      chatHandler({
        route: () => ({ route: 'answer', confidence: 0.9, reason: 'A design question.' }),
        answer: () => ({ pieces: ['Fangen Sie mit einem kleinen Pilot an [1].'] }),
      }),
    )
    log.reset()
    const c = await start(app())
    expect(log.statements.map(kind)).toEqual(['tenant', 'conversation + opening'])
    log.reset()
    const res = await send(app(), c, QUESTION)
    expect(await res.text()).toMatch(/event: done/)
    // Read (with the history), the user's message, the search, the reply with the route.
    expect(log.statements.map(kind)).toEqual([
      'conversation + origins + history',
      'message',
      'search',
      'message',
    ])
  })

  it('runs the CORS check once for a page of another origin, and reads the tenant once', async () => {
    log.reset()
    const c = await start(offline, { origin: PAGE })
    expect(log.statements.map(kind)).toEqual(['origin allowed anywhere', 'tenant', 'conversation + opening'])
    log.reset()
    const res = await send(offline, c, QUESTION, { origin: PAGE })
    expect(res.headers.get('access-control-allow-origin')).toBe(PAGE)
    expect(await res.text()).toMatch(/event: done/)
    expect(log.statements.map(kind)).toEqual([
      'origin allowed anywhere',
      'conversation + origins + history',
      'message',
      'search',
      'message',
    ])
  })

  it("refuses a page of an origin that another tenant allows, storing nothing, from the conversation's read", async () => {
    await setTenant(t.database, 'andere', {
      name: 'Anderer Verband',
      origins: ['https://andere.example'],
      privacyUrl: null,
      webhookUrl: null,
      webhookFormat: 'json',
      theme: {},
    })
    const c = await start(offline)
    const before = await messagesOf(c.id)
    const res = await send(offline, c, QUESTION, { origin: 'https://andere.example' })
    expect(res.status).toBe(403)
    expect(await messagesOf(c.id)).toEqual(before)
  })

  it('stores the user’s message before the model is called, and its route with the reply', async () => {
    const c = await start(online)
    const seenByModel: Array<{ author: string; text: string; route: string | null }[]> = []
    mockNetwork.use(
      chatHandler({
        route: () => ({ route: 'answer', confidence: 0.9, reason: 'A design question.' }),
        answer: () => ({ pieces: ['Fangen Sie mit einem kleinen Pilot an [1].'] }),
      }),
    )
    // Runs first and answers nothing: records what the database holds when each model call arrives.
    mockNetwork.use(
      http.post(`${OPENAI_BASE}/chat/completions`, async () => {
        seenByModel.push((await messagesOf(c.id)).map(({ author, text, route }) => ({ author, text, route })))
        return undefined
      }),
    )
    const res = await send(online, c, QUESTION)
    const events = [...(await res.text()).matchAll(/^event: (\w+)$/gm)].map((m) => m[1])
    expect(events[0]).toBe('route')
    expect(events.at(-1)).toBe('done')
    expect(seenByModel).toHaveLength(2)
    for (const seen of seenByModel)
      expect(seen.at(-1)).toEqual({ author: 'user', text: QUESTION, route: null })
    const stored = await messagesOf(c.id)
    expect(stored.slice(-2).map(({ author, route }) => ({ author, route }))).toEqual([
      { author: 'user', route: 'answer' },
      { author: 'assistant', route: 'answer' },
    ])
  })

  it('keeps the user’s message, routed, when both model calls fail', async () => {
    const c = await start(online)
    mockNetwork.use(chatHandler({}))
    const res = await send(online, c, QUESTION)
    expect(await res.text()).toMatch(/event: done/)
    const stored = await messagesOf(c.id)
    expect(stored.filter((m) => m.author === 'user')).toEqual([
      expect.objectContaining({ text: QUESTION, route: 'answer' }),
    ])
    expect(stored.at(-1)?.author).toBe('assistant')
  })

  it('records a crisis on the user’s message with the handoff reply', async () => {
    const c = await start(offline)
    const res = await send(offline, c, 'Ich will nicht mehr leben.')
    expect(await res.text()).toMatch(/event: handoff/)
    const stored = await messagesOf(c.id)
    expect(stored.slice(-2).map(({ author, route }) => ({ author, route }))).toEqual([
      { author: 'user', route: 'crisis' },
      { author: 'assistant', route: 'crisis' },
    ])
  })

  it('refuses the token of another conversation with one statement and stores nothing', async () => {
    const mine = await start(offline)
    const other = await start(offline)
    const before = [await messagesOf(mine.id), await messagesOf(other.id)]
    log.reset()
    const res = await send(offline, { id: mine.id, token: other.token }, QUESTION)
    expect(res.status).toBe(404)
    expect(log.statements.map(kind)).toEqual(['conversation + origins + history'])
    expect([await messagesOf(mine.id), await messagesOf(other.id)]).toEqual(before)
  })

  it('reuses a stored, unrouted message when the same text is sent again (a retried turn)', async () => {
    const c = await start(offline)
    // A turn that failed after storing the user's message and before its reply.
    await addMessage(t.database, { conversationId: c.id, author: 'user', text: QUESTION, lang: 'de' })
    const res = await send(offline, c, QUESTION)
    expect(await res.text()).toMatch(/event: done/)
    const users = (await messagesOf(c.id)).filter((m) => m.author === 'user')
    expect(users).toEqual([expect.objectContaining({ text: QUESTION, route: 'answer' })])
  })
})

describe.each(databaseAdapters)('a conversation read with its history: $name', (adapter) => {
  let t: TestDatabase
  beforeAll(async () => {
    t = await adapter.open()
    await createTestApp(t.database)
  })
  afterAll(() => t.dispose())

  it('returns the last messages oldest first, as the history query does', async () => {
    const { rows } = await t.database.query<{ id: string }>(
      `insert into conversations (tenant_slug, channel, locale, token_hash) values ('default', 'api', 'de', 'x')
       returning id`,
    )
    const id = rows[0]?.id as string
    for (let i = 1; i <= TURN_HISTORY + 3; i++) {
      await addMessage(t.database, {
        conversationId: id,
        author: i % 2 ? 'user' : 'assistant',
        text: `Nachricht ${i}`,
        lang: 'de',
        citations:
          i % 2
            ? []
            : [{ n: 1, documentId: 'pilot', title: 'Pilot', heading: 'Start', reviewed: '2026-11-24' }],
        flags: i === 4 ? ['handoff_offer'] : [],
      })
    }
    const found = await findConversation(t.database, id, { history: TURN_HISTORY })
    const expected = await recentMessages(t.database, id, TURN_HISTORY)
    expect(found?.history.map((m) => m.text)).toEqual(
      Array.from({ length: TURN_HISTORY }, (_, i) => `Nachricht ${i + 4}`),
    )
    const comparable = (m: (typeof expected)[number]) => ({
      ...m,
      created_at: new Date(m.created_at).getTime(),
    })
    expect(found?.history.map(comparable)).toEqual(expected.map(comparable))
    expect(found?.origins).toEqual([])
    expect((await findConversation(t.database, id))?.history).toEqual([])
  })
})
