// `npm run tenant:set -- --slug suedwest --name "Verband Südwest" --origin https://www.verband.de
//   [--origin …] [--privacy-url …] [--webhook …] [--webhook-format teams] [--theme-color #0b4f8a]
//   [--theme-position left] [--theme-title "…"] [--logo-url https://…]`: creates or replaces a tenant.
// Like mentor:add, it refuses while a running server holds the embedded database.
import { loadConfig } from '../config.ts'
import { migrate } from '../db/migrate.ts'
import { readMigrations } from '../db/migration-files.ts'
import { webhookPolicy, webhookUrlProblem } from '../notifications/webhook-url.ts'
import { setTenant, TenantSettings, TenantSlug } from '../tenants/tenants.ts'
import { openCliDatabase } from './cli-database.ts'
import { commandLine } from './command-line.ts'
import { USAGE as USAGES } from './help-texts.ts'
import { runCli, UsageError } from './run-cli.ts'

const USAGE = USAGES['tenant:set']

await runCli(async () => {
  const { values } = commandLine('tenant:set', {
    slug: { type: 'string' },
    name: { type: 'string' },
    origin: { type: 'string', multiple: true },
    'privacy-url': { type: 'string' },
    webhook: { type: 'string' },
    'webhook-format': { type: 'string' },
    'theme-color': { type: 'string' },
    'theme-position': { type: 'string' },
    'theme-title': { type: 'string' },
    'logo-url': { type: 'string' },
  })
  const slug = TenantSlug.safeParse(values.slug ?? '')
  if (!slug.success)
    throw new UsageError(`--slug ${slug.error.issues[0]?.message ?? 'is required'}\n${USAGE}`)
  const theme = Object.fromEntries(
    Object.entries({
      color: values['theme-color'],
      position: values['theme-position'],
      title: values['theme-title'],
      logoUrl: values['logo-url'],
    }).filter(([, v]) => v !== undefined),
  )
  const settings = TenantSettings.safeParse({
    name: values.name,
    origins: values.origin ?? [],
    privacyUrl: values['privacy-url'] ?? null,
    webhookUrl: values.webhook ?? null,
    ...(values['webhook-format'] ? { webhookFormat: values['webhook-format'] } : {}),
    theme,
  })
  if (!settings.success) {
    const issue = settings.error.issues[0]
    throw new UsageError(`${issue?.path.join('.') || 'arguments'}: ${issue?.message}\n${USAGE}`)
  }
  const config = loadConfig(process.env)
  const webhookProblem =
    settings.data.webhookUrl && webhookUrlProblem(settings.data.webhookUrl, webhookPolicy(config))
  if (webhookProblem) throw new UsageError(`webhookUrl: ${webhookProblem}\n${USAGE}`)
  const database = await openCliDatabase(
    config,
    'let an admin of the tenant change it through the running server (PUT /v1/admin/tenants/{slug})',
  )
  try {
    await migrate(database, await readMigrations())
    const tenant = await setTenant(database, slug.data, settings.data)
    console.log(
      `Tenant "${tenant.slug}" (${tenant.name}) saved; allowed origins: ${tenant.origins.join(', ') || 'none'}.`,
    )
  } finally {
    await database.close()
  }
})
