// The API reference: /openapi.json carries a valid example for every request body, parameter and
// response (checked against the operation's own schema, $refs resolved), and /docs serves Swagger UI
// from this origin under a strict CSP, with a server-side list of every operation as its fallback.
import Ajv2020Module from 'ajv/dist/2020.js'
import addFormatsModule from 'ajv-formats'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { OpenApiDocument } from '../../src/server/openapi/document.ts'
import { operationsOf } from '../../src/server/openapi/document.ts'
import { EXAMPLE_BODIES } from '../../src/server/openapi/request-examples.ts'
import type { JsonSchema } from '../../src/server/openapi/schema-example.ts'
import { DOCS_CSP } from '../../src/server/routes/docs.ts'
import { pgliteAdapter, type TestDatabase } from '../helpers/databases.ts'
import { createTestApp } from '../helpers/test-app.ts'

// CommonJS packages: from ESM, their default is `module.exports`, which carries `.default` too.
const Ajv2020 = Ajv2020Module.default
const addFormats = addFormatsModule.default

type Media = { schema?: JsonSchema; examples?: Record<string, { value: unknown }> }

describe('API reference', () => {
  let t: TestDatabase
  let app: Awaited<ReturnType<typeof createTestApp>>['app']
  let doc: OpenApiDocument
  beforeAll(async () => {
    t = await pgliteAdapter.open()
    ;({ app } = await createTestApp(t.database))
    doc = (await (await app.request('/openapi.json')).json()) as OpenApiDocument
  })
  afterAll(async () => {
    await t.dispose()
  })

  /** Validates `value` against `schema`, its `#/components/...` references resolved in the document. */
  function problems(schema: JsonSchema, value: unknown): string {
    const ajv = new Ajv2020({ strict: false, allErrors: true })
    addFormats(ajv)
    const validate = ajv.compile({ components: doc.components, allOf: [schema] })
    return validate(value) ? '' : ajv.errorsText(validate.errors)
  }

  it('has an example for every request body, parameter and response, valid against its schema', () => {
    const checked = { bodies: 0, parameters: 0, responses: 0 }
    for (const { key, operation } of operationsOf(doc)) {
      for (const parameter of operation.parameters ?? []) {
        expect(parameter.example, `${key} parameter ${parameter.name}`).toBeDefined()
        expect(problems(parameter.schema ?? {}, parameter.example), `${key} ${parameter.name}`).toBe('')
        checked.parameters++
      }
      for (const [type, media] of Object.entries(operation.requestBody?.content ?? {}) as [string, Media][]) {
        const examples = Object.values(media.examples ?? {})
        expect(examples.length, `${key} request ${type}`).toBeGreaterThan(0)
        for (const { value } of examples) expect(problems(media.schema ?? {}, value), key).toBe('')
        checked.bodies++
      }
      for (const [status, response] of Object.entries(operation.responses ?? {})) {
        for (const [type, media] of Object.entries(response.content ?? {}) as [string, Media][]) {
          const examples = Object.values(media.examples ?? {})
          expect(examples.length, `${key} ${status} ${type}`).toBeGreaterThan(0)
          for (const { value } of examples)
            expect(problems(media.schema ?? {}, value), `${key} ${status} ${type}`).toBe('')
          checked.responses++
        }
      }
    }
    // Every body is one of the curated examples, which the HTTP suites also send.
    for (const { key, operation } of operationsOf(doc))
      if (operation.requestBody) expect(EXAMPLE_BODIES[key], key).toBeDefined()
    expect(checked.bodies).toBeGreaterThanOrEqual(Object.keys(EXAMPLE_BODIES).length)
    expect(checked.responses).toBeGreaterThan(100)
  })

  it('gives error responses the code of their status and a streamed reply as events', () => {
    const messages = doc.paths['/v1/conversations/{id}/messages']?.post
    const example = (status: string, type = 'application/json') =>
      Object.values((messages?.responses?.[status]?.content?.[type] as Media | undefined)?.examples ?? {})[0]
        ?.value
    expect(example('404')).toEqual({ error: { code: 'not_found', message: expect.any(String) } })
    expect(example('401')).toEqual({
      error: { code: 'unauthorized', message: expect.stringContaining('conversation needs its token') },
    })
    expect(example('429')).toMatchObject({ error: { code: 'rate_limited' } })
    expect(example('200', 'text/event-stream')).toMatch(/^event: route\ndata: \{.*\}\n\n(.|\n)*event: done\n/)
    // A regex's flags are not part of its pattern (the tenant slug's /u once made every slug invalid).
    const patterns = [...JSON.stringify(doc).matchAll(/"pattern":"((?:[^"\\]|\\.)*)"/g)].map((m) => m[1])
    expect(patterns.length).toBeGreaterThan(0)
    for (const pattern of patterns) expect(pattern).not.toMatch(/\/[a-z]+$/)
    // Resolved through $ref and allOf: the reply's fields and its handoff.
    expect(example('200')).toMatchObject({
      message: { author: 'assistant', status: 'complete', citations: [expect.any(Object)], handoff: {} },
    })
  })

  it('serves /docs with Swagger UI from this origin and every operation listed as a fallback', async () => {
    const res = await app.request('/docs')
    expect(res.status).toBe(200)
    expect(res.headers.get('content-security-policy')).toBe(DOCS_CSP)
    const page = await res.text()
    const sources = [...page.matchAll(/<(?:script|link)[^>]+(?:src|href)="([^"]+)"/g)].map((m) => m[1])
    expect(sources).toEqual([
      '/favicon.svg',
      '/docs/swagger-ui.css',
      '/docs/docs.css',
      '/docs/swagger-ui-bundle.js',
      '/docs/docs.js',
    ])
    for (const { key } of operationsOf(doc)) {
      const [method, path] = key.split(' ')
      expect(page, key).toContain(`<span class="method">${method}</span> <code>${path}</code>`)
    }
    for (const [path, type] of [
      ['/docs/swagger-ui-bundle.js', 'text/javascript; charset=utf-8'],
      ['/docs/swagger-ui.css', 'text/css; charset=utf-8'],
      ['/docs/docs.js', 'text/javascript; charset=utf-8'],
      ['/docs/docs.css', 'text/css; charset=utf-8'],
    ] as const) {
      const asset = await app.request(path)
      expect(asset.status, path).toBe(200)
      expect(asset.headers.get('content-type'), path).toBe(type)
      const text = await asset.text()
      expect(text, path).not.toContain('sourceMappingURL')
      if (path === '/docs/swagger-ui-bundle.js') expect(text).toContain('SwaggerUIBundle')
    }
  })

  it('answers a clear 404 for the viewer where the host does not serve it (a Worker without assets)', async () => {
    const { createApp } = await import('../../src/server/app.ts')
    const { deps } = await createTestApp(t.database)
    const bare = createApp({ ...deps, docsAssets: undefined })
    const res = await bare.request('/docs/swagger-ui-bundle.js')
    expect(res.status).toBe(404)
    expect(await res.json()).toEqual({
      error: { code: 'not_found', message: expect.stringContaining('API reference’s script') },
    })
    // The page itself still lists every operation.
    expect(await (await bare.request('/docs')).text()).toContain('<code>/v1/search</code>')
  })
})
