// `npm run conversations:erase` as an operator runs it after restoring a backup: a new process on an
// embedded data directory erases the conversations named, and their texts leave the files.
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { addMessage, openConversation } from '../../src/conversations/repository.ts'
import { migrate } from '../../src/db/migrate.ts'
import { readMigrations } from '../../src/db/migration-files.ts'
import { openDatabase } from '../../src/db/open.ts'
import { runNode } from '../helpers/processes.ts'

const MARKER = 'Kormoranfrage-aus-der-Sicherung'

async function filesHolding(dir: string, needle: string): Promise<string[]> {
  const found: string[] = []
  for (const name of await readdir(dir, { recursive: true })) {
    const path = join(dir, name)
    if ((await stat(path)).isFile() && (await readFile(path)).includes(Buffer.from(needle))) found.push(name)
  }
  return found
}

describe('conversations:erase', () => {
  let dir: string
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true })
  })

  it('erases the conversations named and compacts, so that their texts are in no file', async () => {
    dir = await mkdtemp(join(tmpdir(), 'dm-erase-'))
    const config = { DATA_DIR: dir, DATABASE_URL: undefined }
    let database = await openDatabase(config)
    await migrate(database, await readMigrations())
    const c = await openConversation(
      database,
      { tenant: 'default', channel: 'api', locale: 'de', role: null, tokenHash: 'x'.repeat(64) },
      { greeting: false },
    )
    await addMessage(database, { conversationId: c.id, author: 'user', text: MARKER })
    await database.close()
    expect(await filesHolding(dir, MARKER)).not.toEqual([])

    const bad = await runNode('src/cli/conversations-erase.ts', ['kein-uuid'], { DATA_DIR: dir })
    expect(bad.code).toBe(1)
    expect(bad.stderr).toMatch(
      /^"kein-uuid" is not a conversation id \(UUID\)\nUsage: npm run conversations:erase/,
    )

    const unknown = '00000000-0000-4000-8000-000000000000'
    const out = await runNode('src/cli/conversations-erase.ts', [c.id, unknown], { DATA_DIR: dir })
    expect(out.stderr).toBe('')
    expect(out.code).toBe(0)
    expect(out.stdout).toContain(
      'Erased 1 conversation(s); 0 had been erased before (erased again), 1 not found.',
    )
    expect(await filesHolding(dir, MARKER)).toEqual([])
    database = await openDatabase(config)
    try {
      const { rows } = await database.query<{ erased: boolean }>(
        'select erased_at is not null as erased from conversations where id = $1',
        [c.id],
      )
      expect(rows).toEqual([{ erased: true }])
    } finally {
      await database.close()
    }
  }, 60_000)
})
