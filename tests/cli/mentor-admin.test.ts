// The operator's token lifecycle commands as a user runs them, each a new process on an embedded data
// directory: mentor:list, mentor:rotate, mentor:disable, mentor:remove, all audited with the operator
// as actor, the token printed only by rotate.
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { migrate } from '../../src/db/migrate.ts'
import { readMigrations } from '../../src/db/migration-files.ts'
import { openDatabase } from '../../src/db/open.ts'
import { createMentor, findMentorByToken } from '../../src/mentors/accounts.ts'
import { runNode } from '../helpers/processes.ts'

const cli = (dir: string, args: string[]) => runNode('src/cli/mentor-admin.ts', args, { DATA_DIR: dir })

describe('mentor:list, mentor:rotate, mentor:disable, mentor:remove', () => {
  let dir: string
  const accounts: Record<string, { id: string; token: string }> = {}
  /** Opens the data directory in this process (no command may run meanwhile: it is locked). */
  const withDatabase = async <T>(work: (db: Awaited<ReturnType<typeof openDatabase>>) => Promise<T>) => {
    const database = await openDatabase({ DATA_DIR: dir, DATABASE_URL: undefined })
    try {
      return await work(database)
    } finally {
      await database.close()
    }
  }

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'dm-mentor-admin-'))
    await withDatabase(async (db) => {
      await migrate(db, await readMigrations())
      for (const [key, name, role] of [
        ['admin', 'Carla Admin', 'admin'],
        ['extra', 'Extra Admin', 'admin'],
        ['anna', 'Anna Berg', 'mentor'],
      ] as const) {
        const { mentor, token } = await createMentor(db, { name, tenant: 'suedwest', role })
        accounts[key] = { id: mentor.id, token }
      }
    })
  })
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true })
  })

  it('lists a tenant’s accounts with their state, without tokens', async () => {
    const out = await cli(dir, ['list', '--tenant', 'Suedwest'])
    expect(out.code).toBe(0)
    const lines = out.stdout.trim().split('\n')
    expect(lines).toHaveLength(3)
    expect(lines.find((l) => l.includes('Anna Berg'))).toMatch(
      new RegExp(`^${accounts.anna?.id}  mentor  active    expires \\d{4}-\\d{2}-\\d{2}  Anna Berg$`),
    )
    for (const { token } of Object.values(accounts)) expect(out.stdout).not.toContain(token)
  }, 30_000)

  it('rotates, disables and removes, each audited with the operator as actor', async () => {
    const rotated = await cli(dir, ['rotate', '--id', accounts.anna?.id ?? ''])
    expect(rotated.code).toBe(0)
    const token = /Token \(shown only now; store it safely\): (\S+)/.exec(rotated.stdout)?.[1] ?? ''
    expect(token).toMatch(/^[\w-]{43}$/)
    expect(rotated.stdout).toMatch(/Valid until \d{4}-\d{2}-\d{2}/)

    const disabled = await cli(dir, ['disable', '--id', accounts.extra?.id ?? ''])
    expect(disabled.stdout).toContain('disabled; its token no longer works')
    const removed = await cli(dir, ['remove', '--id', accounts.extra?.id ?? ''])
    expect(removed.stdout).toContain('removed; its token can never work again')

    await withDatabase(async (db) => {
      expect(await findMentorByToken(db, accounts.anna?.token ?? '')).toBeUndefined()
      expect(await findMentorByToken(db, token)).toMatchObject({ name: 'Anna Berg' })
      expect(await findMentorByToken(db, accounts.extra?.token ?? '')).toBeUndefined()
      const { rows } = await db.query<{
        action: string
        actor_type: string
        actor_id: string
        target_id: string
      }>(
        `select action, actor_type, actor_id, target_id from audit_log where actor_type = 'system' order by id`,
      )
      expect(rows).toEqual([
        { action: 'mentor.list', actor_type: 'system', actor_id: 'cli', target_id: null },
        { action: 'mentor.rotate', actor_type: 'system', actor_id: 'cli', target_id: accounts.anna?.id },
        { action: 'mentor.disable', actor_type: 'system', actor_id: 'cli', target_id: accounts.extra?.id },
        { action: 'mentor.remove', actor_type: 'system', actor_id: 'cli', target_id: accounts.extra?.id },
      ])
      expect(JSON.stringify((await db.query('select * from audit_log')).rows)).not.toContain(token)
    })
  }, 60_000)

  it('says what is wrong without a stack trace', async () => {
    const missing = await cli(dir, ['disable'])
    expect(missing.code).toBe(1)
    expect(missing.stderr).toMatch(/^--id <mentor id> .* is required\nUsage: npm run mentor:list/)
    const gone = await cli(dir, ['rotate', '--id', accounts.extra?.id ?? ''])
    expect(gone.code).toBe(1)
    // The note on which database is used, then the error alone.
    expect(gone.stderr).toMatch(
      /^Using the embedded database in [^\n]+\nThe mentor account was not found\.\n$/,
    )
  }, 30_000)
})
