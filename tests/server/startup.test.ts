// Starts the real Node entry on a free port with a fresh data directory, waits for readiness, stops it:
// with stdout a pipe it writes JSON log lines only; on a terminal (a pseudo-terminal from util-linux's
// `script`) one readable line per step and a progress bar while the corpus is ingested.
import { spawn } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { readMigrations } from '../../src/db/migration-files.ts'
import { textLine } from '../../src/log.ts'
import { freePort } from '../helpers/processes.ts'
import { startServer } from '../helpers/server-process.ts'

describe('start-up and shutdown of the Node server', () => {
  const dirs: string[] = []
  afterAll(async () => {
    await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })))
  })

  it('serves /readyz on a fresh data directory and exits 0 on SIGTERM', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'dm-start-'))
    dirs.push(dataDir)
    const server = await startServer({ DATA_DIR: dataDir, CORPUS_DIR: 'tests/fixtures/corpus' })
    expect(await (await fetch(`${server.base}/readyz`)).json()).toEqual({ status: 'ready' })

    server.child.kill('SIGTERM')
    expect(await server.exited).toBe(0)
    const lines = server.output().trim().split('\n')
    for (const line of lines) expect(() => JSON.parse(line)).not.toThrow()
    expect(lines.map((line) => JSON.parse(line).msg)).toEqual(
      expect.arrayContaining([
        'starting',
        'database ready',
        'corpus ingested',
        'answers',
        'listening',
        'stopped',
      ]),
    )
    expect(server.output()).not.toContain('Bereit')
    // A fresh installation has no admin: the one-time setup link is a field of one log line, and its
    // token appears in no other line.
    const setup = lines.map((line) => JSON.parse(line)).find((entry) => entry.msg === 'setup link')
    expect(setup?.setupUrl).toMatch(new RegExp(`^${server.base}/mentor/setup#[A-Za-z0-9_-]{43}$`))
    const token = String(setup?.setupUrl).split('#')[1] ?? ''
    expect(lines.filter((line) => line.includes(token))).toHaveLength(1)
  })

  it('on a terminal, says each step in one readable line, shows the ingest as a progress bar, exits on Ctrl-C', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'dm-start-'))
    dirs.push(dataDir)
    const port = await freePort()
    // `script` runs the server on a pseudo-terminal; Ctrl-C typed into it reaches the server as SIGINT.
    // `exec` replaces the shell `script` starts: a shell left waiting (dash does not exec on its own)
    // would get the SIGINT too and end with 130 whatever the server does.
    const child = spawn('script', ['-qfec', `exec "${process.execPath}" src/server/node.ts`, '/dev/null'], {
      env: {
        ...process.env,
        SHELL: '/bin/sh',
        DATA_DIR: dataDir,
        PORT: String(port),
        LOG_LEVEL: 'info',
        CORPUS_DIR: 'tests/fixtures/corpus',
      },
      stdio: ['pipe', 'pipe', 'pipe'],
    })
    let output = ''
    const ready = new Promise<void>((resolve) => {
      child.stdout?.on('data', (chunk) => {
        output += chunk
        if (output.includes('Bereit:')) resolve()
      })
    })
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
    await Promise.race([ready, exited])
    expect(await (await fetch(`http://127.0.0.1:${port}/readyz`)).json()).toEqual({ status: 'ready' })
    child.stdin?.write('\x03')
    expect(await exited).toBe(0)

    const lines = output.split(/\r?\n/).filter((line) => line.trim())
    expect(lines[0]).toBe(`Digital-Mentor startet (Node ${process.version}) …`)
    const migrations = (await readMigrations()).length
    expect(lines[1]).toBe(
      `Datenbank angelegt: eingebettetes PostgreSQL in ${dataDir} (${migrations} Migrationen)`,
    )
    // The bar redraws one line in place (carriage returns) and ends at all documents.
    expect(lines[2]).toMatch(/^\rKorpus einlesen \[[#.]{30}\] 1\/4\r.*\[#{30}\] 4\/4\r?$/s)
    expect(lines[3]).toMatch(
      /^Korpus eingelesen: 4 Dokumente \(4 neu, 0 geändert, 0 entfernt\), \d+ Abschnitte eingebettet in [\d,]+ s$/,
    )
    expect(lines[4]).toBe('Antworten: offline aus dem Korpus (kein Sprachmodell; OPENAI_API_KEY setzt eines)')
    expect(lines[5]).toBe(`Bereit: http://127.0.0.1:${port}/ · Mentor-Konsole /mentor · API /docs`)
    expect(lines[6]).toMatch(
      new RegExp(
        `^Noch kein Admin-Konto: .* \\(24 h gültig\\): http://127\\.0\\.0\\.1:${port}/mentor/setup#[A-Za-z0-9_-]{43}$`,
      ),
    )
    expect(lines.at(-1)).toBe('Beendet.')
    // Nothing on the terminal is a JSON log line.
    expect(lines.filter((line) => line.trimStart().startsWith('{'))).toEqual([])
  }, 60_000)

  it('writes a log line as a readable line on a terminal, with every field', () => {
    const line = JSON.stringify({
      time: '2026-12-01T09:30:01.000Z',
      level: 'warn',
      msg: 'work after the response failed',
      errorType: 'TypeError',
      at: 'at x (/src/a.ts:1:2)',
    })
    expect(textLine(line)).toBe(
      '09:30:01 warn  work after the response failed errorType=TypeError at="at x (/src/a.ts:1:2)"',
    )
  })

  it('refuses to start with a wrong setting and names the variable', async () => {
    const child = spawn(process.execPath, ['src/server/node.ts'], {
      env: { ...process.env, PORT: 'eighty' },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stderr = ''
    child.stderr?.on('data', (chunk) => {
      stderr += chunk
    })
    const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)))
    expect(code).toBe(1)
    expect(stderr.trim()).toBe('Invalid configuration: PORT must be a port number between 1 and 65535.')
  })
})
