// Erasure over HTTP: DELETE /v1/conversations/{id} leaves nothing derived from the conversation (corpus
// suggestions, knowledge gaps, feedback, announcements), ends its tickets whatever their state, and no
// mentor reply can be sent into it afterwards; the export includes the corpus suggestions. On the
// embedded database with a data directory, the erased texts are also gone from its files once the
// compactor has run, after an erasure and after a retention round.
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createCompactor } from '../../src/conversations/compaction.ts'
import { startRetention } from '../../src/conversations/retention.ts'
import type { Database } from '../../src/db/database.ts'
import { createPgliteDatabase } from '../../src/db/pglite.ts'
import { createLogger } from '../../src/log.ts'
import { createMentor } from '../../src/mentors/accounts.ts'
import { createLocalEmbedder } from '../../src/retrieval/embedders/local-embedder.ts'
import { ingestCorpus } from '../../src/retrieval/ingest.ts'
import { pgliteAdapter, type TestDatabase } from '../helpers/databases.ts'
import { createTestApp } from '../helpers/test-app.ts'

type App = Awaited<ReturnType<typeof createTestApp>>['app']
type Conversation = { id: string; token: string }
const WEBHOOK = 'https://hooks.example.org/mentors'

/** The user's and the mentor's side of one conversation, driven over HTTP. */
function client(app: App) {
  const call = (path: string, token: string | undefined, init: { method?: string; body?: unknown } = {}) =>
    app.request(path, {
      method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
      headers: {
        'content-type': 'application/json',
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
    })
  return {
    call,
    async start(): Promise<Conversation> {
      return (await (await call('/v1/conversations', undefined, { body: {} })).json()) as Conversation
    },
    async say(c: Conversation, text: string) {
      const res = await call(`/v1/conversations/${c.id}/messages`, c.token, { body: { text } })
      expect(res.status).toBe(200)
      return ((await res.json()) as { message: { id: string; handoff?: { id: string } } }).message
    },
    /** A works-council question with a contact address, claimed and answered by the mentor (proposed for the corpus). */
    async answeredHandoff(
      c: Conversation,
      mentor: string,
      texts: { question: string; email: string; reply: string },
      suggestForCorpus = true,
    ) {
      const handoff = (await this.say(c, texts.question)).handoff?.id ?? ''
      expect(handoff).not.toBe('')
      const contact = await call(`/v1/conversations/${c.id}/handoffs/${handoff}/contact`, c.token, {
        body: { email: texts.email, consent: true },
      })
      expect(contact.status).toBe(204)
      expect((await call(`/v1/handoffs/${handoff}/claim`, mentor, { method: 'POST' })).status).toBe(200)
      const replied = await call(`/v1/handoffs/${handoff}/reply`, mentor, {
        body: { text: texts.reply, suggestForCorpus },
      })
      expect(replied.status).toBe(201)
      const { messageId } = (await replied.json()) as { messageId: string }
      return { handoff, reply: messageId }
    },
  }
}

describe('erasure over HTTP', () => {
  const logLines: string[] = []
  let t: TestDatabase
  let app: App
  let mentor: string
  let api: ReturnType<typeof client>
  beforeAll(async () => {
    t = await pgliteAdapter.open()
    app = (
      await createTestApp(t.database, {
        env: { HANDOFF_WEBHOOK_URL: WEBHOOK },
        logger: createLogger('info', (line) => logLines.push(line)),
      })
    ).app
    await ingestCorpus({ database: t.database, embedder: createLocalEmbedder(), corpusDir: 'corpus' })
    mentor = (await createMentor(t.database, { name: 'Mia Mentor', tenant: 'default', role: 'mentor' })).token
    api = client(app)
  })
  afterAll(async () => {
    await t.dispose()
  })

  const rows = async (sql: string, params: unknown[]) => (await t.database.query(sql, params)).rows

  it('erases everything derived from the conversation and ends its tickets, answered ones too', async () => {
    const c = await api.start()
    const { handoff, reply } = await api.answeredHandoff(c, mentor, {
      question: 'Muss unser Betriebsrat zustimmen? Schreiben Sie mir an lea.lux@beispiel-gmbh.de',
      email: 'lea.lux@beispiel-gmbh.de',
      reply: 'Guten Tag Frau Lux, der Betriebsrat bestimmt mit. – Mia Mentor',
    })
    const rated = await api.call(`/v1/messages/${reply}/feedback`, c.token, {
      body: { rating: 'up', comment: 'Danke, Lea Lux' },
    })
    expect(rated.status).toBe(201)
    await api.say(c, 'Welche Förderquote gilt für Quantencomputer-Pilotanlagen in Mecklenburg?')
    // Stored without the address (every mentor of the tenant reads suggestions), and in the export.
    const suggestions = (await (await api.call('/v1/suggestions', mentor)).json()) as {
      suggestions: Array<{ handoffId: string; question: string; reply: string }>
    }
    const suggestion = suggestions.suggestions.find((s) => s.handoffId === handoff)
    expect(suggestion?.question).toBe('Muss unser Betriebsrat zustimmen? Schreiben Sie mir an [E-Mail]')
    const exported = (await (await api.call(`/v1/conversations/${c.id}/export`, c.token)).json()) as {
      corpusSuggestions: Array<{ handoffId: string; reply: string }>
    }
    expect(exported.corpusSuggestions).toEqual([
      expect.objectContaining({
        handoffId: handoff,
        reply: 'Guten Tag Frau Lux, der Betriebsrat bestimmt mit. – Mia Mentor',
      }),
    ])
    const derived = async () => ({
      suggestions: await rows(
        'select 1 from corpus_suggestions s join handoffs h on h.id = s.handoff_id where h.conversation_id = $1',
        [c.id],
      ),
      gaps: await rows('select 1 from knowledge_gaps where conversation_id = $1', [c.id]),
      feedback: await rows('select 1 from feedback where message_id = $1', [reply]),
      messages: await rows('select 1 from messages where conversation_id = $1', [c.id]),
      notices: await rows(`select 1 from outbox where payload->>'handoffId' = $1`, [handoff]),
    })
    const before = await derived()
    for (const [what, found] of Object.entries(before)) expect(found.length, what).toBeGreaterThan(0)
    const gapCount = (await rows('select count(*)::int as n from knowledge_gaps', []))[0]

    expect((await api.call(`/v1/conversations/${c.id}`, c.token, { method: 'DELETE' })).status).toBe(204)

    expect(await derived()).toEqual({ suggestions: [], gaps: [], feedback: [], messages: [], notices: [] })
    // Logged with its id, never its text: the erasure can be applied again to a restored backup.
    const logged = logLines.filter((line) => line.includes('conversation erased'))
    expect(logged.map((line) => JSON.parse(line))).toEqual([
      expect.objectContaining({ msg: 'conversation erased', conversationId: c.id }),
    ])
    expect((await rows('select count(*)::int as n from knowledge_gaps', []))[0]).toEqual({
      n: (gapCount?.n as number) - 1,
    })
    const after = (await (await api.call('/v1/suggestions', mentor)).json()) as { suggestions: unknown[] }
    expect(JSON.stringify(after)).not.toMatch(/Lux|beispiel-gmbh/)
    // The answered ticket is closed, without its texts; the mentor sees that and nothing more.
    const ticket = (await (await api.call(`/v1/handoffs/${handoff}`, mentor)).json()) as Record<
      string,
      unknown
    >
    expect(ticket).toMatchObject({
      status: 'closed',
      transcript: [],
      replies: [],
      contactEmail: null,
      question: '',
    })
    expect(JSON.stringify(ticket)).not.toMatch(/Lux|Betriebsrat zustimmen/)
  })

  it('refuses a mentor reply into an erased conversation, storing nothing and keeping its retention clock', async () => {
    const c = await api.start()
    const { handoff } = await api.answeredHandoff(c, mentor, {
      question: 'Dürfen wir mit KI die Leistung einzelner Beschäftigter bewerten?',
      email: 'kontakt@example.org',
      reply: 'Das ist mitbestimmungspflichtig. – Mia Mentor',
    })
    expect((await api.call(`/v1/conversations/${c.id}`, c.token, { method: 'DELETE' })).status).toBe(204)
    const clock = await rows('select updated_at from conversations where id = $1', [c.id])

    const late = await api.call(`/v1/handoffs/${handoff}/reply`, mentor, {
      body: { text: 'Noch ein Nachtrag.' },
    })
    expect(late.status).toBe(409)
    expect(await late.json()).toEqual({
      error: {
        code: 'conflict',
        message: 'The user erased this conversation: the reply cannot be delivered.',
      },
    })
    expect(await rows('select 1 from messages where conversation_id = $1', [c.id])).toEqual([])
    expect(await rows('select updated_at from conversations where id = $1', [c.id])).toEqual(clock)
    // Nor can the ticket be taken up again.
    expect((await api.call(`/v1/handoffs/${handoff}/claim`, mentor, { method: 'POST' })).status).toBe(409)
    const draft = await api.call(`/v1/handoffs/${handoff}/draft`, mentor, { method: 'POST' })
    expect(draft.status).toBe(409)
    expect(await draft.json()).toMatchObject({ error: { code: 'conflict' } })
  })

  it('withdraws a ticket no mentor has answered yet, and its announcement with it', async () => {
    const c = await api.start()
    const handoff = (await api.say(c, 'Muss unser Betriebsrat der Einführung von KI zustimmen?')).handoff?.id
    expect(await rows(`select 1 from outbox where payload->>'handoffId' = $1`, [handoff])).toHaveLength(1)
    expect((await api.call(`/v1/conversations/${c.id}`, c.token, { method: 'DELETE' })).status).toBe(204)
    expect(await rows('select status from handoffs where id = $1', [handoff])).toEqual([
      { status: 'withdrawn' },
    ])
    // Not announced after the erasure.
    expect(await rows(`select 1 from outbox where payload->>'handoffId' = $1`, [handoff])).toEqual([])
  })
})

/** Every file under `dir` that holds `needle` (UTF-8), relative to `dir`. */
function filesHolding(dir: string, needle: string): string[] {
  const bytes = Buffer.from(needle)
  const found: string[] = []
  const walk = (at: string) => {
    for (const name of readdirSync(at)) {
      const path = join(at, name)
      if (statSync(path).isDirectory()) walk(path)
      else if (readFileSync(path).includes(bytes)) found.push(path.slice(dir.length + 1))
    }
  }
  walk(dir)
  return found.sort()
}

describe('erased text in the embedded database’s files', () => {
  let dir: string
  let database: Database
  let app: App
  let mentor: string
  let compactor: ReturnType<typeof createCompactor>
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mentor-erasure-'))
    database = await createPgliteDatabase({ dataDir: dir })
    // Compactions run when the test says so (flush), not on a timer.
    compactor = createCompactor(database, { debounceMs: 3_600_000 })
    app = (await createTestApp(database, { compactor })).app
    mentor = (await createMentor(database, { name: 'Mia Mentor', tenant: 'default', role: 'mentor' })).token
  })
  afterAll(async () => {
    await compactor.stop()
    await database.close()
    rmSync(dir, { recursive: true, force: true })
  })

  /**
   * One conversation with its texts in every table that holds text; returns the markers it wrote.
   * Without `suggest`, the reply is not proposed for the corpus (suggestions outlive retention).
   */
  async function conversationWithMarkers(tag: string, suggest = true) {
    const api = client(app)
    const markers = {
      question: `Schwalbenfrage-${tag}`,
      email: `schwalbe.${tag}@beispiel.de`,
      reply: `Schwalbenantwort-${tag}`,
      comment: `Schwalbenkommentar-${tag}`,
      gap: `Schwalbenluecke-${tag}`,
    }
    const c = await api.start()
    // Nothing in the (empty) knowledge base covers it: a knowledge gap.
    await api.say(c, `Welche Förderquote gilt für Quantencomputer-Pilotanlagen in ${markers.gap}?`)
    const gaps = await database.query('select 1 from knowledge_gaps where conversation_id = $1', [c.id])
    expect(gaps.rows).toHaveLength(1)
    const { reply } = await api.answeredHandoff(
      c,
      mentor,
      {
        question: `Muss unser Betriebsrat zustimmen? ${markers.question}`,
        email: markers.email,
        reply: `Ja, er bestimmt mit. ${markers.reply}`,
      },
      suggest,
    )
    await api.call(`/v1/messages/${reply}/feedback`, c.token, {
      body: { rating: 'up', comment: markers.comment },
    })
    await database.exec('checkpoint')
    for (const marker of Object.values(markers)) expect(filesHolding(dir, marker), marker).not.toEqual([])
    return { conversation: c, markers: Object.values(markers), api }
  }

  it('after an erasure, once compacted, no file of the data directory holds the erased text', async () => {
    const { conversation: c, markers, api } = await conversationWithMarkers('e1')
    expect(filesHolding(dir, markers[0] as string).some((f) => f.startsWith('pg_wal/'))).toBe(true)

    expect((await api.call(`/v1/conversations/${c.id}`, c.token, { method: 'DELETE' })).status).toBe(204)
    // Deleted rows stay in the files until the tables are rewritten and the log segment is gone.
    await database.exec('checkpoint')
    expect(filesHolding(dir, markers[0] as string)).not.toEqual([])

    expect(await compactor.flush()).toBe(true)
    for (const marker of markers) expect(filesHolding(dir, marker), marker).toEqual([])
    // Nothing was pending any more.
    expect(await compactor.flush()).toBe(false)
  })

  it('after a retention round, once compacted, no file holds the purged text', async () => {
    const { conversation: c, markers } = await conversationWithMarkers('r1', false)
    await database.query(`update conversations set updated_at = '2020-01-01' where id = $1`, [c.id])
    await database.query(`update handoffs set updated_at = '2020-01-01' where conversation_id = $1`, [c.id])
    await database.query(`update knowledge_gaps set created_at = '2020-01-01' where conversation_id = $1`, [
      c.id,
    ])
    const retention = startRetention(database, {
      days: 180,
      intervalMs: 3_600_000,
      logger: createLogger('silent'),
      compactor,
    })
    await retention.stop()
    expect(await database.query('select 1 from conversations where id = $1', [c.id])).toMatchObject({
      rows: [],
    })
    // The round asked for a compaction; running it removes the text from every file.
    expect(await compactor.flush()).toBe(true)
    for (const marker of markers) expect(filesHolding(dir, marker), marker).toEqual([])
  })
})
