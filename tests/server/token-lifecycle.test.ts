// Mentor and admin tokens over HTTP, on both database paths: they expire, their holders renew them,
// admins list the accounts of their tenant and disable, rotate or remove one (an extra admin too), a
// leaked token dies with it, and every step is audited. Tokens never appear in a listing, the audit
// log or the logs.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createLogger } from '../../src/log.ts'
import { createMentor } from '../../src/mentors/accounts.ts'
import { databaseAdapters, type TestDatabase } from '../helpers/databases.ts'
import { createTestApp, sendMessage } from '../helpers/test-app.ts'

type App = Awaited<ReturnType<typeof createTestApp>>['app']
const DAY_MS = 86_400_000

describe.each(databaseAdapters)('token lifecycle: $name', (adapter) => {
  let t: TestDatabase
  let app: App
  const logs: string[] = []
  const issued: string[] = []
  const tokens: Record<string, string> = {}
  const ids: Record<string, string> = {}

  beforeAll(async () => {
    t = await adapter.open()
    app = (
      await createTestApp(t.database, {
        env: { MENTOR_TOKEN_DAYS: '30' },
        logger: createLogger('debug', (line) => logs.push(line)),
      })
    ).app
    for (const [key, name, tenant, role] of [
      ['admin', 'Carla Admin', 'suedwest', 'admin'],
      ['extra', 'Extra Admin', 'suedwest', 'admin'],
      ['anna', 'Anna Berg', 'suedwest', 'mentor'],
      ['ben', 'Ben Kurz', 'suedwest', 'mentor'],
      ['other', 'Olga Nord', 'nordmetall', 'admin'],
    ] as const) {
      const created = await createMentor(t.database, { name, tenant, role })
      tokens[key] = created.token
      ids[key] = created.mentor.id
      issued.push(created.token)
    }
  })
  afterAll(async () => {
    await t.dispose()
  })

  const call = async (path: string, token: string | undefined, method = 'GET') => {
    const res = await app.request(path, {
      method,
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    })
    const text = await res.text()
    const body = (text ? JSON.parse(text) : undefined) as Record<string, unknown> & {
      error?: { code: string; message: string }
    }
    if (typeof body?.token === 'string') issued.push(body.token)
    return { status: res.status, body }
  }
  const works = async (token: string) => (await call('/v1/handoffs', token)).status === 200
  const auditOf = async (action: string) =>
    (
      await t.database.query<{
        actor_type: string
        actor_id: string
        target_id: string | null
        details: unknown
      }>(`select actor_type, actor_id, target_id, details from audit_log where action = $1 order by id`, [
        action,
      ])
    ).rows

  it('issues tokens that expire after MENTOR_TOKEN_DAYS and says so when one has', async () => {
    const me = await call('/v1/me', tokens.anna)
    expect(me.status).toBe(200)
    expect(me.body).toMatchObject({ id: ids.anna, name: 'Anna Berg', tenant: 'suedwest', role: 'mentor' })
    // Created with the default lifetime (90 days); MENTOR_TOKEN_DAYS applies to what this app issues.
    const left = Date.parse(me.body.tokenExpiresAt as string) - Date.now()
    expect(left).toBeGreaterThan(89 * DAY_MS)
    expect(left).toBeLessThanOrEqual(90 * DAY_MS)

    const created = await app.request('/v1/admin/mentors', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens.admin}` },
      body: JSON.stringify({ name: 'Neu Mentor' }),
    })
    expect(created.status).toBe(201)
    const fresh = (await created.json()) as { id: string; token: string; tokenExpiresAt: string }
    issued.push(fresh.token)
    expect(Date.parse(fresh.tokenExpiresAt) - Date.now()).toBeGreaterThan(29 * DAY_MS)
    expect(Date.parse(fresh.tokenExpiresAt) - Date.now()).toBeLessThanOrEqual(30 * DAY_MS)

    // The token's time runs out.
    await t.database.query(
      `update mentors set token_expires_at = now() - interval '1 minute' where id = $1`,
      [fresh.id],
    )
    const expired = await call('/v1/handoffs', fresh.token)
    expect(expired.status).toBe(401)
    expect(expired.body.error).toEqual({
      code: 'unauthorized',
      message: expect.stringMatching(/has expired/),
    })
    // An expired token cannot renew itself.
    expect((await call('/v1/me/token', fresh.token, 'POST')).status).toBe(401)
  })

  it('lets a mentor renew their own token before it expires: a new token, the old one dies', async () => {
    const before = (await call('/v1/me', tokens.ben)).body.tokenExpiresAt as string
    const renewed = await call('/v1/me/token', tokens.ben, 'POST')
    expect(renewed.status).toBe(200)
    const { token, tokenExpiresAt } = renewed.body as { token: string; tokenExpiresAt: string }
    expect(token).toMatch(/^[\w-]{43}$/)
    expect(token).not.toBe(tokens.ben)
    expect(Date.parse(tokenExpiresAt) - Date.now()).toBeGreaterThan(29 * DAY_MS)
    expect(tokenExpiresAt).not.toBe(before)
    expect(await works(tokens.ben as string)).toBe(false)
    expect(await works(token)).toBe(true)
    tokens.ben = token
    expect(await auditOf('token.renew')).toEqual([
      { actor_type: 'mentor', actor_id: ids.ben, target_id: ids.ben, details: { days: 30 } },
    ])
  })

  it('lists the accounts of the admin’s own tenant with their state, never a token or its hash', async () => {
    const res = await call('/v1/admin/mentors', tokens.admin)
    expect(res.status).toBe(200)
    const mentors = res.body.mentors as Array<Record<string, unknown>>
    expect(mentors.map((m) => m.name).sort()).toEqual([
      'Anna Berg',
      'Ben Kurz',
      'Carla Admin',
      'Extra Admin',
      'Neu Mentor',
    ])
    expect(mentors.find((m) => m.name === 'Neu Mentor')).toMatchObject({ status: 'expired', role: 'mentor' })
    expect(mentors.find((m) => m.name === 'Anna Berg')).toMatchObject({
      id: ids.anna,
      tenant: 'suedwest',
      role: 'mentor',
      status: 'active',
      disabledAt: null,
      createdAt: expect.any(String),
      tokenIssuedAt: expect.any(String),
      tokenExpiresAt: expect.any(String),
    })
    expect(Object.keys(mentors[0] ?? {}).some((k) => /hash|^token$/i.test(k))).toBe(false)
    const expired = await call('/v1/admin/mentors?status=expired', tokens.admin)
    expect((expired.body.mentors as Array<{ name: string }>).map((m) => m.name)).toEqual(['Neu Mentor'])
    expect((await auditOf('mentor.list')).length).toBe(2)

    // Only admins, and only their own tenant.
    expect((await call('/v1/admin/mentors', tokens.anna)).status).toBe(403)
    const other = await call('/v1/admin/mentors', tokens.other)
    expect((other.body.mentors as Array<{ name: string }>).map((m) => m.name)).toEqual(['Olga Nord'])
  })

  it('disables a leaked token at once and reopens the tickets its holder had claimed', async () => {
    const c = (await (
      await app.request('/v1/conversations', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ tenant: 'suedwest' }),
      })
    ).json()) as { id: string; token: string }
    const handoff = (await sendMessage(app, c, 'Muss unser Betriebsrat der Einführung zustimmen?')).handoff
      ?.id
    expect((await call(`/v1/handoffs/${handoff}/claim`, tokens.anna, 'POST')).status).toBe(200)

    const res = await call(`/v1/admin/mentors/${ids.anna}/disable`, tokens.admin, 'POST')
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({ id: ids.anna, status: 'disabled', disabledAt: expect.any(String) })
    expect(await works(tokens.anna as string)).toBe(false)
    expect((await call(`/v1/handoffs/${handoff}`, tokens.admin)).body).toMatchObject({
      status: 'open',
      claimedBy: null,
    })
    expect((await call(`/v1/admin/mentors/${ids.anna}/disable`, tokens.admin, 'POST')).status).toBe(409)
    expect(await auditOf('mentor.disable')).toEqual([
      { actor_type: 'admin', actor_id: ids.admin, target_id: ids.anna, details: { released: 1 } },
    ])
  })

  it('rotates a token: the old one dies, the new one works, a disabled account is enabled again', async () => {
    const res = await call(`/v1/admin/mentors/${ids.anna}/rotate`, tokens.admin, 'POST')
    expect(res.status).toBe(200)
    const { token, account } = res.body as { token: string; account: { status: string } }
    expect(account.status).toBe('active')
    expect(await works(tokens.anna as string)).toBe(false)
    expect(await works(token)).toBe(true)
    tokens.anna = token
    expect(await auditOf('mentor.rotate')).toEqual([
      { actor_type: 'admin', actor_id: ids.admin, target_id: ids.anna, details: { days: 30 } },
    ])
  })

  it('removes an extra admin for good, but not the acting admin’s own account', async () => {
    expect((await call(`/v1/admin/mentors/${ids.admin}`, tokens.admin, 'DELETE')).status).toBe(409)
    expect((await call(`/v1/admin/mentors/${ids.admin}/disable`, tokens.admin, 'POST')).status).toBe(409)

    expect((await call(`/v1/admin/mentors/${ids.extra}`, tokens.admin, 'DELETE')).status).toBe(204)
    expect(await works(tokens.extra as string)).toBe(false)
    const listed = (await call('/v1/admin/mentors', tokens.admin)).body.mentors as Array<{ id: string }>
    expect(listed.map((m) => m.id)).not.toContain(ids.extra)
    // Gone: it cannot be rotated back, and no token can match its hash.
    expect((await call(`/v1/admin/mentors/${ids.extra}/rotate`, tokens.admin, 'POST')).status).toBe(404)
    const { rows } = await t.database.query<{ token_hash: string }>(
      'select token_hash from mentors where id = $1',
      [ids.extra],
    )
    expect(rows[0]?.token_hash).toBe(`removed:${ids.extra}`)
    expect(await auditOf('mentor.remove')).toEqual([
      { actor_type: 'admin', actor_id: ids.admin, target_id: ids.extra, details: { released: 0 } },
    ])
  })

  it('keeps every account change to the admin’s tenant and to admins', async () => {
    for (const [path, method] of [
      [`/v1/admin/mentors/${ids.anna}/disable`, 'POST'],
      [`/v1/admin/mentors/${ids.anna}/rotate`, 'POST'],
      [`/v1/admin/mentors/${ids.anna}`, 'DELETE'],
    ] as const) {
      expect((await call(path, tokens.other, method)).status).toBe(404)
      expect((await call(path, tokens.ben, method)).status).toBe(403)
      expect((await call(path, undefined, method)).status).toBe(401)
    }
    expect(await works(tokens.anna as string)).toBe(true)
    expect((await call('/v1/admin/mentors/not-a-uuid/rotate', tokens.admin, 'POST')).body.error?.code).toBe(
      'validation_failed',
    )
  })

  it('never writes a token to the audit log or the logs', async () => {
    const audit = JSON.stringify((await t.database.query('select * from audit_log')).rows)
    const logged = logs.join('\n')
    expect(issued.length).toBeGreaterThan(6)
    for (const token of issued) {
      expect(audit).not.toContain(token)
      expect(logged).not.toContain(token)
    }
  })
})
