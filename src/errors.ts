// The one error type: a stable code, an HTTP status and a message a user can act on.

export type ErrorCode =
  | 'bad_request'
  | 'validation_failed'
  | 'malformed_json'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'payload_too_large'
  | 'rate_limited'
  | 'database_unavailable'
  | 'service_unavailable'
  | 'not_configured'
  | 'busy'
  | 'internal'

export type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 413 | 429 | 500 | 503

export class AppError extends Error {
  override name = 'AppError'
  readonly code: ErrorCode
  readonly status: ErrorStatus
  /** Response headers that belong to the error, such as Retry-After. */
  readonly headers: Readonly<Record<string, string>>

  /** `cause` is for logs only; it never reaches a client. */
  constructor(
    code: ErrorCode,
    status: ErrorStatus,
    message: string,
    options?: { cause?: unknown; headers?: Record<string, string> },
  ) {
    super(message, options)
    this.code = code
    this.status = status
    this.headers = options?.headers ?? {}
  }

  toBody(): ErrorBody {
    return { error: { code: this.code, message: this.message } }
  }
}

export interface ErrorBody {
  error: { code: ErrorCode; message: string }
}

export const notFound = (what: string) => new AppError('not_found', 404, `${what} was not found.`)

export const databaseUnavailable = (cause: unknown) =>
  new AppError(
    'database_unavailable',
    503,
    'The database is not reachable right now. Please try again shortly.',
    {
      cause,
    },
  )

export const rateLimited = (retryAfterSeconds: number, what: string) =>
  new AppError('rate_limited', 429, `Too many ${what}. Please try again in ${retryAfterSeconds} s.`, {
    headers: { 'Retry-After': String(retryAfterSeconds) },
  })

/** The model's queue is full or the server is overloaded: nothing was stored; the client may retry shortly. */
export const busy = (retryAfterSeconds: number) =>
  new AppError(
    'busy',
    503,
    'The mentor is answering very many questions right now. Please try again in a few seconds.',
    { headers: { 'Retry-After': String(retryAfterSeconds) } },
  )
