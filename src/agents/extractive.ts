// Offline answers: the most relevant sentences of the top passages, diversified with maximal marginal
// relevance (Carbonell & Goldstein), grouped by source and cited, so that it reads as a short answer.
import type { Citation } from '../conversations/repository.ts'
import { embedLocally } from '../retrieval/embedders/local-embedder.ts'
import { corpusIdf as idf } from '../retrieval/embedders/local-idf.ts'
import type { SearchHit } from '../retrieval/search.ts'

// Up to four sentences: enough to answer, short enough to read on a phone.
const MAX_SENTENCES = 4
// Relevance against redundancy: 0.7 favours relevance but skips near-repeats.
const MMR_LAMBDA = 0.7
const MIN_SENTENCE = 40
// A sentence of the passage at rank h counts 1 / (1 + 0.3 h) of its similarity.
const RANK_DAMPING = 0.3
// Sentences under 40 % of the best one's relevance are left out.
const MIN_RELATIVE = 0.4
const MAX_SENTENCE = 400

interface Sentence {
  text: string
  hit: number
  position: number
  vector: number[]
  relevance: number
}

const dot = (a: readonly number[], b: readonly number[]) => a.reduce((sum, v, i) => sum + v * (b[i] ?? 0), 0)

const LIST_ITEM = /^\s*([-*+]|\d+\.)\s+/

/** Plain sentences of a Markdown passage: list items become sentences, markup is removed. */
export function sentencesOf(markdown: string): string[] {
  const lines: string[] = []
  for (const block of markdown.split(/\n\s*\n/)) {
    // Wrapped lines of a paragraph belong together; list items and headings stand alone.
    block.split('\n').forEach((line, i) => {
      if (i === 0 || LIST_ITEM.test(line) || /^\s*#/.test(line)) lines.push(line)
      else lines[lines.length - 1] = `${lines[lines.length - 1]} ${line.trim()}`
    })
  }
  return (
    lines
      .map((line) =>
        line
          .replace(LIST_ITEM, '')
          .replace(/^\s*#+\s+/, '')
          .replace(/\*\*|__|`/g, '')
          .replace(/\[([^\]]+)\]\([^)]+\)/g, '$1')
          .trim(),
      )
      .filter((line) => line && !line.startsWith('|'))
      .flatMap((line) => line.split(/(?<=[.!?])\s+(?=[A-ZÄÖÜ„"])/))
      .map((sentence) =>
        /[.!?:]$/.test(sentence) ? sentence : `${sentence.replace(/[,;–-]+$/, '').trim()}.`,
      )
      // A sentence that starts in lower case is the tail of one cut off by chunking; one ending in a
      // colon introduces a list it does not contain.
      .filter(
        (sentence) =>
          sentence.length >= MIN_SENTENCE &&
          sentence.length <= MAX_SENTENCE &&
          !sentence.endsWith(':') &&
          !/^[a-zäöüß]/.test(sentence),
      )
  )
}

export function extractiveAnswer(
  question: string,
  hits: readonly SearchHit[],
): { body: string; citations: Citation[] } {
  const query = embedLocally(question, idf)
  const candidates: Sentence[] = hits.flatMap((hit, h) =>
    sentencesOf(hit.text).map((text, position) => {
      const vector = embedLocally(text, idf)
      // The passage's rank counts too: a sentence of the best passage needs less to be chosen.
      return { text, hit: h, position, vector, relevance: dot(query, vector) / (1 + RANK_DAMPING * h) }
    }),
  )
  const chosen: Sentence[] = []
  while (chosen.length < MAX_SENTENCES && candidates.length > 0) {
    let best = -1
    let bestScore = Number.NEGATIVE_INFINITY
    candidates.forEach((c, i) => {
      const redundancy = chosen.length ? Math.max(...chosen.map((s) => dot(s.vector, c.vector))) : 0
      const score = MMR_LAMBDA * c.relevance - (1 - MMR_LAMBDA) * redundancy
      if (score > bestScore) {
        bestScore = score
        best = i
      }
    })
    const [picked] = candidates.splice(best, 1)
    if (!picked || picked.relevance <= 0) break
    // Weak sentences only dilute the answer: stop when the rest is far below the first choice.
    if (chosen[0] && picked.relevance < MIN_RELATIVE * chosen[0].relevance) break
    chosen.push(picked)
  }

  // Read in source order, and within a source in the order of the text.
  chosen.sort((a, b) => a.hit - b.hit || a.position - b.position)
  const citations: Citation[] = []
  const paragraphs: string[] = []
  for (const hitIndex of [...new Set(chosen.map((s) => s.hit))]) {
    const hit = hits[hitIndex]
    if (!hit) continue
    const n = citations.length + 1
    citations.push({
      n,
      documentId: hit.documentId,
      title: hit.title,
      heading: hit.heading,
      ...(hit.url ? { url: hit.url } : {}),
    })
    const text = chosen
      .filter((s) => s.hit === hitIndex)
      .map((s) => s.text)
      .join(' ')
    paragraphs.push(`${text} [${n}]`)
  }
  return { body: paragraphs.join('\n\n'), citations }
}
