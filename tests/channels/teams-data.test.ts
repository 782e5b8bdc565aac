// The Teams channel and the user's data, against the fake of Microsoft's side (tests/helpers/teams-fake.ts)
// with the work done after the response: export and erasure by chat command (erasing only after the
// confirmation card, a card of an erased conversation erasing nothing new, personal chats only),
// ratings kept per reply and person in a shared chat, and the card button refused by the tenant's
// handoff limit. Real database, real compactor.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { createCompactor } from '../../src/conversations/compaction.ts'
import { createMentor } from '../../src/mentors/accounts.ts'
import { createLocalEmbedder } from '../../src/retrieval/embedders/local-embedder.ts'
import { ingestCorpus } from '../../src/retrieval/ingest.ts'
import { createTurnTracker, type TurnTracker } from '../../src/server/turn-tracker.ts'
import { pgliteAdapter, type TestDatabase } from '../helpers/databases.ts'
import { mockNetwork } from '../helpers/mock-network.ts'
import {
  BOT_MENTION,
  createTeamsFake,
  incomingActivity,
  type Posted,
  postActivity,
  streamInfo,
  TEAMS_ENV,
  type TeamsFake,
} from '../helpers/teams-fake.ts'
import { createTestApp } from '../helpers/test-app.ts'

type TestApp = Awaited<ReturnType<typeof createTestApp>>['app']
type Card = { contentType: string; content: { actions?: Array<{ title: string; data: unknown }> } }

describe('Microsoft Teams channel: the user’s data, ratings per person, the handoff limit', () => {
  let t: TestDatabase
  let fake: TeamsFake
  let app: TestApp
  const turns = createTurnTracker()
  let compactor: ReturnType<typeof createCompactor>
  let mentorToken: string

  beforeAll(async () => {
    t = await pgliteAdapter.open()
    // Compacts only when the test asks (flush): whether an erasure requested it is what is checked.
    compactor = createCompactor(t.database, { debounceMs: 3_600_000 })
    app = (
      await createTestApp(t.database, {
        env: { ...TEAMS_ENV, TEAMS_TENANTS: 'aad-sued=default' },
        turns,
        compactor,
      })
    ).app
    await ingestCorpus({ database: t.database, embedder: createLocalEmbedder(), corpusDir: 'corpus' })
    fake = await createTeamsFake()
    mentorToken = (await createMentor(t.database, { name: 'Anna Berg', tenant: 'default', role: 'mentor' }))
      .token
  })
  afterAll(async () => {
    await compactor.stop()
    await t.dispose()
  })
  beforeEach(() => {
    fake.reset()
    mockNetwork.use(...fake.handlers())
  })

  /** Waits until the work after the responses is done. */
  const settle = async (tracker: TurnTracker = turns) => expect(await tracker.drain(20_000)).toBe(true)
  const personal = (id: string) => ({ id, conversationType: 'personal', tenantId: 'aad-sued' })
  const group = (id: string) => ({ id, conversationType: 'groupChat', tenantId: 'aad-sued' })

  /** Sends an activity, waits for the work after the response; what reached the chat (bodies). */
  async function send(overrides: Record<string, unknown>, to: TestApp = app, tracker: TurnTracker = turns) {
    fake.reset()
    const res = await postActivity(to, incomingActivity(overrides), await fake.sign())
    expect(res.status).toBe(200)
    await settle(tracker)
    return fake.messages().map((p) => p.body)
  }

  const mentorHeaders = () => ({ authorization: `Bearer ${mentorToken}`, 'content-type': 'application/json' })
  /** The open Teams ticket in the mentor queue, claimed by the mentor; returns its id. */
  async function claimTeamsHandoff(): Promise<string> {
    const queue = (await (
      await app.request('/v1/handoffs?status=open', { headers: mentorHeaders() })
    ).json()) as { handoffs: Array<{ id: string; channel: string }> }
    const ticket = queue.handoffs.find((h) => h.channel === 'teams')
    expect(ticket).toBeDefined()
    await app.request(`/v1/handoffs/${ticket?.id}/claim`, { method: 'POST', headers: mentorHeaders() })
    return ticket?.id ?? ''
  }
  /** The current (not erased) mentor conversation of a Teams conversation. */
  const current = async (teamsConversation: string) =>
    (
      await t.database.query<{ id: string }>(
        `select id from conversations where channel_ref->>'conversationId' = $1 and erased_at is null`,
        [teamsConversation],
      )
    ).rows[0]?.id
  const userMessages = async (teamsConversation: string) =>
    (
      await t.database.query<{ text: string }>(
        `select m.text from messages m join conversations c on c.id = m.conversation_id
         where c.channel_ref->>'conversationId' = $1 and m.author = 'user' order by m.seq`,
        [teamsConversation],
      )
    ).rows.map((r) => r.text)

  it('exports and erases the user’s data on a chat command, erasing only after the confirmation', async () => {
    const conversation = personal('a:personal-data')
    const say = (text: string, overrides: Record<string, unknown> = {}) =>
      send({ conversation, text, ...overrides })
    const press = (value: Record<string, unknown>) => send({ conversation, text: undefined, value })
    /** A data command is answered by itself: no turn, no stream, nothing stored as a message. */
    const noTurn = () => expect(fake.posted.filter((p) => p.body.type === 'typing')).toEqual([])

    expect(await say('Meine Daten exportieren')).toEqual([
      expect.objectContaining({ text: 'Zu diesem Chat hat der Digital-Mentor nichts gespeichert.' }),
    ])
    noTurn()
    expect(await current(conversation.id)).toBeUndefined()

    const question =
      'Muss unser Betriebsrat der Einführung von KI zustimmen? Meine Adresse: ida.iltis@beispiel.de'
    const handedOver = await say(question)
    expect(streamInfo(fake.messages().at(-1) as Posted)?.streamType).toBe('final')
    expect(handedOver.at(-1)?.attachments).toHaveLength(1)
    const id = await current(conversation.id)
    expect(id).toBeDefined()

    const exported = await say('Meine Daten exportieren!')
    noTurn()
    const parts = exported.map((b) => b.text as string)
    expect(parts[0]).toMatch(
      /^Ihre Daten: alles, was der Digital-Mentor zu diesem Chat gespeichert hat \(JSON, Teil 1 von \d+\)/,
    )
    // Each part answers the command's activity.
    for (const p of fake.messages()) expect(p.body.replyToId).toBeDefined()
    const json = JSON.parse(parts.map((p) => p.slice(p.indexOf('\n\n') + 2)).join('\n')) as {
      conversation: { id: string; channel: string }
      messages: Array<{ author: string; text: string }>
      handoffs: Array<{ reason: string }>
    }
    expect(json.conversation).toMatchObject({ id, channel: 'teams' })
    // The commands themselves are not part of the conversation.
    expect(json.messages.filter((m) => m.author === 'user').map((m) => m.text)).toEqual([question])
    expect(json.handoffs).toEqual([expect.objectContaining({ reason: 'works_council' })])

    // A mentor's reply waits in the outbox while the connector is down.
    const ticketId = await claimTeamsHandoff()
    fake.messageStatus = 503
    const replied = await app.request(`/v1/handoffs/${ticketId}/reply`, {
      method: 'POST',
      headers: mentorHeaders(),
      body: JSON.stringify({ text: 'Guten Tag Frau Iltis, hier antwortet Anna Berg.' }),
    })
    expect(replied.status).toBe(201)
    fake.messageStatus = 201
    const waiting = async () =>
      (
        await t.database.query(
          `select 1 from outbox where topic = 'teams.reply' and delivered_at is null
             and payload->>'conversationId' = $1`,
          [conversation.id],
        )
      ).rows.length
    expect(await waiting()).toBe(1)

    // Asked to delete: a card asks first, and nothing is deleted until its button is pressed.
    const [card] = await say('Meine Daten löschen')
    noTurn()
    const actions = (card?.attachments as Card[] | undefined)?.[0]?.content.actions
    expect(actions?.map((a) => a.title)).toEqual(['Ja, löschen', 'Abbrechen'])
    expect(actions?.[0]?.data).toEqual({ action: 'data.erase', conversation: id })
    expect(await current(conversation.id)).toBe(id)
    expect(await press({ action: 'data.cancel' })).toEqual([
      expect.objectContaining({ text: 'Gut, es wurde nichts gelöscht.' }),
    ])
    expect(await current(conversation.id)).toBe(id)
    expect(await userMessages(conversation.id)).toEqual([question])
    // Nothing was erased, so nothing asked for a compaction.
    expect(await compactor.flush()).toBe(false)

    const erased = await press(actions?.[0]?.data as Record<string, unknown>)
    expect(erased).toHaveLength(1)
    expect(erased[0]?.text).toMatch(
      /^Erledigt: Alles, was der Digital-Mentor zu diesem Chat gespeichert hatte, ist gelöscht/,
    )
    expect(await current(conversation.id)).toBeUndefined()
    const left = await t.database.query('select 1 from messages where conversation_id = $1', [id])
    expect(left.rows).toEqual([])
    const ticket = await t.database.query<{ status: string }>(
      'select status from handoffs where conversation_id = $1',
      [id],
    )
    // The answered ticket is closed, and the reply still waiting for the connector will not be sent.
    expect(ticket.rows).toEqual([{ status: 'closed' }])
    expect(await waiting()).toBe(0)
    // The erasure asked the embedded database to be compacted (the erased text leaves its files).
    expect(await compactor.flush()).toBe(true)

    // The card of the erased conversation erases nothing of a new one.
    await say('Was ist ein Pilotprojekt?')
    const next = await current(conversation.id)
    expect(next).toBeDefined()
    expect(next).not.toBe(id)
    expect(await press(actions?.[0]?.data as Record<string, unknown>)).toEqual([
      expect.objectContaining({
        text: expect.stringMatching(/^Diese Bestätigung gehört zu einem früheren Gespräch/),
      }),
    ])
    expect(await current(conversation.id)).toBe(next)
    expect(await userMessages(conversation.id)).toEqual(['Was ist ein Pilotprojekt?'])
    expect(await compactor.flush()).toBe(false)

    // English; a question that merely mentions data is a question, answered by a turn.
    const [english] = await say('Delete my data', { locale: 'en-US' })
    const englishActions = (english?.attachments as Card[] | undefined)?.[0]?.content.actions
    expect(englishActions?.map((a) => a.title)).toEqual(['Yes, delete', 'Cancel'])
    const asked = 'Wie kann ich meine Daten löschen lassen, wenn wir ein KI-Tool einführen?'
    const answered = await say(asked)
    expect(streamInfo(fake.messages().at(-1) as Posted)?.streamType).toBe('final')
    expect(String(answered.at(-1)?.text)).not.toMatch(/^Möchten Sie alles löschen/)
    expect(await userMessages(conversation.id)).toEqual(['Was ist ein Pilotprojekt?', asked])
  })

  it('answers data commands only in a personal chat: a group chat is told so, and only when it mentions the bot', async () => {
    const chat = group('19:data@thread.v2')
    // Not addressed to the bot: nothing sent, nothing stored.
    expect(await send({ conversation: chat, text: 'Meine Daten löschen' })).toEqual([])
    expect(fake.posted).toEqual([])
    const told = await send({
      conversation: chat,
      text: '<at>Digital-Mentor</at> Meine Daten löschen',
      entities: [BOT_MENTION],
    })
    expect(told).toEqual([
      expect.objectContaining({ text: expect.stringMatching(/^Ihre Daten können Sie im persönlichen Chat/) }),
    ])
    expect(fake.posted.map((p) => p.body.type)).toEqual(['message'])
    // A confirmation button's value sent in a group chat (no such card is shown there) erases nothing.
    await send({
      conversation: chat,
      text: '<at>Digital-Mentor</at> Was ist ein Pilotprojekt?',
      entities: [BOT_MENTION],
    })
    const id = await current(chat.id)
    expect(id).toBeDefined()
    expect(
      await send({ conversation: chat, text: undefined, value: { action: 'data.erase', conversation: id } }),
    ).toEqual([])
    expect(await current(chat.id)).toBe(id)
    expect(await userMessages(chat.id)).toEqual(['Was ist ein Pilotprojekt?'])
  })

  it('keeps one rating per reply and person in a shared chat, changed in place', async () => {
    const chat = group('19:ratings@thread.v2')
    await send({
      conversation: chat,
      text: '<at>Digital-Mentor</at> Was ist ein Pilotprojekt?',
      entities: [BOT_MENTION],
    })
    const answer = fake.messages().at(-1) as Posted
    expect(answer.status).toBe(201)
    const answerId = answer.answer.id as string
    const rate = async (user: string, reaction: 'like' | 'dislike', feedbackText = '') => {
      const res = await postActivity(
        app,
        incomingActivity({
          type: 'invoke',
          name: 'message/submitAction',
          text: undefined,
          conversation: chat,
          from: { id: user, name: user },
          replyToId: answerId,
          value: {
            actionName: 'feedback',
            actionValue: { reaction, feedback: JSON.stringify({ feedbackText }) },
          },
        }),
        await fake.sign(),
      )
      expect(res.status).toBe(200)
      expect(await res.json()).toEqual({})
    }
    const ratings = async () =>
      (
        await t.database.query<{ id: string; rating: string; comment: string | null; rater: string }>(
          `select f.id, f.rating, f.comment, f.rater from feedback f join messages m on m.id = f.message_id
           where m.external_id = $1 order by f.created_at, f.id`,
          [answerId],
        )
      ).rows
    await rate('29:user-a', 'like')
    await rate('29:user-b', 'like')
    const [first, second] = await ratings()
    expect([first?.rating, second?.rating]).toEqual(['up', 'up'])
    await rate('29:user-a', 'dislike', 'Zu allgemein.')
    // User a's rating is the same row, changed; user b's stays.
    expect(await ratings()).toEqual([
      { id: first?.id, rating: 'down', comment: 'Zu allgemein.', rater: first?.rater },
      second,
    ])
    // Raters are kept as hashes, not as Teams user ids.
    for (const r of await ratings()) expect(r.rater).toMatch(/^teams:[0-9a-f]{32}$/)
    expect(first?.rater).not.toBe(second?.rater)
  })

  it('tells the user when to ask again when the tenant’s handoff limit refuses the card button', async () => {
    const limitedTurns = createTurnTracker()
    const limited = (
      await createTestApp(t.database, {
        env: { ...TEAMS_ENV, TEAMS_TENANTS: 'aad-sued=default', LIMIT_HANDOFFS_PER_TENANT: '1' },
        turns: limitedTurns,
      })
    ).app
    const press = async (id: string) =>
      (
        await send(
          { conversation: personal(id), text: undefined, value: { action: 'handoff' } },
          limited,
          limitedTurns,
        )
      ).at(-1) as { text?: string; attachments?: unknown[] } | undefined
    const handedOver = await press('a:personal-limit-1')
    expect(handedOver?.text).toContain('menschlichen Mentor')
    expect(handedOver?.attachments).toHaveLength(1)
    const refused = await press('a:personal-limit-2')
    expect(refused?.text).toMatch(
      /^Bei unseren Mentorinnen und Mentoren gehen gerade sehr viele Anfragen ein.* in etwa \d+ min noch einmal/,
    )
    expect(refused?.attachments).toBeUndefined()
    expect(fake.messages()).toHaveLength(1)
    const tickets = await t.database.query<{ teams: string }>(
      `select c.channel_ref->>'conversationId' as teams from handoffs h
       join conversations c on c.id = h.conversation_id
       where c.channel_ref->>'conversationId' like 'a:personal-limit-%'`,
    )
    expect(tickets.rows).toEqual([{ teams: 'a:personal-limit-1' }])
  })
})
