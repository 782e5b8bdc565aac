// Reads a command's arguments the same way for every command: `-h`/`--help` prints its help and exits
// 0, an unknown option or an unexpected argument exits 2 with the usage, a malformed one exits 1.
import { type ParseArgsOptionsConfig, parseArgs } from 'node:util'
import { type Command, helpText, USAGE } from './help-texts.ts'
import { UsageError } from './run-cli.ts'

/** `--help` was asked for: runCli prints the text and exits 0. */
export class HelpRequested extends Error {
  override name = 'HelpRequested'
}

/** An option or argument the command does not know: exit code 2, as is usual for a wrong call. */
export class UnknownArgumentError extends UsageError {
  override name = 'UnknownArgumentError'
}

/** One positional argument too many. */
export const unexpectedArgument = (command: Command, argument: string | undefined) =>
  new UnknownArgumentError(`Unexpected argument '${argument}'.\n${USAGE[command]}\n(--help for more)`)

export function commandLine<const T extends ParseArgsOptionsConfig>(
  command: Command,
  options: T,
  { positionals = false, args = process.argv.slice(2) }: { positionals?: boolean; args?: string[] } = {},
) {
  // Before parsing: help works whatever else is on the line.
  if (args.includes('--help') || args.includes('-h')) throw new HelpRequested(helpText(command))
  try {
    return parseArgs({ args, options, allowPositionals: positionals, strict: true })
  } catch (error) {
    const code = (error as { code?: string }).code
    const message = error instanceof Error ? error.message : String(error)
    const unknown =
      code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' || code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL'
    // Node's messages end with advice about `--`; the usage says more.
    const reason = message.split('. To specify')[0]?.replace(/\.?$/, '.')
    const text = `${reason}\n${USAGE[command]}\n(--help for more)`
    throw unknown ? new UnknownArgumentError(text) : new UsageError(text)
  }
}
