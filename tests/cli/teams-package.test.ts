// `npm run teams:package`: a valid zip whose manifest and German localization validate against
// Microsoft's published schemas (vendored in tests/fixtures/teams-schema), with the app id, the
// addresses from the environment, prompt starters, both icons and proper entry dates.
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { inflateRawSync } from 'node:zlib'
import AjvDraft04 from 'ajv-draft-04'
import ajvFormats from 'ajv-formats'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runNode } from '../helpers/processes.ts'

type Entry = { data: Buffer; date: number; time: number }

/** The entries of a ZIP file, read through its central directory. */
function unzip(buffer: Buffer): Map<string, Entry> {
  const end = buffer.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]))
  const count = buffer.readUInt16LE(end + 10)
  let at = buffer.readUInt32LE(end + 16)
  const files = new Map<string, Entry>()
  for (let i = 0; i < count; i++) {
    expect(buffer.readUInt32LE(at)).toBe(0x02014b50)
    const size = buffer.readUInt32LE(at + 20)
    const nameLength = buffer.readUInt16LE(at + 28)
    const local = buffer.readUInt32LE(at + 42)
    const name = buffer.toString('utf8', at + 46, at + 46 + nameLength)
    // The local header repeats the central directory's time and date.
    expect(buffer.readUInt16LE(local + 10)).toBe(buffer.readUInt16LE(at + 12))
    expect(buffer.readUInt16LE(local + 12)).toBe(buffer.readUInt16LE(at + 14))
    const dataStart = local + 30 + buffer.readUInt16LE(local + 26) + buffer.readUInt16LE(local + 28)
    files.set(name, {
      data: inflateRawSync(buffer.subarray(dataStart, dataStart + size)),
      time: buffer.readUInt16LE(at + 12),
      date: buffer.readUInt16LE(at + 14),
    })
    at += 46 + nameLength + buffer.readUInt16LE(at + 30) + buffer.readUInt16LE(at + 32)
  }
  return files
}

// CommonJS packages: imported from ESM, their default is `module.exports`, which carries `.default` too.
const Ajv = AjvDraft04.default
const addFormats = ajvFormats.default

/** Microsoft's schemas are draft-04, with ECMAScript patterns that predate the `u` flag. */
async function validator(file: string) {
  const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false })
  addFormats(ajv)
  return ajv.compile(JSON.parse(await readFile(join('tests/fixtures/teams-schema', file), 'utf8')))
}

const env = {
  MICROSOFT_APP_ID: '6b1c2f3e-1a2b-4c3d-8e9f-0a1b2c3d4e5f',
  PUBLIC_URL: 'https://mentor.example.org',
  TEAMS_PRIVACY_URL: 'https://www.verband-suedwest.de/datenschutz',
  TEAMS_TERMS_URL: 'https://www.verband-suedwest.de/nutzungsbedingungen',
  // 24 June 2026, 13:45:30 UTC.
  SOURCE_DATE_EPOCH: '1782308730',
}

describe('teams:package', () => {
  let dir: string
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'dm-teams-'))
  })
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true })
  })

  it('writes an app package that Microsoft’s schema for its manifest version accepts', async () => {
    const out = join(dir, 'app.zip')
    const run = await runNode('scripts/teams-package.ts', ['--out', out], env)
    expect(run.code, run.stderr).toBe(0)
    const files = unzip(await readFile(out))
    expect([...files.keys()]).toEqual(['manifest.json', 'de.json', 'color.png', 'outline.png'])
    const manifest = JSON.parse(files.get('manifest.json')?.data.toString() ?? '{}')
    const german = JSON.parse(files.get('de.json')?.data.toString() ?? '{}')

    const manifestSchema = await validator('MicrosoftTeams.schema.json')
    expect(manifestSchema(manifest), JSON.stringify(manifestSchema.errors)).toBe(true)
    const localizationSchema = await validator('MicrosoftTeams.Localization.schema.json')
    expect(localizationSchema(german), JSON.stringify(localizationSchema.errors)).toBe(true)
    // The schemas do check: a description over Microsoft's limit, an unknown field, are refused.
    expect(
      manifestSchema({ ...manifest, description: { ...manifest.description, short: 'x'.repeat(81) } }),
    ).toBe(false)
    expect(localizationSchema({ ...german, 'bots[0].commandLists[0].commands[0].titel': 'x' })).toBe(false)
    // The vendored schema is the one the manifest names, at its newest version.
    const vendored = JSON.parse(
      await readFile('tests/fixtures/teams-schema/MicrosoftTeams.schema.json', 'utf8'),
    )
    expect(manifest.manifestVersion).toBe(vendored.properties.manifestVersion.const)
    expect(manifest.$schema).toBe(
      `https://developer.microsoft.com/json-schemas/teams/v${manifest.manifestVersion}/MicrosoftTeams.schema.json`,
    )

    expect(manifest).toMatchObject({
      id: env.MICROSOFT_APP_ID,
      bots: [{ botId: env.MICROSOFT_APP_ID }],
      developer: {
        websiteUrl: 'https://mentor.example.org/',
        privacyUrl: env.TEAMS_PRIVACY_URL,
        termsOfUseUrl: env.TEAMS_TERMS_URL,
      },
      localizationInfo: {
        defaultLanguageTag: 'en',
        additionalLanguages: [{ languageTag: 'de', file: 'de.json' }],
      },
    })
    expect(JSON.stringify([manifest, german])).not.toContain('{{')
    // Prompt starters, in German for German clients.
    const commands = manifest.bots[0].commandLists[0].commands as Array<{ type: string; prompt: string }>
    expect(commands.every((c) => c.type === 'prompt' && c.prompt.length > 0)).toBe(true)
    const starters = commands.map((_, i) => german[`bots[0].commandLists[0].commands[${i}].title`])
    expect(starters).toEqual(
      expect.arrayContaining(['Wo lohnt sich KI bei uns?', 'Wie beteiligen wir die Belegschaft?']),
    )
    for (let i = 0; i < commands.length; i++)
      expect(german[`bots[0].commandLists[0].commands[${i}].prompt`]).toMatch(/\?$|\.$/)

    for (const [name, size] of [
      ['color.png', 192],
      ['outline.png', 32],
    ] as const) {
      const icon = files.get(name)?.data as Buffer
      expect(icon.subarray(1, 4).toString()).toBe('PNG')
      expect([icon.readUInt32BE(16), icon.readUInt32BE(20)]).toEqual([size, size])
    }
    // Every entry is dated SOURCE_DATE_EPOCH, in MS-DOS form.
    for (const entry of files.values()) {
      expect(entry.date).toBe(((2026 - 1980) << 9) | (6 << 5) | 24)
      expect(entry.time).toBe((13 << 11) | (45 << 5) | 15)
    }
  }, 30_000)

  it('says what is missing instead of writing a broken package', async () => {
    const never = join(tmpdir(), 'never.zip')
    const run = await runNode('scripts/teams-package.ts', ['--out', never], {
      ...env,
      MICROSOFT_APP_ID: 'not-a-uuid',
    })
    expect(run.code).toBe(1)
    expect(run.stderr).toContain('MICROSOFT_APP_ID must be the bot’s app id')
    const { TEAMS_PRIVACY_URL: _privacy, ...withoutPrivacy } = env
    const noPrivacy = await runNode('scripts/teams-package.ts', ['--out', never], withoutPrivacy)
    expect(noPrivacy.code).toBe(1)
    expect(noPrivacy.stderr).toContain('TEAMS_PRIVACY_URL must be the address of the privacy notice')
  }, 30_000)
})
