// Offline answers: the most relevant sentences of the passage that fits the question best, diversified
// with maximal marginal relevance (Carbonell & Goldstein) and cited, so that it reads as a short answer.

import type { Citation } from '../conversations/repository.ts'
import { embedLocally } from '../retrieval/embedders/local-embedder.ts'
import { corpusIdf as idf } from '../retrieval/embedders/local-idf.ts'
import { detectTextLang } from '../retrieval/embedders/text-features.ts'
import type { SearchHit } from '../retrieval/search.ts'
import { expandQuery } from '../retrieval/thesaurus.ts'
import { citationOf } from './citations.ts'
import { addressesTheAi } from './injection.ts'

// Three sentences of the leading passage: enough to answer, short enough to read on a phone.
const LEAD_SENTENCES = 3
// A sentence at position p of its passage counts 1 / (1 + 0.1 p) of its similarity.
const POSITION_DAMPING = 0.1
// Relevance against redundancy: 0.7 favours relevance but skips near-repeats.
const MMR_LAMBDA = 0.7
const MIN_SENTENCE = 40
// The passage at rank h counts 1 / (1 + 0.3 h) of its relevance.
const RANK_DAMPING = 0.3
// Sentences under 40 % of the best one's relevance are left out.
const MIN_RELATIVE = 0.4
const MAX_SENTENCE = 400
// How much a passage's title and heading count against its best sentence when choosing the lead:
// headings are written by people to say what a section answers, a better guide than single words.
const HEADING_WEIGHT = 2

interface Sentence {
  text: string
  position: number
  vector: number[]
  relevance: number
}

const dot = (a: readonly number[], b: readonly number[]) => a.reduce((sum, v, i) => sum + v * (b[i] ?? 0), 0)

const LIST_ITEM = /^\s*([-*+]|\d+\.)\s+/
// A sentence ends at . ! ? before a capital, but not after an ordinal ("2. Februar") or a common
// abbreviation ("Abs. 1", "z. B. Rechnungen").
const SENTENCE_END =
  /(?<!\b\d{1,2}\.)(?<!\b(?:Abs|Art|Nr|bzw|ca|vgl|ggf|evtl|inkl|z\. ?B|u\. ?a|d\. ?h|e\.g|i\.e|Dr|Prof|St)\.)(?<=[.!?])\s+(?=[A-ZÄÖÜ„"])/u

// A list is kept with the line that introduces it when it is a short enumeration (steps, criteria).
const MAX_LIST_ITEMS = 8
const MAX_LIST_ITEM = 90

const plain = (line: string) =>
  line
    .replace(LIST_ITEM, '')
    .replace(/^\s*#+\s+/, '')
    .replace(/\*\*|__|`/g, '')
    .replace(/\[([^\]]+)\]\([^)]+\)/g, '$1')
    .trim()

/**
 * Lines of a Markdown passage: wrapped paragraph lines joined, and a short list joined to the line
 * that introduces it ("Das Vorgehen hat fünf Schritte: (1) …, (2) …"), so that it can be quoted whole.
 */
function linesOf(markdown: string): string[] {
  const raw: string[] = []
  for (const block of markdown.split(/\n\s*\n/)) {
    // Wrapped lines of a paragraph belong together; list items and headings stand alone.
    block.split('\n').forEach((line, i) => {
      if (i === 0 || LIST_ITEM.test(line) || /^\s*#/.test(line)) raw.push(line)
      else raw[raw.length - 1] = `${raw[raw.length - 1]} ${line.trim()}`
    })
  }
  const lines: string[] = []
  for (let i = 0; i < raw.length; i++) {
    const line = raw[i] ?? ''
    let end = i + 1
    while (end < raw.length && LIST_ITEM.test(raw[end] ?? '')) end++
    const items = raw.slice(i + 1, end).map(plain)
    const enumerable =
      plain(line).endsWith(':') &&
      !LIST_ITEM.test(line) &&
      items.length >= 2 &&
      items.length <= MAX_LIST_ITEMS &&
      items.every((item) => item.length <= MAX_LIST_ITEM && !/[.!?]./.test(item))
    if (!enumerable) {
      lines.push(plain(line))
      continue
    }
    const ordered = /^\s*\d+\./.test(raw[i + 1] ?? '')
    const list = items.map((item, n) =>
      ordered ? `(${n + 1}) ${item.replace(/[.;,]$/, '')}` : item.replace(/[.;,]$/, ''),
    )
    lines.push(`${plain(line)} ${list.join(ordered ? ', ' : '; ')}.`)
    i = end - 1
  }
  return lines
}

/** Plain sentences of a Markdown passage: markup removed, list items and enumerations as sentences. */
export function sentencesOf(markdown: string): string[] {
  return (
    linesOf(markdown)
      .filter((line) => line && !line.startsWith('|'))
      // A fragment too short to stand alone ("Welche Daten gibt es?") stays with what follows it.
      .flatMap((line) =>
        line.split(SENTENCE_END).reduce<string[]>((sentences, part) => {
          const last = sentences.at(-1)
          if (last !== undefined && last.length < MIN_SENTENCE)
            sentences[sentences.length - 1] = `${last} ${part}`
          else sentences.push(part)
          return sentences
        }, []),
      )
      .map((sentence) =>
        /[.!?:]$/.test(sentence) ? sentence : `${sentence.replace(/[,;–-]+$/, '').trim()}.`,
      )
      // A sentence that starts in lower case is the tail of one cut off by chunking; one ending in a
      // colon introduces a list it does not contain; one addressing an AI system was planted.
      .filter(
        (sentence) =>
          sentence.length >= MIN_SENTENCE &&
          sentence.length <= MAX_SENTENCE &&
          !sentence.endsWith(':') &&
          !/^[a-zäöüß]/.test(sentence) &&
          !addressesTheAi(sentence),
      )
  )
}

/** Adds up to `max` sentences to `chosen` by maximal marginal relevance, stopping where they get weak. */
function pick(chosen: Sentence[], candidates: readonly Sentence[], max: number, floor: number): Sentence[] {
  const pool = [...candidates]
  for (let added = 0; added < max && pool.length > 0; added++) {
    let best = -1
    let bestScore = Number.NEGATIVE_INFINITY
    pool.forEach((c, i) => {
      const redundancy = chosen.length ? Math.max(...chosen.map((s) => dot(s.vector, c.vector))) : 0
      const score = MMR_LAMBDA * c.relevance - (1 - MMR_LAMBDA) * redundancy
      if (score > bestScore) {
        bestScore = score
        best = i
      }
    })
    const [picked] = pool.splice(best, 1)
    if (!picked || picked.relevance <= 0 || picked.relevance < floor) break
    chosen.push(picked)
  }
  return chosen
}

/**
 * An answer from the passages found: the passage that fits the question best (its best sentence and
 * what its title and heading say it is about) answers alone, with its opening sentence and up to two
 * more of its sentences in their order. One coherent voice reads better than a sentence from every
 * passage; the other passages stay available as sources.
 */
export function extractiveAnswer(
  question: string,
  hits: readonly SearchHit[],
): { body: string; citations: Citation[] } {
  // The question as retrieval searched for it: with the terms of the topic its form asks for.
  const query = embedLocally(expandQuery(question, hits[0]?.lang ?? detectTextLang(question)), idf)
  const passages = hits.map((hit, h) => {
    const sentences: Sentence[] = sentencesOf(hit.text).map((text, position) => {
      const vector = embedLocally(text, idf)
      // Sections open with their main point: later sentences need a little more to be chosen.
      return { text, position, vector, relevance: dot(query, vector) / (1 + POSITION_DAMPING * position) }
    })
    const topic = dot(query, embedLocally(`${hit.title} ${hit.heading}`, idf))
    const best = Math.max(0, ...sentences.map((sentence) => sentence.relevance))
    return { hit, sentences, best, score: (best + HEADING_WEIGHT * topic) / (1 + RANK_DAMPING * h) }
  })
  const lead = passages.reduce<(typeof passages)[number] | undefined>(
    (top, passage) => (passage.sentences.length && (!top || passage.score > top.score) ? passage : top),
    undefined,
  )
  const [opening, ...rest] = lead?.sentences ?? []
  if (!lead || !opening) return { body: '', citations: [] }
  // A section states its point first: the opening sentence is always part of the answer.
  const chosen = pick([opening], rest, LEAD_SENTENCES - 1, MIN_RELATIVE * lead.best)
  chosen.sort((a, b) => a.position - b.position)
  const { hit } = lead
  return {
    body: `${chosen.map((sentence) => sentence.text).join(' ')} [1]`,
    citations: [citationOf(hit, 1)],
  }
}
