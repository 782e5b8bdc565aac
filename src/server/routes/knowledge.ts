// The corpus as readable pages: /wissen/{id} for every document (German and English), linked from
// the widget's citations, under a strict CSP without script.
import { Hono } from 'hono'
import { notFound } from '../../errors.ts'
import { KNOWLEDGE_CSP, knowledgeStyle, renderKnowledgePage } from '../../knowledge/page.ts'
import type { CorpusDocument } from '../../retrieval/corpus-loader.ts'
import { corpusReferences, type DocumentReferences } from '../../retrieval/references.ts'

type Library = {
  byId: Map<string, CorpusDocument>
  translations: Map<string, string>
  references: DocumentReferences
}

function libraryOf(documents: readonly CorpusDocument[]): Library {
  const byId = new Map(documents.map((d) => [d.meta.id, d]))
  // The other language's version: the English text names its German original, and back.
  const translations = new Map<string, string>()
  for (const d of documents) {
    const original = d.meta.translation_of
    if (original && byId.has(original)) {
      translations.set(d.meta.id, original)
      translations.set(original, d.meta.id)
    }
  }
  const references = corpusReferences(documents)
  return { byId, translations, references }
}

/** `load` reads the documents; it runs on the first page asked for, so that start-up does not wait. */
export function knowledgeRoutes(load?: () => Promise<readonly CorpusDocument[]>) {
  const app = new Hono()
  let library: Promise<Library> | undefined
  app.get('/wissen/:id', async (c) => {
    const id = c.req.param('id')
    c.header('Content-Security-Policy', KNOWLEDGE_CSP)
    if (load)
      library ??= load()
        .then(libraryOf)
        .catch((error: unknown) => {
          library = undefined // tried again on the next page asked for
          throw error
        })
    const { byId, translations, references } = library ? await library : libraryOf([])
    const document = byId.get(id)
    if (!document) throw notFound(`The knowledge page "${id.slice(0, 100)}"`)
    c.header('Cache-Control', 'public, max-age=300')
    return c.html(renderKnowledgePage(document, translations.get(id), references))
  })
  app.get('/wissen.css', (c) => c.body(knowledgeStyle, 200, { 'content-type': 'text/css; charset=utf-8' }))
  return app
}
