// The mentor queue under a flood, over HTTP: new tickets are limited per client and per tenant (a crisis
// is never refused), the queue lists one entry per conversation with crises first, and it pages with a
// cursor, so that no ticket can be pushed out of reach.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createMentor } from '../../src/mentors/accounts.ts'
import { pgliteAdapter, type TestDatabase } from '../helpers/databases.ts'
import { createTestApp } from '../helpers/test-app.ts'

type App = Awaited<ReturnType<typeof createTestApp>>['app']
type Conversation = { id: string; token: string }
type Entry = {
  id: string
  status: string
  reason: string
  question: string
  conversationId: string
  conversationTickets: number
}
type Page = { handoffs: Entry[]; nextCursor: string | null }

const WORKS_COUNCIL = 'Muss unser Betriebsrat der Einführung von KI zustimmen?'
const CRISIS = 'Ich kann nicht mehr, ich will einfach nicht mehr leben.'
// The flood in the penetration test: 216 tickets from one client in two minutes.
const FLOOD = 216

describe('the handoff queue under a flood', () => {
  let t: TestDatabase
  beforeAll(async () => {
    t = await pgliteAdapter.open()
  })
  afterAll(async () => {
    await t.dispose()
  })

  /** An app behind a proxy (the client is the header's address), with conversation limits off. */
  async function appWith(env: Record<string, string> = {}) {
    return (
      await createTestApp(t.database, {
        env: {
          CLIENT_IP_HEADER: 'x-forwarded-for',
          LIMIT_CONVERSATIONS_PER_CLIENT: '0',
          LIMIT_CONVERSATIONS_PER_TENANT: '0',
          LIMIT_MESSAGES_PER_TENANT: '0',
          ...env,
        },
      })
    ).app
  }
  const request = (app: App, path: string, init: { from?: string; token?: string; body?: unknown } = {}) =>
    app.request(path, {
      method: init.body === undefined ? 'GET' : 'POST',
      headers: {
        'content-type': 'application/json',
        ...(init.from ? { 'x-forwarded-for': init.from } : {}),
        ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
      },
      ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
    })
  const start = async (app: App, from: string, tenant: string): Promise<Conversation> =>
    (await (await request(app, '/v1/conversations', { from, body: { tenant } })).json()) as Conversation
  const say = async (app: App, c: Conversation, from: string, text: string) => {
    const res = await request(app, `/v1/conversations/${c.id}/messages`, {
      from,
      token: c.token,
      body: { text },
    })
    expect(res.status).toBe(200)
    return (
      (await res.json()) as {
        message: { handoff?: { id: string; reason: string }; actions: string[]; text: string }
      }
    ).message
  }
  const askForPerson = (app: App, c: Conversation, from: string) =>
    request(app, `/v1/conversations/${c.id}/handoff`, { from, token: c.token, body: {} })
  const queue = async (app: App, mentor: string, query = ''): Promise<Page> => {
    const res = await request(app, `/v1/handoffs${query}`, { token: mentor })
    expect(res.status).toBe(200)
    return (await res.json()) as Page
  }
  const tickets = async (tenant: string) =>
    (
      await t.database.query<{ n: number }>(
        'select count(*)::int as n from handoffs where tenant_slug = $1',
        [tenant],
      )
    ).rows[0]?.n

  it('keeps a real ticket on the first page while one client floods the queue', async () => {
    const app = await appWith()
    const mentor = (await createMentor(t.database, { name: 'Flut', tenant: 'flut', role: 'mentor' })).token
    const user = '198.51.100.10'
    const flooder = '203.0.113.66'
    const real = await start(app, user, 'flut')
    const realTicket = (await say(app, real, user, WORKS_COUNCIL)).handoff?.id
    expect(realTicket).toBeDefined()

    // The flood: a new conversation for every ticket (one conversation holds one open ticket), through
    // the explicit request and through works-council questions.
    const refusals: Response[] = []
    let limitedReplies = 0
    for (let i = 0; i < FLOOD; i++) {
      const c = await start(app, flooder, 'flut')
      if (i % 20 === 0) {
        const message = await say(app, c, flooder, WORKS_COUNCIL)
        if (!message.handoff) {
          limitedReplies++
          // Told when to ask again, offered the action, and answered nothing by machine.
          expect(message.actions).toEqual(['handoff'])
          expect(message.text).toMatch(
            /^Bei unseren Mentorinnen und Mentoren gehen gerade sehr viele Anfragen ein/,
          )
        }
        continue
      }
      const res = await askForPerson(app, c, flooder)
      if (res.status === 429) refusals.push(res)
      else expect(res.status).toBe(201)
    }
    // Six tickets an hour from one client; the rest were refused and stored nothing.
    expect(await tickets('flut')).toBe(1 + 6)
    expect(limitedReplies).toBeGreaterThan(0)
    expect(refusals.length + limitedReplies).toBe(FLOOD - 6)
    expect(Number(refusals[0]?.headers.get('retry-after'))).toBeGreaterThan(60)
    expect(await refusals[0]?.json()).toMatchObject({ error: { code: 'rate_limited' } })
    const noteless = await t.database.query(
      `select 1 from messages m join conversations c on c.id = m.conversation_id
       where c.tenant_slug = 'flut' and m.author = 'user' and m.text = 'An einen Mentor übergeben'`,
    )
    // The first ticket came from a question; the five after it from the explicit request.
    expect(noteless.rows).toHaveLength(5)

    // A crisis from the same client is never refused, and it comes first.
    const crisis = await start(app, flooder, 'flut')
    const crisisTicket = (await say(app, crisis, flooder, CRISIS)).handoff
    expect(crisisTicket?.reason).toBe('crisis')

    const first = await queue(app, mentor, '?status=open&limit=10')
    expect(first.handoffs[0]?.id).toBe(crisisTicket?.id)
    expect(first.handoffs.map((h) => h.id)).toContain(realTicket)
  })

  it('limits new tickets per tenant, a conversation’s later handoffs join its ticket, and a crisis always gets one', async () => {
    const app = await appWith({ LIMIT_HANDOFFS_PER_CLIENT: '0', LIMIT_HANDOFFS_PER_TENANT: '3' })
    await createMentor(t.database, { name: 'Kappe', tenant: 'tenant-cap', role: 'mentor' })
    const conversations: Conversation[] = []
    for (let i = 0; i < 5; i++) conversations.push(await start(app, `198.51.100.${100 + i}`, 'tenant-cap'))
    const statuses: number[] = []
    for (const [i, c] of conversations.entries())
      statuses.push((await askForPerson(app, c, `198.51.100.${100 + i}`)).status)
    expect(statuses).toEqual([201, 201, 201, 429, 429])
    // Asking again in a conversation whose ticket is open returns it: no new ticket, not limited.
    const again = await askForPerson(app, conversations[0] as Conversation, '198.51.100.100')
    expect(again.status).toBe(200)
    expect(await tickets('tenant-cap')).toBe(3)
    const crisis = await say(app, conversations[4] as Conversation, '198.51.100.104', CRISIS)
    expect(crisis.handoff?.reason).toBe('crisis')
    expect(await tickets('tenant-cap')).toBe(4)
  })

  it('pages through one entry per conversation, crises first, with a cursor that neither repeats nor skips', async () => {
    const app = await appWith({ LIMIT_HANDOFFS_PER_CLIENT: '0', LIMIT_HANDOFFS_PER_TENANT: '0' })
    const admin = (await createMentor(t.database, { name: 'Seiten', tenant: 'seiten', role: 'admin' })).token
    const made: Conversation[] = []
    for (let i = 0; i < 23; i++) {
      const c = await start(app, `198.51.100.${i}`, 'seiten')
      made.push(c)
      expect((await askForPerson(app, c, `198.51.100.${i}`)).status).toBe(201)
    }
    const urgent = made[5] as Conversation
    await say(app, urgent, '198.51.100.5', CRISIS)
    // A conversation with an answered ticket and a new one is listed once, by its latest ticket.
    const twice = made[9] as Conversation
    const firstTicket = (await queue(app, admin, '?limit=100')).handoffs.find(
      (h) => h.conversationId === twice.id,
    )
    expect(
      (await request(app, `/v1/handoffs/${firstTicket?.id}/claim`, { token: admin, body: {} })).status,
    ).toBe(200)
    const replied = await request(app, `/v1/handoffs/${firstTicket?.id}/reply`, {
      token: admin,
      body: { text: 'Guten Tag, gern helfe ich weiter.' },
    })
    expect(replied.status).toBe(201)
    expect((await askForPerson(app, twice, '198.51.100.9')).status).toBe(201)

    const seen: Entry[] = []
    let cursor: string | null = null
    let pages = 0
    do {
      const page: Page = await queue(
        app,
        admin,
        `?limit=7${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      )
      expect(page.handoffs.length).toBeLessThanOrEqual(7)
      seen.push(...page.handoffs)
      cursor = page.nextCursor
      pages++
    } while (cursor)
    expect(pages).toBe(4)
    expect(seen).toHaveLength(23)
    expect(new Set(seen.map((h) => h.conversationId)).size).toBe(23)
    expect(seen[0]).toMatchObject({ conversationId: urgent.id, reason: 'crisis' })
    // After the crisis, newest first.
    const created = seen.slice(1).map((h) => made.findIndex((c) => c.id === h.conversationId))
    expect(created.filter((i) => i !== 9)).toEqual([
      22, 21, 20, 19, 18, 17, 16, 15, 14, 13, 12, 11, 10, 8, 7, 6, 4, 3, 2, 1, 0,
    ])
    expect(seen.find((h) => h.conversationId === twice.id)).toMatchObject({
      status: 'open',
      conversationTickets: 2,
    })
    // Filtered by status, the conversation is listed by its ticket of that status.
    const answered = await queue(app, admin, '?status=answered')
    expect(answered.handoffs).toEqual([
      expect.objectContaining({ id: firstTicket?.id, conversationId: twice.id, conversationTickets: 1 }),
    ])

    for (const bad of ['?cursor=nicht-von-hier', '?limit=0', '?limit=101', '?limit=zehn'])
      expect((await request(app, `/v1/handoffs${bad}`, { token: admin })).status, bad).toBe(400)
  })
})
