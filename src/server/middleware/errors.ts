// Maps every failure to `{ error: { code, message } }`; causes go to the log, never to the client.
import type { Context, ErrorHandler, NotFoundHandler } from 'hono'
import { HTTPException } from 'hono/http-exception'
import { isDatabaseDown } from '../../db/errors.ts'
import { AppError, databaseUnavailable } from '../../errors.ts'
import { describeError, type Logger } from '../../log.ts'

// SQLSTATE 22021 character_not_in_repertoire, 22P05 untranslatable_character.
const UNSTORABLE_TEXT = new Set(['22021', '22P05'])

export function toAppError(error: unknown): AppError {
  if (error instanceof AppError) return error
  if (error instanceof HTTPException) {
    if (error.status === 400 && /json/i.test(error.message)) {
      return new AppError('malformed_json', 400, 'The request body is not valid JSON.')
    }
    if (error.status === 413) return payloadTooLarge()
    if (error.status === 401) return new AppError('unauthorized', 401, 'Authentication is required.')
    if (error.status === 404) return new AppError('not_found', 404, 'Not found.')
    if (error.status < 500) return new AppError('bad_request', 400, 'The request could not be processed.')
  }
  if (isDatabaseDown(error)) return databaseUnavailable(error)
  // Text the database cannot store (a NUL, an invalid byte sequence) that slipped past the edge checks:
  // the client's input, not our failure. The statement failed, so nothing of it was stored.
  if (UNSTORABLE_TEXT.has((error as { code?: unknown } | null)?.code as string))
    return new AppError('bad_request', 400, 'The request contains characters that cannot be stored.', {
      cause: error,
    })
  return new AppError('internal', 500, 'Something went wrong on our side. Please try again later.', {
    cause: error,
  })
}

export const payloadTooLarge = () => new AppError('payload_too_large', 413, 'The request body is too large.')

export function errorResponse(c: Context, error: AppError): Response {
  const requestId = c.get('requestId') as string | undefined
  return c.json(error.toBody(), error.status, {
    ...error.headers,
    ...(requestId ? { 'X-Request-Id': requestId } : {}),
  })
}

export function createErrorHandler(logger: Logger): ErrorHandler {
  return (error, c) => {
    const appError = toAppError(error)
    if (appError.status >= 500) {
      logger.error('request failed', {
        requestId: c.get('requestId'),
        route: c.req.routePath,
        code: appError.code,
        ...describeError(appError.cause ?? error),
      })
    }
    return errorResponse(c, appError)
  }
}

export const notFoundHandler: NotFoundHandler = (c) =>
  errorResponse(
    c,
    new AppError('not_found', 404, `No route for ${c.req.method} ${new URL(c.req.url).pathname}.`),
  )
