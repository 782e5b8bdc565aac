// The Teams channel over the Bot Framework protocol: tokens signed here with a generated key pair
// (served as JWKS by msw), the token endpoint and the connector mocked with msw, real payload shapes.
import { exportJWK, exportSPKI, generateKeyPair, SignJWT } from 'jose'
import { HttpResponse, http } from 'msw'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { withoutMention } from '../../src/channels/teams/routes.ts'
import { createTeams, teamsSender } from '../../src/channels/teams/setup.ts'
import { loadConfig } from '../../src/config.ts'
import { createMentor } from '../../src/mentors/accounts.ts'
import { deliverDue } from '../../src/notifications/outbox.ts'
import { createLocalEmbedder } from '../../src/retrieval/embedders/local-embedder.ts'
import { ingestCorpus } from '../../src/retrieval/ingest.ts'
import { pgliteAdapter, type TestDatabase } from '../helpers/databases.ts'
import { mockNetwork } from '../helpers/mock-network.ts'
import { createTestApp } from '../helpers/test-app.ts'

const APP_ID = '00000000-0000-0000-0000-00000000b07'
const METADATA = 'https://login.botframework.com/v1/.well-known/openidconfiguration'
const JWKS = 'https://login.botframework.com/v1/.well-known/keys'
const SERVICE = 'https://smba.trafficmanager.net/emea/'
const TOKEN_URL = 'https://login.microsoftonline.com/botframework.com/oauth2/v2.0/token'

type Sent = { url: string; body: Record<string, unknown> }

describe('Microsoft Teams channel', () => {
  let t: TestDatabase
  let app: Awaited<ReturnType<typeof createTestApp>>['app']
  let key: { privateKey: CryptoKey; publicKey: CryptoKey }
  let publicPem: string
  let mentorToken: string
  const sent: Sent[] = []
  let activityCounter = 0

  beforeAll(async () => {
    t = await pgliteAdapter.open()
    app = (
      await createTestApp(t.database, {
        env: {
          MICROSOFT_APP_ID: APP_ID,
          MICROSOFT_APP_PASSWORD: 'secret',
          TEAMS_TENANTS: 'aad-sued=default',
        },
      })
    ).app
    await ingestCorpus({ database: t.database, embedder: createLocalEmbedder(), corpusDir: 'corpus' })
    key = (await generateKeyPair('RS256')) as typeof key
    publicPem = await exportSPKI(key.publicKey)
    mentorToken = (await createMentor(t.database, { name: 'Anna Berg', tenant: 'default', role: 'mentor' }))
      .token
  })
  afterAll(async () => {
    await t.dispose()
  })
  beforeEach(async () => {
    sent.length = 0
    const jwk = { ...(await exportJWK(key.publicKey)), kid: 'key-1', use: 'sig', endorsements: ['msteams'] }
    mockNetwork.use(
      http.get(METADATA, () => HttpResponse.json({ issuer: 'https://api.botframework.com', jwks_uri: JWKS })),
      http.get(JWKS, () => HttpResponse.json({ keys: [jwk] })),
      http.post(TOKEN_URL, () =>
        HttpResponse.json({ token_type: 'Bearer', expires_in: 3600, access_token: 'app-token' }),
      ),
      ...[
        `${SERVICE}v3/conversations/:conversation/activities`,
        `${SERVICE}v3/conversations/:conversation/activities/:reply`,
      ].map((path) =>
        http.post(path, async ({ request }) => {
          expect(request.headers.get('authorization')).toBe('Bearer app-token')
          sent.push({ url: request.url, body: (await request.json()) as Record<string, unknown> })
          return HttpResponse.json({ id: `sent-${++activityCounter}` })
        }),
      ),
    )
  })

  const sign = (
    claims: Record<string, unknown> = {},
    options: { kid?: string; aud?: string; iss?: string; exp?: string | number; nbf?: string | number } = {},
  ) =>
    new SignJWT({ serviceurl: SERVICE, ...claims })
      .setProtectedHeader({ alg: 'RS256', kid: options.kid ?? 'key-1' })
      .setIssuer(options.iss ?? 'https://api.botframework.com')
      .setAudience(options.aud ?? APP_ID)
      .setIssuedAt()
      .setNotBefore(options.nbf ?? '0s')
      .setExpirationTime(options.exp ?? '1h')
      .sign(key.privateKey)

  const activity = (overrides: Record<string, unknown> = {}) => ({
    type: 'message',
    id: `incoming-${Math.random().toString(36).slice(2)}`,
    timestamp: new Date().toISOString(),
    serviceUrl: SERVICE,
    channelId: 'msteams',
    from: { id: '29:user-1', name: 'Max Muster', aadObjectId: 'aad-user-1' },
    conversation: { id: 'a:personal-1', conversationType: 'personal', tenantId: 'aad-sued' },
    recipient: { id: '28:bot', name: 'Digital-Mentor' },
    locale: 'de-DE',
    text: 'Wie finde ich heraus, wo KI in meinem Betrieb sinnvoll ist?',
    channelData: { tenant: { id: 'aad-sued' } },
    ...overrides,
  })

  const post = async (body: unknown, token?: string) =>
    app.request('/api/messages', {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
      },
      body: JSON.stringify(body),
    })

  const mentorHeaders = () => ({ authorization: `Bearer ${mentorToken}`, 'content-type': 'application/json' })
  /** The open Teams ticket in the mentor queue, claimed by the mentor; returns its id. */
  async function claimTeamsHandoff(): Promise<string> {
    const queue = (await (
      await app.request('/v1/handoffs?status=open', { headers: mentorHeaders() })
    ).json()) as {
      handoffs: Array<{ id: string; channel: string }>
    }
    const ticket = queue.handoffs.find((h) => h.channel === 'teams')
    expect(ticket).toBeDefined()
    await app.request(`/v1/handoffs/${ticket?.id}/claim`, { method: 'POST', headers: mentorHeaders() })
    return ticket?.id ?? ''
  }

  it('streams the answer in a personal chat: informative, streaming, final with the AI label and citations', async () => {
    const incoming = activity()
    const res = await post(incoming, await sign())
    expect(res.status).toBe(200)
    const infos = sent.map((s) =>
      (s.body.entities as Array<Record<string, unknown>>).find((e) => e.type === 'streaminfo'),
    )
    expect(sent.map((s) => s.body.type)).toEqual(['typing', 'typing', 'message'])
    const streamId = `sent-${activityCounter - 2}`
    expect(infos).toEqual([
      { type: 'streaminfo', streamType: 'informative', streamSequence: 1 },
      { type: 'streaminfo', streamType: 'streaming', streamSequence: 2, streamId },
      { type: 'streaminfo', streamType: 'final', streamId },
    ])
    expect(sent.every((s) => s.url === `${SERVICE}v3/conversations/a%3Apersonal-1/activities`)).toBe(true)
    const answer = sent[2] as Sent
    const text = answer.body.text as string
    expect(text).toContain('fünf Schritte')
    const [entity] = (
      answer.body.entities as Array<{
        additionalType?: string[]
        citation: Array<{ position: number; appearance: { name: string; abstract: string } }>
      }>
    ).filter((e) => e.additionalType)
    expect(entity?.additionalType).toEqual(['AIGeneratedContent'])
    expect(entity?.citation.length).toBeGreaterThan(0)
    // The abstract says how current the source is.
    for (const c of entity?.citation ?? []) expect(c.appearance.abstract).toMatch(/ · Stand: \p{L}+ 20\d\d$/u)
    for (const c of entity?.citation ?? []) expect(text).toContain(`[${c.position}]`)
    expect(answer.body.channelData).toMatchObject({ feedbackLoopEnabled: true })
    const { rows } = await t.database.query<{ channel: string; tenant_slug: string }>(
      `select channel, tenant_slug from conversations where channel_ref->>'conversationId' = 'a:personal-1'`,
    )
    expect(rows).toEqual([{ channel: 'teams', tenant_slug: 'default' }])
  })

  it('in a channel answers only when mentioned, with the mention removed', async () => {
    const channel = { id: '19:channel@thread.tacv2;messageid=1', conversationType: 'channel' }
    await post(activity({ conversation: channel, text: 'Was ist ein Pilotprojekt?' }), await sign())
    const group = { id: '19:group@thread.v2', conversationType: 'groupChat' }
    await post(activity({ conversation: group, text: 'Was ist ein Pilotprojekt?' }), await sign())
    expect(sent).toEqual([])
    const mentioned = activity({
      conversation: channel,
      text: '<at>Digital-Mentor</at> Was ist ein Pilotprojekt?',
      entities: [
        {
          type: 'mention',
          mentioned: { id: '28:bot', name: 'Digital-Mentor' },
          text: '<at>Digital-Mentor</at>',
        },
      ],
    })
    expect((await post(mentioned, await sign())).status).toBe(200)
    expect(sent.at(-1)?.body.text).toMatch(/Pilotprojekt/)
    expect(withoutMention('<at>Digital-Mentor</at>  Was ist <at>X</at> KI?')).toBe('Was ist KI?')
  })

  it('sends the answer as one message when Teams does not allow streaming (403)', async () => {
    mockNetwork.use(
      http.post(`${SERVICE}v3/conversations/:conversation/activities`, async ({ request }) => {
        const body = (await request.json()) as { type: string; entities?: unknown[] }
        if (body.type === 'typing')
          return HttpResponse.json({ error: { code: 'ContentStreamNotAllowed' } }, { status: 403 })
        sent.push({ url: request.url, body })
        return HttpResponse.json({ id: `sent-${++activityCounter}` })
      }),
    )
    await post(activity({ conversation: { id: 'a:personal-9', conversationType: 'personal' } }), await sign())
    expect(sent).toHaveLength(1)
    const only = sent[0]?.body as { type: string; entities: Array<{ type: string }> }
    expect(only.type).toBe('message')
    expect(only.entities.map((e) => e.type)).toEqual(['https://schema.org/Message'])
  })

  it('hands a works-council question over with a card; the mentor’s reply reaches Teams proactively', async () => {
    const incoming = activity({
      conversation: { id: 'a:personal-2', conversationType: 'personal' },
      text: 'Muss unser Betriebsrat der Einführung von KI zustimmen?',
    })
    await post(incoming, await sign())
    const card = sent.at(-1)?.body as { attachments: Array<{ contentType: string }> }
    expect(card.attachments[0]?.contentType).toBe('application/vnd.microsoft.card.adaptive')

    const ticket = await claimTeamsHandoff()
    sent.length = 0
    const reply = await app.request(`/v1/handoffs/${ticket}/reply`, {
      method: 'POST',
      headers: mentorHeaders(),
      body: JSON.stringify({ text: 'Guten Tag, hier antwortet Anna Berg.' }),
    })
    expect(reply.status).toBe(201)
    expect(sent).toEqual([
      {
        url: `${SERVICE}v3/conversations/a%3Apersonal-2/activities`,
        body: expect.objectContaining({ type: 'message', text: 'Guten Tag, hier antwortet Anna Berg.' }),
      },
    ])
  })

  it('loses no mentor reply while the connector is down: queued, retried, delivered', async () => {
    let down = false
    mockNetwork.use(
      http.post(`${SERVICE}v3/conversations/:conversation/activities`, async ({ request }) => {
        if (down) return HttpResponse.json({ error: { code: 'ServiceError' } }, { status: 503 })
        sent.push({ url: request.url, body: (await request.json()) as Record<string, unknown> })
        return HttpResponse.json({ id: `sent-${++activityCounter}` })
      }),
    )
    await post(
      activity({
        conversation: { id: 'a:personal-4', conversationType: 'personal' },
        text: 'Dürfen wir mit KI die Leistung einzelner Beschäftigter überwachen?',
      }),
      await sign(),
    )
    const ticket = await claimTeamsHandoff()
    down = true
    const reply = await app.request(`/v1/handoffs/${ticket}/reply`, {
      method: 'POST',
      headers: mentorHeaders(),
      body: JSON.stringify({ text: 'Dazu melde ich mich persönlich. – Anna Berg' }),
    })
    expect(reply.status).toBe(201)
    const pending = await t.database.query<{ last_error: string }>(
      `select last_error from outbox where topic = 'teams.reply' and delivered_at is null`,
    )
    expect(pending.rows).toEqual([{ last_error: 'http_503' }])

    down = false
    sent.length = 0
    await t.database.query(`update outbox set next_attempt_at = now() where delivered_at is null`)
    const sender = teamsSender(
      createTeams(loadConfig({ MICROSOFT_APP_ID: APP_ID, MICROSOFT_APP_PASSWORD: 'secret' })),
    )
    expect(await deliverDue(t.database, { teams: sender })).toMatchObject({ delivered: 1 })
    expect(sent).toEqual([
      {
        url: `${SERVICE}v3/conversations/a%3Apersonal-4/activities`,
        body: expect.objectContaining({ text: 'Dazu melde ich mich persönlich. – Anna Berg' }),
      },
    ])
  })

  it('welcomes with the AI disclosure when added, and stores feedback from the feedback buttons', async () => {
    const added = activity({
      type: 'conversationUpdate',
      text: undefined,
      conversation: { id: 'a:personal-3' },
      membersAdded: [{ id: '28:bot' }],
    })
    expect((await post(added, await sign())).status).toBe(200)
    expect(sent.at(-1)?.body.text).toContain('KI-System')

    await post(activity({ conversation: { id: 'a:personal-3', conversationType: 'personal' } }), await sign())
    const answered = sent.at(-1) as Sent
    const answerId = `sent-${activityCounter}`
    expect(answered.body.type).toBe('message')
    const invoke = activity({
      type: 'invoke',
      name: 'message/submitAction',
      text: undefined,
      conversation: { id: 'a:personal-3' },
      replyToId: answerId,
      value: { actionName: 'feedback', actionValue: { reaction: 'like', feedback: '{"feedbackText":""}' } },
    })
    const res = await post(invoke, await sign())
    expect(res.status).toBe(200)
    const { rows } = await t.database.query<{ rating: string }>(
      `select f.rating from feedback f join messages m on m.id = f.message_id where m.external_id = $1`,
      [answerId],
    )
    expect(rows).toEqual([{ rating: 'up' }])
  })

  it('hands over from the card button: offered in the welcome and under an answer that offers a mentor', async () => {
    const conversation = { id: 'a:personal-human', conversationType: 'personal' }
    await post(
      activity({
        type: 'conversationUpdate',
        text: undefined,
        conversation,
        membersAdded: [{ id: '28:bot' }],
      }),
      await sign(),
    )
    const welcome = sent.at(-1)?.body as { attachments?: Array<{ content: { actions: unknown[] } }> }
    expect(welcome.attachments?.[0]?.content.actions).toEqual([
      { type: 'Action.Submit', title: 'Mit einem Menschen sprechen', data: { action: 'handoff' } },
    ])

    // An answer that does not know offers the button; pressing it sends a message with the value.
    await post(
      activity({ conversation, text: 'Welche KI hilft beim Imkern mit Bienenstöcken?' }),
      await sign(),
    )
    const offered = sent.at(-1)?.body as {
      text: string
      attachments?: Array<{ content: { actions: unknown[] } }>
    }
    expect(offered.text).toContain('Mentor')
    expect(offered.attachments?.[0]?.content.actions).toEqual([
      { type: 'Action.Submit', title: 'An einen Mentor übergeben', data: { action: 'handoff' } },
    ])
    const press = async () =>
      post(activity({ conversation, text: undefined, value: { action: 'handoff' } }), await sign())
    const pressed = await press()
    expect(pressed.status, await pressed.clone().text()).toBe(200)
    const card = sent.at(-1)?.body as {
      attachments: Array<{ contentType: string; content: { body: Array<{ text: string }> } }>
    }
    expect(card.attachments[0]?.contentType).toBe('application/vnd.microsoft.card.adaptive')
    expect(card.attachments[0]?.content.body[0]?.text).toContain('menschlichen Mentor')
    const tickets = await t.database.query<{ reason_class: string }>(
      `select h.reason_class from handoffs h join conversations c on c.id = h.conversation_id
       where c.channel = 'teams' and h.reason_class = 'human'`,
    )
    expect(tickets.rows).toHaveLength(1)
    // Pressed again while the ticket is open: said so, no second ticket.
    await press()
    expect(sent.at(-1)?.body.text).toContain('bereits bei einem Mentor')
    const again = await t.database.query(`select 1 from handoffs where reason_class = 'human'`)
    expect(again.rows).toHaveLength(1)
  })

  it('exports and erases the user’s data on a chat command, erasing only after the confirmation', async () => {
    const conversation = { id: 'a:personal-data', conversationType: 'personal' }
    const say = async (text: string, overrides: Record<string, unknown> = {}) => {
      sent.length = 0
      const res = await post(activity({ conversation, text, ...overrides }), await sign())
      expect(res.status).toBe(200)
      return sent.map((s) => s.body)
    }
    const press = async (value: Record<string, unknown>) => say('', { text: undefined, value })
    const current = async () =>
      (
        await t.database.query<{ id: string }>(
          `select id from conversations where channel_ref->>'conversationId' = $1 and erased_at is null`,
          [conversation.id],
        )
      ).rows[0]?.id
    expect(await say('Meine Daten exportieren')).toEqual([
      expect.objectContaining({ text: 'Zu diesem Chat hat der Digital-Mentor nichts gespeichert.' }),
    ])

    await say('Muss unser Betriebsrat der Einführung von KI zustimmen? Meine Adresse: ida.iltis@beispiel.de')
    const id = await current()
    expect(id).toBeDefined()
    const exported = await say('Meine Daten exportieren!')
    const parts = exported.map((b) => b.text as string)
    expect(parts[0]).toMatch(
      /^Ihre Daten: alles, was der Digital-Mentor zu diesem Chat gespeichert hat \(JSON, Teil 1 von \d+\)/,
    )
    const json = JSON.parse(parts.map((p) => p.slice(p.indexOf('\n\n') + 2)).join('\n')) as {
      conversation: { id: string; channel: string }
      messages: Array<{ author: string; text: string }>
      handoffs: Array<{ reason: string }>
    }
    expect(json.conversation).toMatchObject({ id, channel: 'teams' })
    expect(json.messages.filter((m) => m.author === 'user').map((m) => m.text)).toEqual([
      'Muss unser Betriebsrat der Einführung von KI zustimmen? Meine Adresse: ida.iltis@beispiel.de',
    ])
    expect(json.handoffs).toEqual([expect.objectContaining({ reason: 'works_council' })])

    // A mentor's reply waits in the outbox while the connector is down.
    const ticketId = await claimTeamsHandoff()
    let down = true
    mockNetwork.use(
      http.post(`${SERVICE}v3/conversations/:conversation/activities`, async ({ request }) => {
        if (down) return HttpResponse.json({ error: { code: 'ServiceError' } }, { status: 503 })
        sent.push({ url: request.url, body: (await request.json()) as Record<string, unknown> })
        return HttpResponse.json({ id: `sent-${++activityCounter}` })
      }),
    )
    const replied = await app.request(`/v1/handoffs/${ticketId}/reply`, {
      method: 'POST',
      headers: mentorHeaders(),
      body: JSON.stringify({ text: 'Guten Tag Frau Iltis, hier antwortet Anna Berg.' }),
    })
    expect(replied.status).toBe(201)
    down = false
    const waiting = async () =>
      (
        await t.database.query(
          `select 1 from outbox where topic = 'teams.reply' and payload->>'conversationId' = $1`,
          [conversation.id],
        )
      ).rows.length
    expect(await waiting()).toBe(1)

    // Asked to delete: a card asks first, and nothing is deleted until its button is pressed.
    const [card] = await say('Meine Daten löschen')
    const actions = (
      card as { attachments: Array<{ content: { actions: Array<{ title: string; data: unknown }> } }> }
    ).attachments[0]?.content.actions
    expect(actions?.map((a) => a.title)).toEqual(['Ja, löschen', 'Abbrechen'])
    expect(actions?.[0]?.data).toEqual({ action: 'data.erase', conversation: id })
    expect(await current()).toBe(id)
    expect(await press({ action: 'data.cancel' })).toEqual([
      expect.objectContaining({ text: 'Gut, es wurde nichts gelöscht.' }),
    ])
    expect(await current()).toBe(id)

    const erased = await press(actions?.[0]?.data as Record<string, unknown>)
    expect(erased[0]?.text).toMatch(
      /^Erledigt: Alles, was der Digital-Mentor zu diesem Chat gespeichert hatte, ist gelöscht/,
    )
    expect(await current()).toBeUndefined()
    const left = await t.database.query(
      `select m.text from messages m join conversations c on c.id = m.conversation_id where c.id = $1`,
      [id],
    )
    expect(left.rows).toEqual([])
    const ticket = await t.database.query<{ status: string }>(
      'select status from handoffs where conversation_id = $1',
      [id],
    )
    // The answered ticket is closed, and the reply still waiting for the connector will not be sent.
    expect(ticket.rows).toEqual([{ status: 'closed' }])
    expect(await waiting()).toBe(0)

    // The card of the erased conversation erases nothing of a new one.
    await say('Was ist ein Pilotprojekt?')
    const next = await current()
    expect(next).toBeDefined()
    expect(await press(actions?.[0]?.data as Record<string, unknown>)).toEqual([
      expect.objectContaining({
        text: expect.stringMatching(/^Diese Bestätigung gehört zu einem früheren Gespräch/),
      }),
    ])
    expect(await current()).toBe(next)

    // English, and only in a personal chat; a question that merely mentions data is a question.
    expect((await say('Delete my data', { locale: 'en-US' }))[0]).toMatchObject({
      attachments: [expect.objectContaining({ contentType: 'application/vnd.microsoft.card.adaptive' })],
    })
    const group = { id: '19:data@thread.v2', conversationType: 'groupChat' }
    const mention = [
      {
        type: 'mention',
        mentioned: { id: '28:bot', name: 'Digital-Mentor' },
        text: '<at>Digital-Mentor</at>',
      },
    ]
    expect(
      await say('<at>Digital-Mentor</at> Meine Daten löschen', { conversation: group, entities: mention }),
    ).toEqual([
      expect.objectContaining({ text: expect.stringMatching(/^Ihre Daten können Sie im persönlichen Chat/) }),
    ])
    const question = await say('Wie kann ich meine Daten löschen lassen, wenn wir ein KI-Tool einführen?')
    expect(question.at(-1)?.type).toBe('message')
    expect(String(question.at(-1)?.text)).not.toMatch(/^Möchten Sie alles löschen/)
  })

  it('keeps one rating per reply and person in a shared chat, changed in place', async () => {
    const conversation = { id: '19:ratings@thread.v2', conversationType: 'groupChat' }
    const mention = [
      {
        type: 'mention',
        mentioned: { id: '28:bot', name: 'Digital-Mentor' },
        text: '<at>Digital-Mentor</at>',
      },
    ]
    await post(
      activity({
        conversation,
        text: '<at>Digital-Mentor</at> Was ist ein Pilotprojekt?',
        entities: mention,
      }),
      await sign(),
    )
    const answerId = `sent-${activityCounter}`
    const rate = async (user: string, reaction: 'like' | 'dislike') =>
      post(
        activity({
          type: 'invoke',
          name: 'message/submitAction',
          text: undefined,
          conversation,
          from: { id: user, name: user },
          replyToId: answerId,
          value: { actionName: 'feedback', actionValue: { reaction, feedback: '{"feedbackText":""}' } },
        }),
        await sign(),
      )
    await rate('29:user-a', 'like')
    await rate('29:user-b', 'like')
    await rate('29:user-a', 'dislike')
    const { rows } = await t.database.query<{ rating: string; rater: string }>(
      `select f.rating, f.rater from feedback f join messages m on m.id = f.message_id
       where m.external_id = $1 order by f.rating`,
      [answerId],
    )
    expect(rows.map((r) => r.rating)).toEqual(['down', 'up'])
    // Raters are kept as hashes, not as Teams user ids.
    for (const r of rows) expect(r.rater).toMatch(/^teams:[0-9a-f]{32}$/)
  })

  it('tells the user when to ask again when the tenant’s handoff limit refuses the card button', async () => {
    const limited = (
      await createTestApp(t.database, {
        env: {
          MICROSOFT_APP_ID: APP_ID,
          MICROSOFT_APP_PASSWORD: 'secret',
          TEAMS_TENANTS: 'aad-sued=default',
          LIMIT_HANDOFFS_PER_TENANT: '1',
        },
      })
    ).app
    const press = async (id: string) => {
      sent.length = 0
      const res = await limited.request('/api/messages', {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${await sign()}` },
        body: JSON.stringify(
          activity({
            conversation: { id, conversationType: 'personal' },
            text: undefined,
            value: { action: 'handoff' },
          }),
        ),
      })
      expect(res.status).toBe(200)
      return sent.at(-1)?.body as { text?: string; attachments?: unknown[] }
    }
    expect((await press('a:personal-limit-1')).attachments).toHaveLength(1)
    const refused = await press('a:personal-limit-2')
    expect(refused.text).toMatch(/^Bei unseren Mentorinnen und Mentoren gehen gerade sehr viele Anfragen ein/)
    const tickets = await t.database.query(
      `select 1 from handoffs h join conversations c on c.id = h.conversation_id
       where c.channel_ref->>'conversationId' = 'a:personal-limit-2'`,
    )
    expect(tickets.rows).toEqual([])
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
    const otherKey = (await generateKeyPair('RS256')).privateKey
    const cases: Array<[string, string | undefined, Record<string, unknown>?]> = [
      ['no Authorization header', undefined],
      ['expired', await sign({}, { exp: now - 600 })],
      ['not yet valid', await sign({}, { nbf: now + 600 })],
      ['wrong audience', await sign({}, { aud: 'someone-else' })],
      ['wrong issuer', await sign({}, { iss: 'https://evil.example' })],
      ['wrong serviceurl', await sign({ serviceurl: 'https://evil.example/' })],
      [
        'unknown kid',
        await new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: 'key-9' }).sign(otherKey),
      ],
      ['alg none', `${enc({ alg: 'none', kid: 'key-1' })}.${enc(claims)}.`],
      [
        'HS256 signed with the public key',
        await new SignJWT(claims)
          .setProtectedHeader({ alg: 'HS256', kid: 'key-1' })
          .sign(new TextEncoder().encode(publicPem)),
      ],
      ['key not endorsed for the channel', await sign(), { channelId: 'skype' }],
    ]
    const before = await t.database.query<{ n: number }>('select count(*)::int as n from conversations')
    for (const [name, token, overrides] of cases) {
      const res = await post(activity({ conversation: { id: `a:bad-${name}` }, ...overrides }), token)
      expect(res.status, name).toBe(401)
      expect(await res.json(), name).toMatchObject({ error: { code: 'unauthorized' } })
    }
    expect(sent).toEqual([])
    const after = await t.database.query<{ n: number }>('select count(*)::int as n from conversations')
    expect(after.rows).toEqual(before.rows)
  })
})
