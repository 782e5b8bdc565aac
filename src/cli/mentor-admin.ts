// `npm run mentor:list -- --tenant <slug> [--status active|disabled|expired]`,
// `npm run mentor:disable -- --id <uuid>`, `npm run mentor:rotate -- --id <uuid>`,
// `npm run mentor:remove -- --id <uuid>`: the operator's side of the token lifecycle, for any tenant
// (an admin does the same for their own tenant through /v1/admin/mentors). Every change is audited
// with the operator as its actor; a rotated token is printed once. Like mentor:add, it refuses while
// a running server holds the embedded database.
import { z } from 'zod'
import { loadConfig } from '../config.ts'
import type { Database } from '../db/database.ts'
import { migrate } from '../db/migrate.ts'
import { readMigrations } from '../db/migration-files.ts'
import { AppError } from '../errors.ts'
import { accountTenant, disableMentor, listMentors, removeMentor, rotateToken } from '../mentors/accounts.ts'
import { audit, operator } from '../mentors/audit.ts'
import { TenantSlug } from '../tenants/tenants.ts'
import { openCliDatabase } from './cli-database.ts'
import { commandLine, unexpectedArgument } from './command-line.ts'
import { USAGE } from './help-texts.ts'
import { runCli, UsageError } from './run-cli.ts'

const Command = z.discriminatedUnion(
  'command',
  [
    z.object({
      command: z.literal('list'),
      tenant: z.string({ error: '--tenant <slug> is required' }).pipe(TenantSlug),
      status: z
        .enum(['active', 'disabled', 'expired'], { error: '--status must be active, disabled or expired' })
        .optional(),
    }),
    ...(['disable', 'rotate', 'remove'] as const).map((command) =>
      z.object({
        command: z.literal(command),
        id: z.uuid({ error: '--id <mentor id> (a UUID, as mentor:list prints it) is required' }),
      }),
    ),
  ],
  { error: 'a command: list, disable, rotate or remove' },
)

async function run(database: Database, args: z.infer<typeof Command>, tokenDays: number): Promise<string> {
  if (args.command === 'list') {
    const accounts = await listMentors(database, args.tenant, args.status)
    await audit(
      database,
      operator(args.tenant),
      'mentor.list',
      undefined,
      args.status ? { status: args.status } : {},
    )
    if (accounts.length === 0)
      return `No accounts${args.status ? ` (${args.status})` : ''} in tenant "${args.tenant}".`
    return accounts
      .map((a) =>
        [a.id, a.role.padEnd(6), a.status.padEnd(8), `expires ${a.tokenExpiresAt.slice(0, 10)}`, a.name].join(
          '  ',
        ),
      )
      .join('\n')
  }
  const tenant = await accountTenant(database, args.id)
  const target = { type: 'mentor', id: args.id } as const
  return database.transaction(async (tx) => {
    if (args.command === 'disable') {
      const { released } = await disableMentor(tx, tenant, args.id)
      await audit(tx, operator(tenant), 'mentor.disable', target, { released })
      return `Account ${args.id} disabled; its token no longer works${released ? ` (${released} claimed tickets reopened)` : ''}.`
    }
    if (args.command === 'remove') {
      const { released } = await removeMentor(tx, tenant, args.id)
      await audit(tx, operator(tenant), 'mentor.remove', target, { released })
      return `Account ${args.id} removed; its token can never work again${released ? ` (${released} claimed tickets reopened)` : ''}.`
    }
    const { account, token, tokenExpiresAt } = await rotateToken(tx, tenant, args.id, tokenDays)
    await audit(tx, operator(tenant), 'mentor.rotate', target, { days: tokenDays })
    return [
      `New token for "${account.name}" (${account.role}, tenant "${tenant}"); the old one no longer works.`,
      '',
      `Token (shown only now; store it safely): ${token}`,
      `Valid until ${tokenExpiresAt.slice(0, 10)}; renew it before then with POST /v1/me/token.`,
    ].join('\n')
  })
}

await runCli(async () => {
  const { values, positionals } = commandLine(
    'mentor',
    { tenant: { type: 'string' }, status: { type: 'string' }, id: { type: 'string' } },
    { positionals: true },
  )
  if (positionals.length > 1) throw unexpectedArgument('mentor', positionals[1])
  const parsed = Command.safeParse({ command: positionals[0], ...values })
  if (!parsed.success)
    throw new UsageError(`${parsed.error.issues[0]?.message ?? 'invalid arguments'}\n${USAGE.mentor}`)
  const config = loadConfig(process.env)
  const database = await openCliDatabase(
    config,
    'let an admin of the tenant do it through the running server (/v1/admin/mentors)',
  )
  try {
    await migrate(database, await readMigrations())
    console.log(await run(database, parsed.data, config.MENTOR_TOKEN_DAYS))
  } catch (error) {
    // Not found, already disabled: the API's message says what is wrong.
    if (error instanceof AppError && error.status < 500) throw new UsageError(error.message)
    throw error
  } finally {
    await database.close()
  }
})
