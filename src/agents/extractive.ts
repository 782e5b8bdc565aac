// Offline answers: the section the search ranks first answers in its own words. Sections open with
// a self-contained answer (corpus/FORMAT.md), so the answer is that opening, then the section's key
// list whole (its intro line and every item), then a pointer to the source: "Mehr dazu: [1]".

import type { Citation } from '../conversations/repository.ts'
import type { SearchHit } from '../retrieval/search.ts'
import { citationOf } from './citations.ts'
import { addressesTheAi } from './injection.ts'

// The opening answer: at most this many sentences and characters (a phone screen).
const OPENING_SENTENCES = 3
const OPENING_CHARS = 650
// A list longer than this is cut, with "…" as its last item, and the source has the rest.
const MAX_LIST_ITEMS = 10

const LIST_ITEM = /^\s*([-*+]|\d+[.)])\s+/
const ORDERED_ITEM = /^\s*\d+[.)]\s+/

/**
 * Abbreviations after which a full stop does not end a sentence: German legal and everyday ones and a
 * few English ones; single letters ("z. B.", "i. V. m.", "S. 2") are covered by ABBREVIATION itself.
 */
const ABBREVIATIONS = [
  'Abs',
  'Art',
  'Nr',
  'Nrn',
  'ff',
  'Satz',
  'Rn',
  'Rz',
  'lit',
  'Buchst',
  'Kap',
  'Anh',
  'bzw',
  'ca',
  'vgl',
  'ggf',
  'evtl',
  'inkl',
  'zzgl',
  'usw',
  'etc',
  'sog',
  'bspw',
  'Dr',
  'Prof',
  'St',
  'Mio',
  'Mrd',
  'e\\.g',
  'i\\.e',
  'cf',
  'vs',
  'No',
]
// A single letter before a full stop is an abbreviation too ("z. B.", "i. V. m.", "S. 2").
const ABBREVIATION = new RegExp(`(?:^|[\\s(])(?:${ABBREVIATIONS.join('|')}|\\p{L})\\.$`, 'u')
// A candidate end: . ! ? (or …) followed by space and a capital, a digit or an opening quote.
const CANDIDATE_END = /[.!?…]\s+(?=[A-ZÄÖÜ0-9„"(])/gu

/** Splits running text into sentences; ordinals ("2. Februar") and abbreviations do not end one. */
export function splitSentences(text: string): string[] {
  const sentences: string[] = []
  let start = 0
  for (const match of text.matchAll(CANDIDATE_END)) {
    const end = (match.index ?? 0) + 1
    const head = text.slice(start, end)
    const next = text.slice(end).trimStart()
    // "2. Februar", "§ 87 Abs. 1 Nr. 6": a number before the stop is an ordinal unless a capital
    // sentence start follows a number that ends a clause; the test is the abbreviation or digit.
    if (ABBREVIATION.test(head) || (/(?:^|\s)\d{1,3}\.$/.test(head) && !/^[„"(]/.test(next))) continue
    sentences.push(head.trim())
    start = end
  }
  const rest = text.slice(start).trim()
  if (rest) sentences.push(rest)
  return sentences
}

const plain = (line: string) =>
  line
    .replace(LIST_ITEM, '')
    .replace(/^\s*#+\s+/, '')
    .replace(/__|`/g, '')
    .replace(/\[([^\]]+)\]\([^)]+\)/g, '$1')
    .trim()

interface Block {
  kind: 'paragraph' | 'list' | 'other'
  lines: string[]
}

/** Paragraphs (wrapped lines joined), lists (one entry per item) and other blocks (tables, headings). */
function blocksOf(markdown: string): Block[] {
  const blocks: Block[] = []
  for (const raw of markdown.split(/\n\s*\n/)) {
    let current: Block | undefined
    for (const line of raw.split('\n')) {
      if (!line.trim()) continue
      const kind: Block['kind'] = LIST_ITEM.test(line)
        ? 'list'
        : /^\s*(#|\||```|~~~|>)/.test(line)
          ? 'other'
          : current?.kind === 'list' && /^\s{2,}\S/.test(line)
            ? 'list'
            : 'paragraph'
      if (current && current.kind === kind && (kind !== 'list' || LIST_ITEM.test(line))) {
        if (kind === 'paragraph') current.lines[0] = `${current.lines[0]} ${line.trim()}`
        else current.lines.push(line)
      } else if (current && kind === 'list' && !LIST_ITEM.test(line)) {
        // A wrapped list item continues the item before it.
        current.lines[current.lines.length - 1] = `${current.lines.at(-1)} ${line.trim()}`
      } else {
        current = { kind, lines: [line] }
        blocks.push(current)
      }
    }
  }
  return blocks
}

/** Whether a sentence asks (a question put back to the reader is not an answer). */
const isQuestion = (sentence: string) => /\?["“”]?$/.test(sentence.trim())

/** The sentences of a paragraph block that can stand in an answer. */
const answerSentences = (block: Block | undefined) =>
  splitSentences(plain(block?.lines[0] ?? '')).filter(
    (sentence) => !isQuestion(sentence) && !addressesTheAi(sentence),
  )

/**
 * The answer a section gives: its opening paragraph (up to three sentences; questions and planted
 * instructions left out), then its first list whole with the line that introduces it.
 */
export function sectionAnswer(markdown: string): string {
  const blocks = blocksOf(markdown)
  const first = blocks.findIndex((block) => block.kind === 'paragraph')
  const listAt = blocks.findIndex((block) => block.kind === 'list')
  const list = listAt >= 0 ? blocks[listAt] : undefined
  const before = list ? blocks[listAt - 1] : undefined
  // The line right before a list introduces it when it ends with a colon: it stays with the list.
  const intro =
    before?.kind === 'paragraph' && /:\s*$/.test(before.lines[0] ?? '')
      ? answerSentences(before).at(-1)
      : undefined

  const opening: string[] = []
  let length = 0
  for (const sentence of first >= 0 ? answerSentences(blocks[first]) : []) {
    if (sentence === intro && listAt - 1 === first) break
    if (
      opening.length === OPENING_SENTENCES ||
      (opening.length > 0 && length + sentence.length > OPENING_CHARS)
    )
      break
    opening.push(sentence)
    length += sentence.length
  }
  const parts = opening.length ? [opening.join(' ')] : []
  if (list) {
    const ordered = ORDERED_ITEM.test(list.lines[0] ?? '')
    const items = list.lines.map(plain).filter((item) => item && !addressesTheAi(item))
    const shown = items.slice(0, MAX_LIST_ITEMS).concat(items.length > MAX_LIST_ITEMS ? ['…'] : [])
    const lines = shown.map((item, i) => (ordered ? `${i + 1}. ${item}` : `- ${item}`)).join('\n')
    parts.push(intro ? `${intro}\n${lines}` : lines)
  }
  return parts.join('\n\n')
}

/**
 * The offline answer from the ranked passages: the first one that has an answer to give (the search's
 * best, or for a follow-up the section it continues with) answers, cited once as "Mehr dazu: [1]".
 */
export function extractiveAnswer(
  hits: readonly SearchHit[],
  moreLabel = 'Mehr dazu:',
): { body: string; citations: Citation[] } {
  for (const hit of hits) {
    const answer = sectionAnswer(hit.text)
    if (answer) return { body: `${answer}\n\n${moreLabel} [1]`, citations: [citationOf(hit, 1)] }
  }
  return { body: '', citations: [] }
}
