// `npm run tenant:set` as a user runs it: creates or replaces a tenant, validated.
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { openDatabase } from '../../src/db/open.ts'
import { getTenant } from '../../src/tenants/tenants.ts'
import { runNode } from '../helpers/processes.ts'

const run = (dataDir: string, args: string[]) => runNode('src/cli/tenant-set.ts', args, { DATA_DIR: dataDir })

describe('tenant:set', () => {
  let dir: string
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true })
  })

  it('stores a tenant with its origins and theme, and refuses an origin with a path', async () => {
    dir = await mkdtemp(join(tmpdir(), 'dm-tenant-set-'))
    const bad = await run(dir, [
      '--slug',
      'suedwest',
      '--name',
      'Verband Südwest',
      '--origin',
      'https://x.de/seite',
    ])
    expect(bad.code).toBe(1)
    expect(bad.stderr).toMatch(/origins\.0: must be an origin without a path[\s\S]*Usage: npm run tenant:set/)

    const ok = await run(dir, [
      '--slug',
      'Suedwest',
      '--name',
      'Verband Südwest',
      '--origin',
      'https://www.verband-suedwest.de/',
      '--origin',
      'https://mitglieder.verband-suedwest.de',
      '--privacy-url',
      'https://www.verband-suedwest.de/datenschutz',
      '--theme-color',
      '#23395d',
    ])
    expect(ok.code).toBe(0)
    expect(ok.stdout).toContain('Tenant "suedwest" (Verband Südwest) saved')
    const database = await openDatabase({ DATA_DIR: dir, DATABASE_URL: undefined })
    try {
      expect(await getTenant(database, 'suedwest')).toMatchObject({
        name: 'Verband Südwest',
        origins: ['https://www.verband-suedwest.de', 'https://mitglieder.verband-suedwest.de'],
        privacyUrl: 'https://www.verband-suedwest.de/datenschutz',
        theme: { color: '#23395d' },
      })
    } finally {
      await database.close()
    }
  }, 30_000)

  it('refuses a webhook to an internal address, and one off the operator’s allow-list', async () => {
    const args = ['--slug', 'suedwest', '--name', 'Verband Südwest']
    const metadata = await run(dir, [...args, '--webhook', 'https://0xa9fea9fe/latest/meta-data'])
    expect(metadata.code).toBe(1)
    expect(metadata.stderr).toMatch(
      /^webhookUrl: must write an IPv4 address as four decimal numbers[^\n]*\nUsage:/,
    )
    const offList = await runNode(
      'src/cli/tenant-set.ts',
      [...args, '--webhook', 'https://hooks.example.org/x'],
      {
        DATA_DIR: dir,
        WEBHOOK_ALLOWED_HOSTS: 'hooks.slack.com',
      },
    )
    expect(offList.code).toBe(1)
    expect(offList.stderr).toMatch(
      /^webhookUrl: must be on a host the operator allows for webhooks \(hooks\.slack\.com\)/,
    )
  }, 30_000)

  it('says it uses the embedded database, and refuses clearly while a running server holds it', async () => {
    const locked = await mkdtemp(join(tmpdir(), 'dm-tenant-set-locked-'))
    try {
      // This test's own process stands in for the running server.
      await writeFile(join(locked, 'LOCK'), String(process.pid))
      const out = await run(locked, ['--slug', 'suedwest', '--name', 'Verband Südwest'])
      expect(out.code).toBe(1)
      expect(out.stderr).toMatch(/^Using the embedded database in .+ \(DATABASE_URL is not set\)\./)
      expect(out.stderr).toMatch(
        /in use by process \d+[\s\S]*Stop the server and run this command again, or let an admin of the tenant change it through the running server \(PUT \/v1\/admin\/tenants\/\{slug\}\)/,
      )
      expect(out.stderr).not.toMatch(/at .*\.ts:\d+/)
    } finally {
      await rm(locked, { recursive: true, force: true })
    }
  }, 30_000)
})
