// Bad input, generated: every JSON endpoint of the OpenAPI document gets random bodies (random
// Unicode with NUL characters and unpaired surrogates, huge strings, 10,000-level nesting, wrong types,
// SQL and HTML payloads, truncated JSON, mutations of a valid body); every operation with path or
// query parameters gets random values there. Never a 5xx, always the JSON error shape (or a success),
// and a rejected request stores nothing. Prints how many cases ran.
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createMentor } from '../../src/mentors/accounts.ts'
import { createLocalEmbedder } from '../../src/retrieval/embedders/local-embedder.ts'
import { ingestCorpus } from '../../src/retrieval/ingest.ts'
import { EXAMPLE_BODIES } from '../../src/server/openapi/request-examples.ts'
import { pgliteAdapter, type TestDatabase } from '../helpers/databases.ts'
import { createTestApp, sendMessage } from '../helpers/test-app.ts'

type Operation = {
  security?: Array<Record<string, unknown>>
  parameters?: Array<{ name: string; in: string }>
  requestBody?: unknown
}

// Cases per operation: enough variety for each kind of input, and the whole file well under 30 s on
// an idle machine. The number of cases is fixed; the timeout only guards against a hang, with room for
// a CPU shared with other work (where the same cases take up to twice as long).
const BODY_RUNS = 110
const TIMEOUT_MS = 90_000
const PARAM_RUNS = 30

const PAYLOADS = [
  "' OR '1'='1",
  "'); drop table messages; --",
  '1; select pg_sleep(10)',
  '$1',
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '"><svg/onload=alert(1)>',
  '{{7*7}}',
  '\u0024{7*7}',
  '../../etc/passwd',
  '\u0000',
  'a\u0000b',
  '\ud800',
  'x\udfffy',
  '\u202e\u200b\ufeff',
  '%00',
  '%',
  '%ZZ',
  '%E0%A4%A',
  'NaN',
  '-1',
  '1e309',
  '00000000-0000-0000-0000-000000000000',
  '',
  ' ',
]

const oddUnit = fc.oneof(
  { weight: 10, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }) },
  { weight: 1, arbitrary: fc.constantFrom('\u0000', '\ud800', '\udc00', '\ufffe', '\u0085', '"', '\\') },
)
const text = fc.string({ unit: oddUnit, maxLength: 120 })
const huge = fc.integer({ min: 4001, max: 80_000 }).map((n) => 'ä'.repeat(n))
const anyString = fc.oneof(
  { weight: 6, arbitrary: text },
  { weight: 3, arbitrary: fc.constantFrom(...PAYLOADS) },
  { weight: 1, arbitrary: huge },
)
const { value } = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    anyString,
    fc.integer(),
    fc.double(),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(text, tie('value'), { maxKeys: 4 }),
  ),
}))

/** Raw request bodies for an operation whose valid body is `example`. */
function bodies(example: Record<string, unknown>): fc.Arbitrary<string> {
  const keys = [...Object.keys(example), 'unexpected']
  const valid = JSON.stringify(example)
  return fc.oneof(
    // A valid body with one field replaced by anything (wrong types, payloads, huge strings).
    {
      weight: 5,
      arbitrary: fc
        .record({ key: fc.constantFrom(...keys), v: value })
        .map(({ key, v }) => JSON.stringify({ ...example, [key]: v })),
    },
    // Any JSON value at all.
    { weight: 2, arbitrary: value.map((v) => JSON.stringify(v)) },
    // Deep nesting, up to 10,000 levels, in a field or as the whole body.
    {
      weight: 1,
      arbitrary: fc
        .record({ depth: fc.integer({ min: 100, max: 10_000 }), key: fc.constantFrom(...keys) })
        .map(({ depth, key }) => `{"${key}":${'['.repeat(depth)}${']'.repeat(depth)}}`),
    },
    { weight: 1, arbitrary: fc.constant(`${'['.repeat(10_000)}${']'.repeat(10_000)}`) },
    // Not JSON: truncated, or random text.
    { weight: 1, arbitrary: fc.nat({ max: valid.length - 1 }).map((n) => valid.slice(0, n)) },
    { weight: 1, arbitrary: text },
  )
}

/** A path or query value: random text, payloads (sent unencoded too) and the odd valid UUID. */
const paramValue = fc.oneof(
  text.map((s) => encodeURIComponent(s.toWellFormed())),
  fc.constantFrom(...PAYLOADS).map((s) => (s.isWellFormed() ? encodeURIComponent(s) : '%ED%A0%80')),
  fc.constantFrom('%', '%ZZ', '%00', '..', '%2e%2e', '%E0%A4%A'),
  fc.uuid().map((s) => s),
)

describe('fuzzing every JSON endpoint', () => {
  let t: TestDatabase
  let app: Awaited<ReturnType<typeof createTestApp>>['app']
  // `mentor` is the admin that sends the requests; `account` another account of the tenant, which the
  // account routes act on (disable, rotate, remove) when a generated request happens to be valid.
  const fixture = { conversation: '', token: '', message: '', handoff: '', mentor: '', account: '' }

  beforeAll(async () => {
    t = await pgliteAdapter.open()
    // Limits off: this test is about input, not rates.
    app = (
      await createTestApp(t.database, {
        env: {
          LIMIT_CONVERSATIONS_PER_CLIENT: '0',
          LIMIT_CONVERSATIONS_PER_TENANT: '0',
          LIMIT_MESSAGES_PER_CONVERSATION: '0',
          LIMIT_MESSAGES_PER_TENANT: '0',
          LIMIT_HANDOFFS_PER_CLIENT: '0',
          LIMIT_HANDOFFS_PER_TENANT: '0',
          LIMIT_FEEDBACK_PER_CONVERSATION: '0',
        },
      })
    ).app
    await ingestCorpus({ database: t.database, embedder: createLocalEmbedder(), corpusDir: 'corpus' })
    fixture.mentor = (
      await createMentor(t.database, { name: 'Fuzz', tenant: 'default', role: 'admin' })
    ).token
    fixture.account = (
      await createMentor(t.database, { name: 'Fuzz target', tenant: 'default', role: 'admin' })
    ).mentor.id
    const c = (await (
      await app.request('/v1/conversations', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{}',
      })
    ).json()) as { id: string; token: string }
    fixture.conversation = c.id
    fixture.token = c.token
    const say = (text: string) => sendMessage(app, c, text)
    fixture.message = (await say('Wie finde ich heraus, wo KI in meinem Betrieb sinnvoll ist?')).id
    fixture.handoff = (await say('Muss unser Betriebsrat der Einführung zustimmen?')).handoff?.id ?? ''
  })
  afterAll(async () => {
    await t.dispose()
  })

  /** What is stored, in one statement: row counts and fingerprints of the rows a request could change. */
  const stored = async () =>
    (
      await t.database.query(
        `select (select count(*) from conversations) as conversations, (select count(*) from messages) as messages,
           (select count(*) from handoffs) as handoffs, (select count(*) from feedback) as feedback,
           (select count(*) from knowledge_gaps) as gaps, (select count(*) from outbox) as outbox,
           (select count(*) from audit_log) as audit, (select count(*) from mentors) as mentors,
           (select md5(string_agg(concat(id, token_hash, token_expires_at, disabled_at, removed_at), '' order by id)) from mentors) as accounts,
           (select md5(coalesce(string_agg(row_to_json(x)::text, '' order by slug), '')) from tenants x) as tenants,
           (select md5(coalesce(string_agg(concat(id, status, contact_email, claimed_by), '' order by id), '')) from handoffs) as handoff_state,
           (select count(*) from conversations where erased_at is not null) as erased`,
      )
    ).rows[0]

  const paramFor = (name: string, path: string, mentor: boolean) => {
    if (name === 'mentorId') return fixture.account
    if (name === 'handoffId' || (name === 'id' && mentor)) return fixture.handoff
    if (name === 'slug') return 'default'
    if (name === 'id' && path.startsWith('/v1/messages/')) return fixture.message
    if (name === 'id') return fixture.conversation
    throw new Error(`${path}: no fixture for the path parameter {${name}}`)
  }

  async function check(label: string, method: string, url: string, token: string | undefined, body?: string) {
    const before = await stored()
    const res = await app.request(url, {
      method,
      headers: {
        'content-type': 'application/json',
        accept: 'application/json',
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      ...(body === undefined ? {} : { body }),
    })
    const raw = await res.text()
    const where = `${label} ${method} ${url.slice(0, 120)} body ${JSON.stringify(body?.slice(0, 160))}: ${res.status} ${raw.slice(0, 200)}`
    expect(res.status, where).toBeLessThan(500)
    if (res.status === 204) return
    expect(res.headers.get('content-type') ?? '', where).toMatch(/^application\/json/)
    const parsed = JSON.parse(raw) as unknown
    if (res.status >= 400) {
      expect(parsed, where).toEqual({ error: { code: expect.any(String), message: expect.any(String) } })
      expect(raw, where).not.toMatch(
        /\n\s+at |SQLSTATE|syntax error|violates|relation "|pglite|node_modules/i,
      )
      expect(await stored(), `${where}: a rejected request changed what is stored`).toEqual(before)
    }
  }

  it(
    'never answers 5xx, always the JSON error shape, and stores nothing for a rejected request',
    async () => {
      const doc = (await (await app.request('/openapi.json')).json()) as {
        paths: Record<string, Record<string, Operation>>
      }
      let cases = 0
      let operations = 0
      for (const [path, methods] of Object.entries(doc.paths)) {
        for (const [lower, op] of Object.entries(methods)) {
          const method = lower.toUpperCase()
          const key = `${method} ${path}`
          const scheme = Object.keys(op.security?.[0] ?? {})[0]
          const mentor = scheme === 'mentorToken'
          const token = scheme === undefined ? undefined : mentor ? fixture.mentor : fixture.token
          const url = path.replace(/\{(\w+)\}/g, (_, name: string) => paramFor(name, path, mentor))
          const pathParams = (op.parameters ?? []).filter((p) => p.in === 'path').map((p) => p.name)
          const queryParams = (op.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name)
          const example = EXAMPLE_BODIES[key]
          if (op.requestBody && !example) throw new Error(`${key}: add a valid body to EXAMPLE_BODIES`)
          // A body that cannot change the fixtures' state: the request must be refused or be harmless.
          const validBody = example ? JSON.stringify(example) : undefined
          const run = async (label: string, u: string, body: string | undefined) => {
            cases++
            await check(label, method, u, token, body)
          }
          if (!op.requestBody && pathParams.length === 0 && queryParams.length === 0) continue
          operations++
          if (example) {
            await fc.assert(
              fc.asyncProperty(bodies(example), (body) => run('body', url, body)),
              { numRuns: BODY_RUNS },
            )
          }
          for (const name of pathParams) {
            await fc.assert(
              fc.asyncProperty(paramValue, (v) =>
                run(
                  `path {${name}}`,
                  path.replace(/\{(\w+)\}/g, (_, n: string) => (n === name ? v : paramFor(n, path, mentor))),
                  validBody,
                ),
              ),
              { numRuns: PARAM_RUNS },
            )
          }
          for (const name of queryParams) {
            await fc.assert(
              fc.asyncProperty(paramValue, (v) => run(`query ${name}`, `${url}?${name}=${v}`, validBody)),
              { numRuns: PARAM_RUNS },
            )
          }
        }
      }
      console.log(`fuzz: ${cases} generated requests over ${operations} operations`)
      expect(operations).toBeGreaterThanOrEqual(15)
      expect(cases).toBeGreaterThan(1000)
    },
    TIMEOUT_MS,
  )
})
