// Idempotent ingestion: unchanged documents are skipped, changed ones replaced, deleted ones removed, in one transaction.
import { createHash } from 'node:crypto'
import type { Database } from '../db/database.ts'
import {
  deleteDocuments,
  ensureVectorIndex,
  recordEmbedder,
  storedEmbedder,
  storedFingerprints,
  writeDocument,
} from './chunk-store.ts'
import { CHUNKER_VERSION, type Chunk, chunkDocument, embeddingText } from './chunker.ts'
import { type CorpusDocument, loadCorpus } from './corpus-loader.ts'
import type { Embedder } from './embedders/embedder.ts'
import { corpusReferences } from './references.ts'
import {
  recordTextSearchFingerprint,
  rewriteTextSearchVectors,
  storedTextSearchFingerprint,
  textSearchFingerprint,
} from './text-search-fingerprint.ts'

export interface IngestSummary {
  added: number
  updated: number
  removed: number
  unchanged: number
  chunks: number
  seconds: number
  reembedded: boolean
  /** The server's stemming differs from the one the stored full-text vectors were made with: rewritten. */
  restemmed: boolean
}

export interface IngestOptions {
  database: Database
  embedder: Embedder
  corpusDir: string
  /** Called after each changed document is chunked and embedded. */
  onProgress?: (done: number, total: number) => void
}

export async function ingestCorpus(options: IngestOptions): Promise<IngestSummary> {
  const started = performance.now()
  const { database, embedder } = options
  // Everything that can fail on bad input happens before the transaction: nothing is half-written.
  const documents = await loadCorpus(options.corpusDir)
  const stored = await storedFingerprints(database)
  const reembedded = (await storedEmbedder(database))?.id !== embedder.id && stored.size > 0
  const references = corpusReferences(documents)
  // A passage shows the titles of the documents it names, so a new title there re-ingests it.
  const fingerprint = (doc: CorpusDocument) => {
    const named = references
      .split(doc.body, doc.meta.lang)
      .flatMap((part) => (typeof part === 'string' ? [] : [`${part.id}=${part.title}`]))
    const namedHash = createHash('sha256').update(named.join('\n')).digest('hex').slice(0, 16)
    return `${CHUNKER_VERSION}:${doc.contentHash}:${namedHash}`
  }

  const changed = documents.filter((doc) => reembedded || stored.get(doc.meta.id) !== fingerprint(doc))
  const present = new Set(documents.map((doc) => doc.meta.id))
  const removed = [...stored.keys()].filter((id) => !present.has(id))

  const prepared: Array<{
    doc: CorpusDocument
    chunks: Chunk[]
    vectors: number[][]
    questionVectors: number[][]
  }> = []
  for (const doc of changed) {
    const chunks = (await chunkDocument(doc.meta.id, doc.meta.title, doc.body)).map((chunk) => ({
      ...chunk,
      text: references.asTitles(chunk.text, doc.meta.lang),
    }))
    const vectors = await embedder.embeddings.embedDocuments(chunks.map(embeddingText))
    const questions = chunks.flatMap((chunk) => chunk.questions)
    const questionVectors = questions.length ? await embedder.embeddings.embedDocuments(questions) : []
    prepared.push({ doc, chunks, vectors, questionVectors })
    options.onProgress?.(prepared.length, changed.length)
  }

  const stems = await textSearchFingerprint(database)
  const restemmed = stored.size > 0 && (await storedTextSearchFingerprint(database)) !== stems

  if (prepared.length || removed.length || reembedded || restemmed || stored.size === 0) {
    await database.transaction(async (tx) => {
      // Before the changed documents are written: those get the new stems anyway.
      if (restemmed) await rewriteTextSearchVectors(tx)
      await recordTextSearchFingerprint(tx, stems)
      await deleteDocuments(tx, removed)
      for (const { doc, chunks, vectors, questionVectors } of prepared) {
        await writeDocument(tx, doc, fingerprint(doc), chunks, vectors, embedder, questionVectors)
      }
      await ensureVectorIndex(tx, embedder.dimensions)
      await recordEmbedder(tx, embedder)
      // Fresh statistics let the planner choose between the GIN index and a scan (PGlite has no autovacuum).
      await tx.exec('analyze chunks; analyze chunk_questions; analyze documents')
    })
  }

  const added = changed.filter((doc) => !stored.has(doc.meta.id)).length
  return {
    added,
    updated: changed.length - added,
    removed: removed.length,
    unchanged: documents.length - changed.length,
    chunks: prepared.reduce((sum, p) => sum + p.chunks.length, 0),
    seconds: Math.round(performance.now() - started) / 1000,
    reembedded,
    restemmed,
  }
}

export function formatSummary(s: IngestSummary): string {
  return (
    `Ingested corpus: ${s.added} added, ${s.updated} updated, ${s.removed} removed, ${s.unchanged} unchanged, ` +
    `${s.chunks} chunks embedded${s.reembedded ? ' (new embedder: everything re-embedded)' : ''}${s.restemmed ? ' (full-text stems of a different server version: recomputed)' : ''}, ${s.seconds.toFixed(2)} s`
  )
}
