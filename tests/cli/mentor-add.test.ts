// `npm run mentor:add` as a user runs it: a new process on an embedded data directory.
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { openDatabase } from '../../src/db/open.ts'
import { findMentorByToken } from '../../src/mentors/accounts.ts'
import { runNode } from '../helpers/processes.ts'

const cli = (dataDir: string, args: string[]) => runNode('src/cli/mentor-add.ts', args, { DATA_DIR: dataDir })

describe('mentor:add', () => {
  const dirs: string[] = []
  const fresh = async () => {
    const dir = await mkdtemp(join(tmpdir(), 'dm-mentor-add-'))
    dirs.push(dir)
    return dir
  }
  afterAll(async () => {
    await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })))
  })

  it('creates the tenant and a mentor, prints the token once and stores only its hash', async () => {
    const dir = await fresh()
    const out = await cli(dir, ['--name', 'Anna Berg', '--tenant', 'Suedwest', '--admin'])
    expect(out.code).toBe(0)
    expect(out.stdout).toContain('Admin "Anna Berg" added to tenant "suedwest" (new tenant).')
    const token = /Token \(shown only now; store it safely\): (\S+)/.exec(out.stdout)?.[1] ?? ''
    expect(token).toMatch(/^[\w-]{43}$/)
    expect(out.stdout).toMatch(
      /Valid until \d{4}-\d{2}-\d{2}; renew it before then with POST \/v1\/me\/token\./,
    )
    const database = await openDatabase({ DATA_DIR: dir, DATABASE_URL: undefined })
    try {
      expect(await findMentorByToken(database, token)).toMatchObject({
        name: 'Anna Berg',
        tenant: 'suedwest',
        role: 'admin',
      })
      const { rows } = await database.query<{ n: number }>(
        'select count(*)::int as n from mentors where token_hash = $1',
        [token],
      )
      expect(rows[0]?.n).toBe(0)
      const audit = await database.query<{ action: string; actor_type: string; tenant_slug: string }>(
        'select action, actor_type, tenant_slug from audit_log',
      )
      expect(audit.rows).toEqual([{ action: 'mentor.create', actor_type: 'system', tenant_slug: 'suedwest' }])
    } finally {
      await database.close()
    }
  }, 30_000)

  it('says how to call it when an argument is missing', async () => {
    const out = await cli(await fresh(), ['--tenant', 'x'])
    expect(out.code).toBe(1)
    expect(out.stderr).toMatch(/--name "…" is required\nUsage: npm run mentor:add/)
  }, 30_000)

  it('refuses, touching nothing, while a running process holds the embedded database', async () => {
    const dir = await fresh()
    // This test's own process stands in for the running server.
    await writeFile(join(dir, 'LOCK'), String(process.pid))
    const out = await cli(dir, ['--name', 'Anna Berg', '--tenant', 'default'])
    expect(out.code).toBe(1)
    expect(out.stderr).toMatch(/^Using the embedded database in .+ \(DATABASE_URL is not set\)\./)
    expect(out.stderr).toMatch(/in use by process \d+[\s\S]*Stop the server and run this command again/)
    expect(out.stderr).not.toMatch(/at .*\.ts:\d+/)
  }, 30_000)
})
