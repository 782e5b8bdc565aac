// `npm run mentor:add -- --name "Anna Berg" --tenant suedwestmetall [--admin]`: creates a mentor
// account (and the tenant when it is new), audited with the operator as actor, and prints its token
// once with the day it expires (MENTOR_TOKEN_DAYS). Works with the server stopped;
// with an embedded database that a running server holds, it refuses instead of touching the files.
import { z } from 'zod'
import { loadConfig } from '../config.ts'
import { migrate } from '../db/migrate.ts'
import { readMigrations } from '../db/migration-files.ts'
import { createMentor } from '../mentors/accounts.ts'
import { audit, operator } from '../mentors/audit.ts'
import { openCliDatabase } from './cli-database.ts'
import { commandLine } from './command-line.ts'
import { USAGE } from './help-texts.ts'
import { runCli, UsageError } from './run-cli.ts'

const Args = z.object({
  name: z.string({ error: '--name "…" is required' }).trim().min(1, '--name must not be empty').max(100),
  tenant: z
    .string({ error: '--tenant <slug> is required' })
    .trim()
    .toLowerCase()
    .regex(/^[^\s/?#%]{1,63}$/, '--tenant must be a short name without spaces, / ? # or %'),
  admin: z.boolean().default(false),
})

await runCli(async () => {
  const { values } = commandLine('mentor:add', {
    name: { type: 'string' },
    tenant: { type: 'string' },
    admin: { type: 'boolean' },
  })
  const parsed = Args.safeParse(values)
  if (!parsed.success) {
    throw new UsageError(`${parsed.error.issues[0]?.message ?? 'invalid arguments'}\n${USAGE['mentor:add']}`)
  }
  const args = parsed.data
  const config = loadConfig(process.env)
  const database = await openCliDatabase(
    config,
    'let an admin of the tenant add the mentor through the running server (POST /v1/admin/mentors; on a fresh installation, the setup link the server printed at start)',
  )
  try {
    await migrate(database, await readMigrations())
    const { mentor, token, tokenExpiresAt, tenantCreated } = await database.transaction(async (tx) => {
      const created = await createMentor(
        tx,
        { name: args.name, tenant: args.tenant, role: args.admin ? 'admin' : 'mentor' },
        { tokenDays: config.MENTOR_TOKEN_DAYS },
      )
      await audit(tx, operator(args.tenant), 'mentor.create', { type: 'mentor', id: created.mentor.id })
      return created
    })
    console.log(
      [
        `${mentor.role === 'admin' ? 'Admin' : 'Mentor'} "${mentor.name}" added to tenant "${mentor.tenant}"${tenantCreated ? ' (new tenant)' : ''}.`,
        '',
        `Token (shown only now; store it safely): ${token}`,
        `Valid until ${tokenExpiresAt.slice(0, 10)}; renew it before then with POST /v1/me/token.`,
        '',
        'Sign in at /mentor with it, or send it as Authorization: Bearer <token> to the mentor API.',
      ].join('\n'),
    )
  } finally {
    await database.close()
  }
})
