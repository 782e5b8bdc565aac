// The Teams channel over the Bot Framework protocol, against a fake of Microsoft's side that behaves
// as Microsoft documents it (tests/helpers/teams-fake.ts): tokens signed with a generated key pair
// served as JWKS, a connector that answers a stream's first request 201 {id} and later ones 202 {},
// refuses over-long streams with 403 and can fail typing with 500. Real payload shapes, real database.
import { exportSPKI, generateKeyPair, SignJWT } from 'jose'
import { HttpResponse, http } from 'msw'
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import { createChatModel } from '../../src/agents/models.ts'
import { Activity, textForBot } from '../../src/channels/teams/incoming.ts'
import { createTeams, teamsSender } from '../../src/channels/teams/setup.ts'
import { loadConfig } from '../../src/config.ts'
import { createMentor } from '../../src/mentors/accounts.ts'
import { deliverDue } from '../../src/notifications/outbox.ts'
import { createLocalEmbedder } from '../../src/retrieval/embedders/local-embedder.ts'
import { ingestCorpus } from '../../src/retrieval/ingest.ts'
import { createTurnTracker } from '../../src/server/turn-tracker.ts'
import { pgliteAdapter, type TestDatabase } from '../helpers/databases.ts'
import { mockNetwork } from '../helpers/mock-network.ts'
import { chatHandler, OPENAI_BASE } from '../helpers/openai-mock.ts'
import { chunkEvent, DONE_EVENT, toolCallCompletion } from '../helpers/openai-wire.ts'
import {
  ACTIVITIES,
  APP_ID,
  createTeamsFake,
  incomingActivity,
  type Posted,
  postActivity,
  SERVICE,
  streamInfo,
  TEAMS_ENV,
  type TeamsFake,
} from '../helpers/teams-fake.ts'
import { createTestApp } from '../helpers/test-app.ts'

type TestApp = Awaited<ReturnType<typeof createTestApp>>['app']

describe('Microsoft Teams channel', () => {
  let t: TestDatabase
  let fake: TeamsFake
  let app: TestApp
  const turns = createTurnTracker()
  let mentorToken: string

  beforeAll(async () => {
    t = await pgliteAdapter.open()
    app = (
      await createTestApp(t.database, { env: { ...TEAMS_ENV, TEAMS_TENANTS: 'aad-sued=default' }, turns })
    ).app
    await ingestCorpus({ database: t.database, embedder: createLocalEmbedder(), corpusDir: 'corpus' })
    fake = await createTeamsFake()
    mentorToken = (await createMentor(t.database, { name: 'Anna Berg', tenant: 'default', role: 'mentor' }))
      .token
  })
  afterAll(async () => {
    await t.dispose()
  })
  beforeEach(() => {
    fake.reset()
    mockNetwork.use(...fake.handlers())
  })

  /** Waits until the work after the responses (turns, welcomes) is done. */
  const settle = async (tracker = turns) => expect(await tracker.drain(20_000)).toBe(true)

  const activity = incomingActivity
  const personal = (id: string) => ({ id, conversationType: 'personal', tenantId: 'aad-sued' })

  const post = async (body: unknown, token?: string, to: TestApp = app) => postActivity(to, body, token)

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
  const userMessages = async (teamsConversation: string) =>
    (
      await t.database.query<{ text: string }>(
        `select m.text from messages m join conversations c on c.id = m.conversation_id
         where c.channel_ref->>'conversationId' = $1 and m.author = 'user' order by m.seq`,
        [teamsConversation],
      )
    ).rows.map((r) => r.text)

  it('streams the answer in a personal chat: informative 201 {id}, final naming the stream, AI label, citations', async () => {
    const res = await post(activity(), await fake.sign())
    expect(res.status).toBe(200)
    await settle()
    const [informative, final, ...rest] = fake.posted
    expect(rest).toEqual([])
    expect([informative?.status, informative?.answer]).toEqual([201, { id: expect.any(String) }])
    const streamId = informative?.answer.id
    expect(informative?.body).toMatchObject({ type: 'typing', text: 'Ich suche in der Wissensbasis …' })
    expect(streamInfo(informative as Posted)).toEqual({
      type: 'streaminfo',
      streamType: 'informative',
      streamSequence: 1,
    })
    expect(final?.status).toBe(202)
    expect(streamInfo(final as Posted)).toEqual({ type: 'streaminfo', streamType: 'final', streamId })
    // Addressed as Microsoft's REST reference asks: from the bot, to the user, in the conversation.
    for (const p of fake.posted) {
      expect(p.url).toBe(ACTIVITIES('a:personal-1'))
      expect(p.body).toMatchObject({
        from: { id: '28:bot', name: 'Digital-Mentor' },
        recipient: { id: '29:user-1', name: 'Max Muster' },
        conversation: { id: 'a:personal-1' },
      })
    }
    const text = final?.body.text as string
    expect(text).toContain('fünf Schritte')
    const [entity] = (
      (final?.body.entities ?? []) as Array<{
        additionalType?: string[]
        citation: Array<{ position: number; appearance: { name: string; abstract: string } }>
      }>
    ).filter((e) => e.additionalType)
    expect(entity?.additionalType).toEqual(['AIGeneratedContent'])
    expect(entity?.citation.length).toBeGreaterThan(0)
    // The abstract says how current the source is.
    for (const c of entity?.citation ?? []) expect(c.appearance.abstract).toMatch(/ · Stand: \p{L}+ 20\d\d$/u)
    for (const c of entity?.citation ?? []) expect(text).toContain(`[${c.position}]`)
    expect(final?.body.channelData).toEqual({ feedbackLoop: { type: 'default' } })
    // The final message has no id of its own: the message is known to Teams by the stream's id.
    const stored = await t.database.query<{ external_id: string }>(
      `select m.external_id from messages m join conversations c on c.id = m.conversation_id
       where c.channel_ref->>'conversationId' = 'a:personal-1' and m.author = 'assistant'`,
    )
    expect(stored.rows).toEqual([{ external_id: streamId }])
    const { rows } = await t.database.query<{ channel: string; tenant_slug: string }>(
      `select channel, tenant_slug from conversations where channel_ref->>'conversationId' = 'a:personal-1'`,
    )
    expect(rows).toEqual([{ channel: 'teams', tenant_slug: 'default' }])
  })

  it('answers a redelivered activity once, also when two app instances share the database', async () => {
    const turns2 = createTurnTracker()
    const second = (await createTestApp(t.database, { env: TEAMS_ENV, turns: turns2 })).app
    const incoming = activity({ conversation: personal('a:redelivered') })
    const token = await fake.sign()
    // Teams' redelivery can overlap the first delivery, and reach either instance.
    const answers = await Promise.all([post(incoming, token), post(incoming, token, second)])
    expect(answers.map((r) => r.status)).toEqual([200, 200])
    expect((await post(incoming, token, second)).status).toBe(200)
    await Promise.all([settle(), settle(turns2)])
    expect(fake.messages()).toHaveLength(1)
    expect(fake.posted.filter((p) => streamInfo(p)?.streamType === 'informative')).toHaveLength(1)
    expect(await userMessages('a:redelivered')).toHaveLength(1)
    // A different activity in the same conversation is answered as usual.
    await post(
      activity({ conversation: personal('a:redelivered'), text: 'Was ist ein Pilotprojekt?' }),
      token,
    )
    await settle()
    expect(fake.messages()).toHaveLength(2)
  })

  it('stores feedback on a streamed answer with its text; the invoke is answered {} once', async () => {
    await post(activity({ conversation: personal('a:feedback') }), await fake.sign())
    await settle()
    const streamId = fake.posted[0]?.answer.id as string
    const invoke = activity({
      type: 'invoke',
      name: 'message/submitAction',
      text: undefined,
      conversation: personal('a:feedback'),
      replyToId: streamId,
      value: {
        actionName: 'feedback',
        actionValue: {
          reaction: 'dislike',
          feedback: '{"feedbackText":"Zu allgemein für einen Handwerksbetrieb."}',
        },
      },
    })
    for (let delivery = 0; delivery < 2; delivery++) {
      const res = await post(invoke, await fake.sign())
      expect(res.status).toBe(200)
      expect(await res.text()).toBe('{}')
    }
    const { rows } = await t.database.query<{ rating: string; comment: string }>(
      `select f.rating, f.comment from feedback f join messages m on m.id = f.message_id where m.external_id = $1`,
      [streamId],
    )
    expect(rows).toEqual([{ rating: 'down', comment: 'Zu allgemein für einen Handwerksbetrieb.' }])
    // Another conversation cannot rate this message by naming its id.
    const elsewhere = await post(
      { ...invoke, id: 'invoke-elsewhere', conversation: personal('a:other') },
      await fake.sign(),
    )
    expect(await elsewhere.json()).toEqual({})
    expect(
      (
        await t.database.query(
          'select 1 from feedback f join messages m on m.id = f.message_id where m.external_id = $1',
          [streamId],
        )
      ).rows,
    ).toHaveLength(1)
  })

  it('sends the answer as a message when Teams refuses the final stream message (over two minutes)', async () => {
    // The answer takes longer than Teams allows a stream: after the informative update the connector's
    // clock moves three minutes on.
    fake.onPost = (p) => {
      if (streamInfo(p)?.streamType === 'informative') fake.advance(3 * 60_000)
    }
    const res = await post(activity({ conversation: personal('a:too-long') }), await fake.sign())
    expect(res.status).toBe(200)
    await settle()
    const steps = fake.posted.map((p) => [p.body.type, streamInfo(p)?.streamType ?? null, p.status])
    expect(steps).toEqual([
      ['typing', 'informative', 201],
      ['message', 'final', 403],
      ['message', null, 201],
    ])
    const plain = fake.posted[2] as Posted
    expect(plain.body.text).toBe(fake.posted[1]?.body.text)
    expect(plain.body.text).toContain('fünf Schritte')
    const { rows } = await t.database.query<{ external_id: string }>(
      `select m.external_id from messages m join conversations c on c.id = m.conversation_id
       where c.channel_ref->>'conversationId' = 'a:too-long' and m.author = 'assistant'`,
    )
    expect(rows).toEqual([{ external_id: plain.answer.id }])
  })

  it('sends the answer as one message when Teams does not allow streaming (403)', async () => {
    fake.streaming = false
    await post(activity({ conversation: personal('a:no-stream') }), await fake.sign())
    await settle()
    expect(fake.posted.map((p) => [p.body.type, p.status])).toEqual([
      ['typing', 403],
      ['message', 201],
    ])
    const only = fake.messages()[0]?.body as unknown as { entities: Array<{ type: string }> }
    expect(only.entities.map((e) => e.type)).toEqual(['https://schema.org/Message'])
  })

  it('never turns a connector error into a 5xx: typing 500 in a group chat, welcome 403, connector down', async () => {
    const group = { id: '19:group-errors@thread.v2', conversationType: 'groupChat' }
    const mention = {
      type: 'mention',
      mentioned: { id: '28:bot', name: 'Digital-Mentor' },
      text: '<at>Digital-Mentor</at>',
    }
    fake.typingStatus = 500
    const incoming = activity({
      conversation: group,
      text: '<at>Digital-Mentor</at> Was ist ein Pilotprojekt?',
      entities: [mention],
    })
    expect((await post(incoming, await fake.sign())).status).toBe(200)
    await settle()
    expect(fake.posted.map((p) => [p.body.type, p.status])).toEqual([
      ['typing', 500],
      ['message', 201],
    ])
    // A group chat gets a reply to the message, addressed as Microsoft's REST reference asks.
    const answer = fake.posted[1] as Posted
    expect(answer.url).toBe(`${ACTIVITIES(group.id)}/${incoming.id}`)
    expect(answer.body).toMatchObject({
      from: { id: '28:bot' },
      recipient: { id: '29:user-1' },
      conversation: { id: group.id },
      replyToId: incoming.id,
    })

    fake.reset()
    fake.messageStatus = 403
    const added = activity({
      type: 'conversationUpdate',
      text: undefined,
      conversation: { id: 'a:welcome-refused' },
      membersAdded: [{ id: '28:bot' }],
    })
    expect((await post(added, await fake.sign())).status).toBe(200)
    await settle()
    expect(fake.posted.map((p) => p.status)).toEqual([403])

    // The connector is down when the answer is ready: the answer waits in the outbox and arrives later.
    fake.reset()
    fake.messageStatus = 503
    fake.streaming = false
    expect((await post(activity({ conversation: personal('a:down') }), await fake.sign())).status).toBe(200)
    await settle()
    const queued = await t.database.query<{ payload: { conversationId: string; text: string } }>(
      `select payload from outbox where topic = 'teams.reply' and delivered_at is null`,
    )
    expect(queued.rows.map((r) => r.payload.conversationId)).toEqual(['a:down'])
    expect(queued.rows[0]?.payload.text).toContain('fünf Schritte')
    fake.messageStatus = 201
    await t.database.query(`update outbox set next_attempt_at = now() where delivered_at is null`)
    const sender = teamsSender(createTeams(loadConfig(TEAMS_ENV)))
    expect(await deliverDue(t.database, { teams: sender })).toMatchObject({ delivered: 1 })
    expect(fake.messages().at(-1)?.body.text).toContain('fünf Schritte')
  })

  it('in a channel answers only when mentioned, removing its own mention and keeping other names', async () => {
    const channel = { id: '19:channel@thread.tacv2;messageid=1', conversationType: 'channel' }
    await post(activity({ conversation: channel, text: 'Was ist ein Pilotprojekt?' }), await fake.sign())
    const group = { id: '19:group@thread.v2', conversationType: 'groupChat' }
    await post(activity({ conversation: group, text: 'Was ist ein Pilotprojekt?' }), await fake.sign())
    // Someone else is mentioned, not the bot: not addressed to it.
    await post(
      activity({
        conversation: group,
        text: '<at>Anna Berg</at> Was ist ein Pilotprojekt?',
        entities: [
          { type: 'mention', mentioned: { id: '29:anna', name: 'Anna Berg' }, text: '<at>Anna Berg</at>' },
        ],
      }),
      await fake.sign(),
    )
    await settle()
    expect(fake.posted).toEqual([])
    const mentioned = activity({
      conversation: channel,
      text: '<at>Digital-Mentor</at> Was meint <at>Anna Berg</at> mit einem Pilotprojekt?',
      entities: [
        {
          type: 'mention',
          mentioned: { id: '28:bot', name: 'Digital-Mentor' },
          text: '<at>Digital-Mentor</at>',
        },
        { type: 'mention', mentioned: { id: '29:anna', name: 'Anna Berg' }, text: '<at>Anna Berg</at>' },
        { type: 'clientInfo', locale: 'de-DE' },
      ],
    })
    expect((await post(mentioned, await fake.sign())).status).toBe(200)
    await settle()
    expect(fake.messages()).toHaveLength(1)
    expect(await userMessages(channel.id)).toEqual(['Was meint Anna Berg mit einem Pilotprojekt?'])
  })

  it('reads the text addressed to the bot: its mention by entity or name removed, others kept', () => {
    const parsed = (text: string, entities: unknown[]) =>
      textForBot(Activity.parse(activity({ text, entities })))
    const bot = { type: 'mention', mentioned: { id: '28:bot', name: 'Digital-Mentor' } }
    expect(parsed('<at>Digital-Mentor</at>  Was ist <at>X</at> KI?', [bot])).toBe('Was ist X KI?')
    expect(parsed('<at>DM</at> Hallo', [{ ...bot, text: '<at>DM</at>' }])).toBe('Hallo')
    expect(parsed('Frage an <at>Digital-Mentor</at>', [])).toBe('Frage an Digital-Mentor')
  })

  it('hands a works-council question over: text and card; the mentor’s reply reaches Teams proactively', async () => {
    await post(
      activity({
        conversation: personal('a:personal-2'),
        text: 'Muss unser Betriebsrat der Einführung von KI zustimmen?',
      }),
      await fake.sign(),
    )
    await settle()
    const final = fake.messages().at(-1) as Posted
    expect(streamInfo(final)?.streamType).toBe('final')
    expect(final.body.text).toMatch(/Betriebsrat/)
    const card = final.body as unknown as {
      attachments: Array<{ contentType: string; content: { body: Array<{ text: string }> } }>
    }
    expect(card.attachments[0]?.contentType).toBe('application/vnd.microsoft.card.adaptive')
    expect(card.attachments[0]?.content.body[0]?.text).toBe('An einen menschlichen Mentor übergeben')

    const ticket = await claimTeamsHandoff()
    fake.reset()
    const reply = await app.request(`/v1/handoffs/${ticket}/reply`, {
      method: 'POST',
      headers: mentorHeaders(),
      body: JSON.stringify({ text: 'Guten Tag, hier antwortet Anna Berg.' }),
    })
    expect(reply.status).toBe(201)
    expect(fake.posted.map((p) => [p.url, p.body.type, p.body.text])).toEqual([
      [ACTIVITIES('a:personal-2'), 'message', 'Guten Tag, hier antwortet Anna Berg.'],
    ])
  })

  it('loses no mentor reply while the connector is down, and stops retrying once the bot was removed', async () => {
    await post(
      activity({
        conversation: personal('a:personal-4'),
        text: 'Dürfen wir mit KI die Leistung einzelner Beschäftigter überwachen?',
      }),
      await fake.sign(),
    )
    await settle()
    const ticket = await claimTeamsHandoff()
    fake.messageStatus = 503
    const reply = await app.request(`/v1/handoffs/${ticket}/reply`, {
      method: 'POST',
      headers: mentorHeaders(),
      body: JSON.stringify({ text: 'Dazu melde ich mich persönlich. – Anna Berg' }),
    })
    expect(reply.status).toBe(201)
    const pending = () =>
      t.database.query<{ last_error: string; due: boolean }>(
        `select last_error, next_attempt_at <= now() + interval '1 day' as due from outbox
         where topic = 'teams.reply' and delivered_at is null and payload->>'conversationId' = 'a:personal-4'`,
      )
    expect((await pending()).rows).toEqual([{ last_error: 'http_503', due: true }])

    // Down for a while: retried with backoff, nothing lost.
    const sender = teamsSender(createTeams(loadConfig(TEAMS_ENV)))
    await t.database.query(`update outbox set next_attempt_at = now() where delivered_at is null`)
    expect(await deliverDue(t.database, { teams: sender })).toMatchObject({ delivered: 0, failed: 1 })
    expect((await pending()).rows).toEqual([{ last_error: 'http_503', due: true }])

    // Removed from the conversation (403): kept, marked, and never tried again.
    fake.messageStatus = 403
    await t.database.query(`update outbox set next_attempt_at = now() where delivered_at is null`)
    expect(await deliverDue(t.database, { teams: sender })).toMatchObject({ delivered: 0, failed: 1 })
    expect((await pending()).rows).toEqual([{ last_error: 'http_403_permanent', due: false }])
    const attempts = fake.posted.length
    expect(await deliverDue(t.database, { teams: sender })).toMatchObject({ delivered: 0, failed: 0 })
    expect(fake.posted).toHaveLength(attempts)
  })

  it('welcomes with the AI disclosure when added, and offers the button for a person', async () => {
    const conversation = { id: 'a:personal-human', conversationType: 'personal' }
    const added = activity({
      type: 'conversationUpdate',
      text: undefined,
      conversation,
      membersAdded: [{ id: '28:bot' }],
    })
    expect((await post(added, await fake.sign())).status).toBe(200)
    await settle()
    const welcome = fake.messages().at(-1)?.body as unknown as {
      text: string
      replyToId: string
      attachments?: Array<{ content: { actions: unknown[] } }>
    }
    expect(welcome.text).toContain('KI-System')
    expect(welcome.replyToId).toBe(added.id)
    expect(welcome.attachments?.[0]?.content.actions).toEqual([
      { type: 'Action.Submit', title: 'Mit einem Menschen sprechen', data: { action: 'handoff' } },
    ])

    // An answer that does not know offers the button; pressing it sends a message with the value.
    await post(
      activity({ conversation, text: 'Welche KI hilft beim Imkern mit Bienenstöcken?' }),
      await fake.sign(),
    )
    await settle()
    const offered = fake.messages().at(-1)?.body as unknown as {
      text: string
      attachments?: Array<{ content: { actions: unknown[] } }>
    }
    expect(offered.text).toContain('Mentor')
    expect(offered.attachments?.[0]?.content.actions).toEqual([
      { type: 'Action.Submit', title: 'An einen Mentor übergeben', data: { action: 'handoff' } },
    ])
    const press = async () => {
      const res = await post(
        activity({ conversation, text: undefined, value: { action: 'handoff' } }),
        await fake.sign(),
      )
      expect(res.status).toBe(200)
      await settle()
    }
    await press()
    const handedOver = fake.messages().at(-1)?.body as unknown as {
      text: string
      attachments: Array<{ contentType: string; content: { body: Array<{ text: string }> } }>
    }
    expect(handedOver.text).toContain('menschlichen Mentor')
    expect(handedOver.attachments[0]?.contentType).toBe('application/vnd.microsoft.card.adaptive')
    const tickets = await t.database.query<{ reason_class: string }>(
      `select h.reason_class from handoffs h join conversations c on c.id = h.conversation_id
       where c.channel = 'teams' and h.reason_class = 'human'`,
    )
    expect(tickets.rows).toHaveLength(1)
    // Pressed again while the ticket is open: said so, no second ticket.
    await press()
    expect(fake.messages().at(-1)?.body.text).toContain('bereits bei einem Mentor')
    const again = await t.database.query(`select 1 from handoffs where reason_class = 'human'`)
    expect(again.rows).toHaveLength(1)
  })

  it('answers a signed activity it cannot read with 400 and says why in the log, not 401', async () => {
    const logged: string[] = []
    const logger = {
      debug: () => undefined,
      info: () => undefined,
      warn: (msg: string, fields?: Record<string, unknown>) =>
        logged.push(`${msg} ${JSON.stringify(fields)}`),
      error: () => undefined,
      child: () => logger,
    }
    const strict = (await createTestApp(t.database, { env: TEAMS_ENV, logger })).app
    const { recipient: _recipient, ...withoutRecipient } = activity({ conversation: personal('a:malformed') })
    const res = await post(withoutRecipient, await fake.sign(), strict)
    expect(res.status).toBe(400)
    expect(await res.json()).toMatchObject({ error: { code: 'validation_failed' } })
    expect(logged).toEqual(['teams activity not understood {"fields":["recipient"]}'])
    const noService = await post({ type: 'message', channelId: 'msteams' }, await fake.sign(), strict)
    expect(noService.status).toBe(400)
    expect(fake.posted).toEqual([])
  })

  it('refuses every bad token with 401, storing and sending nothing', async () => {
    const enc = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url')
    const now = Math.floor(Date.now() / 1000)
    const claims = {
      iss: 'https://api.botframework.com',
      aud: APP_ID,
      serviceurl: SERVICE,
      iat: now,
      exp: now + 3600,
    }
    const stranger = (await generateKeyPair('RS256')).privateKey
    const publicPem = await exportSPKI(fake.publicKey)
    const cases: Array<[string, string | undefined, Record<string, unknown>?]> = [
      ['no Authorization header', undefined],
      ['expired', await fake.sign({}, { exp: now - 600 })],
      ['no expiry', await fake.sign({}, { exp: null })],
      ['wrong audience', await fake.sign({}, { aud: 'someone-else' })],
      ['wrong issuer', await fake.sign({}, { iss: 'https://evil.example' })],
      ['issuer of another cloud', await fake.sign({}, { iss: 'https://api.botframework.us' })],
      ['wrong serviceurl', await fake.sign({ serviceurl: 'https://evil.example/' })],
      [
        'unknown kid',
        await new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: 'key-9' }).sign(stranger),
      ],
      [
        'no kid, an unknown key',
        await new SignJWT(claims).setProtectedHeader({ alg: 'RS256' }).sign(stranger),
      ],
      // Without a key id, the endorsements that count are those of the key that verifies the signature.
      [
        'no kid, signed by the key endorsed for skype only',
        await fake.sign({}, { kid: null, otherKey: true }),
      ],
      ['alg none', `${enc({ alg: 'none', kid: 'key-1' })}.${enc(claims)}.`],
      [
        'HS256 signed with the public key',
        await new SignJWT(claims)
          .setProtectedHeader({ alg: 'HS256', kid: 'key-1' })
          .sign(new TextEncoder().encode(publicPem)),
      ],
      ['key not endorsed for the channel', await fake.sign(), { channelId: 'skype' }],
      [
        'no kid, key not endorsed for the channel',
        await fake.sign({}, { kid: null }),
        { channelId: 'skype' },
      ],
    ]
    const before = await t.database.query<{ n: number }>('select count(*)::int as n from conversations')
    for (const [name, token, overrides] of cases) {
      const res = await post(activity({ conversation: { id: `a:bad-${name}` }, ...overrides }), token)
      expect(res.status, name).toBe(401)
      expect(await res.json(), name).toMatchObject({ error: { code: 'unauthorized' } })
    }
    // A token without a key id, from the key endorsed for Teams, is fine.
    expect(
      (await post(activity({ conversation: personal('a:no-kid') }), await fake.sign({}, { kid: null })))
        .status,
    ).toBe(200)
    await settle()
    expect(fake.messages()).toHaveLength(1)
    const after = await t.database.query<{ n: number }>('select count(*)::int as n from conversations')
    expect(after.rows[0]?.n).toBe((before.rows[0]?.n ?? 0) + 1)
  })
})

describe('Microsoft Teams channel with a chat model', () => {
  let t: TestDatabase
  let fake: TeamsFake
  const designRoute = { route: 'answer', confidence: 0.9, reason: 'A general design question.' }

  beforeAll(async () => {
    t = await pgliteAdapter.open()
    await createTestApp(t.database)
    await ingestCorpus({
      database: t.database,
      embedder: createLocalEmbedder(),
      corpusDir: 'tests/fixtures/corpus',
    })
    fake = await createTeamsFake()
  })
  afterAll(async () => {
    await t.dispose()
  })
  beforeEach(() => {
    fake.reset()
    mockNetwork.use(...fake.handlers())
  })

  const appWith = async (env: Record<string, string>) => {
    const config = { OPENAI_API_KEY: 'sk-test', MODEL_MAX_RETRIES: '0', ...env }
    const model = createChatModel(loadConfig(config))
    const turns = createTurnTracker()
    const { app } = await createTestApp(t.database, { env: { ...TEAMS_ENV, ...config }, model, turns })
    return { app, turns }
  }
  const message = (conversation: string, text: string) => ({
    type: 'message',
    id: `incoming-${Math.random().toString(36).slice(2)}`,
    serviceUrl: SERVICE,
    channelId: 'msteams',
    from: { id: '29:user-1', name: 'Max Muster' },
    conversation: { id: conversation, conversationType: 'personal' },
    recipient: { id: '28:bot', name: 'Digital-Mentor' },
    locale: 'de-DE',
    text,
  })
  const post = async (app: TestApp, body: unknown) =>
    app.request('/api/messages', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${await fake.sign()}` },
      body: JSON.stringify(body),
    })

  /** A model that streams two pieces of its answer, then holds the rest until `release()`. */
  function heldModel() {
    let release: () => void = () => undefined
    const held = new Promise<void>((resolve) => {
      release = resolve
    })
    const pieces = [
      'Beginnen Sie',
      ' mit einem',
      ' kleinen Pilotprojekt',
      ' und planen',
      ' die Termine',
      ' gemeinsam [1].',
    ]
    const handler = http.post(`${OPENAI_BASE}/chat/completions`, async ({ request }) => {
      const body = (await request.json()) as { model: string; tools?: Array<{ function: { name: string } }> }
      if (body.tools)
        return HttpResponse.json(
          toolCallCompletion(body.model, body.tools[0]?.function.name ?? 'route', designRoute),
        )
      const encoder = new TextEncoder()
      const stream = new ReadableStream<Uint8Array>({
        async start(controller) {
          for (const [i, piece] of pieces.entries()) {
            if (i === 2) await held
            controller.enqueue(encoder.encode(chunkEvent(piece)))
            await new Promise((resolve) => setTimeout(resolve, 700))
          }
          controller.enqueue(encoder.encode(chunkEvent(null, 'stop')))
          controller.enqueue(encoder.encode(DONE_EVENT))
          controller.close()
        },
      })
      return new HttpResponse(stream, { headers: { 'content-type': 'text/event-stream' } })
    })
    return { handler, release }
  }

  it('acknowledges /api/messages at once while a long answer is still streaming, then streams it', async () => {
    const { app, turns } = await appWith({})
    // The model streams some of its answer, then holds the rest until the test lets it go: the turn
    // is under way for as long as the test wants, here longer than the acknowledgement takes.
    const { handler, release } = heldModel()
    mockNetwork.use(handler)
    // The bot is added first (its welcome), as in a real chat; the service has its keys and is warm.
    const added = { ...message('a:slow', ''), type: 'conversationUpdate', membersAdded: [{ id: '28:bot' }] }
    expect((await post(app, added)).status).toBe(200)
    expect(await turns.drain(10_000)).toBe(true)
    fake.reset()
    try {
      const started = performance.now()
      const res = await post(
        app,
        message('a:slow', 'Wie planen wir die Terminplanung mit KI im Handwerksbetrieb?'),
      )
      const acknowledged = performance.now() - started
      expect(res.status).toBe(200)
      expect(acknowledged).toBeLessThan(1000)
      // The stream is open and the first words are out; the answer is not finished.
      await vi.waitFor(
        () => expect(fake.posted.some((p) => streamInfo(p)?.streamType === 'streaming')).toBe(true),
        { timeout: 10_000 },
      )
      expect(fake.messages()).toEqual([])
    } finally {
      release()
    }
    expect(await turns.drain(20_000)).toBe(true)

    const updates = fake.posted.filter((p) => p.body.type === 'typing')
    expect(updates.map((p) => p.status)).toEqual([201, ...updates.slice(1).map(() => 202)])
    const streamId = updates[0]?.answer.id
    expect(updates.slice(1).map((p) => p.answer)).toEqual(updates.slice(1).map(() => ({})))
    const sequences = updates.map((p) => streamInfo(p)?.streamSequence)
    expect(sequences).toEqual(sequences.map((_, i) => i + 1))
    for (const p of updates.slice(1)) expect(streamInfo(p)?.streamId).toBe(streamId)
    // Each streaming update carries the whole text so far, and they are spaced as Microsoft asks.
    const streamed = updates.filter((p) => streamInfo(p)?.streamType === 'streaming')
    expect(streamed.length).toBeGreaterThanOrEqual(2)
    for (const [i, p] of streamed.entries()) {
      if (i > 0) expect(p.body.text?.startsWith(streamed[i - 1]?.body.text ?? '')).toBe(true)
    }
    for (let i = 1; i < updates.length; i++)
      expect((updates[i]?.at ?? 0) - (updates[i - 1]?.at ?? 0)).toBeGreaterThanOrEqual(1400)
    const [final] = fake.messages()
    expect(final?.status).toBe(202)
    expect(streamInfo(final as Posted)).toEqual({ type: 'streaminfo', streamType: 'final', streamId })
    expect(final?.body.text).toBe(
      'Beginnen Sie mit einem kleinen Pilotprojekt und planen die Termine gemeinsam [1].',
    )
  }, 30_000)

  it('gives the offline answer after MODEL_TIMEOUT_MS when the model stalls', async () => {
    const { app, turns } = await appWith({ MODEL_TIMEOUT_MS: '1000' })
    mockNetwork.use(chatHandler({ delayMs: 'infinite' }))
    const started = Date.now()
    expect(
      (await post(app, message('a:stalled', 'Wie planen wir die Terminplanung mit KI im Handwerksbetrieb?')))
        .status,
    ).toBe(200)
    expect(await turns.drain(20_000)).toBe(true)
    const [final] = fake.messages()
    expect(streamInfo(final as Posted)?.streamType).toBe('final')
    expect(final?.body.text).toContain('Das Sprachmodell ist gerade nicht erreichbar')
    expect(final?.body.text).toContain('Auszug aus der Wissensbasis')
    // Routing and the answer each waited one MODEL_TIMEOUT_MS, not more.
    expect(Date.now() - started).toBeLessThan(6000)
  }, 30_000)
  it('a shutdown interrupts a turn that runs after its response: stored as interrupted, the user told', async () => {
    const { app, turns } = await appWith({})
    const { handler, release } = heldModel()
    mockNetwork.use(handler)
    try {
      const res = await post(
        app,
        message('a:interrupted', 'Wie planen wir die Terminplanung mit KI im Handwerksbetrieb?'),
      )
      expect(res.status).toBe(200)
      await vi.waitFor(
        () => expect(fake.posted.some((p) => streamInfo(p)?.streamType === 'streaming')).toBe(true),
        { timeout: 10_000 },
      )
      // What node.ts does on SIGTERM once the grace period is over.
      turns.interrupt()
      expect(await turns.drain(10_000)).toBe(true)
    } finally {
      release()
    }
    const { rows } = await t.database.query<{ text: string; status: string }>(
      `select m.text, m.status from messages m join conversations c on c.id = m.conversation_id
       where c.channel_ref->>'conversationId' = 'a:interrupted' and m.author = 'assistant'`,
    )
    expect(rows).toEqual([{ text: 'Beginnen Sie mit einem', status: 'interrupted' }])
    const [final] = fake.messages()
    expect(streamInfo(final as Posted)?.streamType).toBe('final')
    expect(final?.body.text).toBe('Beginnen Sie mit einem')
  }, 30_000)
})
