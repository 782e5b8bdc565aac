// Every gold label of the question splits names a document and section that exist in the corpus: a
// renamed or removed heading would otherwise turn a question's answer into a "wrong" one without notice.
// The blind test split is only counted, so that a failure does not show its questions.
import { describe, expect, it } from 'vitest'
import { questionCase, readJsonl } from '../../evals/lib/datasets.ts'
import { sectionOf } from '../../evals/lib/question-eval.ts'
import { chunkDocument } from '../../src/retrieval/chunker.ts'
import { loadCorpus } from '../../src/retrieval/corpus-loader.ts'

const corpus = await loadCorpus('corpus')
const sections = new Map<string, Set<string>>()
for (const document of corpus) {
  const chunks = await chunkDocument(document.meta.id, document.meta.title, document.body)
  sections.set(document.meta.id, new Set(chunks.map((chunk) => sectionOf(chunk.heading))))
}

async function staleLabels(split: string): Promise<string[]> {
  const cases = await readJsonl(`evals/datasets/questions/${split}.jsonl`, questionCase)
  return cases.flatMap((c) =>
    c.gold
      .filter(
        (g) => !sections.has(g.doc) || (g.section !== undefined && !sections.get(g.doc)?.has(g.section)),
      )
      .map((g) => `${c.id}: ${g.doc}${g.section ? ` › ${g.section}` : ''}`),
  )
}

describe('gold labels of the question splits', () => {
  it.each(['dev', 'dev-real'])('%s: every gold document and section exists', async (split) => {
    expect(await staleLabels(split)).toEqual([])
  })

  it('test: every gold document and section exists (counted, not shown)', async () => {
    expect((await staleLabels('test')).length).toBe(0)
  })

  it('reads the corpus sections the labels are checked against', () => {
    expect(sections.get('ki-kompetenz-pflicht')?.has('Was Art. 4 der KI-Verordnung verlangt')).toBe(true)
    expect(sections.get('ki-kompetenz-pflicht')?.has('Ein Abschnitt, den es nicht gibt')).toBe(false)
  })
})
