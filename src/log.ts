// Structured JSON logs, one object per line. Callers log ids and sizes, never message text or secrets.

export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent'
export type LogFields = Record<string, unknown>

export interface Logger {
  debug(msg: string, fields?: LogFields): void
  info(msg: string, fields?: LogFields): void
  warn(msg: string, fields?: LogFields): void
  error(msg: string, fields?: LogFields): void
  child(fields: LogFields): Logger
}

const rank: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 }

export function createLogger(
  level: LogLevel = 'info',
  write: (line: string) => void = (line) => process.stdout.write(`${line}\n`),
  base: LogFields = {},
): Logger {
  const emit = (at: Exclude<LogLevel, 'silent'>, msg: string, fields?: LogFields) => {
    if (rank[at] < rank[level]) return
    write(JSON.stringify({ time: new Date().toISOString(), level: at, msg, ...base, ...fields }))
  }
  return {
    debug: (msg, fields) => emit('debug', msg, fields),
    info: (msg, fields) => emit('info', msg, fields),
    warn: (msg, fields) => emit('warn', msg, fields),
    error: (msg, fields) => emit('error', msg, fields),
    child: (fields) => createLogger(level, write, { ...base, ...fields }),
  }
}

/**
 * What may be logged about a caught error: its class, its code (a SQLSTATE for database errors) and
 * where it was thrown. Never its message: database and provider messages can quote user input.
 */
export function describeError(error: unknown): LogFields {
  if (!(error instanceof Error)) return { errorType: typeof error }
  const code = (error as { code?: unknown }).code
  const at = error.stack
    ?.split('\n')
    .find((line) => line.includes('/src/'))
    ?.trim()
  return {
    errorType: error.name,
    ...(typeof code === 'string' ? { errorCode: code } : {}),
    ...(at ? { at } : {}),
  }
}

/**
 * A JSON log line as a person reads it on a terminal: "09:30:01 warn  message key=value …". Values are
 * the same fields as in the JSON line; nothing is added or left out.
 */
export function textLine(json: string): string {
  const { time, level, msg, ...fields } = JSON.parse(json) as LogFields & { time: string; level: string }
  const rest = Object.entries(fields)
    .map(
      ([key, value]) =>
        `${key}=${typeof value === 'string' && !/\s/.test(value) ? value : JSON.stringify(value)}`,
    )
    .join(' ')
  return `${time.slice(11, 19)} ${level.padEnd(5)} ${msg}${rest ? ` ${rest}` : ''}`
}
