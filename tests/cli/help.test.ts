// Every command a person runs (npm start and the package.json scripts under src/cli and teams:package)
// answers -h/--help with its help on stdout and exit code 0, before touching any database, and refuses
// an unknown option with the usage on stderr and exit code 2. The commands come from package.json, so
// a new one without help fails here.
import { readFile } from 'node:fs/promises'
import { describe, expect, it } from 'vitest'
import { type Command, helpText, USAGE } from '../../src/cli/help-texts.ts'
import { runNode } from '../helpers/processes.ts'

const scripts = (JSON.parse(await readFile('package.json', 'utf8')) as { scripts: Record<string, string> })
  .scripts

// The npm scripts people run, by the command whose help they show.
const USER_SCRIPTS = Object.entries(scripts).filter(([, line]) =>
  /^node (src\/cli\/|src\/server\/node\.ts|scripts\/teams-package\.ts)/.test(line),
)

const commandOf = (name: string): Command =>
  name.startsWith('mentor:') && name !== 'mentor:add'
    ? 'mentor'
    : name === 'start'
      ? 'start'
      : (name as Command)

describe('command-line help', () => {
  it('covers every command-line script of package.json', () => {
    expect(USER_SCRIPTS.map(([name]) => name).sort()).toEqual(
      [
        'start',
        'db:migrate',
        'ingest',
        'corpus:check',
        'conversations:erase',
        'mentor:add',
        'mentor:list',
        'mentor:disable',
        'mentor:rotate',
        'mentor:remove',
        'tenant:set',
        'teams:package',
      ].sort(),
    )
    for (const [name] of USER_SCRIPTS) expect(USAGE[commandOf(name)], name).toBeDefined()
  })

  it.each(USER_SCRIPTS)(
    '%s: --help and -h print the help and exit 0; an unknown option exits 2',
    async (name, line) => {
      const [script, ...fixed] = line.replace(/^node /, '').split(' ')
      // No database may be touched: the settings point at one that does not exist.
      const env = { DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none', DATA_DIR: '/nonexistent' }
      const help = await runNode(script ?? '', [...fixed, '--help'], env)
      expect(help.code, help.stderr).toBe(0)
      expect(help.stdout).toBe(`${helpText(commandOf(name))}\n`)
      expect(help.stdout).toMatch(/^Usage: npm (start|run )/)
      const short = await runNode(script ?? '', [...fixed, '-h'], env)
      expect(short.code).toBe(0)
      expect(short.stdout).toBe(help.stdout)

      const wrong = await runNode(script ?? '', [...fixed, '--no-such-flag'], env)
      expect(wrong.code).toBe(2)
      expect(wrong.stdout).toBe('')
      expect(wrong.stderr).toBe(
        `Unknown option '--no-such-flag'.\n${USAGE[commandOf(name)]}\n(--help for more)\n`,
      )
    },
    60_000,
  )

  it('refuses a stray argument with exit 2 and a malformed option with exit 1', async () => {
    const stray = await runNode('src/cli/ingest.ts', ['corpus', 'extra'], {})
    expect(stray.code).toBe(2)
    expect(stray.stderr).toMatch(/^Unexpected argument 'extra'\.\nUsage: npm run ingest/)
    const missingValue = await runNode('src/cli/mentor-add.ts', ['--tenant'], {})
    expect(missingValue.code).toBe(1)
    expect(missingValue.stderr).toMatch(
      /^Option '--tenant <value>' argument missing\.\nUsage: npm run mentor:add/,
    )
    const positional = await runNode('src/cli/migrate.ts', ['now'], {})
    expect(positional.code).toBe(2)
    expect(positional.stderr).toMatch(/^Unexpected argument 'now'/)
  }, 60_000)
})
