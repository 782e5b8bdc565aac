// The insights' day-by-day series on a real database: one value per UTC day of the period (zeros
// included), totals of the mentor's tenant only, and a validated period.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Queryable } from '../../src/db/database.ts'
import { createMentor } from '../../src/mentors/accounts.ts'
import { pgliteAdapter, type TestDatabase } from '../helpers/databases.ts'
import { createTestApp } from '../helpers/test-app.ts'

const NOW = Date.parse('2026-12-01T12:00:00Z')

/** A chat of a tenant started at `at`, with an answer; returns the answer's id. */
async function chat(
  q: Queryable,
  tenant: string,
  at: string,
): Promise<{ conversation: string; answer: string }> {
  const { rows } = await q.query<{ id: string }>(
    `insert into conversations (tenant_slug, channel, token_hash, created_at) values ($1, 'api', md5(random()::text), $2)
     returning id`,
    [tenant, at],
  )
  const conversation = rows[0]?.id as string
  const answer = await q.query<{ id: string }>(
    `insert into messages (conversation_id, author, text, created_at) values ($1, 'assistant', 'Antwort', $2) returning id`,
    [conversation, at],
  )
  return { conversation, answer: answer.rows[0]?.id as string }
}
const handoff = (q: Queryable, tenant: string, conversation: string, reason: string, at: string) =>
  q.query(
    `insert into handoffs (conversation_id, tenant_slug, reason_class, router_reason, channel, created_at)
     values ($1, $2, $3, 'test', 'api', $4)`,
    [conversation, tenant, reason, at],
  )
const rate = (q: Queryable, message: string, rating: 'up' | 'down', at: string) =>
  q.query('insert into feedback (message_id, rating, created_at) values ($1, $2, $3)', [message, rating, at])

describe('insights day by day', () => {
  let t: TestDatabase
  let app: Awaited<ReturnType<typeof createTestApp>>['app']
  const tokens: Record<string, string> = {}

  beforeAll(async () => {
    t = await pgliteAdapter.open()
    app = (await createTestApp(t.database, { now: () => NOW })).app
    tokens.own = (
      await createMentor(t.database, { name: 'Anna Berg', tenant: 'default', role: 'mentor' })
    ).token
    tokens.other = (
      await createMentor(t.database, { name: 'Dora Anders', tenant: 'nordmetall', role: 'mentor' })
    ).token
    const q = t.database
    const a = await chat(q, 'default', '2026-11-25T08:00:00Z')
    const b = await chat(q, 'default', '2026-11-25T23:30:00Z')
    const c = await chat(q, 'default', '2026-12-01T09:00:00Z')
    // Before the period: counted nowhere.
    const old = await chat(q, 'default', '2026-11-20T09:00:00Z')
    await handoff(q, 'default', a.conversation, 'works_council', '2026-11-25T08:05:00Z')
    await handoff(q, 'default', b.conversation, 'workforce', '2026-11-30T10:00:00Z')
    await handoff(q, 'default', b.conversation, 'workforce', '2026-11-30T11:00:00Z')
    await handoff(q, 'default', c.conversation, 'crisis', '2026-12-01T09:01:00Z')
    await handoff(q, 'default', old.conversation, 'crisis', '2026-11-20T09:01:00Z')
    await rate(q, a.answer, 'up', '2026-11-25T08:10:00Z')
    await rate(q, c.answer, 'down', '2026-12-01T09:10:00Z')
    await rate(q, b.answer, 'down', '2026-12-01T10:00:00Z')
    // Another tenant's activity on the same days.
    for (let i = 0; i < 3; i++) {
      const x = await chat(q, 'nordmetall', '2026-11-25T10:00:00Z')
      await handoff(q, 'nordmetall', x.conversation, 'works_council', '2026-11-25T10:01:00Z')
      await rate(q, x.answer, 'up', '2026-11-25T10:02:00Z')
    }
  })
  afterAll(async () => {
    await t.dispose()
  })

  const get = (path: string, token = tokens.own) =>
    app.request(path, { headers: { authorization: `Bearer ${token}` } })

  it('counts chats, handoffs by reason and ratings per UTC day of the period, zeros included', async () => {
    const res = await get('/v1/insights?days=7')
    expect(res.status).toBe(200)
    const body = (await res.json()) as {
      daily: {
        days: string[]
        chats: number[]
        handoffs: Record<string, number[]>
        ratings: { up: number[]; down: number[] }
      }
      handoffsByReason: Record<string, number>
    }
    expect(body.daily).toEqual({
      days: [
        '2026-11-24',
        '2026-11-25',
        '2026-11-26',
        '2026-11-27',
        '2026-11-28',
        '2026-11-29',
        '2026-11-30',
        '2026-12-01',
      ],
      chats: [0, 2, 0, 0, 0, 0, 0, 1],
      handoffs: {
        works_council: [0, 1, 0, 0, 0, 0, 0, 0],
        workforce: [0, 0, 0, 0, 0, 0, 2, 0],
        crisis: [0, 0, 0, 0, 0, 0, 0, 1],
      },
      ratings: { up: [0, 1, 0, 0, 0, 0, 0, 0], down: [0, 0, 0, 0, 0, 0, 0, 2] },
    })
    // The series add up to the period's totals.
    for (const [reason, values] of Object.entries(body.daily.handoffs))
      expect(values.reduce((sum, n) => sum + n, 0)).toBe(body.handoffsByReason[reason])
  })

  it('shows each tenant its own totals only', async () => {
    const body = (await (await get('/v1/insights?days=7', tokens.other)).json()) as {
      daily: { chats: number[]; handoffs: Record<string, number[]>; ratings: { up: number[] } }
    }
    expect(body.daily.chats).toEqual([0, 3, 0, 0, 0, 0, 0, 0])
    expect(body.daily.handoffs).toEqual({ works_council: [0, 3, 0, 0, 0, 0, 0, 0] })
    expect(body.daily.ratings.up).toEqual([0, 3, 0, 0, 0, 0, 0, 0])
  })

  it('defaults to 30 days and refuses a period outside 1 to 365 days', async () => {
    const body = (await (await get('/v1/insights')).json()) as { daily: { days: string[] } }
    expect(body.daily.days).toHaveLength(31)
    expect(body.daily.days.at(-1)).toBe('2026-12-01')
    for (const days of ['0', '366', 'abc', '2.5']) {
      const res = await get(`/v1/insights?days=${days}`)
      expect(res.status).toBe(400)
      expect(await res.json()).toMatchObject({
        error: { code: 'validation_failed', message: expect.stringMatching(/days/) },
      })
    }
  })
})
