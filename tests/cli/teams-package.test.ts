// `npm run teams:package`: a valid zip with the manifest (app id filled in) and both icons.
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { inflateRawSync } from 'node:zlib'
import { afterAll, describe, expect, it } from 'vitest'
import { runNode } from '../helpers/processes.ts'

/** The entries of a ZIP file, read through its central directory. */
function unzip(buffer: Buffer): Map<string, Buffer> {
  const end = buffer.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]))
  const count = buffer.readUInt16LE(end + 10)
  let at = buffer.readUInt32LE(end + 16)
  const files = new Map<string, Buffer>()
  for (let i = 0; i < count; i++) {
    expect(buffer.readUInt32LE(at)).toBe(0x02014b50)
    const size = buffer.readUInt32LE(at + 20)
    const nameLength = buffer.readUInt16LE(at + 28)
    const local = buffer.readUInt32LE(at + 42)
    const name = buffer.toString('utf8', at + 46, at + 46 + nameLength)
    const dataStart = local + 30 + buffer.readUInt16LE(local + 26) + buffer.readUInt16LE(local + 28)
    files.set(name, inflateRawSync(buffer.subarray(dataStart, dataStart + size)))
    at += 46 + nameLength + buffer.readUInt16LE(at + 30) + buffer.readUInt16LE(at + 32)
  }
  return files
}

describe('teams:package', () => {
  let dir: string
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true })
  })

  it('writes the sideloadable app with the app id from the environment', async () => {
    dir = await mkdtemp(join(tmpdir(), 'dm-teams-'))
    const out = join(dir, 'app.zip')
    const appId = '6b1c2f3e-1a2b-4c3d-8e9f-0a1b2c3d4e5f'
    const run = await runNode('scripts/teams-package.ts', ['--out', out], {
      MICROSOFT_APP_ID: appId,
      PUBLIC_URL: 'https://mentor.example.org',
    })
    expect(run.code).toBe(0)
    const files = unzip(await readFile(out))
    expect([...files.keys()]).toEqual(['manifest.json', 'color.png', 'outline.png'])
    const manifest = JSON.parse(files.get('manifest.json')?.toString() ?? '{}')
    expect(manifest).toMatchObject({ manifestVersion: '1.22', id: appId, bots: [{ botId: appId }] })
    expect(JSON.stringify(manifest)).not.toContain('{{')
    for (const [name, size] of [
      ['color.png', 192],
      ['outline.png', 32],
    ] as const) {
      const icon = files.get(name) as Buffer
      expect(icon.subarray(1, 4).toString()).toBe('PNG')
      expect([icon.readUInt32BE(16), icon.readUInt32BE(20)]).toEqual([size, size])
    }
  }, 30_000)

  it('says what is missing instead of writing a broken package', async () => {
    const run = await runNode('scripts/teams-package.ts', ['--out', join(tmpdir(), 'never.zip')], {
      MICROSOFT_APP_ID: 'not-a-uuid',
      PUBLIC_URL: 'https://mentor.example.org',
    })
    expect(run.code).toBe(1)
    expect(run.stderr).toContain('MICROSOFT_APP_ID must be the bot’s app id')
  }, 30_000)
})
