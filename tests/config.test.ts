// The environment schema: defaults, coercion and one-line errors that name the variable.
import { describe, expect, it } from 'vitest'
import { ConfigError, loadConfig } from '../src/config.ts'

describe('loadConfig', () => {
  it('has working defaults for the embedded mode', () => {
    const config = loadConfig({})
    expect(config).toMatchObject({ PORT: 8787, HOST: '127.0.0.1', DATA_DIR: '.data', LOG_LEVEL: 'info' })
    expect(config.DATABASE_URL).toBeUndefined()
  })

  it('treats empty values as unset', () => {
    expect(loadConfig({ DATABASE_URL: '', PORT: '9000' })).toMatchObject({
      DATABASE_URL: undefined,
      PORT: 9000,
    })
  })

  it('has limits, timeouts and retention with documented defaults', () => {
    expect(loadConfig({})).toMatchObject({
      LIMIT_CONVERSATIONS_PER_CLIENT: 10,
      LIMIT_MESSAGES_PER_CONVERSATION: 12,
      MODEL_CONCURRENCY: 8,
      MODEL_QUEUE_LIMIT: 32,
      HTTP_TIMEOUT_MS: 10000,
      OVERLOAD_LAG_MS: 250,
      RETENTION_DAYS: 180,
    })
    expect(loadConfig({ OVERLOAD_LAG_MS: '0' }).OVERLOAD_LAG_MS).toBe(0)
    expect(loadConfig({ CLIENT_IP_HEADER: 'CF-Connecting-IP' }).CLIENT_IP_HEADER).toBe('cf-connecting-ip')
    expect(loadConfig({ RETENTION_DAYS: '0', LIMIT_MESSAGES_PER_TENANT: '0' })).toMatchObject({
      RETENTION_DAYS: 0,
      LIMIT_MESSAGES_PER_TENANT: 0,
    })
  })

  it.each([
    ['RETENTION_DAYS', '-1', 'RETENTION_DAYS must be a whole number of days (0 = keep forever).'],
    [
      'LIMIT_MESSAGES_PER_CONVERSATION',
      'many',
      'LIMIT_MESSAGES_PER_CONVERSATION must be a number of requests per minute (0 = no limit).',
    ],
    [
      'CLIENT_IP_HEADER',
      'x forwarded',
      'CLIENT_IP_HEADER must be a header name such as x-forwarded-for or cf-connecting-ip.',
    ],
    ['PORT', '70000', 'PORT must be a port number between 1 and 65535.'],
    ['LOG_LEVEL', 'loud', 'LOG_LEVEL must be one of debug, info, warn, error, silent.'],
    [
      'DATABASE_URL',
      'mysql://x',
      'DATABASE_URL must be a connection string like postgres://user:password@host:5432/dbname.',
    ],
    ['EMBEDDINGS_PROVIDER', 'openai', 'OPENAI_API_KEY must be set when EMBEDDINGS_PROVIDER is openai.'],
  ])('rejects %s=%s with one line', (name, value, expected) => {
    expect(() => loadConfig({ [name]: value })).toThrow(new ConfigError(`Invalid configuration: ${expected}`))
  })

  it('holds HANDOFF_WEBHOOK_URL to the webhook rules, unless the operator exempts a receiver of their own', () => {
    for (const url of [
      'http://hooks.example.org/x',
      'https://127.0.0.1/x',
      'https://2130706433/x',
      'https://[::ffff:7f00:1]/x',
      'https://metadata.google.internal/x',
    ])
      expect(() => loadConfig({ HANDOFF_WEBHOOK_URL: url })).toThrow(
        /^Invalid configuration: HANDOFF_WEBHOOK_URL must be an allowed webhook address: it must .*HANDOFF_WEBHOOK_ALLOW_PRIVATE=true\)\.$/,
      )
    expect(loadConfig({ HANDOFF_WEBHOOK_URL: 'https://hooks.example.org/x' }).HANDOFF_WEBHOOK_URL).toBe(
      'https://hooks.example.org/x',
    )
    expect(
      loadConfig({ HANDOFF_WEBHOOK_URL: 'http://127.0.0.1:9000/x', HANDOFF_WEBHOOK_ALLOW_PRIVATE: 'true' }),
    ).toMatchObject({ HANDOFF_WEBHOOK_URL: 'http://127.0.0.1:9000/x', HANDOFF_WEBHOOK_ALLOW_PRIVATE: true })
  })

  it('reads the webhook allow-list and keeps HANDOFF_WEBHOOK_URL to it', () => {
    expect(
      loadConfig({ WEBHOOK_ALLOWED_HOSTS: ' Hooks.Slack.com, *.webhook.office.com' }).WEBHOOK_ALLOWED_HOSTS,
    ).toEqual(['hooks.slack.com', '*.webhook.office.com'])
    expect(() => loadConfig({ WEBHOOK_ALLOWED_HOSTS: 'https://hooks.slack.com/x' })).toThrow(
      'Invalid configuration: WEBHOOK_ALLOWED_HOSTS must be a list of host names like hooks.example.org,*.example.org.',
    )
    expect(() =>
      loadConfig({
        WEBHOOK_ALLOWED_HOSTS: 'hooks.slack.com',
        HANDOFF_WEBHOOK_URL: 'https://hooks.example.org/x',
      }),
    ).toThrow(
      'Invalid configuration: HANDOFF_WEBHOOK_URL must be an allowed webhook address: it must be on a host the operator allows for webhooks (hooks.slack.com).',
    )
  })

  it('gives mentor tokens a lifetime of 90 days unless set, and never an endless one', () => {
    expect(loadConfig({}).MENTOR_TOKEN_DAYS).toBe(90)
    expect(loadConfig({ MENTOR_TOKEN_DAYS: '30' }).MENTOR_TOKEN_DAYS).toBe(30)
    for (const days of ['0', '731', 'forever'])
      expect(() => loadConfig({ MENTOR_TOKEN_DAYS: days })).toThrow(
        'Invalid configuration: MENTOR_TOKEN_DAYS must be a whole number of days between 1 and 730.',
      )
  })

  it('never echoes a value, which may be a secret', () => {
    expect(() => loadConfig({ DATABASE_URL: 'mysql://user:s3cret@db' })).toThrow(
      expect.objectContaining({ message: expect.not.stringContaining('s3cret') }),
    )
  })
})
