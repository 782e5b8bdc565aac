// The Worker's settings: vars and secrets through the one schema, the database from the Hyperdrive
// binding, and errors that say what to bind or set.
import { describe, expect, it } from 'vitest'
import { AppError } from '../../src/errors.ts'
import { loadWorkerConfig, NO_DATABASE } from '../../src/server/worker-config.ts'

const HYPERDRIVE = {
  connectionString: 'postgresql://user:pw@0123.hyperdrive.local:5432/mentor?sslmode=disable',
}

describe('loadWorkerConfig', () => {
  it('takes the database from the Hyperdrive binding and the settings from vars and secrets', () => {
    const config = loadWorkerConfig({
      HYPERDRIVE,
      ASSETS: { fetch: () => undefined },
      LOG_LEVEL: 'warn',
      BODY_LIMIT_BYTES: 32768,
      OPENAI_API_KEY: 'sk-test',
    })
    expect(config).toMatchObject({
      DATABASE_URL: HYPERDRIVE.connectionString,
      LOG_LEVEL: 'warn',
      BODY_LIMIT_BYTES: 32768,
      OPENAI_API_KEY: 'sk-test',
    })
  })

  it('prefers the binding to a DATABASE_URL secret, and takes the secret without a binding', () => {
    const secret = 'postgres://mentor:pw@db.example.org:5432/mentor'
    expect(loadWorkerConfig({ HYPERDRIVE, DATABASE_URL: secret }).DATABASE_URL).toBe(
      HYPERDRIVE.connectionString,
    )
    expect(loadWorkerConfig({ DATABASE_URL: secret }).DATABASE_URL).toBe(secret)
  })

  it('says what to bind when there is no database', () => {
    expect(() => loadWorkerConfig({ LOG_LEVEL: 'info' })).toThrow(
      new AppError('not_configured', 503, NO_DATABASE),
    )
    expect(() => loadWorkerConfig({ HYPERDRIVE: {} })).toThrow(NO_DATABASE)
  })

  it('names a wrong setting without echoing its value', () => {
    const attempt = () => loadWorkerConfig({ HYPERDRIVE, LOG_LEVEL: 'loud', OPENAI_BASE_URL: 'not a url' })
    expect(attempt).toThrow(
      expect.objectContaining({
        code: 'not_configured',
        status: 503,
        message: 'Invalid configuration: LOG_LEVEL must be one of debug, info, warn, error, silent.',
      }),
    )
  })
})
