// The one-time setup link of a fresh installation, over HTTP on a real database: it creates the first
// admin once, is refused a second time, after an admin exists, after it expired and once a newer start
// replaced it; its token is stored only as a hash.
import { createHash } from 'node:crypto'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { createMentor, removeMentor } from '../../src/mentors/accounts.ts'
import { issueSetupToken, setupUrl } from '../../src/mentors/setup.ts'
import { pgliteAdapter, type TestDatabase } from '../helpers/databases.ts'
import { createTestApp } from '../helpers/test-app.ts'

const HOUR = 3_600_000
const START = Date.parse('2026-12-01T09:00:00Z')

describe('setup link', () => {
  let t: TestDatabase
  let app: Awaited<ReturnType<typeof createTestApp>>['app']
  let clock = START

  beforeAll(async () => {
    t = await pgliteAdapter.open()
    app = (await createTestApp(t.database, { now: () => clock })).app
  })
  afterAll(async () => {
    await t.dispose()
  })
  // Every test starts as a fresh installation: no accounts, no links.
  beforeEach(async () => {
    clock = START
    for (const table of ['setup_tokens', 'audit_log', 'mentors'])
      await t.database.query(`delete from ${table}`)
  })

  const setup = (body: unknown) =>
    app.request('/v1/setup', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    })
  const admin = { name: 'Carla Admin', email: 'carla@verband.example' }
  const issue = () => issueSetupToken(t.database, { validHours: 24, now: START })

  it('creates the first admin once; the admin’s token works and the link is stored only as a hash', async () => {
    const token = await issue()
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/)
    const stored = await t.database.query<{ token_hash: string }>('select token_hash from setup_tokens')
    expect(stored.rows).toEqual([
      {
        token_hash: createHash('sha256')
          .update(token ?? '')
          .digest('hex'),
      },
    ])

    const res = await setup({ token, ...admin })
    expect(res.status).toBe(201)
    const created = (await res.json()) as {
      mentor: { id: string; role: string; tenant: string; email: string }
      token: string
    }
    expect(created.mentor).toMatchObject({
      name: 'Carla Admin',
      role: 'admin',
      tenant: 'default',
      email: admin.email,
    })
    const accounts = await app.request('/v1/admin/mentors', {
      headers: { authorization: `Bearer ${created.token}` },
    })
    expect(accounts.status).toBe(200)
    expect(await accounts.json()).toMatchObject({ mentors: [{ name: 'Carla Admin', role: 'admin' }] })

    // The second use is refused, and creates nobody.
    const again = await setup({ token, name: 'Eve', email: 'eve@example.org' })
    expect(again.status).toBe(401)
    expect(await again.json()).toMatchObject({ error: { code: 'unauthorized' } })
    const admins = await t.database.query('select 1 from mentors')
    expect(admins.rows).toHaveLength(1)
    // The address is kept with the account while it exists, and dropped when it is removed.
    const email = async () =>
      (await t.database.query<{ email: string | null }>('select email from mentors')).rows[0]?.email
    expect(await email()).toBe(admin.email)
    await removeMentor(t.database, 'default', created.mentor.id)
    expect(await email()).toBeNull()
  })

  it('issues no link once an admin exists, and refuses a link issued before the admin was added', async () => {
    const token = await issue()
    // The operator adds an admin from the command line in the meantime.
    await createMentor(t.database, { name: 'Olaf Operator', tenant: 'default', role: 'admin' })
    const res = await setup({ token, ...admin })
    expect(res.status).toBe(409)
    expect(await res.json()).toMatchObject({ error: { code: 'conflict' } })
    expect(await issue()).toBeUndefined()
  })

  it('is still issued while the only accounts are mentors, not admins', async () => {
    await createMentor(t.database, { name: 'Mia Mentor', tenant: 'default', role: 'mentor' })
    expect(await issue()).toMatch(/^[A-Za-z0-9_-]{43}$/)
  })

  it('expires after its hours', async () => {
    const late = await issue()
    clock = START + 24 * HOUR + 1
    expect((await setup({ token: late, ...admin })).status).toBe(401)

    const inTime = await issue()
    clock = START + 23 * HOUR
    expect((await setup({ token: inTime, ...admin })).status).toBe(201)
  })

  it('accepts only the link of the latest start', async () => {
    const older = await issue()
    const newer = await issue()
    expect((await setup({ token: older, ...admin })).status).toBe(401)
    expect((await setup({ token: newer, ...admin })).status).toBe(201)
  })

  it('refuses bad input with a clear error and keeps the link usable', async () => {
    const token = await issue()
    const noEmail = await setup({ token, name: 'Carla Admin', email: 'not an address' })
    expect(noEmail.status).toBe(400)
    expect(await noEmail.json()).toMatchObject({ error: { code: 'validation_failed', message: /email/ } })
    expect((await setup({ token: 'x'.repeat(43), ...admin })).status).toBe(401)
    expect((await setup({ token, ...admin })).status).toBe(201)
  })

  it('builds the link from the public address, or from where the server listens', () => {
    expect(setupUrl({ host: '127.0.0.1', port: 8787 }, 'abc')).toBe('http://127.0.0.1:8787/mentor/setup#abc')
    expect(setupUrl({ host: '0.0.0.0', port: 80 }, 'abc')).toBe('http://127.0.0.1:80/mentor/setup#abc')
    expect(setupUrl({ host: '::1', port: 8787 }, 'abc')).toBe('http://[::1]:8787/mentor/setup#abc')
    expect(
      setupUrl({ publicUrl: 'https://mentor.verband.example/', host: '0.0.0.0', port: 8787 }, 'abc'),
    ).toBe('https://mentor.verband.example/mentor/setup#abc')
  })
})
