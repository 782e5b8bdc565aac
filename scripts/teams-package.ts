// `npm run teams:package [-- --out file.zip]`: writes teams/digital-mentor-teams.zip, the sideloadable Teams app, from
// teams/manifest.json with MICROSOFT_APP_ID and PUBLIC_URL from the environment, and the two icons
// (colour 192 × 192, outline 32 × 32, white on transparent) drawn here.
import { readFile, writeFile } from 'node:fs/promises'
import { parseArgs } from 'node:util'
import { z } from 'zod'
import { runCli, UsageError } from '../src/cli/run-cli.ts'
import { png } from './png.ts'
import { zip } from './zip.ts'

export const PACKAGE = 'teams/digital-mentor-teams.zip'

const Env = z.object({
  MICROSOFT_APP_ID: z.uuid({ error: 'MICROSOFT_APP_ID must be the bot’s app id (a UUID)' }),
  PUBLIC_URL: z.url({ protocol: /^https$/, error: 'PUBLIC_URL must be the service’s https address' }),
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

if (import.meta.main) {
  await runCli(async () => {
    const env = Env.safeParse(process.env)
    if (!env.success) throw new UsageError(env.error.issues[0]?.message ?? 'invalid environment')
    const manifest = (await readFile('teams/manifest.json', 'utf8'))
      .replaceAll('{{MICROSOFT_APP_ID}}', env.data.MICROSOFT_APP_ID)
      .replaceAll('{{PUBLIC_URL}}', env.data.PUBLIC_URL.replace(/\/$/, ''))
    const { color, outline } = icons()
    const out = parseArgs({ options: { out: { type: 'string' } }, strict: false }).values.out
    const target = typeof out === 'string' ? out : PACKAGE
    await writeFile(
      target,
      zip([
        { name: 'manifest.json', data: Buffer.from(manifest) },
        { name: 'color.png', data: color },
        { name: 'outline.png', data: outline },
      ]),
    )
    console.log(`Wrote ${target}: upload it in Teams (Apps → Manage your apps → Upload an app).`)
  })
}
