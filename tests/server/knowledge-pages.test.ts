// The corpus as readable pages: every document at /wissen/{id}, German and English, with its "Stand"
// date, its own sources and an anchor for every section a citation can name, under a strict CSP.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { chunkDocument } from '../../src/retrieval/chunker.ts'
import { type CorpusDocument, loadCorpus } from '../../src/retrieval/corpus-loader.ts'
import { anchorOf } from '../../src/text/slug.ts'
import { pgliteAdapter, type TestDatabase } from '../helpers/databases.ts'
import { createTestApp } from '../helpers/test-app.ts'

describe('knowledge pages', () => {
  let t: TestDatabase
  let app: Awaited<ReturnType<typeof createTestApp>>['app']
  let corpus: CorpusDocument[]
  beforeAll(async () => {
    t = await pgliteAdapter.open()
    corpus = await loadCorpus('corpus')
    app = (await createTestApp(t.database, { knowledge: async () => corpus })).app
  })
  afterAll(async () => {
    await t.dispose()
  })

  it('serves every document with an anchor for every section its citations name', async () => {
    expect(corpus.length).toBeGreaterThan(40)
    const known = new Set(corpus.map((d) => d.meta.id))
    let linkedTitles = 0
    for (const document of corpus) {
      const res = await app.request(`/wissen/${document.meta.id}`)
      expect(res.status, document.meta.id).toBe(200)
      const html = await res.text()
      expect(html).toContain(`<html lang="${document.meta.lang}">`)
      linkedTitles += [...html.matchAll(/<a href="\/wissen\/[^"]+">[^<]+<\/a>/g)].length
      const ids = new Set([...html.matchAll(/ id="([^"]+)"/g)].map((m) => m[1]))
      const chunks = await chunkDocument(document.meta.id, document.meta.title, document.body)
      for (const chunk of chunks)
        expect(ids, `${document.meta.id}: ${chunk.heading}`).toContain(anchorOf(chunk.heading))
      // The title is an anchor too (further-reading citations name the document, not a section).
      expect(ids).toContain(anchorOf(document.meta.title))
      // Its own sources, all of them; the example questions for retrieval are not shown.
      const list = /<ul class="sources">(.*?)<\/ul>/s.exec(html)?.[1] ?? ''
      expect(list.match(/<li>/g)?.length, document.meta.id).toBe(document.meta.sources.length)
      for (const source of document.meta.sources) {
        const words = source.split('https://')[0]?.slice(0, 25) ?? ''
        expect(list, document.meta.id).toContain(
          words.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/'/g, '&#39;').replace(/</g, '&lt;'),
        )
      }
      expect(html).not.toContain('```')
      // Documents named in the text link to their pages under their titles; no id is left as text.
      for (const [, target] of html.matchAll(/href="\/wissen\/([^"#]+)/g))
        expect(known, `${document.meta.id} links to ${target}`).toContain(target)
      const main = /<main>(.*)<\/main>/s.exec(html)?.[1]?.replace(/<[^>]+>/g, '') ?? ''
      for (const id of known)
        expect(main, document.meta.id).not.toMatch(new RegExp(`(?<![\\w/#-])${id}(?![\\w-])`))
    }
    expect(linkedTitles).toBeGreaterThan(300)
  })

  it('shows the "Stand" date in the document language, links the translation, and has no script', async () => {
    const german = corpus.find(
      (d) => d.meta.lang === 'de' && corpus.some((e) => e.meta.translation_of === d.meta.id),
    )
    const english = corpus.find((d) => d.meta.translation_of === german?.meta.id)
    expect(german && english).toBeTruthy()
    const de = await app.request(`/wissen/${german?.meta.id}`)
    const deHtml = await de.text()
    expect(deHtml).toMatch(/Stand: <time datetime="\d{4}-\d\d-\d\d">\d{1,2}\. \p{L}+ \d{4}<\/time>/u)
    expect(deHtml).toContain('Quellen dieses Textes')
    expect(deHtml).toContain(`href="/wissen/${english?.meta.id}"`)
    const en = await app.request(`/wissen/${english?.meta.id}`)
    const enHtml = await en.text()
    expect(enHtml).toMatch(/As of: <time datetime="\d{4}-\d\d-\d\d">\d{1,2} \p{L}+ \d{4}<\/time>/u)
    expect(enHtml).toContain('Sources of this text')
    for (const res of [de, en]) {
      const csp = res.headers.get('content-security-policy') ?? ''
      expect(csp).toContain("default-src 'none'")
      expect(csp).not.toContain('script-src')
    }
    expect(deHtml).not.toMatch(/<script/)
    expect((await app.request('/wissen.css')).headers.get('content-type')).toContain('text/css')
  })

  it('answers an unknown page with a clear 404', async () => {
    const res = await app.request('/wissen/gibt-es-nicht')
    expect(res.status).toBe(404)
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('not_found')
  })
})
