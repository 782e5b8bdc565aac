// `npm run teams:package [-- --out file.zip]`: writes teams/digital-mentor-teams.zip, the sideloadable Teams app:
// teams/manifest.json (English, the default language) and teams/de.json (its German localization),
// filled in with the bot's app id and the service's, privacy notice's and terms' addresses from the
// environment, and the two icons (colour 192 × 192, outline 32 × 32, white on transparent) drawn here.
// The entries are dated SOURCE_DATE_EPOCH when it is set (a reproducible package), else now.
import { readFile, writeFile } from 'node:fs/promises'
import { z } from 'zod'
import { commandLine } from '../src/cli/command-line.ts'
import { runCli, UsageError } from '../src/cli/run-cli.ts'
import { png } from './png.ts'
import { zip } from './zip.ts'

export const PACKAGE = 'teams/digital-mentor-teams.zip'

const https = (name: string, what: string) =>
  z.url({ protocol: /^https$/, error: `${name} must be ${what} (an https address)` })

const Env = z.object({
  MICROSOFT_APP_ID: z.uuid({ error: 'MICROSOFT_APP_ID must be the bot’s app id (a UUID)' }),
  PUBLIC_URL: https('PUBLIC_URL', 'the service’s address'),
  TEAMS_PRIVACY_URL: https('TEAMS_PRIVACY_URL', 'the address of the privacy notice for the Teams app'),
  TEAMS_TERMS_URL: https('TEAMS_TERMS_URL', 'the address of the terms of use for the Teams app'),
  SOURCE_DATE_EPOCH: z.coerce
    .number({ error: 'SOURCE_DATE_EPOCH must be seconds since 1970' })
    .int('SOURCE_DATE_EPOCH must be whole seconds since 1970')
    .min(315532800, 'SOURCE_DATE_EPOCH must be 1980 or later (the ZIP format starts there)')
    .optional(),
})

// A speech bubble: the body and a tail at the lower left, in a square of the given size.
const inBubble = (x: number, y: number, size: number) => {
  const u = x / size
  const v = y / size
  const body = u > 0.2 && u < 0.8 && v > 0.22 && v < 0.62
  const tail = v >= 0.62 && v < 0.78 && u > 0.3 && u < 0.3 + (0.78 - v) * 1.1
  return body || tail
}

export function icons() {
  const color = png(192, (x, y) => (inBubble(x, y, 192) ? [255, 255, 255, 255] : [11, 79, 138, 255]))
  const outline = png(32, (x, y) => (inBubble(x, y, 32) ? [255, 255, 255, 255] : [0, 0, 0, 0]))
  return { color, outline }
}

/** A template with `{{NAME}}` placeholders, filled in as JSON string content. */
function fill(file: string, template: string, values: Record<string, string>): string {
  const filled = template.replace(/\{\{(\w+)\}\}/g, (whole, name: string) => {
    const value = values[name]
    if (value === undefined) throw new Error(`${file} names an unknown placeholder ${whole}`)
    return JSON.stringify(value).slice(1, -1)
  })
  JSON.parse(filled)
  return filled
}

if (import.meta.main) {
  await runCli(async () => {
    const { out } = commandLine('teams:package', { out: { type: 'string' } }).values
    const env = Env.safeParse(process.env)
    if (!env.success) throw new UsageError(env.error.issues[0]?.message ?? 'invalid environment')
    const { MICROSOFT_APP_ID, PUBLIC_URL, TEAMS_PRIVACY_URL, TEAMS_TERMS_URL, SOURCE_DATE_EPOCH } = env.data
    const values = {
      MICROSOFT_APP_ID,
      PUBLIC_URL: PUBLIC_URL.replace(/\/$/, ''),
      TEAMS_PRIVACY_URL,
      TEAMS_TERMS_URL,
    }
    const read = async (file: string) => fill(file, await readFile(file, 'utf8'), values)
    const manifest = await read('teams/manifest.json')
    const german = await read('teams/de.json')
    const { color, outline } = icons()
    const target = out ?? PACKAGE
    const modified = SOURCE_DATE_EPOCH === undefined ? new Date() : new Date(SOURCE_DATE_EPOCH * 1000)
    await writeFile(
      target,
      zip(
        [
          { name: 'manifest.json', data: Buffer.from(manifest) },
          { name: 'de.json', data: Buffer.from(german) },
          { name: 'color.png', data: color },
          { name: 'outline.png', data: outline },
        ],
        modified,
      ),
    )
    console.log(`Wrote ${target}: upload it in Teams (Apps → Manage your apps → Upload an app).`)
  })
}
