// Tells a database that cannot be reached apart from a statement that failed.

// SQLSTATE classes 08 (connection exception) and 57P (operator intervention: shutdown, crash).
const DOWN_SQLSTATE = /^(08|57P)/
const DOWN_NODE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EHOSTUNREACH',
])

export function isDatabaseDown(error: unknown): boolean {
  if (!(error instanceof Error)) return false
  const code = (error as { code?: unknown }).code
  if (typeof code === 'string' && (DOWN_SQLSTATE.test(code) || DOWN_NODE_CODES.has(code))) return true
  // pg and PGlite say so only in the message when a connection or the instance is gone.
  return /connection terminated|timeout exceeded when trying to connect|pglite is closed|cannot use a pool after calling end|client has encountered a connection error/i.test(
    error.message,
  )
}
