// Every HTML page the app serves carries a strict Content-Security-Policy. The pages are found by
// walking the app's routes, so that a new page is checked without being listed here.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { pgliteAdapter, type TestDatabase } from '../helpers/databases.ts'
import { createTestApp } from '../helpers/test-app.ts'

/** The directives of a policy, by name. */
const directives = (policy: string) =>
  new Map(
    policy
      .split(';')
      .map((part) => part.trim().split(/\s+/))
      .filter((words) => words[0])
      .map(([name, ...sources]) => [name as string, sources]),
  )

function expectStrict(path: string, policy: string | null) {
  expect(policy, `${path} has no Content-Security-Policy`).toBeTruthy()
  const d = directives(policy ?? '')
  expect(d.get('default-src'), path).toEqual(["'none'"])
  for (const name of ['frame-ancestors', 'base-uri', 'form-action'])
    expect(d.get(name), `${path} ${name}`).toEqual(["'none'"])
  for (const [name, sources] of d) {
    expect(sources, `${path} ${name}`).not.toContain("'unsafe-inline'")
    expect(sources, `${path} ${name}`).not.toContain("'unsafe-eval'")
    expect(sources, `${path} ${name}`).not.toContain('*')
    expect(sources, `${path} ${name}`).not.toContain('http:')
  }
  // Scripts only from this origin, never inline, never data: or blob: URLs.
  expect(d.get('script-src') ?? [], path).toSatisfy((sources: string[]) =>
    sources.every((s) => s === "'self'"),
  )
  expect(d.get('object-src') ?? ["'none'"], path).toEqual(["'none'"])
}

describe('Content-Security-Policy', () => {
  let t: TestDatabase
  beforeAll(async () => {
    t = await pgliteAdapter.open()
  })
  afterAll(async () => {
    await t.dispose()
  })

  it('is strict on every HTML page the app serves', async () => {
    const { app } = await createTestApp(t.database)
    const pages = [
      ...new Set(app.routes.filter((r) => r.method === 'GET' && !/[:*]/.test(r.path)).map((r) => r.path)),
    ]
    const html: string[] = []
    for (const path of pages) {
      const res = await app.request(path)
      if (!/text\/html/.test(res.headers.get('content-type') ?? '')) continue
      html.push(path)
      expectStrict(path, res.headers.get('content-security-policy'))
      const body = await res.text()
      // No inline script (JSON data blocks are not run): everything a page runs comes from a file.
      expect(body.match(/<script(?![^>]*\b(src=|type="application\/json"))[^>]*>/g), path).toBeNull()
    }
    expect(html.sort()).toEqual(['/', '/docs', '/mentor', '/mentor/setup'])
  })

  it('gives any other HTML response the strictest policy', async () => {
    const { app } = await createTestApp(t.database)
    app.get('/a-page-without-its-own-policy', (c) => c.html('<p>Hallo</p>'))
    const res = await app.request('/a-page-without-its-own-policy')
    expectStrict('/a-page-without-its-own-policy', res.headers.get('content-security-policy'))
  })
})
