// `npm run embedder:fit`: counts in how many corpus chunks each word stem occurs and writes the local
// embedder's weights (src/retrieval/embedders/local-idf.json). Like a model's vocabulary, the file is
// versioned with the code; refitting changes the embedder id, so the store re-embeds on the next ingest.
import { writeFile } from 'node:fs/promises'
import { chunkDocument, embeddingText } from '../src/retrieval/chunker.ts'
import { loadCorpus } from '../src/retrieval/corpus-loader.ts'
import { contentStems } from '../src/retrieval/embedders/text-features.ts'

const corpusDir = process.argv[2] ?? 'corpus'
const documents = await loadCorpus(corpusDir)
const df = new Map<string, number>()
let chunks = 0
for (const doc of documents) {
  for (const chunk of await chunkDocument(doc.meta.id, doc.meta.title, doc.body)) {
    chunks++
    for (const stem of new Set(contentStems(embeddingText(chunk)))) df.set(stem, (df.get(stem) ?? 0) + 1)
  }
}
// Stems seen once carry no more information than unseen ones (both get the highest weight), so the
// file keeps only the others.
const kept = [...df].filter(([, count]) => count >= 2).sort(([a], [b]) => a.localeCompare(b))
await writeFile(
  new URL('../src/retrieval/embedders/local-idf.json', import.meta.url),
  `${JSON.stringify({ chunks, df: Object.fromEntries(kept) })}\n`,
)
console.log(`Fitted the local embedder on ${chunks} chunks: ${kept.length} stems with document frequencies.`)
